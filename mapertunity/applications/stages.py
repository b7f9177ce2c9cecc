"""The stages an application moves through, what may follow what, and the ATS mapping."""

from __future__ import annotations

from django.db import models


class Stage(models.TextChoices):
    APPLIED = "applied", "Applied"
    REVIEWING = "reviewing", "Reviewing"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFER = "offer", "Offer"
    HIRED = "hired", "Hired"
    NOT_SELECTED = "not_selected", "Not selected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    NO_RESPONSE = "no_response", "Closed: no response"


OPEN_STAGES = (Stage.APPLIED, Stage.REVIEWING, Stage.INTERVIEWING, Stage.OFFER)
"""Stages in which the application is still in play."""

PIPELINE = (Stage.APPLIED, Stage.REVIEWING, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED)
"""The board's columns, in order."""

EMPLOYER_MOVES: dict[str, tuple[Stage, ...]] = {
    Stage.APPLIED: (Stage.REVIEWING, Stage.INTERVIEWING, Stage.NOT_SELECTED),
    Stage.REVIEWING: (Stage.INTERVIEWING, Stage.OFFER, Stage.NOT_SELECTED),
    Stage.INTERVIEWING: (Stage.OFFER, Stage.REVIEWING, Stage.NOT_SELECTED),
    Stage.OFFER: (Stage.HIRED, Stage.INTERVIEWING, Stage.NOT_SELECTED),
}
"""Where an employer may move an application from each open stage (one click each)."""

ATS_DISPOSITION: dict[str, str] = {
    Stage.APPLIED: "new",
    Stage.REVIEWING: "contacted",
    Stage.INTERVIEWING: "interviewed",
    Stage.OFFER: "offered",
    Stage.HIRED: "hired",
    Stage.NOT_SELECTED: "rejected",
    Stage.WITHDRAWN: "rejected",
    Stage.NO_RESPONSE: "rejected",
}
"""Our stages in the disposition set applicant-tracking systems share (for exports)."""

NEXT_STEP_HINTS: dict[str, str] = {
    Stage.APPLIED: "The employer hasn't looked at it yet.",
    Stage.REVIEWING: "The employer is reading your application.",
    Stage.INTERVIEWING: "You're invited to interview.",
    Stage.OFFER: "You have an offer.",
    Stage.HIRED: "You got the job.",
    Stage.NOT_SELECTED: "The employer chose other candidates.",
    Stage.WITHDRAWN: "You withdrew this application.",
    Stage.NO_RESPONSE: "No decision has been shared with you.",
}
