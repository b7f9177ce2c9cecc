"""Spelling suggestions for a keyword search that found nothing, from the live jobs' words."""

from __future__ import annotations

import difflib

from django.db.models import Count, Max

from .models import Job
from .search import words

VOCABULARY_JOBS = 20_000
"""How many of the newest live jobs' titles and company names the vocabulary reads."""
_vocabulary: tuple[object, dict[str, int]] | None = None


def _job_vocabulary() -> dict[str, int]:
    """Word -> how many live jobs use it in their title or company name.

    Rebuilt when a job changes (the newest ``updated_at`` and the count move)."""
    global _vocabulary
    state = tuple(Job.objects.aggregate(n=Count("id"), last=Max("updated_at")).values())
    if _vocabulary is not None and _vocabulary[0] == state:
        return _vocabulary[1]
    counts: dict[str, int] = {}
    rows = Job.objects.published().values_list("title", "company__name")[:VOCABULARY_JOBS]
    for title, company in rows:
        for word in set(words(f"{title} {company}")):
            if len(word) >= 3 and not word.isdigit():
                counts[word] = counts.get(word, 0) + 1
    _vocabulary = (state, counts)
    return counts


def spelling_suggestion(query: str) -> str | None:
    """The query with each unknown word replaced by the closest word of the live jobs'
    titles and companies ("nurce" -> "nurse"), or None when there is nothing better."""
    vocabulary = _job_vocabulary()
    if not vocabulary:
        return None
    known = list(vocabulary)
    changed = False
    out = []
    for word in words(query):
        close = [] if word in vocabulary or len(word) < 3 else _close_words(word, known)
        if close:
            # Of the near spellings, the closest, then the one most jobs use.
            out.append(max(close, key=lambda w: (_similarity(word, w), vocabulary[w])))
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else None


def _close_words(word: str, known: list[str]) -> list[str]:
    return difflib.get_close_matches(word, known, n=3, cutoff=0.75)


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()
