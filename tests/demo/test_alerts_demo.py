"""The demo candidate's alerts and saved jobs: the alerts pages of `make run` aren't empty."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from mapertunity.alerts.matching import filters_for
from mapertunity.alerts.models import Alert, SavedJob
from mapertunity.demo.alerts import alerts_loaded, load_alerts_demo
from mapertunity.demo.candidates import CANDIDATE_EMAIL, CANDIDATE_PASSWORD, load_candidates_demo
from tests.helpers import make_job

pytestmark = pytest.mark.django_db


def test_the_demo_candidate_has_working_alerts_and_saved_jobs(client: Client) -> None:
    load_candidates_demo(seed=3, count=0)
    make_job(title="Head Chef", city="Portland", lat=45.52, lng=-122.68)
    make_job(title="Line Cook", city="Portland", lat=45.5, lng=-122.6)
    make_job(title="Forklift Driver")
    make_job(title="Kitchen Porter", city="Almaty", country="KZ", lat=43.24, lng=76.89)
    summary = load_alerts_demo()
    assert (summary.alerts, summary.saved_jobs) == (2, 2) and alerts_loaded()
    alerts = Alert.objects.filter(user__email=CANDIDATE_EMAIL)
    assert all(filters_for(alert) is not None and alert.box for alert in alerts)
    # Near the candidate's Portland, not the newest kitchen job anywhere.
    assert {s.job.title for s in SavedJob.objects.all()} == {"Head Chef", "Line Cook"}
    assert mail.outbox == []

    assert client.login(email=CANDIDATE_EMAIL, password=CANDIDATE_PASSWORD)
    listing = client.get("/alerts/").content.decode()
    assert "Chef jobs around Portland" in listing and "65,000" in listing
    assert "Head Chef" in client.get("/saved/").content.decode()
    for alert in alerts:
        assert client.get(alert.get_absolute_url()).status_code == 200


def test_seeding_again_adds_no_more_alerts() -> None:
    call_command("seed_demo", jobs=20, companies=5, candidates=5)
    assert Alert.objects.filter(user__email=CANDIDATE_EMAIL).count() == 2
    call_command("seed_demo", jobs=20, companies=5, candidates=5)
    assert Alert.objects.filter(user__email=CANDIDATE_EMAIL).count() == 2
