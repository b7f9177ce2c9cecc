"""Annualised pay, positions rounded to 1e-7°, and the keyword search table and triggers."""

from django.db import migrations, models

from mapertunity.geo.morton import morton_key
from mapertunity.jobs import search
from mapertunity.jobs.money import annual_usd


def fill_derived(apps, schema_editor) -> None:
    Job = apps.get_model("jobs", "Job")
    batch = []
    for job in Job.objects.using(schema_editor.connection.alias).iterator(chunk_size=2000):
        job.lat, job.lng = round(job.lat, 7), round(job.lng, 7)
        job.morton_key = morton_key(job.lat, job.lng)
        job.pay_usd_year = annual_usd(job.salary_max, job.salary_currency, job.salary_period)
        batch.append(job)
        if len(batch) == 2000:
            Job.objects.bulk_update(batch, ["lat", "lng", "morton_key", "pay_usd_year"])
            batch = []
    if batch:
        Job.objects.bulk_update(batch, ["lat", "lng", "morton_key", "pay_usd_year"])


def install_search(apps, schema_editor) -> None:
    search.backend(schema_editor.connection).install(schema_editor.execute)


def uninstall_search(apps, schema_editor) -> None:
    search.backend(schema_editor.connection).uninstall(schema_editor.execute)


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0001_initial"),
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="pay_usd_year",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="job",
            index=models.Index(fields=["-posted_at", "-id"], name="job_newest"),
        ),
        migrations.RunPython(fill_derived, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(install_search, uninstall_search),
    ]
