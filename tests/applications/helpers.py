"""Small factories for applications and conversations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mapertunity.applications import actions
from mapertunity.applications.models import Application, ScreeningQuestion
from mapertunity.candidates.actions import upload_resume
from mapertunity.candidates.models import CandidateProfile
from mapertunity.companies.models import Company
from mapertunity.jobs.models import Job
from tests.candidates.files import make_pdf
from tests.helpers import make_candidate, make_job


def candidate_with_resume(handle: str | None = None, **fields: Any) -> CandidateProfile:
    profile = make_candidate(handle, **fields)
    upload_resume(profile=profile, upload=make_pdf("Forklift licence, night shifts, Spanish"))
    profile.refresh_from_db()
    return profile


def apply_to(
    job: Job,
    candidate: CandidateProfile | None = None,
    *,
    now: dt.datetime | None = None,
    **kw: Any,
) -> Application:
    return actions.apply(job=job, candidate=candidate or candidate_with_resume(), now=now, **kw)


def job_of(company: Company, **fields: Any) -> Job:
    return make_job(company, **fields)


def question(job: Job, text: str, kind: str = "text", required: bool = True) -> ScreeningQuestion:
    return ScreeningQuestion.objects.create(job=job, text=text, kind=kind, required=required)
