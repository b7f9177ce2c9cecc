import random

import pytest
from django.test import Client

from mapertunity.geo.tiles import box_pixels
from mapertunity.jobs.mapanswers import COMPOSED_MIN_PX
from mapertunity.jobs.models import Job
from tests.helpers import make_company, make_job

pytestmark = pytest.mark.django_db
URL = "/api/v1/map/jobs"


def get_map(client: Client, bbox: str, zoom: int | str) -> dict:
    response = client.get(URL, {"bbox": bbox, "zoom": zoom})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def scattered_jobs() -> list[Job]:
    """300 live jobs at random places, plus some that must never be counted."""
    rng = random.Random(7)
    company = make_company()
    jobs = [
        make_job(company, lat=rng.uniform(-60, 70), lng=rng.uniform(-180, 180)) for _ in range(300)
    ]
    # A tight group in one city, so clusters with many members exist.
    jobs += [make_job(company, lat=51.5 + i * 1e-4, lng=-0.12) for i in range(40)]
    make_job(company, status=Job.Status.DRAFT, lat=0, lng=0)
    make_job(company, status=Job.Status.CLOSED, lat=51.5, lng=-0.12)
    return jobs


def test_it_returns_a_geojson_feature_collection(client: Client, scattered_jobs) -> None:
    data = get_map(client, "-180,-85,180,85", 2)
    assert data["type"] == "FeatureCollection"
    assert data["total"] == 340
    assert (
        sum(
            f["properties"]["point_count"] if f["properties"]["cluster"] else 1
            for f in data["features"]
        )
        == data["total"]
    )
    assert all(
        f["type"] == "Feature" and f["geometry"]["type"] == "Point" for f in data["features"]
    )


def test_clusters_carry_counts_and_a_bbox_and_singles_carry_the_job(
    client: Client, scattered_jobs
) -> None:
    london = get_map(client, "-0.2,51.45,0.0,51.55", 3)
    [cluster] = london["features"]
    assert cluster["properties"]["cluster"] is True
    assert cluster["properties"]["point_count"] == 40
    w, s, e, n = cluster["properties"]["bbox"]
    lng, lat = cluster["geometry"]["coordinates"]
    assert w <= lng <= e and s <= lat <= n

    job = scattered_jobs[0]
    near = get_map(
        client, f"{job.lng - 1e-4},{job.lat - 1e-4},{job.lng + 1e-4},{job.lat + 1e-4}", 22
    )
    [single] = near["features"]
    # A single job carries its cell too, so a client folding markers can join it.
    assert single["properties"].pop("cell").startswith("24:")
    assert single["properties"] == {
        "cluster": False,
        "id": job.pk,
        "title": job.title,
        "company": job.company.name,
        "pay": job.pay,
        "place": job.place_label,
        "url": job.get_absolute_url(),
        "workplace": job.workplace,
        "company_id": job.company_id,
        "responsiveness": "New on Mapertunity",
        "remote": False,
    }


def counted(data: dict) -> int:
    return sum(
        f["properties"]["point_count"] if f["properties"]["cluster"] else 1
        for f in data["features"]
    )


def test_total_is_what_the_features_count_and_a_small_box_is_counted_exactly(
    client: Client, scattered_jobs
) -> None:
    rng = random.Random(11)
    composed = 0
    for _ in range(60):
        south, north = sorted(rng.uniform(-85, 85) for _ in range(2))
        west, east = rng.uniform(-180, 180), rng.uniform(-180, 180)  # west > east crosses
        zoom = rng.randint(0, 22)
        data = get_map(client, f"{west},{south},{east},{north}", zoom)
        assert data["total"] == counted(data)
        expected = Job.objects.published().in_bbox(west, south, east, north).count()
        if zoom == 0 or min(box_pixels(west, south, east, north, zoom)) < COMPOSED_MIN_PX:
            assert data["total"] == expected
        else:
            composed += 1
            # Whole clusters of the box's tiles: only a cluster can reach past the box.
            for feature in data["features"]:
                lng, lat = feature["geometry"]["coordinates"]
                assert south <= lat <= north
                assert (west <= lng <= east) if west <= east else not (east < lng < west)
    assert composed >= 10


def test_a_screen_sized_box_counts_whole_clusters_and_every_job_well_inside_it(
    client: Client,
) -> None:
    company = make_company()
    # A crowd in the middle of the view, and one job just past its edge.
    for i in range(30):
        make_job(company, lat=48.85 + i * 1e-4, lng=2.35, city="Paris", country="FR")
    make_job(company, lat=48.85, lng=2.9, city="Paris", country="FR")
    box = "1.9,48.6,2.8,49.1"  # about 650 x 560 px at zoom 10
    assert min(box_pixels(*(float(v) for v in box.split(",")), 10)) >= COMPOSED_MIN_PX
    data = get_map(client, box, 10)
    assert data["total"] == 30
    [crowd] = data["features"]
    assert crowd["properties"]["point_count"] == 30
    # Zoomed out, the two are one cluster drawn in the box: it counts both, as the map shows.
    wide = get_map(client, "-4,46,8,52", 5)
    assert wide["total"] == counted(wide) == 31


def test_a_box_across_the_antimeridian_finds_both_sides(client: Client) -> None:
    make_job(lat=-18.1, lng=178.4, city="Suva", country="FJ")
    make_job(lat=-13.8, lng=-171.8, city="Apia", country="WS")
    make_job(lat=-13.8, lng=100.0, city="Elsewhere", country="ID")
    data = get_map(client, "170,-25,-165,0", 12)
    assert data["total"] == 2
    assert {f["properties"]["title"] for f in data["features"]} == {"Warehouse Lead"}
    # Leaflet's unwrapped longitudes after panning east across the date line.
    assert get_map(client, "170,-25,195,0", 12)["total"] == 2


def test_a_new_job_and_a_closed_job_show_on_the_next_request(client: Client) -> None:
    assert get_map(client, "-180,-85,180,85", 3)["total"] == 0
    job = make_job()
    assert get_map(client, "-180,-85,180,85", 3)["total"] == 1
    job.close()
    assert get_map(client, "-180,-85,180,85", 3)["total"] == 0


def test_an_empty_area_returns_no_features(client: Client, scattered_jobs) -> None:
    data = get_map(client, "-40,-50,-39.99,-49.99", 10)
    assert data == {"type": "FeatureCollection", "total": 0, "features": []}


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"bbox": "1,2,3", "zoom": 3}, "four comma-separated numbers"),
        ({"bbox": "a,b,c,d", "zoom": 3}, "only numbers"),
        ({"bbox": "0,-91,10,10", "zoom": 3}, "between -90 and 90"),
        ({"bbox": "0,10,10,95", "zoom": 3}, "between -90 and 90"),
        ({"bbox": "0,20,10,10", "zoom": 3}, "south"),
        ({"bbox": "nan,0,10,10", "zoom": 3}, "only numbers"),
        ({"bbox": "1e400,0,10,10", "zoom": 3}, "finite"),
        ({"bbox": "٣,0,10,10", "zoom": 3}, "only numbers"),
        ({"bbox": "0" + " " * 400 + ",0,10,10", "zoom": 3}, "400 characters"),
        ({"bbox": "0,0,10,10", "zoom": 23}, "zoom"),
        ({"bbox": "0,0,10,10", "zoom": -1}, "zoom"),
        ({"bbox": "0,0,10,10", "zoom": "x"}, "zoom"),
        ({"bbox": "0,0,10,10"}, "zoom"),
        ({"zoom": 3}, "bbox"),
    ],
)
def test_bad_parameters_get_a_400_with_a_message(
    client: Client, params: dict, fragment: str
) -> None:
    response = client.get(URL, params)
    assert response.status_code == 400
    assert fragment in response.json()["detail"]


def test_the_openapi_document_describes_the_endpoint(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/map/jobs" in spec["paths"]


def test_a_crowd_across_a_tile_edge_is_one_cluster_listing_all_its_members(
    client: Client,
) -> None:
    company = make_company()
    # The prime meridian is an edge of every tile: ten jobs either side of it.
    for i in range(10):
        make_job(company, lat=51.48 + i * 1e-4, lng=-0.002, city="London", country="GB")
        make_job(company, lat=51.48 + i * 1e-4, lng=0.002, city="London", country="GB")
    west = client.get("/api/v1/map/tiles/9/255/170", {"size": 512}).json()
    east = client.get("/api/v1/map/tiles/9/256/170", {"size": 512}).json()
    assert west["total"] == east["total"] == 10  # each tile holds its own side

    data = get_map(client, "-0.3,51.35,0.3,51.6", 10)
    [crowd] = data["features"]
    assert crowd["properties"]["point_count"] == data["total"] == 20
    w, s, e, n = crowd["properties"]["bbox"]
    assert w <= -0.002 and e >= 0.002  # both sides' extents
    listed = client.get("/api/v1/map/jobs/cell", {"cell": crowd["properties"]["cell"]}).json()
    assert listed["total"] == 20
    assert len({job["id"] for job in listed["jobs"]}) == 20
