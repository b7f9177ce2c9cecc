"""Keyword search over a job's title, company and description.

Two implementations behind one interface, chosen by the database in use:

- SQLite: an FTS5 table ``jobs_job_fts`` (porter stemming, accents folded) with the
  columns title, company and description.
- PostgreSQL: a table ``jobs_job_search`` of ``tsvector`` documents (English stemming)
  with a GIN index, the title's words weighted A, the company's B, the description's C.

Both are kept in step by database triggers (created by a jobs migration), so every way of
writing a job — the ORM, bulk_create, raw SQL — updates the search too, and renaming a
company updates its jobs. The typed query is reduced to its words, all of which must match
(stemmed), so no input can be a syntax error.

There is no relevance score. Scoring every match (BM25, ``ts_rank_cd``) cost 0.2-2 s for a
common word among a million jobs, and a score per row in SQL far more; a score also cannot
come from an index, so no page of a big result is cheap. Relevance is instead one test a
page can be ordered by from indexes: does the *title* hold every word (``in_title``)? The
list puts those jobs first, newest first within each group (see :mod:`.listing`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

import numpy as np
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField
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

    def matching(
        self, queryset: JobQuerySet, terms: list[str], in_title: bool | None = None
    ) -> JobQuerySet:
        """The queryset limited to jobs matching every term; with ``in_title`` True only
        those whose title holds every term, with False only the others.

        The condition is a filter on each row, not a list to start from, so the database
        can walk an ordered index and stop after a page (see :mod:`.listing`)."""

    def ids(
        self, terms: list[str], among: Iterable[int] | None = None, in_title: bool = False
    ) -> np.ndarray:
        """Ids of every job matching every term (any status), optionally only among some,
        or only those whose title holds every term."""


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
    def _match(terms: list[str], in_title: bool | None = None) -> str:
        match = fts5_match(terms)
        if in_title is None:
            return match
        title = f"{{title}} : ({match})"
        return title if in_title else f"({match}) NOT {title}"

    def matching(
        self, queryset: JobQuerySet, terms: list[str], in_title: bool | None = None
    ) -> JobQuerySet:
        table = queryset.model._meta.db_table
        # The unary + keeps SQLite from reading the matches first and sorting them all
        # (a second for a common word): it reads the jobs in the query's order instead and
        # checks each against the matches, gathered once per statement.
        return queryset.filter(
            RawSQL(
                f'+"{table}"."id" IN (SELECT rowid FROM {self.TABLE} WHERE {self.TABLE} MATCH %s)',
                [self._match(terms, in_title)],
                output_field=BooleanField(),
            )
        )

    def ids(
        self, terms: list[str], among: Iterable[int] | None = None, in_title: bool = False
    ) -> np.ndarray:
        sql = f"SELECT rowid FROM {self.TABLE} WHERE {self.TABLE} MATCH %s"
        found = _fetch_ids(sql, [self._match(terms, in_title or None)], None, "rowid")
        if among is None:
            return found
        # FTS5 reads a word's whole list of matches for each ``rowid = ?`` (8 ms each for
        # a word in 100,000 jobs): reading the list once and intersecting is cheaper.
        return np.intersect1d(found, np.fromiter(among, dtype=np.int64))


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

    @staticmethod
    def _title_query(terms: list[str]) -> str:
        """``to_tsquery`` text for "every term among the title's (weight A) words": each
        term is quoted (``words`` keeps only letters, digits and underscores), and the
        parser stems it and drops stop words as ``plainto_tsquery`` does."""
        return " & ".join(f"'{term}':A" for term in terms)

    def _where(self, terms: list[str], in_title: bool | None) -> tuple[str, list[str]]:
        where = "document @@ plainto_tsquery('english', %s)"
        params = [self._query(terms)]
        if in_title is not None:
            title = "document @@ to_tsquery('english', %s)"
            where += f" AND {title}" if in_title else f" AND NOT ({title})"
            params.append(self._title_query(terms))
        return where, params

    def matching(
        self, queryset: JobQuerySet, terms: list[str], in_title: bool | None = None
    ) -> JobQuerySet:
        where, params = self._where(terms, in_title)
        return queryset.filter(
            id__in=RawSQL(f"SELECT job_id FROM {self.TABLE} WHERE {where}", params)
        )

    def ids(
        self, terms: list[str], among: Iterable[int] | None = None, in_title: bool = False
    ) -> np.ndarray:
        where, params = self._where(terms, in_title or None)
        return _fetch_ids(f"SELECT job_id FROM {self.TABLE} WHERE {where}", params, among, "job_id")


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


def search(queryset: JobQuerySet, query: str, in_title: bool | None = None) -> JobQuerySet:
    """Jobs matching every word of ``query`` (see :meth:`SearchBackend.matching`)."""
    terms = words(query)
    if not terms:
        return queryset
    return backend().matching(queryset, terms, in_title)


def matching_ids(
    query: str, among: Iterable[int] | None = None, in_title: bool = False
) -> np.ndarray:
    """Ids of all jobs (any status) matching every word of ``query`` (in the title only,
    if asked)."""
    terms = words(query)
    if not terms:
        return np.empty(0, dtype=np.int64)
    return backend().ids(terms, among, in_title)
