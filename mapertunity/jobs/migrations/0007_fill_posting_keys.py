"""Fill the folded title and text digest of every job (reposts and copied postings are
found by them). Self-contained: the folding is frozen here as it was written."""

import hashlib
import re
import unicodedata

from django.db import migrations


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.findall(r"[a-z0-9]+", folded)


def fill(apps, schema_editor) -> None:
    Job = apps.get_model("jobs", "Job")
    jobs = Job.objects.using(schema_editor.connection.alias)
    batch = []
    for job in jobs.only("title", "description").iterator(2000):
        job.title_key = " ".join(_words(job.title))[:120]
        digest = hashlib.md5(" ".join(_words(job.description)).encode(), usedforsecurity=False)
        job.text_key = digest.hexdigest()
        batch.append(job)
        if len(batch) == 2000:
            jobs.bulk_update(batch, ["title_key", "text_key"])
            batch = []
    jobs.bulk_update(batch, ["title_key", "text_key"])


class Migration(migrations.Migration):
    dependencies = [("jobs", "0006_review_and_confirmation")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
