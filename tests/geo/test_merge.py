import random

import numpy as np

from mapertunity.geo.index import PointIndex
from mapertunity.geo.merge import merge_nearby, merge_nearby_result
from mapertunity.geo.morton import project


def build(points: list[tuple[float, float]]) -> PointIndex:
    lats = np.array([p[0] for p in points])
    lngs = np.array([p[1] for p in points])
    return PointIndex.build(np.arange(len(points), dtype=np.int64), lats, lngs)


def test_groups_on_either_side_of_a_cell_edge_become_one() -> None:
    # Around lng 0 / lat 0 at zoom 2, four cells meet; points hug the shared corner.
    index = build([(0.1, 0.1), (-0.1, 0.1), (0.1, -0.1), (-0.1, -0.1)] * 3)
    result = index.query(-10, -10, 10, 10, 2)
    assert len(result.groups) == 4
    [merged] = merge_nearby(result.groups, 2)
    assert merged.count == 12 and merged.id is None
    w, s, e, n = merged.bbox
    assert -0.2 < w <= -0.1 and -0.2 < s <= -0.1 and 0.1 <= e < 0.2 and 0.1 <= n < 0.2
    assert abs(merged.lat) < 1e-9 and abs(merged.lng) < 1e-9


def test_distant_groups_and_singles_are_left_alone() -> None:
    index = build([(48.85, 2.35), (40.71, -74.0), (35.68, 139.69)])
    groups = index.query(-180, -85, 180, 85, 3).groups
    assert merge_nearby(groups, 3) == groups


def test_merging_keeps_the_total_and_leaves_no_close_pair_of_big_groups() -> None:
    rng = random.Random(3)
    points = [(rng.gauss(50, 3), rng.gauss(10, 5)) for _ in range(5000)]
    index = build(points)
    for zoom in range(0, 12):
        result = index.query(-180, -85, 180, 85, zoom)
        merged = merge_nearby(result.groups, zoom)
        assert sum(g.count for g in merged) == result.total == 5000
        assert all(g.bbox[0] <= g.lng <= g.bbox[2] for g in merged)
        assert all(g.bbox[1] <= g.lat <= g.bbox[3] for g in merged)
        assert len(merged) <= len(result.groups)
        scale = 256 * 2**zoom
        centres = sorted(
            (tuple(v * scale for v in project(g.lng, g.lat)) for g in merged), key=lambda p: p[0]
        )
        # Greedy merging moves centroids, so allow half the radius between survivors.
        for i, (x, y) in enumerate(centres):
            for x2, y2 in centres[i + 1 :]:
                if x2 - x >= 20:
                    break
                assert (x2 - x) ** 2 + (y2 - y) ** 2 >= 20**2


def test_the_column_version_folds_exactly_like_the_group_version() -> None:
    rng = random.Random(9)
    points = [(rng.gauss(50, 2), rng.gauss(10, 4)) for _ in range(4000)]
    points += [(rng.uniform(-60, 70), rng.uniform(-180, 180)) for _ in range(1000)]
    index = build(points)
    for zoom in range(0, 14, 2):
        result = index.query(-180, -85, 180, 85, zoom)
        listed = merge_nearby(result.groups, zoom)
        columns = merge_nearby_result(result, zoom)
        assert columns.total == result.total == sum(g.count for g in columns.groups)

        def key(g):
            return (g.count, round(g.lat, 9), round(g.lng, 9), tuple(round(v, 9) for v in g.bbox))

        assert sorted(map(key, columns.groups)) == sorted(map(key, listed))
        assert sorted(g.id or 0 for g in columns.groups) == sorted(g.id or 0 for g in listed)
