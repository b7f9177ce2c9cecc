"""Boxes and drawn polygons: what is inside, across the antimeridian too."""

from __future__ import annotations

import numpy as np
import pytest

from mapertunity.geo.areas import (
    AreaError,
    box_contains,
    point_in_box,
    point_in_polygon,
    polygon_contains,
    ring_bbox,
    unwrap_ring,
)

# A rough triangle around Austin, TX.
TRIANGLE = [(-98.2, 30.0), (-97.2, 30.0), (-97.7, 30.8)]


def test_a_box_holds_its_inside_and_edges_and_nothing_else() -> None:
    box = (-98.0, 30.0, -97.0, 31.0)
    assert point_in_box(box, -97.5, 30.5)
    assert point_in_box(box, -98.0, 30.0)  # the corner counts, as in SQL
    assert not point_in_box(box, -96.9, 30.5)
    assert not point_in_box(box, -97.5, 31.01)


def test_a_box_with_west_past_east_crosses_the_antimeridian() -> None:
    box = (170.0, -20.0, -170.0, 0.0)  # Fiji and around
    lngs = np.array([175.0, -175.0, 180.0, -180.0, 0.0, 169.9, -169.9])
    lats = np.full(lngs.shape, -10.0)
    assert box_contains(box, lngs, lats).tolist() == [True, True, True, True, False, False, False]


def test_a_point_in_a_triangle_is_inside_and_one_beside_it_is_not() -> None:
    ring = unwrap_ring(TRIANGLE)
    assert point_in_polygon(ring, -97.7, 30.3)
    # Inside the triangle's bounding box but outside the triangle: the exact test matters.
    assert not point_in_polygon(ring, -98.1, 30.7)
    assert not point_in_polygon(ring, -97.3, 30.7)


def test_a_concave_polygon_leaves_out_its_notch() -> None:
    # A "U": the gap between the arms is not in the area.
    u_shape = [(0, 0), (3, 0), (3, 3), (2, 3), (2, 1), (1, 1), (1, 3), (0, 3)]
    ring = unwrap_ring(u_shape)
    assert point_in_polygon(ring, 0.5, 2.5)
    assert point_in_polygon(ring, 2.5, 2.5)
    assert not point_in_polygon(ring, 1.5, 2.5)


def test_a_vertex_and_an_edge_count_as_inside() -> None:
    ring = unwrap_ring([(0, 0), (2, 0), (2, 2), (0, 2)])
    assert point_in_polygon(ring, 0, 0)
    assert point_in_polygon(ring, 1, 0)
    assert point_in_polygon(ring, 2, 1)


def test_a_polygon_drawn_across_the_antimeridian_is_unwrapped_and_holds_both_sides() -> None:
    # Clicked as Leaflet may report after a world-copy jump: 170 … -170 … back.
    ring = unwrap_ring([(170, -20), (-170, -20), (-170, 0), (170, 0)])
    assert ring == [(170.0, -20.0), (190.0, -20.0), (190.0, 0.0), (170.0, 0.0)]
    assert point_in_polygon(ring, 175.0, -10.0)
    assert point_in_polygon(ring, -175.0, -10.0)
    assert point_in_polygon(ring, 180.0, -10.0)
    assert not point_in_polygon(ring, 0.0, -10.0)
    assert not point_in_polygon(ring, -165.0, -10.0)
    assert not point_in_polygon(ring, 165.0, -10.0)
    assert ring_bbox(ring) == (170.0, -20.0, -170.0, 0.0)


def test_a_ring_given_with_longitudes_past_180_is_the_same_area() -> None:
    # Leaflet's longitudes past 180 after panning east round the world.
    past = unwrap_ring([(530, 10), (550, 10), (550, 20), (530, 20)])
    assert past[0] == (170.0, 10.0)
    assert point_in_polygon(past, -175.0, 15.0) and point_in_polygon(past, 175.0, 15.0)
    assert not point_in_polygon(past, 0.0, 15.0)


def test_an_antimeridian_ring_going_west_is_found_from_the_east_side_too() -> None:
    ring = unwrap_ring([(-175, 50), (175, 50), (175, 60), (-175, 60)])
    assert ring[1][0] == -185.0
    assert point_in_polygon(ring, 178.0, 55.0)
    assert point_in_polygon(ring, -178.0, 55.0)
    assert not point_in_polygon(ring, 170.0, 55.0)
    assert ring_bbox(ring) == (175.0, 50.0, -175.0, 60.0)


def test_many_points_are_tested_at_once() -> None:
    ring = unwrap_ring(TRIANGLE)
    rng = np.random.default_rng(3)
    lngs = rng.uniform(-98.3, -97.1, 2000)
    lats = rng.uniform(29.9, 30.9, 2000)
    fast = polygon_contains(ring, lngs, lats)
    slow = [point_in_polygon(ring, x, y) for x, y in zip(lngs, lats, strict=True)]
    assert fast.tolist() == slow
    assert 0 < fast.sum() < 2000


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ([(0, 0), (1, 1)], "at least three"),
        ([(0, 0), (1, 1), (2, 2)], "one line"),
        ([(0, 0), (1, 0), (0, 95)], "between -90 and 90"),
        ([(0, 0), (1, 0), ("x", 1)], "longitude and a latitude"),
        ([(0, 0), (1, 0), (float("nan"), 1)], "finite"),
        ("[[0, 0]]", "list of points"),
    ],
)
def test_unusable_shapes_are_refused_with_a_reason(points: object, message: str) -> None:
    with pytest.raises(AreaError, match=message):
        unwrap_ring(points)  # type: ignore[arg-type]


def test_too_many_corners_are_refused() -> None:
    ring = [(np.cos(t) * 5, np.sin(t) * 5) for t in np.linspace(0, 6.2, 250)]
    with pytest.raises(AreaError, match="at most"):
        unwrap_ring([(float(x), float(y)) for x, y in ring])


def test_a_closed_ring_repeating_its_first_point_is_the_same_ring() -> None:
    assert unwrap_ring([*TRIANGLE, TRIANGLE[0]]) == unwrap_ring(TRIANGLE)
