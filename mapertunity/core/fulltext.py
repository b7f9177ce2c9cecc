"""What counts as a searchable word: the one tokenizer every full-text search uses.

The database does the matching (SQLite FTS5 with Porter stemming, PostgreSQL's English
text search); this reduces what someone typed to plain words, so no input can be a
syntax error in either engine.
"""

from __future__ import annotations

import re

MAX_WORDS = 12
MAX_WORD_LENGTH = 40
_WORD = re.compile(r"\w+", re.UNICODE)


def words(query: str) -> list[str]:
    """The searchable words of what someone typed (lower-cased, at most ``MAX_WORDS``)."""
    found = [w for w in _WORD.findall(query.lower()) if len(w) <= MAX_WORD_LENGTH]
    return list(dict.fromkeys(found))[:MAX_WORDS]


def fts5_match(terms: list[str]) -> str:
    """An FTS5 MATCH expression requiring every term: each quoted as a one-token phrase,
    so FTS5 operators in the input mean nothing."""
    return " ".join(f'"{term}"' for term in terms)
