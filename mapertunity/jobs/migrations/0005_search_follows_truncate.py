"""On PostgreSQL, a TRUNCATE of jobs_job (``manage.py flush``) empties the search table too.

Row triggers don't fire on TRUNCATE, so the search table kept documents of jobs that no
longer exist and keyword searches returned their ids. Frozen SQL, self-contained.
"""

from django.db import migrations

INSTALL = [
    """CREATE OR REPLACE FUNCTION jobs_job_search_truncate() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            TRUNCATE jobs_job_search;
            RETURN NULL;
        END $$""",
    "DROP TRIGGER IF EXISTS jobs_job_search_truncate ON jobs_job",
    """CREATE TRIGGER jobs_job_search_truncate AFTER TRUNCATE ON jobs_job
        FOR EACH STATEMENT EXECUTE FUNCTION jobs_job_search_truncate()""",
    "DELETE FROM jobs_job_search s WHERE NOT EXISTS (SELECT 1 FROM jobs_job j WHERE j.id = s.job_id)",
]
UNINSTALL = [
    "DROP TRIGGER IF EXISTS jobs_job_search_truncate ON jobs_job",
    "DROP FUNCTION IF EXISTS jobs_job_search_truncate()",
]


def install(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in INSTALL:
            schema_editor.execute(sql)


def uninstall(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in UNINSTALL:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0004_map_change_log"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
