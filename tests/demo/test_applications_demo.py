"""The demo's applications: every stage, histories, conversations, companies that differ."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from mapertunity.applications.metrics import compute
from mapertunity.applications.models import Application, Message
from mapertunity.applications.stages import Stage
from mapertunity.companies.models import Company
from mapertunity.demo.candidates import CANDIDATE_EMAIL
from mapertunity.demo.jobs.load import EMPLOYER_EMAIL

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded() -> None:
    call_command("seed_demo", jobs=400, companies=60, candidates=120)


def test_every_stage_appears_with_a_history_that_ends_in_it(seeded) -> None:
    stages = set(Application.objects.values_list("stage", flat=True))
    assert stages >= {s for s in Stage if s != Stage.WITHDRAWN}
    for application in Application.objects.prefetch_related("events")[:200]:
        events = list(application.events.all())
        assert events[0].stage == Stage.APPLIED
        assert [e for e in events if e.kind == "stage"][-1].stage == application.stage
    assert Message.objects.filter(from_candidate=True).exists()
    assert mail.outbox == []  # loading the demo emails nobody


def test_the_demo_accounts_have_applications_and_applicants(seeded) -> None:
    mine = Application.objects.filter(candidate__user__email=CANDIDATE_EMAIL)
    assert {"interviewing", "reviewing", "applied"} <= set(mine.values_list("stage", flat=True))
    interview = mine.get(stage="interviewing")
    assert interview.decision_expected_on is not None
    own = Application.objects.filter(job__company__memberships__user__email=EMPLOYER_EMAIL)
    assert set(own.values_list("stage", flat=True)) >= {
        "applied",
        "reviewing",
        "interviewing",
        "offer",
        "hired",
        "not_selected",
    }


def test_companies_differ_in_responsiveness(seeded) -> None:
    ids = (
        Company.objects.filter(jobs__applications__isnull=False)
        .distinct()
        .values_list("pk", flat=True)
    )
    rates = {f.rate_percent for f in compute(ids, now=timezone.now()).values() if not f.is_new}
    assert rates and max(rates) >= 85 and min(rates) <= 30


def test_seeding_again_adds_no_applications(seeded) -> None:
    count = Application.objects.count()
    call_command("seed_demo", jobs=400, companies=60, candidates=120)
    assert Application.objects.count() == count
