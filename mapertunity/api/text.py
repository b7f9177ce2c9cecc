"""Patterns for the text the API takes, written so that a client and the server agree.

A JSON Schema pattern is an ECMA-262 regex, where ``\\s`` is not Python's ``\\s``: a
description of ``"\\x1f"`` (a unit separator) matched ``\\S`` for the client, while the
site's forms and this API strip it as whitespace (``str.strip``) and found the text empty.
So the classes are spelled out, and mean the same in ECMA-262, in the Rust regex that
pydantic checks them with, and in Python's ``re``.

The rules are the site's forms': text is blank if nothing is left once Python's whitespace
is stripped, and a null character is refused anywhere (Django's forms refuse it, and
PostgreSQL can't store it).
"""

from __future__ import annotations

SPACES = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
"""Python's whitespace (``str.isspace``), what ``str.strip`` and ``str.split`` remove."""

NO_NUL = r"^[^\x00]*$"
"""Any text without a null character, empty included."""


def _trimmed(minimum: int) -> str:
    """Text without null characters that keeps ``minimum`` characters or more once its
    ends are stripped, as a form field does: whitespace, a first visible character, the
    middle, a last visible one, whitespace. Each step is plain, so it matches in linear
    time."""
    first, last, any_ = f"^[{SPACES}]*[^\\x00{SPACES}]", f"[^\\x00{SPACES}][{SPACES}]*$", "[^\\x00]"
    if minimum == 1:
        return f"{first}{any_}*$"
    return f"{first}{any_}{{{minimum - 2},}}{last}"


SOME_TEXT = _trimmed(1)
"""Not blank (a required form field), no null characters."""
THREE_CHARACTERS = _trimmed(3)
"""At least 3 characters once stripped (the site's rule for a job title), no nulls."""

SLUG = rf"^[{SPACES}]*[-a-zA-Z0-9_]*[{SPACES}]*$"
"""What a form's optional slug field takes: letters, digits, ``-`` and ``_``, once stripped."""

MESSAGES = {
    NO_NUL: "Null characters are not allowed.",
    SOME_TEXT: "Write something besides spaces, with no null characters.",
    THREE_CHARACTERS: "Write at least 3 characters, with no null characters.",
}
"""What a mismatch of each pattern means, for the 400 (pydantic's message quotes the regex)."""
