"""The map by web-map tile: every job in exactly one tile, tokens a client can join, and
answers cached until their own tile changes."""

import math
import random

import pytest
from django.test import Client

from mapertunity.jobs import mapindex
from tests.helpers import make_company, make_job

pytestmark = pytest.mark.django_db
CELL = "/api/v1/map/jobs/cell"


def url(z: int, x: int, y: int) -> str:
    return f"/api/v1/map/tiles/{z}/{x}/{y}"


def slippy(lat: float, lng: float, z: int) -> tuple[int, int]:
    """The tile of a point by the slippy-map formula, independent of the Morton key."""
    n = 1 << z
    x = int((lng + 180.0) / 360.0 * n)
    r = math.radians(lat)
    y = int((1.0 - math.asinh(math.tan(r)) / math.pi) / 2.0 * n)
    return min(x, n - 1), min(y, n - 1)


def members(client: Client, token: str) -> set[int]:
    found: set[int] = set()
    page = 1
    while True:
        body = client.get(CELL, {"cell": token, "page": page}).json()
        found |= {job["id"] for job in body["jobs"]}
        if page >= body["pages"]:
            return found
        page += 1


@pytest.fixture
def scattered() -> dict[int, tuple[float, float]]:
    """Jobs around Paris, some in clumps, some on the zoom-10 tile edge at 2.4609375°E."""
    rng = random.Random(7)
    company = make_company()
    where: dict[int, tuple[float, float]] = {}
    points = [(48.8 + rng.random() * 0.2, 2.2 + rng.random() * 0.4) for _ in range(40)]
    points += [(48.85, 2.4609375)] * 3 + [(48.86, 2.4609374), (48.86, 2.4609376)]
    for lat, lng in points:
        job = make_job(company, lat=lat, lng=lng, city="Paris", country="FR")
        where[job.id] = (lat, lng)
    return where


def test_every_job_is_in_exactly_one_tile_of_a_zoom(client: Client, scattered) -> None:
    for z in (3, 8, 11):
        tiles = {slippy(lat, lng, z) for lat, lng in scattered.values()}
        seen: list[int] = []
        for x, y in sorted(tiles):
            body = client.get(url(z, x, y)).json()
            assert body["tile"] == [z, x, y]
            counts = [f["properties"].get("point_count", 1) for f in body["features"]]
            assert body["total"] == sum(counts)
            for feature in body["features"]:
                props = feature["properties"]
                seen += members(client, props["cell"]) if props["cluster"] else [props["id"]]
            expected = {i for i, p in scattered.items() if slippy(*p, z) == (x, y)}
            assert body["total"] == len(expected)
        assert sorted(seen) == sorted(scattered)


def test_a_tile_with_no_jobs_is_empty_and_the_world_tile_holds_every_job(
    client: Client, scattered
) -> None:
    empty = client.get(url(5, 0, 0)).json()
    assert empty["total"] == 0 and empty["features"] == []
    assert client.get(url(0, 0, 0)).json()["total"] == len(scattered)


def test_clusters_either_side_of_a_tile_edge_join_into_one_token(client: Client, scattered) -> None:
    z = 10
    west, east = client.get(url(z, 518, 352)).json(), client.get(url(z, 519, 352)).json()
    assert west["total"] and east["total"]

    def near_edge(body: dict) -> dict:
        return min(
            body["features"], key=lambda f: abs(f["geometry"]["coordinates"][0] - 2.4609375)
        )["properties"]

    a, b = near_edge(west), near_edge(east)
    level_a, cells_a, box_a = a["cell"].split(":", 2)
    level_b, cells_b, box_b = b["cell"].split(":", 2)
    assert (level_a, box_a) == (level_b, box_b)
    cells = sorted(set(cells_a.split(".")) | set(cells_b.split(".")))
    joined = f"{level_a}:{'.'.join(cells)}:{box_a}"
    listed = client.get(CELL, {"cell": joined}).json()
    expected = a.get("point_count", 1) + b.get("point_count", 1)
    assert listed["total"] == expected
    assert members(client, joined) == members(client, a["cell"]) | members(client, b["cell"])


def test_a_single_job_carries_its_own_cell_token(client: Client) -> None:
    job = make_job(lat=30.2672, lng=-97.7431)
    x, y = slippy(30.2672, -97.7431, 14)
    (feature,) = client.get(url(14, x, y)).json()["features"]
    props = feature["properties"]
    assert props["cluster"] is False and props["id"] == job.id
    assert members(client, props["cell"]) == {job.id}


def test_filters_apply_and_bad_ones_get_the_viewport_endpoints_400(client: Client) -> None:
    make_job(lat=30.27, lng=-97.74, employment_type="full_time")
    make_job(lat=30.27, lng=-97.74, employment_type="part_time")
    x, y = slippy(30.27, -97.74, 6)
    assert client.get(url(6, x, y), {"type": "part_time"}).json()["total"] == 1
    bad = client.get(url(6, x, y), {"salary_min": "lots"})
    assert bad.status_code == 400
    viewport = client.get(
        "/api/v1/map/jobs", {"bbox": "-98,30,-97,31", "zoom": 6, "salary_min": "lots"}
    )
    assert bad.json() == viewport.json()


@pytest.mark.parametrize(
    "path", [url(3, 8, 0), url(3, 0, 8), url(23, 0, 0), "/api/v1/map/tiles/3/-1/0"]
)
def test_a_tile_outside_the_world_is_a_clear_error_not_a_500(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert "detail" in response.json()


def test_answers_carry_etags_and_a_write_drops_only_its_own_tile(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_job(lat=48.85, lng=2.35, city="Paris", country="FR")
    make_job(lat=30.27, lng=-97.74)
    calls: list[tuple] = []
    real = mapindex.query_tile

    def spy(view, z, x, y, filters, **options):  # type: ignore[no-untyped-def]
        calls.append((z, x, y))
        return real(view, z, x, y, filters, **options)

    monkeypatch.setattr(mapindex, "query_tile", spy)
    paris, austin = url(9, *slippy(48.85, 2.35, 9)), url(9, *slippy(30.27, -97.74, 9))
    first_paris, first_austin = client.get(paris), client.get(austin)
    tag = first_paris["ETag"]
    assert tag.startswith('"') and first_paris["Cache-Control"].startswith("public, max-age=")
    assert client.get(paris, headers={"If-None-Match": tag}).status_code == 304
    assert len(calls) == 2

    make_job(lat=48.851, lng=2.351, city="Paris", country="FR")
    again_paris, again_austin = client.get(paris), client.get(austin)
    assert again_paris.json()["total"] == 2 and again_paris["ETag"] != tag
    assert again_austin["ETag"] == first_austin["ETag"]
    assert calls[2:] == [(9, *slippy(48.85, 2.35, 9))]


def test_before_the_index_exists_a_tile_comes_from_sql_and_is_not_cached(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_job(lat=30.27, lng=-97.74)
    monkeypatch.setattr(mapindex, "current_view", lambda: None)
    response = client.get(url(6, *slippy(30.27, -97.74, 6)))
    body = response.json()
    assert body["stale"] is True and body["total"] == 1
    assert response["Cache-Control"] == "no-store" and "ETag" not in response


def test_a_closed_job_leaves_its_tile_and_no_other(client: Client) -> None:
    paris = [make_job(lat=48.85 + i * 1e-3, lng=2.35, city="Paris", country="FR") for i in range(3)]
    make_job(lat=30.27, lng=-97.74)
    tile_paris, tile_austin = url(4, *slippy(48.85, 2.35, 4)), url(4, *slippy(30.27, -97.74, 4))
    assert client.get(tile_paris).json()["total"] == 3
    paris[0].status = paris[0].Status.CLOSED
    paris[0].save()
    assert client.get(tile_paris).json()["total"] == 2
    assert client.get(tile_austin).json()["total"] == 1
    assert client.get(url(0, 0, 0)).json()["total"] == 3


def test_a_512_px_tile_holds_its_ground_clustered_one_zoom_closer(client: Client) -> None:
    # Two pairs of jobs 2 km apart (29 px at zoom 11, 58 at zoom 12), in one zoom-12 tile.
    for lng in (-97.81, -97.79):
        make_job(lat=30.27, lng=lng)
        make_job(lat=30.2701, lng=lng + 0.0001)
    x, y = slippy(30.27, -97.8, 11)
    small, big = client.get(url(11, x, y)).json(), client.get(url(11, x, y), {"size": 512}).json()
    x12, y12 = slippy(30.27, -97.8, 12)
    closer = client.get(url(12, x12, y12)).json()
    assert small["total"] == big["total"] == 4 and big["size"] == 512
    assert [f["properties"]["point_count"] for f in small["features"]] == [4]
    assert sorted(f["properties"]["point_count"] for f in big["features"]) == [2, 2]
    assert sorted(f["geometry"]["coordinates"] for f in big["features"]) == sorted(
        f["geometry"]["coordinates"] for f in closer["features"]
    )


@pytest.mark.parametrize("size", ["128", "300", "1024", "", "big"])
def test_a_tile_size_other_than_256_or_512_is_a_400(client: Client, size: str) -> None:
    response = client.get(url(3, 1, 2), {"size": size})
    assert response.status_code == 400
    assert "size" in str(response.json()["detail"])
