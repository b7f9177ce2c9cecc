"""PointIndex counts and clusters must agree exactly with a brute-force scan."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pytest

from mapertunity.geo.cover import from_e7, to_e7
from mapertunity.geo.index import PointIndex, QueryResult
from mapertunity.geo.morton import MAX_LAT, normalize_bbox

Box = tuple[float, float, float, float]


def make_points(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """World-wide noise, dense city clusters, stacked duplicates and awkward edge points."""
    rng = np.random.default_rng(seed)
    lats = [rng.uniform(-90, 90, n // 2)]
    lngs = [rng.uniform(-180, 180, n // 2)]
    for lat, lng in [(30.27, -97.74), (48.86, 2.35), (-33.87, 151.21), (64.0, 179.9)]:
        lats.append(rng.normal(lat, 0.05, n // 10))
        lngs.append(np.clip(rng.normal(lng, 0.05, n // 10), -180, 180))
    lats.append(np.full(50, 40.7128))  # fifty jobs in one building
    lngs.append(np.full(50, -74.0060))
    edge_lats = [-90.0, -MAX_LAT, 0.0, MAX_LAT, 90.0, 89.99, -89.99]
    edge_lngs = [-180.0, -179.5, 0.0, 179.5, 180.0]
    grid_lat, grid_lng = np.meshgrid(edge_lats, edge_lngs)
    lats.append(grid_lat.ravel())
    lngs.append(grid_lng.ravel())
    # The index stores positions to 1e-7 degree, as the database does.
    all_lats, all_lngs = stored(np.concatenate(lats)), stored(np.concatenate(lngs))
    ids = rng.permutation(len(all_lats)).astype(np.int64) + 1000
    return ids, all_lats, all_lngs


def stored(degrees: np.ndarray) -> np.ndarray:
    return from_e7(to_e7(degrees))


def in_box(lats: np.ndarray, lngs: np.ndarray, box: Box) -> np.ndarray:
    """Brute-force inclusive test, with the same longitude wrapping the index documents."""
    w, s, e, n = normalize_bbox(*box)
    inside = (lats >= s) & (lats <= n)
    if w <= e:
        return inside & (lngs >= w) & (lngs <= e)
    return inside & ((lngs >= w) | (lngs <= e))


def make_boxes(lats: np.ndarray, lngs: np.ndarray, n: int, seed: int = 1) -> list[Box]:
    rng = np.random.default_rng(seed)
    boxes: list[Box] = [
        (-180.0, -90.0, 180.0, 90.0),
        (-180.0, -MAX_LAT, 180.0, MAX_LAT),
        (170.0, 50.0, -170.0, 70.0),  # across the antimeridian
        (179.5, -90.0, -179.5, 90.0),
        (-97.8, 30.2, -97.7, 30.3),
        (-74.0060, 40.7128, -74.0060, 40.7128),  # a single point's exact coordinates
        (2.0, 48.0, 3.0, 47.0),  # south > north: empty
        (-180.0, 89.99, 180.0, 90.0),
        (180.0, -90.0, 180.0, 90.0),
    ]
    for _ in range(n):
        w, e = rng.uniform(-180, 180, 2)
        s, n_ = np.sort(rng.uniform(-90, 90, 2))
        boxes.append((float(w), float(s), float(e), float(n_)))
        # Edges exactly on existing points, so inclusive comparisons matter.
        i, j = rng.integers(0, len(lats), 2)
        s2, n2 = sorted((float(lats[i]), float(lats[j])))
        boxes.append((float(lngs[i]), s2, float(lngs[j]), n2))
        size = 10.0 ** rng.uniform(-5, 1)
        c_lat, c_lng = float(lats[i]), float(lngs[i])
        boxes.append((c_lng - size, c_lat - size, c_lng + size, c_lat + size))
    return boxes


@pytest.fixture(scope="module")
def dataset() -> tuple[PointIndex, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    ids, lats, lngs = make_points(20_000)
    expires = np.random.default_rng(5).integers(0, 100, len(ids)).astype(np.int64)
    index = PointIndex.build(ids, lats, lngs, {"expires": expires})
    return index, ids, lats, lngs, expires


def check_result(result: QueryResult, expected_total: int, box: Box) -> None:
    assert result.total == expected_total
    assert sum(g.count for g in result.groups) == result.total
    cells = [g.cell for g in result.groups]
    assert cells == sorted(set(cells))
    w, s, e, n = normalize_bbox(*box)
    for g in result.groups:
        gw, gs, ge, gn = g.bbox
        assert gw <= g.lng <= ge and gs <= g.lat <= gn
        assert s <= gs and gn <= n
        if w <= e:
            assert w <= gw and ge <= e
        assert (g.id is not None) == (g.count == 1)
        if g.count == 1:
            assert (gw, gs) == (ge, gn) == (g.lng, g.lat)


def test_total_equals_brute_force_count_for_random_boxes(dataset: tuple) -> None:
    index, _, lats, lngs, _ = dataset
    rng = np.random.default_rng(2)
    for box in make_boxes(lats, lngs, 40):
        expected = int(in_box(lats, lngs, box).sum())
        for zoom in rng.choice(23, size=4, replace=False).tolist() + [0, 22]:
            check_result(index.query(*box, zoom=zoom), expected, box)
        assert index.count(*box) == expected


@pytest.mark.parametrize("zoom", range(0, 23))
def test_sum_of_group_counts_equals_total_at_every_zoom(dataset: tuple, zoom: int) -> None:
    index, _, lats, lngs, _ = dataset
    for box in make_boxes(lats, lngs, 5, seed=zoom):
        check_result(index.query(*box, zoom=zoom), int(in_box(lats, lngs, box).sum()), box)


def test_mask_fn_hides_rows_exactly(dataset: tuple) -> None:
    index, _, lats, lngs, expires = dataset

    def live(cols: Mapping[str, np.ndarray]) -> np.ndarray:
        return cols["expires"] >= 60

    for box in make_boxes(lats, lngs, 20, seed=9):
        expected = int((in_box(lats, lngs, box) & (expires >= 60)).sum())
        check_result(index.query(*box, zoom=5, mask_fn=live), expected, box)
        assert index.count(*box, mask_fn=live) == expected


def test_mask_fn_sees_aligned_id_lat_lng_key_and_extra_columns(dataset: tuple) -> None:
    index, ids, lats, lngs, expires = dataset
    rows = zip(ids, lats, lngs, expires, strict=True)
    by_id = {int(i): (float(a), float(o), int(x)) for i, a, o, x in rows}
    seen: list[int] = []

    def inspect(cols: Mapping[str, np.ndarray]) -> np.ndarray:
        assert {"id", "lat", "lng", "key", "expires"} <= set(cols)
        for i, a, o, x in zip(cols["id"], cols["lat"], cols["lng"], cols["expires"], strict=True):
            assert by_id[int(i)] == (a, o, x)
        seen.append(len(cols["id"]))
        return np.ones(len(cols["id"]), dtype=bool)

    index.query(-10, 40, 10, 55, zoom=4, mask_fn=inspect)
    assert seen


def test_each_group_centroid_is_the_mean_of_its_members() -> None:
    lats = np.array([10.0, 10.2, 10.4, -20.0])
    lngs = np.array([5.0, 5.2, 5.3, 100.0])
    index = PointIndex.build(np.arange(4), lats, lngs)
    result = index.query(-180, -90, 180, 90, zoom=0)
    by_count = sorted(result.groups, key=lambda g: g.count)
    assert by_count[0].id == 3 and (by_count[0].lat, by_count[0].lng) == (-20.0, 100.0)
    assert by_count[1].count == 3
    assert by_count[1].lat == pytest.approx(10.2) and by_count[1].lng == pytest.approx(15.5 / 3)
    # The box is the smallest quadtree cell holding every member: tight, never too small.
    w, s, e, n = by_count[1].bbox
    assert w <= 5.0 and s <= 10.0 and e >= 5.3 and n >= 10.4
    assert e - w < 1.0 and n - s < 1.0


def test_points_metres_apart_are_singles_at_street_zoom() -> None:
    rng = np.random.default_rng(4)
    lats = 51.5 + np.arange(200) * 0.001  # ~110 m apart
    lngs = -0.12 + rng.uniform(-0.0001, 0.0001, 200)
    index = PointIndex.build(np.arange(200), lats, lngs)
    result = index.query(-1, 51, 1, 52, zoom=18)
    assert result.total == 200
    assert all(g.count == 1 for g in result.groups)
    assert sorted(g.id for g in result.groups) == list(range(200))


def test_stacked_points_stay_one_group_even_at_max_zoom(dataset: tuple) -> None:
    index, *_ = dataset
    result = index.query(-74.0061, 40.7127, -74.0059, 40.7129, zoom=22)
    assert result.total == 50
    assert [g.count for g in result.groups] == [50]


def test_max_groups_coarsens_cells_but_keeps_the_total(dataset: tuple) -> None:
    index, _, lats, lngs, _ = dataset
    box = (-180.0, -90.0, 180.0, 90.0)
    result = index.query(*box, zoom=22, max_groups=100)
    assert len(result.groups) <= 100
    assert result.shift > 2 * (31 - 24)
    check_result(result, len(lats), box)


def test_out_of_range_longitudes_wrap_like_a_panned_map(dataset: tuple) -> None:
    index, _, lats, lngs, _ = dataset
    wrapped = index.query(-200, 50, -160, 70, zoom=3)
    assert wrapped.total == int(in_box(lats, lngs, (160, 50, -160, 70)).sum())
    assert index.query(-540, -90, 540, 90, zoom=0).total == len(lats)


def test_ids_in_box_returns_matches_in_key_order_with_limit_and_offset(dataset: tuple) -> None:
    index, _, lats, lngs, expires = dataset
    sorted_cols = index.columns
    for box in make_boxes(lats, lngs, 10, seed=21):
        inside = in_box(sorted_cols["lat"], sorted_cols["lng"], box) & (sorted_cols["expires"] > 30)
        expected = sorted_cols["id"][inside]

        def mask(cols: Mapping[str, np.ndarray]) -> np.ndarray:
            return cols["expires"] > 30

        assert index.ids_in_box(*box, limit=10**9, mask_fn=mask).tolist() == expected.tolist()
        assert index.ids_in_box(*box, limit=7, mask_fn=mask).tolist() == expected[:7].tolist()
        page = index.ids_in_box(*box, limit=5, offset=3, mask_fn=mask)
        assert page.tolist() == expected[3:8].tolist()


def test_empty_index_answers_every_query_with_nothing() -> None:
    empty = np.array([])
    index = PointIndex.build(empty, empty, empty, {"expires": np.array([], dtype=np.int64)})
    assert len(index) == 0
    for zoom in range(23):
        result = index.query(-180, -90, 180, 90, zoom=zoom)
        assert result.total == 0 and result.groups == []
    assert index.query(170, -10, -170, 10, zoom=3).total == 0
    assert index.ids_in_box(-180, -90, 180, 90, limit=10).tolist() == []
    assert index.count(-1, -1, 1, 1) == 0


def test_a_big_box_of_open_ocean_is_empty_at_every_zoom() -> None:
    # The descent from a coarse grid used to fail on a box whose coarse cells hold nothing.
    rng = np.random.default_rng(3)
    lats, lngs = stored(rng.normal(30.27, 0.3, 5000)), stored(rng.normal(-97.74, 0.3, 5000))
    index = PointIndex.build(np.arange(5000), lats, lngs)
    for box in [
        (-50.0, 20.0, -30.0, 40.0),
        (-40.0, -50.0, -10.0, -10.0),
        (160.0, -5.0, -150.0, 5.0),
    ]:
        for zoom in range(23):
            check_result(index.query(*box, zoom=zoom), 0, box)
        assert index.count(*box) == 0
    # A big box holding the city still counts it at every zoom.
    for zoom in range(23):
        check_result(index.query(-120, 10, -60, 50, zoom=zoom), 5000, (-120, 10, -60, 50))


def test_build_rejects_bad_input() -> None:
    one = np.array([1.0])
    with pytest.raises(ValueError):
        PointIndex.build(np.array([1, 2]), one, one)
    with pytest.raises(ValueError):
        PointIndex.build(np.array([1]), one, one, {"lat": one})
    with pytest.raises(ValueError):
        PointIndex.build(np.array([1]), one, one, {"expires": np.array([1, 2])})
    with pytest.raises(ValueError):
        PointIndex.build(np.array([1]), np.array([np.nan]), one)


def test_index_arrays_are_read_only(dataset: tuple) -> None:
    index, *_ = dataset
    with pytest.raises(ValueError):
        index.columns["lat"][0] = 0.0


def test_a_million_points_count_right() -> None:
    """At the size the benchmark times (`make bench`: build and query speed), the sums
    still agree with a plain count."""
    rng = np.random.default_rng(8)
    n = 1_000_000
    lats = np.concatenate([rng.uniform(-60, 70, n // 2), rng.normal(40, 5, n // 2)])
    lngs = np.concatenate([rng.uniform(-180, 180, n // 2), rng.normal(-90, 20, n // 2)])
    lngs = np.clip(lngs, -180, 180)
    expires = rng.integers(0, 100, n)
    index = PointIndex.build(np.arange(n), lats, lngs, {"expires": expires})
    result = index.query(-180, -85, 180, 85, zoom=2, mask_fn=lambda c: c["expires"] >= 50)
    assert result.total == int(((expires >= 50) & (np.abs(lats) <= 85)).sum())


def small_case(seed: int) -> tuple[np.ndarray, np.ndarray, Box, int]:
    """A handful of points drawn partly from edge values, and a box often snapped to them."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 40))
    lat_pool = stored(np.array([-90.0, -MAX_LAT, -1e-300, 0.0, MAX_LAT, 90.0]))
    lng_pool = stored(np.array([-180.0, -0.0, 0.0, 1e-300, 180.0]))
    lats = np.where(rng.random(n) < 0.3, rng.choice(lat_pool, n), rng.uniform(-90, 90, n))
    lngs = np.where(rng.random(n) < 0.3, rng.choice(lng_pool, n), rng.uniform(-180, 180, n))
    lats, lngs = stored(lats), stored(lngs)
    if n and rng.random() < 0.6:
        i, j = rng.integers(0, n, 2)
        box = (lngs[i], min(lats[i], lats[j]), lngs[j], max(lats[i], lats[j]))
    else:
        w, e = rng.choice(np.concatenate([lng_pool, rng.uniform(-180, 180, 4)]), 2)
        s, n_ = rng.choice(np.concatenate([lat_pool, rng.uniform(-90, 90, 4)]), 2)
        box = (w, s, e, n_)
    return stored(lats), stored(lngs), tuple(float(v) for v in box), int(rng.integers(0, 23))


def test_total_matches_brute_force_for_many_small_edge_heavy_cases() -> None:
    for seed in range(400):
        lats, lngs, box, zoom = small_case(seed)
        index = PointIndex.build(np.arange(len(lats)), lats, lngs)
        check_result(index.query(*box, zoom=zoom), int(in_box(lats, lngs, box).sum()), box)
