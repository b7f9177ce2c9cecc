"""A signed-in candidate's map opens on their area and measures from its public point."""

from __future__ import annotations

import pytest

from mapertunity.geo.distance import haversine_km
from tests.helpers import make_candidate, make_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_map_opens_on_the_candidates_area_with_distances_from_it(live_server, page) -> None:
    profile = make_candidate("home-seeker", lat=30.3012, lng=-97.7011)
    job = make_job(title="Bike Mechanic", lat=30.2500, lng=-97.7500)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", profile.user.email)
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # the map, or an employer's jobs

    page.locator("#map-status", has_text="1 job in view").wait_for()
    centre = page.evaluate(
        "(() => { const c = window.mapertunityMap.getCenter(); return [c.lat, c.lng]; })()"
    )
    assert centre == pytest.approx([profile.public_lat, profile.public_lng], abs=1e-3)
    assert page.evaluate("window.mapertunityMap.getZoom()") == 10

    km = haversine_km(profile.public_lat, profile.public_lng, job.lat, job.lng)
    card = page.locator(".job-card", has_text="Bike Mechanic")
    card.locator(".job-card-home", has_text=f"{km:.1f} km from your area").wait_for()
    page.locator(".job-pin").click()
    page.locator(".popup-distance", has_text="km from your area").wait_for()

    # The exact home is never in the page; only the public point is.
    html = page.content()
    assert "30.3012" not in html and "-97.7011" not in html
