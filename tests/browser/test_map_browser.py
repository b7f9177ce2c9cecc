import datetime as dt
import re

import pytest
from django.utils import timezone

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


def test_a_job_seeker_filters_the_map_and_shares_the_search(live_server, page) -> None:
    seed()
    company = make_company(name="Charité Care")
    for i in range(5):
        make_job(
            company,
            title=f"Night Nurse {i}",
            employment_type="part_time" if i < 2 else "full_time",
            lat=52.52 + i * 0.01,
            lng=13.405,
            city="Berlin",
            country="DE",
        )
    page.goto(f"{live_server.url}/#2/20/0")
    page.locator("#map-status", has_text="29 jobs in view").wait_for()

    page.get_by_label("Keywords").fill("nurse")
    page.get_by_label("Keywords").press("Enter")
    page.locator("#map-status", has_text="5 jobs in view").wait_for()
    page.locator(".result-count", has_text="5 jobs match in view").wait_for()
    assert "q=nurse" in page.url and re.search(r"#2/", page.url)
    assert sorted(page.locator(".cluster").all_inner_texts()) == ["5"]

    # Ticking a box applies at once.
    page.get_by_text("More filters").click()
    page.get_by_label("Part-time").check()
    page.locator("#map-status", has_text="2 jobs in view").wait_for()
    page.locator(".result-count", has_text="2 jobs match in view").wait_for()
    assert "type=part_time" in page.url

    # The URL is the search: opening it elsewhere shows the same jobs, form filled in.
    shared = page.url
    other = page.context.new_page()
    other.goto(shared)
    other.locator("#map-status", has_text="2 jobs in view").wait_for()
    assert other.get_by_label("Keywords").input_value() == "nurse"
    assert other.get_by_label("Part-time").is_checked()
    other.close()

    # A bad filter is explained, not a crash (the browser itself stops impossible numbers).
    page.get_by_label("Near").fill("Qwzxvq")
    page.get_by_label("Near").press("Enter")
    page.locator("#map-status", has_text="Check the filters").wait_for()
    page.locator("#job-list .message-error", has_text="couldn't find").wait_for()


def test_big_clusters_show_abbreviated_counts(live_server, page) -> None:
    company = make_company()
    now = timezone.now()
    jobs = [
        Job(
            company=company,
            title="Courier",
            slug="courier",
            description="Bikes.",
            lat=48.85 + (i % 40) * 0.001,
            lng=2.35 + (i // 40) * 0.001,
            city="Paris",
            country="FR",
            salary_min=3_000_000,
            salary_max=3_500_000,
            status=Job.Status.PUBLISHED,
            posted_at=now,
            valid_through=now + dt.timedelta(days=10),
        )
        for i in range(1500)
    ]
    for job in jobs:
        job.fill_derived()  # what save() would do; bulk_create skips it
    Job.objects.bulk_create(jobs)
    page.goto(f"{live_server.url}/#3/48/2")
    page.locator(".cluster", has_text="1.5k").wait_for()
    page.locator("#map-status", has_text="1,500 jobs in view").wait_for()
