"""Morton keys, projection and bbox covering ranges."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import numpy as np
import pytest

from mapertunity.geo.morton import (
    BITS,
    KEY_MAX,
    MAX_LAT,
    bbox_key_ranges,
    key_cell,
    key_to_latlng,
    morton_key,
    morton_keys,
    normalize_bbox,
    project,
    shift_for_zoom,
)

EDGE_LATS = [-90.0, -MAX_LAT, -85.0, -45.0, 0.0, 1e-12, 45.0, 85.0, MAX_LAT, 90.0]
EDGE_LNGS = [-180.0, -179.999999, -90.0, 0.0, -1e-12, 90.0, 179.999999, 180.0]


def random_points(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    lats = rng.uniform(-90, 90, n)
    lngs = rng.uniform(-180, 180, n)
    grid_lat, grid_lng = np.meshgrid(EDGE_LATS, EDGE_LNGS)
    return np.concatenate([lats, grid_lat.ravel()]), np.concatenate([lngs, grid_lng.ravel()])


def random_boxes(n: int, seed: int = 1) -> list[tuple[float, float, float, float]]:
    rng = np.random.default_rng(seed)
    boxes = [(-180.0, -90.0, 180.0, 90.0), (170.0, -20.0, -170.0, 20.0), (0.0, 0.0, 0.0, 0.0)]
    for _ in range(n):
        w, e = rng.uniform(-180, 180, 2)
        s, n_ = np.sort(rng.uniform(-90, 90, 2))
        scale = 10.0 ** rng.uniform(-6, 0)
        boxes.append((float(w), float(s * scale), float(w + (e - w) * scale), float(n_ * scale)))
        boxes.append((float(w), float(s), float(e), float(n_)))  # may cross the antimeridian
    return boxes


def test_keys_match_between_scalar_and_vector() -> None:
    lats, lngs = random_points(3000)
    keys = morton_keys(lats, lngs)
    assert keys.dtype == np.int64
    assert keys.tolist() == [morton_key(a, o) for a, o in zip(lats, lngs, strict=True)]


def test_keys_match_whatever_the_array_length() -> None:
    # Vectorised math kernels treat array tails differently; keys must not depend on that.
    lats, lngs = random_points(200, seed=7)
    full = morton_keys(lats, lngs)
    for length in range(1, 40):
        assert (morton_keys(lats[:length], lngs[:length]) == full[:length]).all()


def test_keys_are_non_negative_62_bit_integers() -> None:
    keys = morton_keys(*random_points(10_000))
    assert keys.min() >= 0
    assert keys.max() <= KEY_MAX < 2**62


def test_project_maps_the_world_onto_the_unit_square() -> None:
    assert project(-180.0, MAX_LAT) == pytest.approx((0.0, 0.0), abs=1e-9)
    assert project(0.0, 0.0) == (0.5, 0.5)
    x, y = project(180.0, -90.0)
    assert x < 1.0 and y < 1.0
    assert project(10.0, 90.0) == project(10.0, MAX_LAT)


def test_key_round_trips_to_within_a_centimetre() -> None:
    rng = np.random.default_rng(3)
    for lat, lng in zip(rng.uniform(-85, 85, 500), rng.uniform(-180, 180, 500), strict=True):
        back_lat, back_lng = key_to_latlng(morton_key(lat, lng))
        assert back_lat == pytest.approx(lat, abs=1e-6)
        assert back_lng == pytest.approx(lng, abs=1e-6)


def test_key_order_follows_the_z_curve_west_east_then_north_south() -> None:
    nw, ne = morton_key(45, -90), morton_key(45, 90)
    sw, se = morton_key(-45, -90), morton_key(-45, 90)
    assert nw < ne < sw < se


def test_key_prefix_is_the_quadtree_cell_of_the_point() -> None:
    for lat, lng in [(30.27, -97.74), (-33.87, 151.21), (64.1, -21.9)]:
        key = morton_key(lat, lng)
        qx, qy = key_cell(key)
        x, y = project(lng, lat)
        assert qx == math.floor(x * 2**BITS) and qy == math.floor(y * 2**BITS)
        for level in range(BITS + 1):
            cell = key >> (2 * (BITS - level))
            cx, cy = key_cell(cell)
            assert (cx, cy) == (qx >> (BITS - level), qy >> (BITS - level))


@pytest.mark.parametrize("max_ranges", [1, 2, 4, 32, 64])
def test_bbox_ranges_are_sorted_disjoint_and_within_budget(max_ranges: int) -> None:
    for box in random_boxes(100):
        ranges = bbox_key_ranges(*box, max_ranges=max_ranges)
        assert 1 <= len(ranges) <= max_ranges
        for lo, hi in ranges:
            assert 0 <= lo <= hi <= KEY_MAX
        for (_, prev_hi), (lo, _) in zip(ranges, ranges[1:], strict=False):
            assert lo > prev_hi + 1


def test_bbox_ranges_cover_every_point_inside_the_box() -> None:
    lats, lngs = random_points(20_000, seed=11)
    keys = morton_keys(lats, lngs)
    for w, s, e, n in random_boxes(150, seed=12):
        # Points exactly on the edges and corners must be covered too.
        edge_lats = np.array([s, n, s, n, (s + n) / 2])
        edge_lngs = np.array([w, e, e, w, w])
        all_lats = np.concatenate([lats, edge_lats])
        all_lngs = np.concatenate([lngs, edge_lngs])
        all_keys = np.concatenate([keys, morton_keys(edge_lats, edge_lngs)])
        inside = (all_lats >= s) & (all_lats <= n)
        inside &= (
            ((all_lngs >= w) & (all_lngs <= e)) if w <= e else (all_lngs >= w) | (all_lngs <= e)
        )
        covered = np.zeros(len(all_keys), dtype=bool)
        for lo, hi in bbox_key_ranges(w, s, e, n, max_ranges=8):
            covered |= (all_keys >= lo) & (all_keys <= hi)
        assert not (inside & ~covered).any(), (w, s, e, n)


def test_inverted_latitude_band_has_no_ranges() -> None:
    assert bbox_key_ranges(0, 10, 1, 5) == []


def test_whole_world_is_a_single_range() -> None:
    assert bbox_key_ranges(-180, -90, 180, 90) == [(0, KEY_MAX)]


def test_small_boxes_are_covered_tightly() -> None:
    w, s, e, n = -97.75, 30.26, -97.73, 30.28
    ranges = bbox_key_ranges(w, s, e, n)
    covered = sum(hi - lo + 1 for lo, hi in ranges)
    (x0, y0), (x1, y1) = project(w, n), project(e, s)
    ideal = (x1 - x0) * (y1 - y0) * 4**BITS
    assert covered < 2 * ideal


@pytest.mark.parametrize("zoom", range(0, 23))
def test_cluster_cells_are_64_pixels_wide_at_every_zoom(zoom: int) -> None:
    level = BITS - shift_for_zoom(zoom) // 2
    world_px = 256 * 2**zoom
    assert world_px / 2**level == 64


def test_shift_for_zoom_clamps_and_floors() -> None:
    assert shift_for_zoom(-3) == shift_for_zoom(0)
    assert shift_for_zoom(30) == shift_for_zoom(22)
    assert shift_for_zoom(5.7) == shift_for_zoom(5)
    assert shift_for_zoom(float("nan")) == shift_for_zoom(0)


def test_normalize_bbox_wraps_out_of_range_longitudes_only() -> None:
    assert normalize_bbox(-10, 0, 180, 10) == (-10, 0, 180, 10)
    assert normalize_bbox(-200, 0, -160, 10) == (160, 0, -160, 10)
    assert normalize_bbox(170, 0, 200, 10) == (170, 0, -160, 10)
    assert normalize_bbox(-500, -80, 500, 80) == (-180, -80, 180, 80)


def test_non_finite_coordinates_are_rejected() -> None:
    with pytest.raises(ValueError):
        morton_key(float("nan"), 0.0)
    with pytest.raises(ValueError):
        morton_keys(np.array([0.0]), np.array([np.inf]))
    with pytest.raises(ValueError):
        bbox_key_ranges(0, 0, float("nan"), 1)


def test_geo_package_does_not_import_django() -> None:
    package = Path(__file__).resolve().parents[2] / "mapertunity" / "geo"
    for source in package.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] == "django" for name in names), source.name
