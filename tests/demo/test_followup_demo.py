"""The demo candidate's follow-up: a past interview with two interviewers and a plan in
progress, and an interview coming up for a job found elsewhere."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from mapertunity.demo.candidates import CANDIDATE_EMAIL
from mapertunity.followup.models import Interview

pytestmark = pytest.mark.django_db


def test_the_demo_candidate_has_interviews_with_plans_in_progress() -> None:
    call_command("seed_demo", jobs=400, companies=60, candidates=120)
    mine = Interview.objects.filter(owner__email=CANDIDATE_EMAIL)
    past = mine.get(application__isnull=False)
    assert past.application.stage == "interviewing"
    assert past.decision_expected_on == past.application.decision_expected_on
    assert past.starts_at < timezone.now()
    assert past.interviewers.count() == 2
    states = {(s.kind, s.state) for s in past.steps.all()}
    assert ("thank_you", "done") in states and ("linkedin", "done") in states
    assert ("linkedin", "open") in states and ("follow_up", "open") in states
    assert all(
        d.sent_at
        for d in past.steps.get(
            interviewer__isnull=False, kind="thank_you", interviewer__position=0
        ).drafts.all()
    )
    outside = mine.get(application__isnull=True)
    assert outside.starts_at > timezone.now() and outside.interviewers.count() == 1
    assert mail.outbox == []  # nothing was emailed to the invented interviewers
    call_command("seed_demo", jobs=400, companies=60, candidates=120)
    assert Interview.objects.filter(owner__email=CANDIDATE_EMAIL).count() == 2
