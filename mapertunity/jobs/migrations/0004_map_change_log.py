"""The change log the map index polls: every write to jobs_job appends the job's id.

Self-contained: the SQL is frozen here as it was when this migration was written
(``jobs/mapsource.py`` keeps the live copy, to repair triggers a SQLite table rebuild drops).
No foreign key, like the search table: Django's test flush truncates jobs_job alone.
"""

from django.db import migrations

SQLITE_INSTALL = [
    """CREATE TABLE IF NOT EXISTS jobs_job_change (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id bigint NOT NULL,
        changed_at real NOT NULL DEFAULT ((julianday('now') - 2440587.5) * 86400.0))""",
    """CREATE TRIGGER IF NOT EXISTS jobs_job_change_insert AFTER INSERT ON jobs_job BEGIN
        INSERT INTO jobs_job_change(job_id) VALUES (new.id);
    END""",
    """CREATE TRIGGER IF NOT EXISTS jobs_job_change_update AFTER UPDATE ON jobs_job BEGIN
        INSERT INTO jobs_job_change(job_id) VALUES (new.id);
        INSERT INTO jobs_job_change(job_id) SELECT old.id WHERE old.id <> new.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS jobs_job_change_delete AFTER DELETE ON jobs_job BEGIN
        INSERT INTO jobs_job_change(job_id) VALUES (old.id);
    END""",
]
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS jobs_job_change_insert",
    "DROP TRIGGER IF EXISTS jobs_job_change_update",
    "DROP TRIGGER IF EXISTS jobs_job_change_delete",
    "DROP TABLE IF EXISTS jobs_job_change",
]

_PG_FUNCTION = """CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO jobs_job_change(job_id) {select};
        RETURN NULL;
    END $$"""
POSTGRES_INSTALL = [
    """CREATE TABLE IF NOT EXISTS jobs_job_change (
        seq bigserial PRIMARY KEY,
        job_id bigint NOT NULL,
        changed_at double precision NOT NULL DEFAULT extract(epoch FROM clock_timestamp()))""",
    _PG_FUNCTION.format(name="jobs_job_change_new", select="SELECT id FROM new_rows"),
    _PG_FUNCTION.format(name="jobs_job_change_old", select="SELECT id FROM old_rows"),
    _PG_FUNCTION.format(
        name="jobs_job_change_both",
        select="SELECT id FROM new_rows UNION SELECT id FROM old_rows",
    ),
    _PG_FUNCTION.format(name="jobs_job_change_all", select="VALUES (-1)"),
    "DROP TRIGGER IF EXISTS jobs_job_change_insert ON jobs_job",
    """CREATE TRIGGER jobs_job_change_insert AFTER INSERT ON jobs_job
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION jobs_job_change_new()""",
    "DROP TRIGGER IF EXISTS jobs_job_change_update ON jobs_job",
    """CREATE TRIGGER jobs_job_change_update AFTER UPDATE ON jobs_job
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION jobs_job_change_both()""",
    "DROP TRIGGER IF EXISTS jobs_job_change_delete ON jobs_job",
    """CREATE TRIGGER jobs_job_change_delete AFTER DELETE ON jobs_job
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION jobs_job_change_old()""",
    "DROP TRIGGER IF EXISTS jobs_job_change_truncate ON jobs_job",
    """CREATE TRIGGER jobs_job_change_truncate AFTER TRUNCATE ON jobs_job
        FOR EACH STATEMENT EXECUTE FUNCTION jobs_job_change_all()""",
]
POSTGRES_UNINSTALL = [
    "DROP TRIGGER IF EXISTS jobs_job_change_insert ON jobs_job",
    "DROP TRIGGER IF EXISTS jobs_job_change_update ON jobs_job",
    "DROP TRIGGER IF EXISTS jobs_job_change_delete ON jobs_job",
    "DROP TRIGGER IF EXISTS jobs_job_change_truncate ON jobs_job",
    "DROP FUNCTION IF EXISTS jobs_job_change_new()",
    "DROP FUNCTION IF EXISTS jobs_job_change_old()",
    "DROP FUNCTION IF EXISTS jobs_job_change_both()",
    "DROP FUNCTION IF EXISTS jobs_job_change_all()",
    "DROP TABLE IF EXISTS jobs_job_change",
]


def _statements(schema_editor, *, install: bool) -> list[str]:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        return POSTGRES_INSTALL if install else POSTGRES_UNINSTALL
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_UNINSTALL
    raise NotImplementedError(f"the map change log is not implemented for {vendor}")


def install(apps, schema_editor) -> None:
    for sql in _statements(schema_editor, install=True):
        schema_editor.execute(sql)


def uninstall(apps, schema_editor) -> None:
    for sql in _statements(schema_editor, install=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0003_status_and_pay_rule"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
