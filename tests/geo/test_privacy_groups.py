import random

import numpy as np

from mapertunity.geo.index import PointIndex
from mapertunity.geo.privacy import merge_small_groups


def clusters(points: list[tuple[float, float]], zoom: int, box=(-180, -85, 180, 85)):
    index = PointIndex.build(
        np.arange(len(points), dtype=np.int64),
        np.array([p[0] for p in points]),
        np.array([p[1] for p in points]),
    )
    result = index.query(*box, zoom)
    return result, merge_small_groups(result.groups, result.shift)


def test_no_group_under_five_while_the_view_holds_five_or_more() -> None:
    rng = random.Random(5)
    for _ in range(30):
        points = [(rng.uniform(-60, 70), rng.uniform(-180, 180)) for _ in range(rng.randint(5, 80))]
        for zoom in (2, 6, 10, 16):
            result, groups = clusters(points, zoom)
            assert sum(g.count for g in groups) == result.total
            assert all(g.count >= 5 for g in groups)
            assert all(g.id is None for g in groups)


def test_a_view_with_fewer_than_five_people_shows_one_anonymous_group() -> None:
    result, groups = clusters([(48.85, 2.35), (52.52, 13.40)], 12)
    assert len(groups) == 1 and groups[0].count == 2 and groups[0].id is None


def test_big_groups_are_left_where_they_are() -> None:
    points = [(52.52, 13.40)] * 6 + [(48.85, 2.35)] * 7
    _, groups = clusters(points, 10)
    assert sorted(g.count for g in groups) == [6, 7]
