"""The scam screen: a rule-based score over every posting, with reasons shown to staff.

``screen(posting)`` runs every rule in :mod:`.rules` over a :class:`Posting` and adds the
weights; at :data:`HOLD_AT` or more the posting is held for review and stays off the
site until staff approve it. :mod:`.context` builds postings from jobs (and from the
JSON Lines that ``manage.py screen_jobs`` reads), looking up what the rules compare with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

from .rules import HOLD_AT, RULES, Posting

__all__ = ["HOLD_AT", "Posting", "Verdict", "VerdictDict", "screen"]


class VerdictDict(TypedDict):
    held: bool
    score: float
    reasons: list[str]


@dataclass(frozen=True)
class Verdict:
    score: float
    reasons: list[str] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return self.score >= HOLD_AT

    def to_dict(self) -> VerdictDict:
        return {"held": self.held, "score": self.score, "reasons": list(self.reasons)}


def screen(posting: Posting) -> Verdict:
    findings = [finding for rule in RULES for finding in rule(posting)]
    score = round(float(sum(weight for weight, _ in findings)), 1)
    ranked = sorted(findings, key=lambda finding: -finding[0])
    return Verdict(score=score, reasons=[reason for _, reason in ranked])
