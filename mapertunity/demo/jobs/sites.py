"""Where in its city a demo job is: a street-level position, a street address, a postcode.

A city in the gazetteer is one point, its centre. Jobs all on that point would make the
map's clusters unsplittable and every distance read "0 km", so each job gets a site spread
over the city's area (wider for a bigger city, denser near the centre, never at sea), and
an invented address in the country's own style. A company with several openings in one
city often has them in the same building, as real ones do.

Everything comes from its own random stream (seeded from the demo's seed), so positions
never shift the other choices the generator makes from the same seed.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import zipcodes

from mapertunity.geo.gazetteer import Place

BASEMAP = Path(__file__).resolve().parents[2] / "static" / "map" / "basemap.json"
SAME_BUILDING_SHARE = 0.45
"""How often a company's next opening in a city is in a building it already has there."""
KM_PER_DEG = 111.32


@dataclass(frozen=True)
class Site:
    lat: float
    lng: float
    street_address: str
    postal_code: str


# --- Land: Natural Earth's countries (the offline basemap's file), to keep sites ashore.


@cache
def _country_rings() -> dict[str, list[np.ndarray]]:
    try:
        data = json.loads(BASEMAP.read_text())
    except (OSError, ValueError):
        return {}
    rings: dict[str, list[np.ndarray]] = {}
    for feature in data.get("features", []):
        for polygon in feature["geometry"]["coordinates"]:
            # Outer rings only: lakes inside a country are rare at this scale.
            rings.setdefault(feature["id"], []).append(np.asarray(polygon[0], dtype=np.float64))
    return rings


def on_land(lat: float, lng: float, country: str) -> bool:
    """Whether the point is inside the country's outline (True if we have no outline)."""
    rings = _country_rings().get(country)
    if not rings:
        return True
    for ring in rings:
        x, y = ring[:, 0], ring[:, 1]
        if not (x.min() <= lng <= x.max() and y.min() <= lat <= y.max()):
            continue
        x2, y2 = np.roll(x, -1), np.roll(y, -1)
        crosses = (y > lat) != (y2 > lat)
        with np.errstate(divide="ignore", invalid="ignore"):
            at = x + (lat - y) * (x2 - x) / (y2 - y)
        if np.count_nonzero(crosses & (lng < at)) % 2 == 1:
            return True
    return False


def city_radius_km(population: int) -> float:
    """How far from the centre a city's workplaces reach: 2 km for a town, ~12 for 10M."""
    return min(14.0, 1.5 + 3.3 * math.sqrt(max(population, 0) / 1e6))


# --- Addresses in a country's own style: (streets, format). Invented, but plausible.

_EN_NAMES = (
    "Maple", "Oak", "Cedar", "Station", "Market", "Church", "Mill", "Park", "River", "High",
    "King", "Queen", "Victoria", "Harbour", "Elm", "Willow", "Lake", "Hill", "Bridge", "Union",
    "Garden", "Chapel", "Albert", "Grove", "Spring", "Meadow", "Forest", "Commerce",
)  # fmt: skip
_US_NAMES = (
    "Maple", "Oak", "Cedar", "Pine", "Washington", "Lincoln", "Jefferson", "Main", "Market",
    "Park", "Lake", "Hill", "Spring", "Union", "Franklin", "Madison", "Elm", "Walnut",
    "Highland", "Sunset", "River", "Broad", "Commerce", "Industrial",
)  # fmt: skip
_DE_NAMES = (
    "Linden", "Garten", "Berg", "Bahnhof", "Schiller", "Goethe", "Mühlen", "Kirch", "Wald",
    "Rosen", "Markt", "Hafen", "Ahorn", "Birken", "Industrie", "Friedrich", "Brunnen", "Feld",
)  # fmt: skip
_FR_STREETS = (
    "rue de la Paix", "rue des Lilas", "rue du Marché", "rue Victor Hugo", "rue de la République",
    "rue des Écoles", "rue du Port", "rue Pasteur", "avenue Jean Jaurès", "boulevard Voltaire",
    "rue de l'Industrie", "avenue de la Gare", "rue des Tilleuls", "rue Émile Zola",
)  # fmt: skip
_ES_STREETS = (
    "Calle Mayor", "Calle del Sol", "Calle de la Paz", "Avenida San Martín", "Calle Los Olivos",
    "Calle Real", "Avenida de la Libertad", "Calle Bolívar", "Avenida Central", "Calle Hidalgo",
    "Calle de las Flores", "Avenida del Puerto", "Calle Morelos", "Avenida Independencia",
)  # fmt: skip
_PT_STREETS = (
    "Rua das Flores", "Rua do Comércio", "Rua São João", "Rua Augusta", "Rua da Paz",
    "Avenida Brasil", "Rua XV de Novembro", "Avenida da Liberdade", "Rua do Porto",
    "Rua das Palmeiras", "Avenida Paulista", "Rua Sete de Setembro",
)  # fmt: skip
_IT_STREETS = (
    "Via Roma", "Via Garibaldi", "Via Mazzini", "Via Verdi", "Via dei Mille", "Corso Italia",
    "Via Cavour", "Via della Stazione", "Viale Europa", "Via del Porto", "Via Dante",
)  # fmt: skip
_NL_NAMES = ("Kerk", "Molen", "Dorps", "Stations", "Linden", "Haven", "Markt", "Beuken", "Tuin")

_EN = {"GB", "IE", "CA", "AU", "NZ", "ZA", "NG", "KE", "GH", "IN", "PK", "PH", "SG", "MY",
       "UG", "TZ", "ZM", "ZW", "JM", "BW", "NA", "LK", "BD", "MW", "RW", "ET"}  # fmt: skip
_DE = {"DE", "AT", "CH", "LI"}
_FR = {"FR", "BE", "LU", "MC", "SN", "CI", "MA", "TN", "DZ", "CM", "ML", "BF", "NE", "TG",
       "BJ", "GA", "CG", "CD", "MG", "HT"}  # fmt: skip
_ES = {"ES", "MX", "AR", "CO", "CL", "PE", "VE", "EC", "UY", "PY", "BO", "CR", "GT", "HN",
       "SV", "NI", "PA", "DO", "CU", "PR"}  # fmt: skip
_PT = {"BR", "PT", "AO", "MZ"}
_IT = {"IT", "SM"}
_NL = {"NL"}


def street_address(rng: random.Random, country: str) -> str:
    """An invented street address in the country's style; "" where we can't make one."""
    if country == "US":
        kind = rng.choice(("Street", "Avenue", "Avenue", "Boulevard", "Drive", "Road"))
        return f"{rng.randrange(100, 9900)} {rng.choice(_US_NAMES)} {kind}"
    if country in _EN:
        kind = rng.choice(("Street", "Road", "Road", "Lane", "Avenue", "Way", "Place"))
        return f"{rng.randrange(1, 240)} {rng.choice(_EN_NAMES)} {kind}"
    if country in _DE:
        kind = rng.choice(("straße", "straße", "weg", "allee", "platz"))
        return f"{rng.choice(_DE_NAMES)}{kind} {rng.randrange(1, 120)}"
    if country in _FR:
        return f"{rng.randrange(1, 180)} {rng.choice(_FR_STREETS)}"
    if country in _ES:
        return f"{rng.choice(_ES_STREETS)} {rng.randrange(1, 900)}"
    if country in _PT:
        return f"{rng.choice(_PT_STREETS)}, {rng.randrange(10, 2500)}"
    if country in _IT:
        return f"{rng.choice(_IT_STREETS)} {rng.randrange(1, 160)}"
    if country in _NL:
        kind = rng.choice(("straat", "weg", "laan"))
        return f"{rng.choice(_NL_NAMES)}{kind} {rng.randrange(1, 200)}"
    return ""


def us_zip_near(lat: float, lng: float, place: Place) -> str:
    """The real ZIP code of the place's state whose centre is nearest the point."""
    if place.country_code != "US" or not place.region:
        return ""
    return _nearest_zip(place.region, round(lat, 3), round(lng, 3))


@cache
def _state_zips(state: str) -> tuple[np.ndarray, list[str]]:
    rows = [
        r
        for r in zipcodes.filter_by(state=state)
        if r.get("lat") and r.get("long") and r.get("zip_code_type") == "STANDARD"
    ]
    points = np.array([(float(r["lat"]), float(r["long"])) for r in rows], dtype=np.float64)
    return points.reshape(-1, 2), [r["zip_code"] for r in rows]


def _nearest_zip(state: str, lat: float, lng: float) -> str:
    points, codes = _state_zips(state)
    if not codes:
        return ""
    d = (points[:, 0] - lat) ** 2 + ((points[:, 1] - lng) * math.cos(math.radians(lat))) ** 2
    return codes[int(np.argmin(d))]


class Sites:
    """Hands out job sites, remembering each company's buildings per city."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"{seed}:sites")
        self.buildings: dict[tuple[str, str, str], list[Site]] = {}

    def site(self, company: str, place: Place, *, same_building: bool | None = None) -> Site:
        """A site for a job of ``company`` (any key naming it) in ``place``.

        ``same_building`` forces reusing (True) or not (False) one of the company's
        buildings in that place; by default it's a coin weighted by SAME_BUILDING_SHARE.
        """
        key = (company, place.name, place.country_code)
        known = self.buildings.setdefault(key, [])
        reuse = self.rng.random() < SAME_BUILDING_SHARE if same_building is None else same_building
        if known and reuse:
            return self.rng.choice(known)
        lat, lng = self._position(place)
        site = Site(
            lat=round(lat, 6),
            lng=round(lng, 6),
            street_address=street_address(self.rng, place.country_code),
            postal_code=us_zip_near(lat, lng, place),
        )
        known.append(site)
        return site

    def _position(self, place: Place) -> tuple[float, float]:
        rng = self.rng
        radius = city_radius_km(place.population)
        cos_lat = max(math.cos(math.radians(place.lat)), 0.05)
        # Where the simplified coastline misses the centre itself (Manhattan, Rio), it is
        # too coarse to judge here: stay closer in instead of testing.
        coarse = not on_land(place.lat, place.lng, place.country_code)
        if coarse:
            radius *= 0.5
        for attempt in range(12):
            # Dense near the centre, thinning out to the edge (a half-normal distance).
            km = min(abs(rng.gauss(0.0, radius / 2)), radius) * (0.85**attempt)
            km = max(km, 0.08)
            angle = rng.uniform(0, 2 * math.pi)
            lat = place.lat + km * math.cos(angle) / KM_PER_DEG
            lng = place.lng + km * math.sin(angle) / (KM_PER_DEG * cos_lat)
            if coarse or on_land(lat, lng, place.country_code):
                return lat, lng
        # A speck of land in a simplified sea: a few hundred metres from the centre.
        angle = rng.uniform(0, 2 * math.pi)
        km = rng.uniform(0.1, 0.5)
        return (
            place.lat + km * math.cos(angle) / KM_PER_DEG,
            place.lng + km * math.sin(angle) / (KM_PER_DEG * cos_lat),
        )
