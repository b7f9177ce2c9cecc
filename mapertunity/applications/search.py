"""Keyword search over applicants: their resume as sent, cover note and profile headline.

The same engines as the job search: an FTS5 table on SQLite, a ``tsvector`` table with a
GIN index on PostgreSQL, both kept current by triggers (applications migration 0002), and
the same tokenizer (:mod:`mapertunity.core.fulltext`), so "nurses" finds "nursing" here
as it does on the map.
"""

from __future__ import annotations

from django.db import connection
from django.db.models.expressions import RawSQL

from mapertunity.core.fulltext import fts5_match, words

from .models import ApplicationQuerySet


def matching(applications: ApplicationQuerySet, query: str) -> ApplicationQuerySet:
    """The applications whose text matches every word of ``query``."""
    terms = words(query)
    if not terms:
        return applications
    if connection.vendor == "postgresql":
        sql = (
            "SELECT application_id FROM applications_application_search "
            "WHERE document @@ plainto_tsquery('english', %s)"
        )
        return applications.filter(id__in=RawSQL(sql, [" ".join(terms)]))
    sql = (
        "SELECT application_id FROM applications_application_fts "
        "WHERE applications_application_fts MATCH %s"
    )
    return applications.filter(id__in=RawSQL(sql, [fts5_match(terms)]))
