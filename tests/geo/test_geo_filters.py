"""Filtered queries (categories, banded and plain minimums, id lists, radius) against brute force.

Each test runs over every evaluation path: all rows tested (small indexes), prefix sums and
posting lists, cut cells refined to single rows, and the default tuning.
"""

from __future__ import annotations

import numpy as np
import pytest

from mapertunity.geo import cover as cover_module
from mapertunity.geo import evaluate
from mapertunity.geo import index as index_module
from mapertunity.geo.cover import from_e7, to_e7
from mapertunity.geo.distance import Near
from mapertunity.geo.index import IdList, PointIndex, Where
from mapertunity.geo.morton import normalize_bbox

N = 6000


def stored(degrees: np.ndarray) -> np.ndarray:
    return from_e7(to_e7(degrees))


@pytest.fixture(scope="module")
def data() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(42)
    half = N // 2
    lats = np.concatenate([rng.uniform(-70, 75, half), rng.normal(48.85, 0.3, half)])
    lngs = np.concatenate([rng.uniform(-180, 180, half), rng.normal(2.35, 0.4, half)])
    lngs[:40] = 179.99  # a few right at the antimeridian
    return {
        "id": rng.permutation(N).astype(np.int64) * 3 + 7,
        "lat": stored(lats),
        "lng": stored(np.clip(lngs, -180, 180)),
        "kind": rng.integers(0, 5, N),
        "place": rng.integers(0, 3, N),
        "pay": rng.integers(0, 3000, N).astype(np.uint16),
        "day": rng.integers(100, 130, N).astype(np.uint16),
    }


@pytest.fixture(scope="module")
def index(data: dict[str, np.ndarray]) -> PointIndex:
    return PointIndex.build(
        data["id"],
        data["lat"],
        data["lng"],
        categories={"kind": (data["kind"], 5), "place": (data["place"], 3)},
        values={"pay": data["pay"], "day": data["day"]},
        band="pay",
    )


@pytest.fixture(params=["rows", "postings", "refined", "default"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "rows":
        monkeypatch.setattr(index_module, "SMALL", 10**9)
    else:
        monkeypatch.setattr(index_module, "SMALL", 0)
    if request.param == "postings":
        monkeypatch.setattr(evaluate, "POSTING_MIN_ROWS", 0)
    if request.param == "refined":
        monkeypatch.setattr(cover_module, "LEAF_ROWS", 1)
        monkeypatch.setattr(cover_module, "MAX_DEPTH", 31)
        monkeypatch.setattr(evaluate, "SLICE_ROWS", 50)
    return request.param


def brute(data: dict[str, np.ndarray], box: tuple, where: Where) -> np.ndarray:
    w, s, e, n = normalize_bbox(*box)
    lat, lng = data["lat"], data["lng"]
    keep = (lat >= s) & (lat <= n)
    keep &= ((lng >= w) & (lng <= e)) if w <= e else ((lng >= w) | (lng <= e))
    for name, codes in where.categories.items():
        keep &= np.isin(data[name], list(codes))
    for name, minimum in where.minimums.items():
        keep &= data[name] >= minimum
    if where.ids is not None:
        keep &= np.isin(data["id"], where.ids.ids)
    if where.near is not None:
        nw, ns, ne, nn = normalize_bbox(*where.near.box())
        keep &= (lat >= ns) & (lat <= nn)
        keep &= ((lng >= nw) & (lng <= ne)) if nw <= ne else ((lng >= nw) | (lng <= ne))
        keep &= where.near.contains(lat, lng)
    return keep


def random_where(rng: np.random.Generator, data: dict[str, np.ndarray], i: int) -> Where:
    categories = {}
    if rng.random() < 0.6:
        categories["kind"] = frozenset(rng.choice(5, rng.integers(1, 4), replace=False).tolist())
    if rng.random() < 0.4:
        categories["place"] = frozenset(rng.choice(3, rng.integers(1, 3), replace=False).tolist())
    minimums = {}
    if rng.random() < 0.6:
        minimums["pay"] = int(rng.integers(1, 3200))
    if rng.random() < 0.3:
        minimums["day"] = int(rng.integers(100, 131))
    ids = None
    if rng.random() < 0.4:
        chosen = rng.choice(data["id"], int(rng.integers(0, N // 3)), replace=False)
        ids = IdList(("test", i), chosen)
    near = None
    if rng.random() < 0.25:
        j = int(rng.integers(0, N))
        near = Near(float(data["lat"][j]), float(data["lng"][j]), float(rng.uniform(1, 800)))
    return Where(categories=categories, minimums=minimums, ids=ids, near=near)


def random_box(rng: np.random.Generator, data: dict[str, np.ndarray]) -> tuple:
    kind = rng.random()
    if kind < 0.2:
        return (-180.0, -90.0, 180.0, 90.0)
    if kind < 0.5:
        j = int(rng.integers(0, N))
        size = 10 ** rng.uniform(-2, 1.3)
        lat, lng = float(data["lat"][j]), float(data["lng"][j])
        return (lng - size, max(lat - size, -90), lng + size, min(lat + size, 90))
    if kind < 0.7:
        i, j = rng.integers(0, N, 2)
        s, n = sorted((float(data["lat"][i]), float(data["lat"][j])))
        return (float(data["lng"][i]), s, float(data["lng"][j]), n)  # edges on points
    w, e = rng.uniform(-180, 180, 2)
    s, n = np.sort(rng.uniform(-90, 90, 2))
    return (float(w), float(s), float(e), float(n))


def check(result, expected: np.ndarray, data: dict[str, np.ndarray], box: tuple) -> None:
    assert result.total == int(expected.sum())
    assert sum(g.count for g in result.groups) == result.total
    w, s, e, n = normalize_bbox(*box)
    by_id = {int(i): k for k, i in enumerate(data["id"])}
    for g in result.groups:
        gw, gs, ge, gn = g.bbox
        assert gw <= g.lng <= ge and gs <= g.lat <= gn
        assert s <= gs and gn <= n
        if g.count == 1:
            k = by_id[g.id]
            assert expected[k]
            assert (g.lat, g.lng) == (data["lat"][k], data["lng"][k])


def test_filtered_counts_equal_brute_force(data, index, path: str) -> None:
    rng = np.random.default_rng(7)
    for i in range(60):
        box = random_box(rng, data)
        where = random_where(rng, data, i)
        expected = brute(data, box, where)
        zoom = int(rng.integers(0, 19))
        check(index.query(*box, zoom, where=where), expected, data, box)
        assert index.count(*box, where=where) == int(expected.sum())


def test_ids_in_box_honours_the_filter(data, index, path: str) -> None:
    rng = np.random.default_rng(8)
    for i in range(20):
        box = random_box(rng, data)
        where = random_where(rng, data, 100 + i)
        expected = set(data["id"][brute(data, box, where)].tolist())
        found = index.ids_in_box(*box, limit=N, where=where).tolist()
        assert len(found) == len(set(found)) and set(found) == expected
        assert len(index.ids_in_box(*box, limit=3, where=where)) == min(3, len(expected))


def test_members_of_a_cluster_lie_in_its_box(data, index, path: str) -> None:
    where = Where(categories={"kind": frozenset({1, 2})}, minimums={"pay": 1200})
    result = index.query(-10, 40, 15, 55, 7, where=where)
    lat, lng = data["lat"], data["lng"]
    matched = brute(data, (-10, 40, 15, 55), where)
    inside_some = np.zeros(N, dtype=bool)
    for g in result.groups:
        w, s, e, n = g.bbox
        inside_some |= (lat >= s) & (lat <= n) & (lng >= w) & (lng <= e)
    assert inside_some[matched].all()


def test_an_id_list_cache_is_keyed_by_its_name(index, data) -> None:
    first = IdList("same", data["id"][:10])
    assert index.count(-180, -90, 180, 90, where=Where(ids=first)) == 10
    assert index.count(-180, -90, 180, 90, where=Where(ids=IdList("other", data["id"][:3]))) == 3


def test_unknown_ids_and_impossible_filters_match_nothing(index) -> None:
    assert index.count(-180, -90, 180, 90, where=Where(ids=IdList("x", np.array([1, 2])))) == 0
    assert index.count(-180, -90, 180, 90, where=Where(categories={"kind": frozenset()})) == 0
    assert index.count(-180, -90, 180, 90, where=Where(minimums={"pay": 70_000})) == 0
    assert index.query(-180, -90, 180, 90, 3, where=Where(minimums={"pay": 70_000})).groups == []


def test_unknown_filter_columns_are_an_error(index) -> None:
    with pytest.raises(KeyError):
        index.count(-180, -90, 180, 90, where=Where(categories={"colour": frozenset({1})}))
    with pytest.raises(KeyError):
        index.count(-180, -90, 180, 90, where=Where(minimums={"height": 1}))


def test_category_columns_read_back(index, data) -> None:
    columns = index.columns
    order = np.argsort(data["id"])
    back = np.argsort(columns["id"])
    assert (columns["kind"][back] == data["kind"][order]).all()
    assert (columns["pay"][back] == data["pay"][order]).all()


def test_build_rejects_bad_categories() -> None:
    one = np.array([1.0])
    with pytest.raises(ValueError):
        PointIndex.build(np.array([1]), one, one, categories={"k": (np.array([5]), 5)})
    with pytest.raises(ValueError):
        PointIndex.build(np.array([1]), one, one, values={"v": np.array([-1])})
    with pytest.raises(ValueError):
        PointIndex.build(np.array([1]), one, one, values={"v": np.array([1])}, band="w")
    many = {f"c{i}": (np.array([0]), 4) for i in range(5)}
    with pytest.raises(ValueError):
        PointIndex.build(np.array([1]), one, one, categories=many)


@pytest.mark.parametrize("where", ["blocks", "tier rows", "both"])
def test_prefix_sums_equal_running_totals(index: PointIndex, where: str) -> None:
    rng = np.random.default_rng(3)
    blocks = np.concatenate(
        ([0, 1, 7, 8, 9, 15, 16, 17, len(index)], rng.integers(0, len(index), 500))
    )
    tier_rows = index.tiers[-1].row
    idx = {"blocks": blocks, "tier rows": tier_rows, "both": np.concatenate((tier_rows, blocks))}
    idx = idx[where].astype(np.int64)
    lat, lng = index.prefix_sums(idx)
    running_lat = np.concatenate(([0], np.cumsum(index.lat7.astype(np.int64))))
    running_lng = np.concatenate(([0], np.cumsum(index.lng7.astype(np.int64))))
    assert (lat == running_lat[idx]).all() and (lng == running_lng[idx]).all()


def test_each_tier_lists_the_occupied_cells_of_its_level_and_their_rows(index) -> None:
    assert [tier.level for tier in index.tiers] == list(cover_module.TIER_LEVELS)
    for tier in index.tiers:
        cells = index.key >> (2 * (31 - tier.level))
        occupied, first = np.unique(cells, return_index=True)
        assert tier.cell.tolist() == occupied.tolist()
        assert tier.row.tolist() == [*first.tolist(), len(index)]


def test_a_cover_started_from_a_tier_sums_as_one_split_level_by_level(data, index) -> None:
    """The tier only changes how the cells are found: every cell's count, first and last
    row are the same as when cut cells are split with binary searches, and so are the
    exact centroid sums of an unfiltered query (a filtered one samples its runs)."""
    rng = np.random.default_rng(11)
    tiered = 0
    for i in range(150):
        box = random_box(rng, data)
        rects = cover_module.Rects.of(cover_module.box_rects(*box))
        level = int(rng.integers(2, 13))
        where = random_where(rng, data, i) if i % 2 else Where()
        plan = evaluate.Plan(index, where, None)
        if plan.nothing or not len(rects):
            continue
        answers = []
        for tiers in (index.tiers, ()):
            cov = cover_module.cover(index.key, rects, level, max_groups=None, tiers=tiers)
            answers.append(evaluate.evaluate_cover(index, cov, rects, plan))
        with_tiers, without = answers
        tiered += level < cover_module.TIER_LEVELS[-1]
        assert with_tiers.level == without.level == level
        exact = ("slat", "slng") if plan.unfiltered else ()
        for name in ("cell", "count", "kmin", "kmax", "one", *exact):
            assert getattr(with_tiers, name).tolist() == getattr(without, name).tolist(), name
    assert tiered > 50


def test_a_posting_day_or_a_radius_reads_only_the_rows_it_must(
    data, index, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "SMALL", 0)
    tested = [0]
    real = evaluate.Plan.test

    def counting(self, rows, rects, box, positions=None):  # type: ignore[no-untyped-def]
        tested[0] += rows.stop - rows.start if isinstance(rows, slice) else len(rows)
        return real(self, rows, rects, box, positions)

    monkeypatch.setattr(evaluate.Plan, "test", counting)
    world = (-180.0, -90.0, 180.0, 90.0)
    recent = Where(minimums={"day": 125})
    check(index.query(*world, 3, where=recent), brute(data, world, recent), data, world)
    # The rows of a day are a kept selection: only the cut cells' rows are read.
    assert tested[0] < N // 10

    tested[0] = 0
    paris = Near(48.85, 2.35, 40)
    near = Where(near=paris)
    expected = brute(data, world, near)
    check(index.query(*world, 12, where=near), expected, data, world)
    # Cells wholly inside the circle are summed, not read: far fewer rows than matched.
    assert 0 < tested[0] < int(expected.sum()) // 2


def test_radius_and_day_filters_equal_brute_force_on_every_path(data, index, path: str) -> None:
    rng = np.random.default_rng(21)
    for i in range(60):
        j = int(rng.integers(0, N))
        near = Near(float(data["lat"][j]), float(data["lng"][j]), float(rng.uniform(1, 900)))
        where = Where(
            minimums={"day": int(rng.integers(100, 131))} if i % 2 else {},
            near=near if i % 3 else None,
            categories={"kind": frozenset({1, 3})} if i % 5 == 0 else {},
        )
        box = random_box(rng, data)
        zoom = int(rng.integers(0, 19))
        check(index.query(*box, zoom, where=where), brute(data, box, where), data, box)
