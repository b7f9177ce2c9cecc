"""Single jobs' marker fields come from a file written beside the map's snapshot, not from
a database read per answer, and still show every change."""

from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from mapertunity.jobs import mapindex, markerstore
from tests.helpers import make_company, make_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(tmp_path: Path):
    """Five jobs in a snapshot under a real MAP_INDEX_DIR, their markers written."""
    company = make_company(name="Harbour Freight")
    jobs = [
        make_job(company, lat=40 + i * 0.01, lng=-3.0, title=f"Dock hand {i}") for i in range(5)
    ]
    with override_settings(MAP_INDEX_DIR=str(tmp_path)):
        view = mapindex.live_index().view()
        assert markerstore.store(view, mapindex.live_index()) is not None
        yield jobs, view


def test_stored_markers_are_the_databases_and_cost_no_job_query(stored) -> None:
    jobs, view = stored
    ids = [job.id for job in jobs]
    expected = {m["id"]: m for m, _ in mapindex._read_markers(ids)}
    mapindex.marker_entries(view, ids)  # the company's fields are read once
    with CaptureQueriesContext(connection) as queries:
        entries = mapindex.marker_entries(view, ids)
    assert {i: e[0] for i, e in entries.items()} == expected
    assert not [q for q in queries.captured_queries if "jobs_job" in q["sql"]]
    assert expected[ids[0]]["responsiveness"] and expected[ids[0]]["company"] == "Harbour Freight"


def test_a_job_changed_after_the_snapshot_shows_its_new_fields(stored) -> None:
    jobs, view = stored
    jobs[0].title = "Crane operator"
    jobs[0].save()
    view = mapindex.live_index().view()
    entries = mapindex.marker_entries(view, [jobs[0].id, jobs[1].id])
    assert entries[jobs[0].id][0]["title"] == "Crane operator"
    assert entries[jobs[1].id][0]["title"] == "Dock hand 1"


def test_a_renamed_company_shows_within_the_company_refresh(
    stored, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs, view = stored
    assert (
        mapindex.marker_entries(view, [jobs[0].id])[jobs[0].id][0]["company"] == "Harbour Freight"
    )
    company = jobs[0].company
    company.name = "Harbour Logistics"
    company.save()
    monkeypatch.setattr(markerstore, "COMPANY_SECONDS", 0.0)
    assert (
        mapindex.marker_entries(view, [jobs[0].id])[jobs[0].id][0]["company"] == "Harbour Logistics"
    )


def test_the_map_answers_the_same_with_and_without_the_store(stored, client) -> None:
    jobs, _ = stored
    params = {"bbox": "-3.1,39.9,-2.9,40.1", "zoom": 18}
    with_store = client.get("/api/v1/map/jobs", params).json()
    markerstore.reset()
    mapindex._cache.clear()
    with override_settings(MAP_INDEX_DIR=""):
        mapindex.reset()
        without = client.get("/api/v1/map/jobs", params).json()
    assert with_store["total"] == 5
    assert with_store == without


def test_a_gone_snapshots_markers_are_pruned(tmp_path: Path) -> None:
    directory = tmp_path / "jobs-x"
    (directory / "v-2").mkdir(parents=True)
    for version in ("v-1", "v-2"):
        (directory / f"markers-{version}").mkdir()
    markerstore._prune(directory, keep="markers-v-2")
    assert sorted(p.name for p in directory.iterdir()) == ["markers-v-2", "v-2"]
