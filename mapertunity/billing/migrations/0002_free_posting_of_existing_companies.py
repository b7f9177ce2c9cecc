"""Companies that posted before credits existed have had their free first posting: record
it against their earliest job sent for the site, so their next posting costs a credit.

Self-contained: frozen constants, no live app code.
"""

from django.db import migrations

NOT_SENT = ["draft"]


def record_free_postings(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    Movement = apps.get_model("billing", "Movement")
    first = {}
    sent = Job.objects.exclude(status__in=NOT_SENT).order_by("created_at", "id")
    for job_id, company_id, created_at in sent.values_list("id", "company_id", "created_at"):
        first.setdefault(company_id, (job_id, created_at))
    taken = set(Movement.objects.filter(kind="free").values_list("company_id", flat=True))
    Movement.objects.bulk_create(
        [
            Movement(
                company_id=company_id, kind="free", credits=0, job_id=job_id, created_at=created_at
            )
            for company_id, (job_id, created_at) in first.items()
            if company_id not in taken
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial"), ("jobs", "0007_fill_posting_keys")]

    operations = [migrations.RunPython(record_free_postings, migrations.RunPython.noop)]
