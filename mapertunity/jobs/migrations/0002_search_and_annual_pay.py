"""Annualised pay, positions rounded to 1e-7°, and the keyword search table and triggers.

Self-contained: the Morton key and the search SQL are frozen here as they were when this
migration was written, so later changes to the app cannot change it. The annualised pay
is filled by 0003, which freezes the pay rule it applies.
"""

import math

from django.db import migrations, models

# -- frozen from mapertunity.geo.morton ---------------------------------------------------

_MAX_LAT = 85.05112878
_BITS = 31


def _spread(v: int) -> int:
    for shift, mask in (
        (16, 0x0000FFFF0000FFFF),
        (8, 0x00FF00FF00FF00FF),
        (4, 0x0F0F0F0F0F0F0F0F),
        (2, 0x3333333333333333),
        (1, 0x5555555555555555),
    ):
        v = (v | (v << shift)) & mask
    return v


def _quantize(v: float) -> int:
    return int(min(max(math.floor(v * float(1 << _BITS)), 0), (1 << _BITS) - 1))


def morton_key(lat: float, lng: float) -> int:
    lng = min(max(lng, -180.0), 180.0)
    lat = min(max(lat, -_MAX_LAT), _MAX_LAT)
    x = (lng + 180.0) / 360.0
    s = math.sin(math.radians(lat))
    y = 0.5 - math.log((1.0 + s) / (1.0 - s)) / (4.0 * math.pi)
    return _spread(_quantize(x)) | (_spread(_quantize(y)) << 1)


# -- frozen from mapertunity.jobs.search --------------------------------------------------

SQLITE_INSTALL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS jobs_job_fts USING fts5("
    "title, company, description, tokenize = 'porter unicode61 remove_diacritics 2')",
    """CREATE TRIGGER IF NOT EXISTS jobs_job_fts_insert AFTER INSERT ON jobs_job BEGIN
        INSERT INTO jobs_job_fts(rowid, title, company, description) VALUES (
            new.id, new.title,
            (SELECT name FROM companies_company WHERE id = new.company_id),
            new.description);
    END""",
    """CREATE TRIGGER IF NOT EXISTS jobs_job_fts_update
    AFTER UPDATE OF title, description, company_id ON jobs_job BEGIN
        DELETE FROM jobs_job_fts WHERE rowid = old.id;
        INSERT INTO jobs_job_fts(rowid, title, company, description) VALUES (
            new.id, new.title,
            (SELECT name FROM companies_company WHERE id = new.company_id),
            new.description);
    END""",
    """CREATE TRIGGER IF NOT EXISTS jobs_job_fts_delete AFTER DELETE ON jobs_job BEGIN
        DELETE FROM jobs_job_fts WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS jobs_job_fts_company
    AFTER UPDATE OF name ON companies_company BEGIN
        UPDATE jobs_job_fts SET company = new.name
        WHERE rowid IN (SELECT id FROM jobs_job WHERE company_id = new.id);
    END""",
    "DELETE FROM jobs_job_fts",
    "INSERT INTO jobs_job_fts(rowid, title, company, description) "
    "SELECT j.id, j.title, c.name, j.description "
    "FROM jobs_job j JOIN companies_company c ON c.id = j.company_id",
]
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS jobs_job_fts_insert",
    "DROP TRIGGER IF EXISTS jobs_job_fts_update",
    "DROP TRIGGER IF EXISTS jobs_job_fts_delete",
    "DROP TRIGGER IF EXISTS jobs_job_fts_company",
    "DROP TABLE IF EXISTS jobs_job_fts",
]
_DOCUMENT = (
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(company, '')), 'B') || "
    "setweight(to_tsvector('english', coalesce(description, '')), 'C')"
)
POSTGRES_INSTALL = [
    """CREATE TABLE IF NOT EXISTS jobs_job_search (
        job_id bigint PRIMARY KEY, document tsvector NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS jobs_job_search_document ON jobs_job_search USING GIN (document)",
    f"""CREATE OR REPLACE FUNCTION jobs_job_document(title text, company text, description text)
        RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$ SELECT {_DOCUMENT} $$""",
    """CREATE OR REPLACE FUNCTION jobs_job_search_sync() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                DELETE FROM jobs_job_search WHERE job_id = OLD.id;
                RETURN NULL;
            END IF;
            INSERT INTO jobs_job_search(job_id, document) VALUES (NEW.id, jobs_job_document(
                NEW.title,
                (SELECT name FROM companies_company WHERE id = NEW.company_id),
                NEW.description))
            ON CONFLICT (job_id) DO UPDATE SET document = EXCLUDED.document;
            RETURN NULL;
        END $$""",
    "DROP TRIGGER IF EXISTS jobs_job_search_sync ON jobs_job",
    """CREATE TRIGGER jobs_job_search_sync
        AFTER INSERT OR DELETE OR UPDATE OF title, description, company_id ON jobs_job
        FOR EACH ROW EXECUTE FUNCTION jobs_job_search_sync()""",
    """CREATE OR REPLACE FUNCTION jobs_company_search_sync() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE jobs_job_search s
            SET document = jobs_job_document(j.title, NEW.name, j.description)
            FROM jobs_job j WHERE j.company_id = NEW.id AND s.job_id = j.id;
            RETURN NULL;
        END $$""",
    "DROP TRIGGER IF EXISTS jobs_company_search_sync ON companies_company",
    """CREATE TRIGGER jobs_company_search_sync
        AFTER UPDATE OF name ON companies_company
        FOR EACH ROW EXECUTE FUNCTION jobs_company_search_sync()""",
    """INSERT INTO jobs_job_search(job_id, document)
        SELECT j.id, jobs_job_document(j.title, c.name, j.description)
        FROM jobs_job j JOIN companies_company c ON c.id = j.company_id
        ON CONFLICT (job_id) DO UPDATE SET document = EXCLUDED.document""",
]
POSTGRES_UNINSTALL = [
    "DROP TRIGGER IF EXISTS jobs_job_search_sync ON jobs_job",
    "DROP TRIGGER IF EXISTS jobs_company_search_sync ON companies_company",
    "DROP FUNCTION IF EXISTS jobs_job_search_sync()",
    "DROP FUNCTION IF EXISTS jobs_company_search_sync()",
    "DROP TABLE IF EXISTS jobs_job_search",
    "DROP FUNCTION IF EXISTS jobs_job_document(text, text, text)",
]


def _statements(schema_editor, *, install: bool) -> list[str]:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        return POSTGRES_INSTALL if install else POSTGRES_UNINSTALL
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_UNINSTALL
    raise NotImplementedError(f"keyword search is not implemented for {vendor}")


def fill_derived(apps, schema_editor) -> None:
    Job = apps.get_model("jobs", "Job")
    batch = []
    for job in Job.objects.using(schema_editor.connection.alias).iterator(chunk_size=2000):
        job.lat, job.lng = round(job.lat, 7), round(job.lng, 7)
        job.morton_key = morton_key(job.lat, job.lng)
        batch.append(job)
        if len(batch) == 2000:
            Job.objects.bulk_update(batch, ["lat", "lng", "morton_key"])
            batch = []
    if batch:
        Job.objects.bulk_update(batch, ["lat", "lng", "morton_key"])


def install_search(apps, schema_editor) -> None:
    for sql in _statements(schema_editor, install=True):
        schema_editor.execute(sql)


def uninstall_search(apps, schema_editor) -> None:
    for sql in _statements(schema_editor, install=False):
        schema_editor.execute(sql)


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
