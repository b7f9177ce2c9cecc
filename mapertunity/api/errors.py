"""The one error body of the API, and the responses every operation documents.

Every error is ``{"detail": "<one readable sentence>"}``; when particular fields are at
fault, ``errors`` maps each field to its messages as well:
``{"detail": "title: Keep the title to 120 characters.", "errors": {"title": ["…"]}}``.
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from ninja.errors import HttpError


class ErrorOut(Schema):
    detail: str = Field(..., description="What went wrong, in one readable sentence.")
    errors: dict[str, list[str]] | None = Field(
        None, description="Messages by field, when particular fields are at fault."
    )


class APIError(HttpError):
    """An error with field messages; ``detail`` is made from them unless given."""

    def __init__(
        self, status_code: int, detail: str = "", errors: dict[str, list[str]] | None = None
    ) -> None:
        self.errors = errors or None
        if not detail and errors:
            detail = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in errors.items())
        super().__init__(status_code, detail or "Check the request.")


def error_body(detail: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": detail}
    if errors:
        body["errors"] = errors
    return body


PUBLIC = (400, 429)
"""What any operation can answer besides its success: bad input, too many requests."""
TOKEN = (400, 401, 429)
"""An operation behind a token: also a missing, bad or revoked token."""
WRITE = (400, 401, 403, 429)
"""An operation that changes something: also a read-only token."""


def responses(success: dict[int, Any], *codes: int) -> dict[int, Any]:
    """``response=`` for an operation: its successes and its documented errors."""
    return {**success, **{code: ErrorOut for code in sorted(set(codes))}}
