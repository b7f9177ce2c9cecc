import re

import pytest

from mapertunity.jobs.models import Job
from tests.helpers import make_company, make_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITIES = {
    "Austin": (30.2672, -97.7431, "US"),
    "Berlin": (52.52, 13.405, "DE"),
    "Nairobi": (-1.2864, 36.8172, "KE"),
}


def seed() -> None:
    company = make_company(name="Trailhead Supply")
    for city, (lat, lng, country) in CITIES.items():
        for i in range(8):
            make_job(
                company,
                title=f"{city} Technician {i}",
                lat=lat + i * 0.01,
                lng=lng + i * 0.01,
                city=city,
                country=country,
            )


def test_a_job_seeker_browses_clusters_and_opens_a_job(live_server, page) -> None:
    seed()
    page.goto(f"{live_server.url}/#2/20/0")

    clusters = page.locator(".cluster")
    clusters.first.wait_for()
    assert clusters.count() == 3
    assert sorted(clusters.all_inner_texts()) == ["8", "8", "8"]
    page.locator("#map-status", has_text="24 jobs in view").wait_for()
    page.locator(".result-count", has_text="24 jobs in view").wait_for()

    # Zooming into Berlin's cluster narrows the list to Berlin's jobs.
    berlin = page.locator(".cluster").nth(_index_of_cluster_nearest(page, 52.52, 13.4))
    berlin.click()
    page.wait_for_function("() => window.mapertunityMap.getZoom() > 2")
    page.locator(".result-count", has_text="8 jobs in view").wait_for()
    listed = page.locator("#job-list .job-card-title").all_inner_texts()
    assert len(listed) == 8 and all(t.startswith("Berlin") for t in listed)
    assert re.search(r"#\d+/5\d\.\d+/13\.\d+", page.url)

    # At street level each job is its own pin with a popup.
    job = Job.objects.get(title="Berlin Technician 3")
    page.goto(f"{live_server.url}/#17/{job.lat}/{job.lng}")
    page.reload()
    pin = page.locator(".job-pin").first
    pin.wait_for()
    pin.click()
    popup = page.locator(".popup-job")
    popup.wait_for()
    assert "Berlin Technician 3" in popup.inner_text()
    assert job.pay in popup.inner_text()
    popup.locator("a").click()
    page.wait_for_url(f"**{job.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Berlin Technician 3"


def _index_of_cluster_nearest(page, lat: float, lng: float) -> int:
    """Which .cluster marker sits nearest a place, using the map's own projection."""
    return page.evaluate(
        """([lat, lng]) => {
          const map = window.mapertunityMap;
          const target = map.latLngToContainerPoint([lat, lng]);
          const boxes = [...document.querySelectorAll('.cluster')].map((el) => {
            const r = el.getBoundingClientRect();
            const m = map.getContainer().getBoundingClientRect();
            const dx = r.x + r.width / 2 - m.x - target.x;
            const dy = r.y + r.height / 2 - m.y - target.y;
            return Math.hypot(dx, dy);
          });
          return boxes.indexOf(Math.min(...boxes));
        }""",
        [lat, lng],
    )
