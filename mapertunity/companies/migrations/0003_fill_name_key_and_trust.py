"""Fill the look-alike key of every company, and count companies that already have jobs on
the site as past their first review (their postings were live before reviews existed).

Self-contained: the name folding is frozen here as it was written.
"""

import re
import unicodedata

from django.db import migrations
from django.db.models import Min


def _name_key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.casefold().replace("&", "and"))[:120]


def fill(apps, schema_editor) -> None:
    Company = apps.get_model("companies", "Company")
    Job = apps.get_model("jobs", "Job")
    alias = schema_editor.connection.alias
    first_posted = dict(
        Job.objects.using(alias)
        .filter(posted_at__isnull=False)
        .values("company_id")
        .annotate(first=Min("posted_at"))
        .values_list("company_id", "first")
    )
    batch = []
    for company in Company.objects.using(alias).only("name").iterator(2000):
        company.name_key = _name_key(company.name)
        company.postings_approved_at = first_posted.get(company.pk)
        batch.append(company)
        if len(batch) == 2000:
            Company.objects.using(alias).bulk_update(batch, ["name_key", "postings_approved_at"])
            batch = []
    Company.objects.using(alias).bulk_update(batch, ["name_key", "postings_approved_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0002_verification"),
        ("jobs", "0003_status_and_pay_rule"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
