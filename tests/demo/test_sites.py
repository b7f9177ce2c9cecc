"""Demo job sites: ashore, in the city, in the country's own address style."""

import json

from mapertunity.demo.jobs.sites import BASEMAP, Sites, on_land, street_address
from mapertunity.geo.distance import haversine_km
from mapertunity.geo.gazetteer import get_gazetteer


def test_land_and_sea_are_told_apart() -> None:
    assert on_land(52.52, 13.40, "DE")
    assert not on_land(54.5, 3.0, "DE")  # the North Sea
    assert not on_land(52.52, 13.40, "FR")


def test_the_same_seed_gives_the_same_sites_and_another_seed_others() -> None:
    glasgow = get_gazetteer().geocode("Glasgow")
    first = [Sites(7).site(f"c{i}", glasgow) for i in range(5)]
    again = [Sites(7).site(f"c{i}", glasgow) for i in range(5)]
    other = [Sites(8).site(f"c{i}", glasgow) for i in range(5)]
    assert first == again and first != other
    for site in first:
        assert 0.05 < haversine_km(glasgow.lat, glasgow.lng, site.lat, site.lng) < 12
        assert site.street_address


def test_a_company_can_keep_its_openings_in_one_building() -> None:
    portland = get_gazetteer().geocode("Portland, OR")
    sites = Sites(1)
    store = sites.site("outfitters", portland, same_building=True)
    assert sites.site("outfitters", portland, same_building=True) == store
    assert sites.site("outfitters", portland, same_building=False) != store
    assert len(store.postal_code) == 5 and store.postal_code.startswith("97")


def test_addresses_follow_the_countrys_style() -> None:
    import random

    rng = random.Random(3)
    assert street_address(rng, "DE").split()[0].endswith(("straße", "weg", "allee", "platz"))
    assert street_address(rng, "FR").split()[1] in ("rue", "avenue", "boulevard")
    assert street_address(rng, "JP") == ""


def test_the_basemap_is_small_and_keyed_by_iso_code() -> None:
    assert BASEMAP.stat().st_size < 1_000_000
    data = json.loads(BASEMAP.read_text())
    codes = {feature["id"] for feature in data["features"]}
    assert {"DE", "FR", "US", "GB", "BR", "JP", "KE", "AU", "SG", "MT"} <= codes
    assert all(len(code) == 2 and code.isupper() for code in codes)
    assert data["borders"]["type"] == "MultiLineString"
    assert [name for name, *_ in data["cities"][:200]].count("Tokyo") == 1
