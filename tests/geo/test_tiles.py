"""Tiles of a box are exactly the tiles its points' keys fall in (what cache invalidation
by tile relies on)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mapertunity.geo.morton import BITS, morton_keys
from mapertunity.geo.tiles import box_pixels, box_tiles, tile_number, tile_xy, view_tiles

lats = st.floats(-85.0, 85.0)
lngs = st.floats(-180.0, 180.0)


def tiles_of_points(south: float, north: float, west: float, width: float, level: int) -> set:
    """The tiles at ``level`` of the box's corners and of 50 random points inside it."""
    rng = np.random.default_rng(abs(hash((south, west, level))) % 2**32)
    point_lats = np.concatenate([[south, north], rng.uniform(south, north, 50)])
    point_lngs = west + np.concatenate([[0.0, width], rng.uniform(0, width, 50)])
    point_lngs[point_lngs > 180] -= 360
    keys = morton_keys(point_lats, point_lngs)
    return set((keys >> (2 * (BITS - level))).tolist())


@st.composite
def boxes(draw: st.DrawFn, max_width: float) -> tuple[float, float, float, float, float]:
    """``(west, south, east, north, width)`` of a box up to ``max_width`` degrees wide,
    across the antimeridian when it reaches past 180."""
    lat_a, lat_b, west = draw(lats), draw(lats), draw(lngs)
    width = draw(st.floats(0.0, max_width))
    east = west + width if west + width <= 180 else west + width - 360
    return west, min(lat_a, lat_b), east, max(lat_a, lat_b), width


@settings(max_examples=300, deadline=None)
@given(boxes(40.0), st.integers(0, 18))
def test_every_point_of_a_box_lies_in_one_of_its_tiles(box: tuple, zoom: int) -> None:
    west, south, east, north, width = box
    level, tiles = box_tiles(west, south, east, north, zoom)
    assert tiles == tuple(sorted(set(tiles)))
    assert len(tiles) <= 64
    found = tiles_of_points(south, north, west, width, level)
    assert found <= set(tiles)


def test_the_world_at_zoom_two_is_its_sixteen_tiles() -> None:
    level, tiles = box_tiles(-180, -85.05, 180, 85.05, 2)
    assert level == 2
    assert tiles == tuple(range(16))
    assert {tile_xy(2, t) for t in tiles} == {(x, y) for x in range(4) for y in range(4)}


def test_a_big_box_is_named_by_coarser_tiles() -> None:
    level, tiles = box_tiles(-10, 40, 10, 55, 12)
    assert level < 12
    assert len(tiles) <= 64


def test_tile_number_and_tile_xy_are_inverse() -> None:
    xs, ys = np.array([0, 5, 1023]), np.array([7, 0, 1000])
    for x, y, n in zip(xs, ys, tile_number(10, xs, ys).tolist(), strict=True):
        assert tile_xy(10, n) == (x, y)


@settings(max_examples=200, deadline=None)
@given(boxes(60.0), st.integers(1, 7))
def test_every_point_of_a_box_lies_in_one_of_its_view_tiles_drawn_once(box: tuple, z: int) -> None:
    west, south, east, north, width = box
    tiles = view_tiles(west, south, east, north, z, 1 << 20)
    assert tiles is not None  # narrower than the world: no tile drawn twice
    assert len({(x, y) for x, y, _ in tiles}) == len(tiles)
    # East of the antimeridian a column is one world further on, as the map draws it.
    assert all(c in (x, x + (1 << z)) for x, _, c in tiles)
    assert all(c == x for x, _, c in tiles) or west > east
    found = tiles_of_points(south, north, west, width, z)
    assert found <= {int(tile_number(z, np.array([x]), np.array([y]))[0]) for x, y, _ in tiles}


def test_view_tiles_stop_at_the_limit_and_box_pixels_are_screen_pixels() -> None:
    assert view_tiles(-10, 40, 10, 55, 9, 48) is None
    assert len(view_tiles(-10, 40, 10, 55, 4, 48) or []) <= 4
    # The whole world is 256 px wide at zoom 0 and twice that a zoom closer.
    width, height = box_pixels(-180, -85.0511, 180, 85.0511, 1)
    assert round(width) == round(height) == 512
    width, _ = box_pixels(170, 0, -170, 10, 3)  # across the antimeridian: 20 degrees
    assert round(width) == round(20 / 360 * 2048)
