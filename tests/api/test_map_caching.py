"""The map's answers are cacheable: strong ETags, 304s, and a write drops only its tiles."""

import datetime as dt
import random

import pytest
from django.http import QueryDict
from django.test import Client

from mapertunity.core.bbox import parse_bbox
from mapertunity.geo.tiles import tile_box
from mapertunity.jobs import mapanswers, mapindex
from mapertunity.jobs.filters import JobFilterForm, filters_from_query
from mapertunity.jobs.models import Job
from tests.helpers import make_company, make_job

pytestmark = pytest.mark.django_db
URL = "/api/v1/map/jobs"
PARIS = "2.2,48.8,2.5,48.9"
AUSTIN = "-97.9,30.1,-97.6,30.4"


@pytest.fixture
def two_cities() -> None:
    company = make_company()
    for i in range(5):
        make_job(company, lat=48.85 + i * 1e-3, lng=2.35, city="Paris", country="FR")
        make_job(company, lat=30.27 + i * 1e-3, lng=-97.74)


@pytest.fixture
def index_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """The box of every viewport and tile the index is asked about (a cached answer asks
    nothing; a screen-sized viewport asks about the tiles it is put together from)."""
    calls: list[tuple] = []
    real_view, real_tile = mapindex.query_view, mapindex.query_tile

    def view_spy(view, box, zoom, filters):  # type: ignore[no-untyped-def]
        calls.append(box)
        return real_view(view, box, zoom, filters)

    def tile_spy(view, z, x, y, filters, **kw):  # type: ignore[no-untyped-def]
        calls.append(tile_box(z, x, y))
        return real_tile(view, z, x, y, filters, **kw)

    monkeypatch.setattr(mapindex, "query_view", view_spy)
    monkeypatch.setattr(mapindex, "query_tile", tile_spy)
    return calls


def overlaps(box: tuple, text: str) -> bool:
    w, s, e, n = parse_bbox(text)
    return box[0] <= e and w <= box[2] and box[1] <= n and s <= box[3]


def test_an_answer_has_a_strong_etag_and_a_repeat_gets_a_304(client: Client, two_cities) -> None:
    first = client.get(URL, {"bbox": PARIS, "zoom": 12})
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first["Cache-Control"].startswith("public, max-age=")

    again = client.get(URL, {"bbox": PARIS, "zoom": 12}, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    # Another tag, or none, gets the body.
    other = client.get(URL, {"bbox": PARIS, "zoom": 12}, headers={"If-None-Match": '"nope"'})
    assert other.status_code == 200 and other.content == first.content

    # A new job in view changes the answer and its tag.
    make_job(lat=48.86, lng=2.36, city="Paris", country="FR")
    changed = client.get(URL, {"bbox": PARIS, "zoom": 12}, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.json()["total"] == 6
    assert changed["ETag"] != etag


def test_the_same_query_spelled_differently_shares_one_answer(
    client: Client, two_cities, index_calls: list
) -> None:
    a = client.get(f"{URL}?bbox={PARIS}&zoom=12&type=full_time&currency=&salary_min=10")
    # The first asked the index (about the box's tiles); the second asks nothing.
    asked = len(index_calls)
    assert asked >= 1
    b = client.get(f"{URL}?salary_min=10&zoom=12&type=full_time&bbox={PARIS}")
    assert a.status_code == b.status_code == 200
    assert a.content == b.content and a["ETag"] == b["ETag"]
    assert len(index_calls) == asked


def test_a_write_drops_only_the_tiles_it_touches(
    client: Client, two_cities, index_calls: list
) -> None:
    paris = client.get(URL, {"bbox": PARIS, "zoom": 12})
    austin = client.get(URL, {"bbox": AUSTIN, "zoom": 12})
    asked = len(index_calls)
    assert any(overlaps(box, PARIS) for box in index_calls)
    assert any(overlaps(box, AUSTIN) for box in index_calls)

    job = make_job(lat=30.3, lng=-97.7)  # in Austin
    fresh_austin = client.get(URL, {"bbox": AUSTIN, "zoom": 12})
    assert fresh_austin.json()["total"] == 6
    again_paris = client.get(URL, {"bbox": PARIS, "zoom": 12})
    # Paris came from the cache (the index was asked about Austin's tile alone) ...
    later = index_calls[asked:]
    assert len(later) == 1 and overlaps(later[0], AUSTIN) and not overlaps(later[0], PARIS)
    assert again_paris.content == paris.content and again_paris["ETag"] == paris["ETag"]
    # ... and is still right: the same as an answer worked out afresh.
    mapindex.clear_cache()
    assert client.get(URL, {"bbox": PARIS, "zoom": 12}).content == paris.content
    assert fresh_austin.content != austin.content

    # Moving a job out of Austin to Paris invalidates both.
    job.lat, job.lng, job.city, job.country = 48.87, 2.3, "Paris", "FR"
    job.save()
    assert client.get(URL, {"bbox": PARIS, "zoom": 12}).json()["total"] == 6
    assert client.get(URL, {"bbox": AUSTIN, "zoom": 12}).json()["total"] == 5


def test_a_bad_filter_is_still_a_400_after_good_answers_were_cached(
    client: Client, two_cities
) -> None:
    assert client.get(URL, {"bbox": PARIS, "zoom": 12, "radius_km": "20"}).status_code == 400
    assert client.get(URL, {"bbox": PARIS, "zoom": 12}).status_code == 200
    bad = client.get(URL, {"bbox": PARIS, "zoom": 12, "posted_within_days": "0"})
    assert bad.status_code == 400
    assert "Posted within" in bad.json()["detail"]


VALUES = {
    "q": ["", "nurse", " nurse ", "nurse  join"],
    "type": ["full_time", "part_time", "", "bogus"],
    "workplace": ["remote", "onsite"],
    "salary_min": ["", "40000", "40000.0", "-1", "x"],
    "currency": ["", "USD", "EUR", "XXX"],
    "period": ["", "year", "hour"],
    "posted_within_days": ["", "7", "07", "0"],
    "company": ["", "acme", "no-such"],
    "near": ["", "Paris", "Nowhereville"],
    "radius_km": ["", "30", "900"],
    "remote_for": ["", "de", "DE", " de"],
    "sort": ["", "date", "distance"],
}


def _random_query(rng: random.Random) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, choices in VALUES.items():
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            query.appendlist(name, rng.choice(choices))
    return query


def _form_result(query: QueryDict) -> object:
    filters, form = filters_from_query(query)
    return filters if form is None else ("error", form.error_text())


def test_queries_with_the_same_cache_key_get_the_same_filters_from_the_form() -> None:
    rng = random.Random(5)
    seen: dict[tuple, object] = {}
    shared = 0
    for _ in range(3000):
        query = _random_query(rng)
        key = mapanswers.filter_key(query)
        result = _form_result(query)
        if key in seen:
            shared += 1
            assert seen[key] == result, (query, key)
        seen[key] = result
    # The key does merge spellings (parameter order, defaults), not only identical strings.
    assert shared > 50
    # The map's plain view (no filter parameter at all) takes a short cut to the same key
    # as the form's defaults spelled out.
    plain, spelled = QueryDict("bbox=1,2,3,4&zoom=3&size=512"), QueryDict("currency=&company=")
    assert mapanswers.filter_key(plain) == mapanswers.filter_key(spelled)
    assert _form_result(plain) == _form_result(spelled)
    assert set(mapanswers._SINGLE) | set(mapanswers._MULTI) == set(JobFilterForm.base_fields)


def test_cached_answers_equal_fresh_ones_for_random_filters(client: Client, two_cities) -> None:
    rng = random.Random(8)
    for _ in range(40):
        query = _random_query(rng)
        query["bbox"] = rng.choice([PARIS, AUSTIN, "-180,-85,180,85"])
        query["zoom"] = str(rng.choice([2, 8, 12]))
        path = f"{URL}?{query.urlencode()}"
        cached_first = client.get(path)
        cached_again = client.get(path)
        mapindex.clear_cache()
        fresh = client.get(path)
        assert cached_first.status_code == cached_again.status_code == fresh.status_code
        assert cached_again.content == fresh.content, path


def test_posted_within_days_and_near_equal_sql_on_the_big_index_paths(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.utils import timezone

    from mapertunity.geo import evaluate
    from mapertunity.geo import index as index_module

    # The paths a big index takes: a kept selection of recent rows, cells inside a radius.
    monkeypatch.setattr(index_module, "SMALL", 0)
    monkeypatch.setattr(evaluate, "SELECT_MIN_ROWS", 0)
    rng = random.Random(3)
    company = make_company()
    now = timezone.now()
    for i in range(150):
        make_job(
            company,
            lat=48.85 + rng.gauss(0, 0.3),
            lng=2.35 + rng.gauss(0, 0.4),
            city="Paris",
            country="FR",
            posted_at=now - dt.timedelta(days=i % 20, hours=rng.randint(0, 23)),
        )
    for params in (
        {"posted_within_days": "3"},
        {"posted_within_days": "7", "type": ["full_time"]},
        {"near": "Paris", "radius_km": "10"},
        {"near": "Paris", "radius_km": "30", "posted_within_days": "7"},
    ):
        for bbox in ("-180,-85,180,85", "2.0,48.6,2.7,49.1", "2.3,48.8,2.4,48.9"):
            for zoom in (3, 10, 14):
                data = client.get(URL, {"bbox": bbox, "zoom": zoom, **params}).json()
                form = JobFilterForm(params)
                assert form.is_valid()
                jobs = form.filters().apply(Job.objects.published())
                expected = jobs.in_bbox(*parse_bbox(bbox)).count()
                assert data["total"] == expected, (params, bbox, zoom)
                assert (
                    sum(
                        f["properties"]["point_count"] if f["properties"]["cluster"] else 1
                        for f in data["features"]
                    )
                    == expected
                )


def test_the_answer_is_the_same_for_everyone_so_a_shared_cache_may_keep_it(
    client: Client, two_cities
) -> None:
    from model_bakery import baker

    anonymous = client.get(URL, {"bbox": PARIS, "zoom": 12})
    signed_in = Client()
    signed_in.force_login(baker.make("accounts.User", email="someone@example.com"))
    theirs = signed_in.get(URL, {"bbox": PARIS, "zoom": 12})
    assert theirs.content == anonymous.content and theirs["ETag"] == anonymous["ETag"]
    assert "Cookie" not in anonymous.get("Vary", "") and not anonymous.cookies
    # Filters the form rejects still get the endpoint's explanation.
    bad = client.get(URL, {"bbox": PARIS, "zoom": "12", "near": "Nowhereville"})
    assert bad.status_code == 400 and "Nowhereville" in bad.json()["detail"]
