"""Keyword search over a job's title, company and description, ranked.

Two implementations behind one interface, chosen by the database in use:

- SQLite: an FTS5 table ``jobs_job_fts`` (porter stemming, accents folded) ranked by BM25
  with the title weighted above the company name above the description.
- PostgreSQL: a table ``jobs_job_search`` of weighted ``tsvector`` documents (English
  stemming) with a GIN index, ranked by ``ts_rank_cd``.

Both are kept in step by database triggers (created by a jobs migration), so every way of
writing a job — the ORM, bulk_create, raw SQL — updates the search too, and renaming a
company updates its jobs. The typed query is reduced to its words, all of which must match
(stemmed), so no input can be a syntax error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

import numpy as np
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import RawSQL

from mapertunity.core.fulltext import fts5_match, words

Execute = Callable[[str], object]
"""Runs one SQL statement (a cursor's or a schema editor's ``execute``)."""

if TYPE_CHECKING:
    from .models import JobQuerySet


class SearchBackend(Protocol):
    def install(self, execute: Execute) -> None:
        """Create the search table, its triggers, and fill it from the jobs table."""

    def uninstall(self, execute: Execute) -> None: ...

    def ensure_installed(self, connection: BaseDatabaseWrapper) -> None:
        """Recreate triggers a schema change may have dropped."""

    def matching(self, queryset: JobQuerySet, terms: list[str]) -> JobQuerySet:
        """The queryset limited to jobs matching every term, annotated with ``search_rank``
        (higher is better)."""

    def ids(self, terms: list[str], among: Iterable[int] | None = None) -> np.ndarray:
        """Ids of every job matching every term (any status), optionally only among some."""


def _chunks(ids: list[int], size: int = 5000) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


class SQLiteFTS5:
    # Columns: title, company, description. BM25 weights favour the title.
    TABLE = "jobs_job_fts"
    TRIGGERS = {
        "jobs_job_fts_insert": """
            CREATE TRIGGER IF NOT EXISTS jobs_job_fts_insert AFTER INSERT ON jobs_job BEGIN
                INSERT INTO jobs_job_fts(rowid, title, company, description) VALUES (
                    new.id, new.title,
                    (SELECT name FROM companies_company WHERE id = new.company_id),
                    new.description);
            END""",
        "jobs_job_fts_update": """
            CREATE TRIGGER IF NOT EXISTS jobs_job_fts_update
            AFTER UPDATE OF title, description, company_id ON jobs_job BEGIN
                DELETE FROM jobs_job_fts WHERE rowid = old.id;
                INSERT INTO jobs_job_fts(rowid, title, company, description) VALUES (
                    new.id, new.title,
                    (SELECT name FROM companies_company WHERE id = new.company_id),
                    new.description);
            END""",
        "jobs_job_fts_delete": """
            CREATE TRIGGER IF NOT EXISTS jobs_job_fts_delete AFTER DELETE ON jobs_job BEGIN
                DELETE FROM jobs_job_fts WHERE rowid = old.id;
            END""",
        "jobs_job_fts_company": """
            CREATE TRIGGER IF NOT EXISTS jobs_job_fts_company
            AFTER UPDATE OF name ON companies_company BEGIN
                UPDATE jobs_job_fts SET company = new.name
                WHERE rowid IN (SELECT id FROM jobs_job WHERE company_id = new.id);
            END""",
    }

    def install(self, execute: Execute) -> None:
        execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.TABLE} USING fts5("
            "title, company, description, tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        for sql in self.TRIGGERS.values():
            execute(sql)
        self._refill(execute)

    def _refill(self, execute: Execute) -> None:
        execute(f"DELETE FROM {self.TABLE}")
        execute(
            f"INSERT INTO {self.TABLE}(rowid, title, company, description) "
            "SELECT j.id, j.title, c.name, j.description "
            "FROM jobs_job j JOIN companies_company c ON c.id = j.company_id"
        )

    def uninstall(self, execute: Execute) -> None:
        for name in self.TRIGGERS:
            execute(f"DROP TRIGGER IF EXISTS {name}")
        execute(f"DROP TABLE IF EXISTS {self.TABLE}")

    def ensure_installed(self, connection: BaseDatabaseWrapper) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') "
                "AND name LIKE 'jobs_job_fts%%'"
            )
            present = {row[0] for row in cursor.fetchall()}
            if self.TABLE not in present or set(self.TRIGGERS) <= present:
                return
            # A table rebuild (SQLite's way to alter a column) drops the triggers with it.
            for sql in self.TRIGGERS.values():
                cursor.execute(sql)
            self._refill(cursor.execute)

    @staticmethod
    def _match(terms: list[str]) -> str:
        return fts5_match(terms)

    def matching(self, queryset: JobQuerySet, terms: list[str]) -> JobQuerySet:
        match = self._match(terms)
        table = queryset.model._meta.db_table
        return queryset.filter(
            id__in=RawSQL(f"SELECT rowid FROM {self.TABLE} WHERE {self.TABLE} MATCH %s", [match])
        ).annotate(
            search_rank=RawSQL(
                f"SELECT -bm25({self.TABLE}, 10.0, 4.0, 1.0) FROM {self.TABLE} "
                f'WHERE {self.TABLE} MATCH %s AND rowid = "{table}"."id"',
                [match],
            )
        )

    def ids(self, terms: list[str], among: Iterable[int] | None = None) -> np.ndarray:
        sql = f"SELECT rowid FROM {self.TABLE} WHERE {self.TABLE} MATCH %s"
        return _fetch_ids(sql, [self._match(terms)], among, "rowid")


class PostgresFullText:
    TABLE = "jobs_job_search"
    _DOCUMENT = (
        "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
        "setweight(to_tsvector('english', coalesce(company, '')), 'B') || "
        "setweight(to_tsvector('english', coalesce(description, '')), 'C')"
    )
    STATEMENTS = [
        # No foreign key: Django's test flush truncates jobs_job alone, which a key forbids.
        f"""CREATE TABLE IF NOT EXISTS {TABLE} (
            job_id bigint PRIMARY KEY, document tsvector NOT NULL)""",
        f"CREATE INDEX IF NOT EXISTS {TABLE}_document ON {TABLE} USING GIN (document)",
        f"""CREATE OR REPLACE FUNCTION jobs_job_document(title text, company text, description text)
            RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$ SELECT {_DOCUMENT} $$""",
        f"""CREATE OR REPLACE FUNCTION jobs_job_search_sync() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    DELETE FROM {TABLE} WHERE job_id = OLD.id;
                    RETURN NULL;
                END IF;
                INSERT INTO {TABLE}(job_id, document) VALUES (NEW.id, jobs_job_document(
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
        f"""CREATE OR REPLACE FUNCTION jobs_company_search_sync() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE {TABLE} s SET document = jobs_job_document(j.title, NEW.name, j.description)
                FROM jobs_job j WHERE j.company_id = NEW.id AND s.job_id = j.id;
                RETURN NULL;
            END $$""",
        "DROP TRIGGER IF EXISTS jobs_company_search_sync ON companies_company",
        """CREATE TRIGGER jobs_company_search_sync
            AFTER UPDATE OF name ON companies_company
            FOR EACH ROW EXECUTE FUNCTION jobs_company_search_sync()""",
        # Row triggers don't see a TRUNCATE (``manage.py flush``): empty the table with it.
        f"""CREATE OR REPLACE FUNCTION jobs_job_search_truncate() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                TRUNCATE {TABLE};
                RETURN NULL;
            END $$""",
        "DROP TRIGGER IF EXISTS jobs_job_search_truncate ON jobs_job",
        """CREATE TRIGGER jobs_job_search_truncate AFTER TRUNCATE ON jobs_job
            FOR EACH STATEMENT EXECUTE FUNCTION jobs_job_search_truncate()""",
        f"""INSERT INTO {TABLE}(job_id, document)
            SELECT j.id, jobs_job_document(j.title, c.name, j.description)
            FROM jobs_job j JOIN companies_company c ON c.id = j.company_id
            ON CONFLICT (job_id) DO UPDATE SET document = EXCLUDED.document""",
    ]

    def install(self, execute: Execute) -> None:
        for sql in self.STATEMENTS:
            execute(sql)

    def uninstall(self, execute: Execute) -> None:
        execute("DROP TRIGGER IF EXISTS jobs_job_search_sync ON jobs_job")
        execute("DROP TRIGGER IF EXISTS jobs_company_search_sync ON companies_company")
        execute("DROP TRIGGER IF EXISTS jobs_job_search_truncate ON jobs_job")
        execute("DROP FUNCTION IF EXISTS jobs_job_search_truncate()")
        execute("DROP FUNCTION IF EXISTS jobs_job_search_sync()")
        execute("DROP FUNCTION IF EXISTS jobs_company_search_sync()")
        execute(f"DROP TABLE IF EXISTS {self.TABLE}")
        execute("DROP FUNCTION IF EXISTS jobs_job_document(text, text, text)")

    def ensure_installed(self, connection: BaseDatabaseWrapper) -> None:
        """PostgreSQL keeps triggers through ALTER TABLE; nothing to repair."""

    @staticmethod
    def _query(terms: list[str]) -> str:
        return " ".join(terms)

    def matching(self, queryset: JobQuerySet, terms: list[str]) -> JobQuerySet:
        text = self._query(terms)
        table = queryset.model._meta.db_table
        return queryset.filter(
            id__in=RawSQL(
                f"SELECT job_id FROM {self.TABLE} WHERE document @@ plainto_tsquery('english', %s)",
                [text],
            )
        ).annotate(
            search_rank=RawSQL(
                f"SELECT ts_rank_cd(document, plainto_tsquery('english', %s)) "
                f'FROM {self.TABLE} WHERE job_id = "{table}"."id"',
                [text],
            )
        )

    def ids(self, terms: list[str], among: Iterable[int] | None = None) -> np.ndarray:
        sql = f"SELECT job_id FROM {self.TABLE} WHERE document @@ plainto_tsquery('english', %s)"
        return _fetch_ids(sql, [self._query(terms)], among, "job_id")


def _fetch_ids(sql: str, params: list, among: Iterable[int] | None, column: str) -> np.ndarray:
    with default_connection.cursor() as cursor:
        if among is None:
            cursor.execute(sql, params)
            return np.fromiter((row[0] for row in cursor.fetchall()), dtype=np.int64)
        found: list[int] = []
        for chunk in _chunks(sorted(set(among))):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"{sql} AND {column} IN ({marks})", [*params, *chunk])
            found += [row[0] for row in cursor.fetchall()]
        return np.asarray(found, dtype=np.int64)


def backend(connection: BaseDatabaseWrapper | None = None) -> SearchBackend:
    vendor = (connection or default_connection).vendor
    if vendor == "postgresql":
        return PostgresFullText()
    if vendor == "sqlite":
        return SQLiteFTS5()
    raise NotImplementedError(f"keyword search is not implemented for {vendor}")


def search(queryset: JobQuerySet, query: str) -> JobQuerySet:
    """Jobs matching every word of ``query``, annotated with ``search_rank``."""
    terms = words(query)
    if not terms:
        return queryset
    return backend().matching(queryset, terms)


def matching_ids(query: str, among: Iterable[int] | None = None) -> np.ndarray:
    """Ids of all jobs (any status) matching every word of ``query``."""
    terms = words(query)
    if not terms:
        return np.empty(0, dtype=np.int64)
    return backend().ids(terms, among)
