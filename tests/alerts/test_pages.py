"""Saving a search (a map view or a drawn area), the alerts page, and saved jobs."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from mapertunity.alerts.models import Alert, SavedJob
from mapertunity.jobs.models import Job
from tests.helpers import make_job

from .helpers import make_alert, make_seeker

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeker(client: Client):
    user = make_seeker()
    client.force_login(user)
    return user


def test_the_alerts_page_says_how_to_start_when_there_are_none(client: Client, seeker) -> None:
    page = client.get(reverse("alerts:list")).content.decode()
    assert "No alerts yet" in page and "Save this search" in page


def test_saving_the_map_view_with_its_filters(client: Client, seeker) -> None:
    response = client.post(
        reverse("alerts:create"),
        {
            "name": "Nursing in Austin",
            "frequency": "weekly",
            "bbox": "-98.2,29.9,-97.2,30.8",
            "q": "  nurse ",
            "type": ["part_time", "full_time"],
            "currency": "USD",
            "sort": "date",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("alerts:list")
    alert = Alert.objects.get(user=seeker)
    assert alert.name == "Nursing in Austin" and alert.frequency == "weekly"
    assert alert.query == "q=nurse&type=full_time&type=part_time"
    assert alert.box == (-98.2, 29.9, -97.2, 30.8) and alert.area_kind == "box"
    page = client.get(reverse("alerts:list")).content.decode()
    assert "Nursing in Austin" in page and "A map view" in page and "“nurse”" in page


def test_saving_a_drawn_area_across_the_antimeridian(client: Client, seeker) -> None:
    ring = [[175, -20], [-178, -22], [-170, -12], [175, -10]]
    response = client.post(
        reverse("alerts:create"),
        {"name": "Pacific islands", "frequency": "daily", "polygon": json.dumps(ring)},
    )
    assert response.status_code == 302
    alert = Alert.objects.get(user=seeker)
    assert alert.polygon == [[175.0, -20.0], [182.0, -22.0], [190.0, -12.0], [175.0, -10.0]]
    assert alert.box == (175.0, -22.0, -170.0, -10.0)
    assert alert.query == ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "frequency": "daily"}, "Give the alert a name."),
        ({"name": "X", "frequency": "hourly"}, "Select a valid choice"),
        ({"name": "X", "frequency": "daily", "polygon": "[[0,0],[1,1]]"}, "at least three"),
        ({"name": "X", "frequency": "daily", "polygon": "{nope"}, "could not be read"),
        ({"name": "X", "frequency": "daily", "bbox": "1,2,3"}, "The map area is not usable"),
        ({"name": "X", "frequency": "daily", "radius_km": "9999"}, "at most 500 km"),
    ],
)
def test_bad_input_is_shown_again_with_the_reason_and_nothing_lost(
    client: Client, seeker, data: dict[str, str], message: str
) -> None:
    data = {**data, "q": "keep these words"}
    response = client.post(reverse("alerts:create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'value="keep these words"' in page
    assert not Alert.objects.exists()


def test_without_javascript_the_link_opens_the_form_with_the_searchs_filters(
    client: Client, seeker
) -> None:
    page = client.get(reverse("alerts:create") + "?q=nurse&bbox=-98,29,-97,31").content.decode()
    assert 'value="nurse"' in page and 'value="-98,29,-97,31"' in page
    assert "the map view you were looking at" in page
    assert 'value="Nurse"' in page  # a suggested name


def test_editing_pausing_resuming_and_deleting(client: Client, seeker, company) -> None:
    alert = make_alert(seeker, name="Old name", query="q=nurse")
    make_job(company, title="Night Nurse")
    page = client.get(alert.get_absolute_url()).content.decode()
    assert "Night Nurse" in page  # what matches now
    response = client.post(
        alert.get_absolute_url(), {"name": "New name", "frequency": "weekly", "q": "cook"}
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.name, alert.frequency, alert.query) == ("New name", "weekly", "q=cook")

    client.post(reverse("alerts:pause", args=[alert.pk]), {"paused": "1"})
    alert.refresh_from_db()
    assert alert.is_paused
    assert "Resume" in client.get(reverse("alerts:list")).content.decode()
    client.post(reverse("alerts:pause", args=[alert.pk]), {"paused": "0"})
    alert.refresh_from_db()
    assert not alert.is_paused

    client.post(reverse("alerts:delete", args=[alert.pk]))
    assert not Alert.objects.exists()


def test_a_get_never_changes_an_alert(client: Client, seeker) -> None:
    alert = make_alert(seeker)
    for name in ("pause", "delete", "rotate_feed", "revoke_feed"):
        assert client.get(reverse(f"alerts:{name}", args=[alert.pk])).status_code == 405
    assert Alert.objects.filter(pk=alert.pk, paused_at__isnull=True).exists()


def test_the_save_button_on_a_job_page_saves_it_and_the_saved_page_lists_it(
    client: Client, seeker, company
) -> None:
    job = make_job(company, title="Harbour Pilot")
    page = client.get(job.get_absolute_url()).content.decode()
    assert reverse("alerts:save_job", args=[job.pk]) in page
    response = client.post(
        reverse("alerts:save_job", args=[job.pk]),
        {"action": "save", "next": job.get_absolute_url()},
    )
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert SavedJob.objects.filter(user=seeker, job=job).exists()
    assert ">Saved<" in client.get(job.get_absolute_url()).content.decode()
    saved_page = client.get(reverse("alerts:saved")).content.decode()
    assert "Harbour Pilot" in saved_page and "Closed" not in saved_page


def test_saving_with_htmx_returns_the_button_alone(client: Client, seeker, company) -> None:
    job = make_job(company)
    url = reverse("alerts:save_job", args=[job.pk])
    response = client.post(url, {"action": "save"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith("<form") and ">Saved<" in html
    response = client.post(url, {"action": "remove"}, headers={"HX-Request": "true"})
    assert ">Save<" in response.content.decode()
    assert not SavedJob.objects.exists()


def test_list_cards_carry_the_save_button(client: Client, seeker, company) -> None:
    job = make_job(company)
    page = client.get(reverse("jobs:list")).content.decode()
    assert reverse("alerts:save_job", args=[job.pk]) in page


def test_a_saved_job_that_closed_shows_as_closed(client: Client, seeker, company) -> None:
    job = make_job(company, title="Harbour Pilot")
    client.post(reverse("alerts:save_job", args=[job.pk]), {"action": "save"})
    Job.objects.filter(pk=job.pk).update(status=Job.Status.CLOSED)
    page = client.get(reverse("alerts:saved")).content.decode()
    assert "Harbour Pilot" in page and "Closed" in page
    assert f'href="{job.get_absolute_url()}"' not in page


def test_an_unsafe_next_address_is_not_followed(client: Client, seeker, company) -> None:
    job = make_job(company)
    response = client.post(
        reverse("alerts:save_job", args=[job.pk]),
        {"action": "save", "next": "https://evil.example.com/"},
    )
    assert response["Location"] == job.get_absolute_url()


def test_the_navigation_links_alerts_and_saved_jobs(client: Client, seeker) -> None:
    page = client.get(reverse("alerts:list")).content.decode()
    assert f'href="{reverse("alerts:saved")}"' in page
    assert f'href="{reverse("alerts:list")}"' in page


def test_the_map_page_offers_to_save_the_search(client: Client, seeker) -> None:
    page = client.get("/?q=nurse").content.decode()
    assert f'href="{reverse("alerts:create")}?q=nurse"' in page
    assert "Draw an area" in page and "js/alerts.js" in page
