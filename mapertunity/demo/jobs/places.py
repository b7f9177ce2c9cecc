"""Choose the real places the demo jobs sit in, from the offline gazetteer.

Bigger cities get more jobs, but places are sampled (not just taken from the top of the
list) and every inhabited continent gets its share, so the map has something everywhere.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict

from mapertunity.geo.gazetteer import Place, cities, currency_for_country

from .pay import supported

CONTINENT_SHARES: tuple[tuple[str, int], ...] = (
    ("AS", 29),
    ("EU", 26),
    ("NA", 20),
    ("SA", 10),
    ("AF", 9),
    ("OC", 6),
)
POOL_MIN_POPULATION = 50_000
# About 20 km: a smaller city closer than this to a bigger one is usually a district of it.
MIN_SEPARATION_DEG = 0.18
CELL_DEG = 0.2


def apportion(total: int, weights: list[int], minimum: int = 0) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), each >= ``minimum``."""
    if total <= 0:
        return [0] * len(weights)
    floor = minimum if total >= minimum * len(weights) else 0
    rest = total - floor * len(weights)
    exact = [rest * w / sum(weights) for w in weights]
    counts = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: rest - sum(counts)]:
        counts[i] += 1
    return [floor + c for c in counts]


def place_pool() -> dict[str, list[Place]]:
    """Cities we can price jobs in, by continent, largest first, one per (name, country).

    GeoNames lists districts of big cities (Brooklyn, Setagaya) as cities of their own; a
    place close to a bigger one is left out so that a job reads "New York", not "Brooklyn".
    """
    pool: dict[str, list[Place]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    grid: dict[tuple[int, int], list[Place]] = defaultdict(list)
    for place in cities(POOL_MIN_POPULATION):
        key = (place.name, place.country_code)
        if key in seen or not supported(place.country_code, currency_for_country(key[1])):
            continue
        row, col = math.floor(place.lat / CELL_DEG), math.floor(place.lng / CELL_DEG)
        neighbours = (
            other
            for dy in (-1, 0, 1)
            for dx in (-1, 0, 1)
            for other in grid.get((row + dy, col + dx), ())
        )
        if any(_close(place, other) for other in neighbours):
            continue
        seen.add(key)
        grid[row, col].append(place)
        pool[place.continent].append(place)
    return pool


def _close(a: Place, b: Place) -> bool:
    # Equirectangular distance is plenty at this scale.
    dy = a.lat - b.lat
    dx = (a.lng - b.lng) * math.cos(math.radians(a.lat))
    return dx * dx + dy * dy < MIN_SEPARATION_DEG**2


def pick_places(rng: random.Random, pool: dict[str, list[Place]], count: int) -> list[Place]:
    """``count`` distinct places, weighted towards bigger cities, every continent included."""
    continents = [code for code, _ in CONTINENT_SHARES if pool.get(code)]
    shares = [weight for code, weight in CONTINENT_SHARES if code in continents]
    picked: list[Place] = []
    for continent, quota in zip(continents, apportion(count, shares, minimum=1), strict=True):
        candidates = pool[continent]
        # Weighted sampling without replacement (Efraimidis–Spirakis): the largest keys win.
        keys = [
            (math.log(1.0 - rng.random()) / place.population**0.6, i)
            for i, place in enumerate(candidates)
        ]
        keys.sort(reverse=True)
        picked.extend(candidates[i] for _, i in keys[:quota])
    return picked


def job_slots(rng: random.Random, places: list[Place], count: int) -> list[Place]:
    """One place per job: every place at least once, the rest weighted by population."""
    slots = list(places) if count >= len(places) else rng.sample(places, count)
    by_continent: dict[str, list[Place]] = defaultdict(list)
    for place in places:
        by_continent[place.continent].append(place)
    continents = [code for code, _ in CONTINENT_SHARES if by_continent.get(code)]
    shares = [weight for code, weight in CONTINENT_SHARES if code in continents]
    extra = apportion(count - len(slots), shares)
    for continent, n in zip(continents, extra, strict=True):
        members = by_continent[continent]
        weights = [place.population**0.75 for place in members]
        slots.extend(rng.choices(members, weights=weights, k=n))
    rng.shuffle(slots)
    return slots
