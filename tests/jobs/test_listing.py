"""The list's order and its limits, the same on /jobs/, a cluster's list and the API.

Orders are segments listed one after another, newest first within each: best match puts
jobs confirmed open lately first, relevance puts jobs whose title holds every keyword
first. A list goes through at most JOB_LIST_MAX_RESULTS jobs; the count still says all.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from mapertunity.companies.models import Company
from mapertunity.jobs import listing, mapindex
from mapertunity.jobs.filters import JobFilters
from mapertunity.jobs.listing import WORLD
from mapertunity.jobs.models import Job
from tests.helpers import make_company, make_job
from tests.jobs.bulk import bulk_load

pytestmark = pytest.mark.django_db


def listed(client: Client, **params: object) -> list[str]:
    response = client.get("/jobs/", params)
    assert response.status_code == 200
    return [job.title for job in response.context["page"].object_list]


@pytest.fixture
def welders() -> dict[str, Job]:
    """Title matches and description-only matches of "welder", old and new, two of them
    nobody confirmed open for 60 days."""
    now = timezone.now()
    ago = lambda days: now - dt.timedelta(days=days)  # noqa: E731
    open_long = {"valid_through": now + dt.timedelta(days=30)}
    return {
        "new title": make_job(title="Senior Welder", posted_at=ago(2)),
        "old title": make_job(title="Welder", posted_at=ago(20)),
        "newest mention": make_job(
            title="Pipe Fitter", description="A welder's ticket helps.", posted_at=ago(1)
        ),
        "company": make_job(make_company(name="Welders Guild"), title="Cashier", posted_at=ago(3)),
        "stale title": make_job(title="Welder Trainee", posted_at=ago(70), **open_long),
        "stale mention": make_job(
            title="Rigger", description="Welder on call.", posted_at=ago(65), **open_long
        ),
        "confirmed title": make_job(
            title="Welder Foreman", posted_at=ago(90), confirmed_open_at=ago(4), **open_long
        ),
        "elsewhere": make_job(title="Baker", posted_at=ago(1)),
    }


def test_best_match_lists_confirmed_jobs_first_and_title_matches_first_in_each(
    client: Client, welders: dict[str, Job]
) -> None:
    assert listed(client, q="welder") == [
        # Confirmed open lately (posted in the last 60 days or confirmed since):
        "Senior Welder",
        "Welder",
        "Welder Foreman",  # posted 90 days ago, confirmed 4 days ago: newest first by posting
        "Pipe Fitter",
        "Cashier",
        # Nobody confirmed them for 60 days: they sink, title matches first again.
        "Welder Trainee",
        "Rigger",
    ]


def test_relevance_lists_title_matches_first_newest_first(
    client: Client, welders: dict[str, Job]
) -> None:
    assert listed(client, q="welder", sort="relevance") == [
        "Senior Welder",
        "Welder",
        "Welder Trainee",
        "Welder Foreman",
        "Pipe Fitter",
        "Cashier",
        "Rigger",
    ]
    # A title match holds every word in the title.
    assert listed(client, q="welder trainee", sort="relevance") == ["Welder Trainee"]
    assert listed(client, q="welder ticket", sort="relevance") == ["Pipe Fitter"]


def test_newest_first_ignores_both(client: Client, welders: dict[str, Job]) -> None:
    assert listed(client, q="welder", sort="date") == [
        "Pipe Fitter",
        "Senior Welder",
        "Cashier",
        "Welder",
        "Rigger",
        "Welder Trainee",
        "Welder Foreman",
    ]


def test_a_job_published_again_is_fresh_whatever_was_confirmed_before(client: Client) -> None:
    now = timezone.now()
    make_job(title="Old Hand", posted_at=now - dt.timedelta(days=10))
    again = make_job(
        title="Back Again",
        posted_at=now - dt.timedelta(days=1),
        confirmed_open_at=now - dt.timedelta(days=200),
    )
    assert not again.is_unconfirmed
    assert listed(client) == ["Back Again", "Old Hand"]


def test_the_map_index_counts_every_segment_as_sql_does(welders: dict[str, Job]) -> None:
    view = mapindex.job_index()
    for filters in (JobFilters(q="welder"), JobFilters(), JobFilters(q="welder", sort="date")):
        for segment in filters.segments():
            sql = segment.apply(Job.objects.published()).count()
            assert mapindex.count_in_view(view, WORLD, segment) == sql, segment


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "welder"}, {"q": "welder", "sort": "relevance"}, {"type": "contract"}],
)
def test_named_ids_and_a_walk_of_the_index_list_the_same_pages(
    client: Client,
    welders: dict[str, Job],
    many: Company,
    monkeypatch: pytest.MonkeyPatch,
    params: dict[str, str],
) -> None:
    # Some bulk jobs are contracts nobody confirmed lately, so every segment has jobs.
    stale = Job.objects.filter(title="Bulk job").order_by("id").values("id")[:9]
    Job.objects.filter(id__in=stale).update(
        employment_type="contract", posted_at=timezone.now() - dt.timedelta(days=70)
    )
    pages = {}
    for walks in (True, False):
        monkeypatch.setattr(listing.IndexedList, "walks", lambda *_, walks=walks: walks)
        pages[walks] = [
            [job.pk for job in client.get("/jobs/", {**params, "page": page}).context["page"]]
            for page in (1, 2)
        ]
    assert pages[True] == pages[False]
    assert pages[True][0]


@pytest.fixture
def many(settings, db: None) -> Company:
    """45 live jobs, with lists stopping at 30."""
    settings.JOB_LIST_MAX_RESULTS = 30
    company = make_company(name="Bulk Co")
    bulk_load(company, 45)
    return company


def test_the_list_stops_at_the_limit_and_says_so_but_counts_everything(
    client: Client, many: Company
) -> None:
    first = client.get("/jobs/")
    assert "<strong>45</strong> jobs" in first.content.decode()
    assert first.context["page"].paginator.num_pages == 2
    assert "The list stops at" not in first.content.decode()
    last = client.get("/jobs/", {"page": 2})
    assert len(last.context["page"].object_list) == 10
    assert "The list stops at 30 jobs: narrow the search to see the others." in (
        last.content.decode()
    )
    # A deeper page is the last one, never an OFFSET past the limit.
    deep = client.get("/jobs/", {"page": 500})
    assert deep.status_code == 200 and deep.context["page"].number == 2
    in_view = client.get("/jobs/", {"page": 2, "bbox": "-180,-85,180,85"})
    assert "zoom in or narrow the search" in in_view.content.decode()


def test_before_the_map_index_is_built_sql_counts_up_to_the_limit(
    client: Client, many: Company, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mapindex, "current_view", lambda: None)
    response = client.get("/jobs/")
    html = response.content.decode()
    assert "<strong>30+</strong> jobs" in html
    assert response.context["page"].paginator.num_pages == 2
    assert len(client.get("/jobs/", {"page": 2}).context["page"].object_list) == 10
    # A count below the limit is exact.
    make_job(title="Lighthouse Keeper")
    assert (
        "<strong>1</strong> job matches"
        in client.get("/jobs/", {"q": "lighthouse"}).content.decode()
    )


def test_the_api_cursor_stops_at_the_limit_and_the_total_counts_everything(
    client: Client, many: Company
) -> None:
    seen: list[int] = []
    cursor = ""
    while True:
        page = client.get("/api/v1/jobs", {"limit": 20, "cursor": cursor}).json()
        assert page["total"] == 45
        seen += [item["id"] for item in page["items"]]
        if not page["next_cursor"]:
            break
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == 30
    newest = Job.objects.order_by("-posted_at", "-id").values_list("id", flat=True)[:30]
    assert seen == list(newest)


def test_a_clusters_list_stops_at_the_limit_too(client: Client, many: Company) -> None:
    features = client.get("/api/v1/map/jobs", {"bbox": "-180,-85,180,85", "zoom": 0}).json()[
        "features"
    ]
    [crowd] = [f for f in features if f["properties"]["cluster"]]
    assert crowd["properties"]["point_count"] == 45
    cell = {"cell": crowd["properties"]["cell"]}
    first = client.get("/api/v1/map/jobs/cell", cell).json()
    assert (first["total"], first["pages"]) == (45, 2)
    last = client.get("/api/v1/map/jobs/cell", {**cell, "page": 9}).json()
    assert last["page"] == 2 and len(last["jobs"]) == 10
