"""When two postings are the same posting: for refusing reposts and spotting copied ads.

Texts are compared as sets of three-word shingles (Jaccard resemblance), after folding
case, accents and punctuation, so a changed comma or a bolded word doesn't make a copy
look new. Two keys stored on each job (``title_key``, ``text_key``) let the database
find the few postings worth comparing.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

NEAR_IDENTICAL = 0.8
"""Shingle resemblance (or title word overlap) from which two texts count as the same."""
SAME_WORDS = 0.9
"""Share of distinct words in common from which two texts count as the same."""


def words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.findall(r"[a-z0-9]+", folded)


def title_key(title: str) -> str:
    return " ".join(words(title))[:120]


def text_key(text: str) -> str:
    """A digest of the folded words: equal for texts that differ only in form."""
    return hashlib.md5(" ".join(words(text)).encode(), usedforsecurity=False).hexdigest()


def shingles(text: str, size: int = 3) -> set[tuple[str, ...]]:
    found = words(text)
    if len(found) < size:
        return {tuple(found)} if found else set()
    return {tuple(found[i : i + size]) for i in range(len(found) - size + 1)}


def resemblance(first: str, second: str) -> float:
    """Jaccard resemblance of the two texts' shingles, 0 to 1."""
    a, b = shingles(first), shingles(second)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _same_words(first: str, second: str) -> float:
    a, b = set(words(first)), set(words(second))
    return len(a & b) / len(a | b) if a and b else 0.0


def near_identical(first: str, second: str) -> bool:
    """The same text give or take a few words: equal when folded, most shingles shared,
    or nearly all words shared (one changed word breaks three shingles of a short text)."""
    if text_key(first) == text_key(second):
        return True
    return resemblance(first, second) >= NEAR_IDENTICAL or _same_words(first, second) >= SAME_WORDS


def same_posting(title_a: str, text_a: str, title_b: str, text_b: str) -> bool:
    """Near-identical title and text: the same job, posted again."""
    if _same_words(title_a, title_b) < NEAR_IDENTICAL:
        return False
    return near_identical(text_a, text_b)


def copied_text(text_a: str, text_b: str) -> bool:
    """The same description, whatever the title: one ad copied into another."""
    if len(words(text_a)) < 12:  # too short to tell a copy from a coincidence
        return False
    return near_identical(text_a, text_b)
