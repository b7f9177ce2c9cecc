"""Synthetic jobs clustered around real cities, as numpy columns.

Each job picks a city of the offline gazetteer with probability proportional to its
population and lands at an exponentially distributed distance from the centre (bigger
cities spread wider), so density looks like real job boards: dense metros, long tails.
Everything is derived from one seed, so a run at a given size is repeatable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mapertunity.geo.cover import from_e7, to_e7
from mapertunity.geo.gazetteer import cities

TYPES = ["full_time", "part_time", "contract", "temporary", "internship"]
TYPE_SHARE = [0.62, 0.14, 0.12, 0.07, 0.05]
WORKPLACES = ["onsite", "hybrid", "remote"]
WORKPLACE_SHARE = [0.6, 0.25, 0.15]

COMMON_WORD = "engineer"
RARE_WORD = "zookeeper"
# Title words: the common keyword in ~10% of titles, the rare one in ~0.03%.
TITLE_WORDS = [
    ("engineer", 0.10),
    ("nurse", 0.08),
    ("driver", 0.08),
    ("cashier", 0.07),
    ("analyst", 0.07),
    ("teacher", 0.06),
    ("electrician", 0.05),
    ("cook", 0.06),
    ("accountant", 0.05),
    ("designer", 0.05),
    ("technician", 0.06),
    ("manager", 0.08),
    ("assistant", 0.09),
    ("welder", 0.0997),
    ("zookeeper", 0.0003),
]
LEVELS = ["Junior", "Senior", "Lead", "Night", "Trainee", "Staff", "Field", "Remote"]


@dataclass
class Jobs:
    ids: np.ndarray
    lats: np.ndarray
    lngs: np.ndarray
    type_code: np.ndarray
    workplace_code: np.ndarray
    pay_usd_year: np.ndarray
    """Top of the pay range, whole US dollars a year."""
    posted_day: np.ndarray
    """Days since 1970-01-01 (UTC)."""
    title_word: np.ndarray
    """Index into TITLE_WORDS of each title's job word."""
    level: np.ndarray
    city_count: int

    def __len__(self) -> int:
        return len(self.ids)

    def titles(self, start: int, stop: int) -> list[str]:
        words = [w.title() for w, _ in TITLE_WORDS]
        levels = self.level[start:stop].tolist()
        return [
            f"{LEVELS[lv]} {words[w]}"
            for lv, w in zip(levels, self.title_word[start:stop].tolist(), strict=True)
        ]

    def with_word(self, word: str) -> np.ndarray:
        index = [w for w, _ in TITLE_WORDS].index(word)
        return self.ids[self.title_word == index]


def generate(n: int, seed: int = 2026, today: int = 20_500) -> Jobs:
    rng = np.random.default_rng(seed)
    places = cities(15_000)
    pop = np.array([p.population for p in places], dtype=np.float64)
    lat0 = np.array([p.lat for p in places])
    lng0 = np.array([p.lng for p in places])
    city = rng.choice(len(places), size=n, p=pop / pop.sum())
    # Typical distance from the centre: 2 km for a town, ~12 km for a 10M metro.
    scale_km = 2.0 + 2.5 * np.log10(np.maximum(pop[city], 15_000) / 15_000)
    distance = rng.exponential(scale_km)
    angle = rng.uniform(0, 2 * math.pi, n)
    lat = np.clip(lat0[city] + distance * np.sin(angle) / 111.2, -89.9, 89.9)
    lng = lng0[city] + distance * np.cos(angle) / (111.2 * np.cos(np.radians(lat)))
    lng = (lng + 180.0) % 360.0 - 180.0
    share = np.array([s for _, s in TITLE_WORDS])
    pay = np.exp(rng.normal(math.log(52_000), 0.65, n))
    return Jobs(
        ids=np.arange(1, n + 1, dtype=np.int64),
        # Positions as the database stores them: 1e-7 degree.
        lats=from_e7(to_e7(lat)),
        lngs=from_e7(to_e7(lng)),
        type_code=rng.choice(len(TYPES), n, p=TYPE_SHARE).astype(np.int64),
        workplace_code=rng.choice(len(WORKPLACES), n, p=WORKPLACE_SHARE).astype(np.int64),
        pay_usd_year=np.minimum(pay, 4_000_000).astype(np.int64),
        posted_day=(today - rng.integers(0, 30, n)).astype(np.int64),
        title_word=rng.choice(len(TITLE_WORDS), n, p=share / share.sum()).astype(np.int64),
        level=rng.integers(0, len(LEVELS), n).astype(np.int64),
        city_count=int(len(np.unique(city))),
    )
