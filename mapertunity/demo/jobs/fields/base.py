"""The shape of a field of work; the fields themselves live in the sibling modules."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Role:
    title: str
    pay: float
    ladder: bool = False
    """Whether the title takes Junior/Senior/Lead variants."""


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    label: str
    roles: tuple[Role, ...]
    intern_title: str
    teams: tuple[str, ...]
    pitches: tuple[str, ...]
    """Why the role matters; each completes "In this role, you will ..."."""
    tasks: tuple[str, ...]
    needs: tuple[str, ...]
    shift_work: bool = False
    """Shift-based work: more part-time and temporary posts, paid by the hour."""
    remote_share: float = 0.0
    hybrid_share: float = 0.0


# Seniority variants for laddered titles, with their pay multiples and how often they occur.
LADDER: tuple[tuple[str, float, int], ...] = (
    ("Junior {}", 0.72, 2),
    ("{}", 1.0, 5),
    ("Senior {}", 1.3, 3),
    ("Lead {}", 1.55, 1),
)
