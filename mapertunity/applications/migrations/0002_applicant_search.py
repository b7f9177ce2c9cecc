"""Keyword search over applicants: an FTS5 table (SQLite) or a tsvector table with a GIN
index (PostgreSQL), kept current by triggers. The SQL is frozen here."""

from django.db import migrations

SQLITE_INSTALL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS applications_application_fts USING fts5("
    "application_id UNINDEXED, resume_text, cover_note, "
    "tokenize = 'porter unicode61 remove_diacritics 2')",
    """CREATE TRIGGER IF NOT EXISTS applications_fts_insert
    AFTER INSERT ON applications_application BEGIN
        INSERT INTO applications_application_fts(application_id, resume_text, cover_note)
        VALUES (new.id, new.resume_text, new.cover_note);
    END""",
    """CREATE TRIGGER IF NOT EXISTS applications_fts_update
    AFTER UPDATE OF resume_text, cover_note ON applications_application BEGIN
        DELETE FROM applications_application_fts WHERE application_id = old.id;
        INSERT INTO applications_application_fts(application_id, resume_text, cover_note)
        VALUES (new.id, new.resume_text, new.cover_note);
    END""",
    """CREATE TRIGGER IF NOT EXISTS applications_fts_delete
    AFTER DELETE ON applications_application BEGIN
        DELETE FROM applications_application_fts WHERE application_id = old.id;
    END""",
    "INSERT INTO applications_application_fts(application_id, resume_text, cover_note) "
    "SELECT id, resume_text, cover_note FROM applications_application",
]
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS applications_fts_insert",
    "DROP TRIGGER IF EXISTS applications_fts_update",
    "DROP TRIGGER IF EXISTS applications_fts_delete",
    "DROP TABLE IF EXISTS applications_application_fts",
]
POSTGRES_INSTALL = [
    """CREATE TABLE IF NOT EXISTS applications_application_search (
        application_id uuid PRIMARY KEY, document tsvector NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS applications_application_search_document "
    "ON applications_application_search USING GIN (document)",
    """CREATE OR REPLACE FUNCTION applications_search_sync() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                DELETE FROM applications_application_search WHERE application_id = OLD.id;
                RETURN NULL;
            END IF;
            INSERT INTO applications_application_search(application_id, document) VALUES (
                NEW.id,
                to_tsvector('english', coalesce(NEW.resume_text, '') || ' '
                    || coalesce(NEW.cover_note, '')))
            ON CONFLICT (application_id) DO UPDATE SET document = EXCLUDED.document;
            RETURN NULL;
        END $$""",
    "DROP TRIGGER IF EXISTS applications_search_sync ON applications_application",
    """CREATE TRIGGER applications_search_sync
        AFTER INSERT OR DELETE OR UPDATE OF resume_text, cover_note
        ON applications_application
        FOR EACH ROW EXECUTE FUNCTION applications_search_sync()""",
    """INSERT INTO applications_application_search(application_id, document)
        SELECT id, to_tsvector('english', coalesce(resume_text, '') || ' '
            || coalesce(cover_note, ''))
        FROM applications_application
        ON CONFLICT (application_id) DO NOTHING""",
]
POSTGRES_UNINSTALL = [
    "DROP TRIGGER IF EXISTS applications_search_sync ON applications_application",
    "DROP FUNCTION IF EXISTS applications_search_sync()",
    "DROP TABLE IF EXISTS applications_application_search",
]


def _run(schema_editor, statements: dict[str, list[str]]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in statements:
        raise NotImplementedError(f"applicant search is not implemented for {vendor}")
    for sql in statements[vendor]:
        schema_editor.execute(sql)


def install(apps, schema_editor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_INSTALL, "postgresql": POSTGRES_INSTALL})


def uninstall(apps, schema_editor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_UNINSTALL, "postgresql": POSTGRES_UNINSTALL})


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
