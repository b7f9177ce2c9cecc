"""The job map asks by web-map tile and joins the tiles into one map: no job twice, no
cluster cut in two by a tile edge, every job in its place across the date line."""

import re

import pytest

from tests.helpers import make_company, make_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# At map zoom 8 the map asks for 512 px tiles of zoom 7; the edge between their columns
# 64 and 65 runs along this longitude.
EDGE_LNG = -180 + 360 * 65 / 128


def map_requests(page) -> list[str]:
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/api/v1/map/" in r.url else None)
    return asked


def on_screen(page, selector: str) -> list[dict]:
    """The boxes of the markers inside the map's own box."""
    return page.evaluate(
        """(selector) => {
          const map = document.getElementById("map").getBoundingClientRect();
          return [...document.querySelectorAll(selector)]
            .map((node) => node.getBoundingClientRect())
            .filter((r) => r.left >= map.left && r.right <= map.right
                        && r.top >= map.top && r.bottom <= map.bottom)
            .map((r) => ({ x: r.left, y: r.top }));
        }""",
        selector,
    )


def test_jobs_either_side_of_a_tile_edge_are_one_cluster(live_server, page) -> None:
    company = make_company(name="Canal Works")
    for side in (-1, 1):
        for i in range(3):
            make_job(
                company,
                title=f"Lock Keeper {side} {i}",
                lat=45.0 + i * 0.001,
                lng=EDGE_LNG + side * 0.002,
                city="Moulins",
                country="FR",
            )
    asked = map_requests(page)
    page.goto(f"{live_server.url}/#8/45.0/{EDGE_LNG}")

    page.locator("#map-status", has_text="6 jobs in view").wait_for()
    clusters = page.locator(".cluster")
    assert clusters.all_inner_texts() == ["6"]
    # The map asked for 512 px tiles of one zoom out (both sides of the edge among them),
    # never for the viewport.
    tiles = [re.search(r"/api/v1/map/tiles/(\d+)/(\d+)/(\d+)\?size=512", url) for url in asked]
    assert all(tiles) and {m.group(1) for m in tiles if m} == {"7"}
    assert {"64", "65"} <= {m.group(2) for m in tiles if m}

    # The folded cluster behaves as one: a click zooms in to its jobs, all six in view.
    clusters.first.click()
    page.wait_for_function("() => window.mapertunityMap.getZoom() > 8")
    page.locator(".result-count", has_text="6 jobs in view").wait_for()
    page.locator("#map-status", has_text="6 jobs in view").wait_for()


def test_far_out_a_job_is_drawn_once_though_the_world_repeats(live_server, page) -> None:
    make_job(title="Harbour Pilot", lat=-33.86, lng=151.21, city="Sydney", country="AU")
    page.set_viewport_size({"width": 1400, "height": 800})
    page.goto(f"{live_server.url}/#1/0/0")
    page.locator("#map-status", has_text="1 job in view").wait_for()
    page.wait_for_function("() => !document.getElementById('map').hasAttribute('aria-busy')")
    assert page.locator(".job-pin").count() == 1


def test_jobs_either_side_of_the_date_line_are_both_in_view(live_server, page) -> None:
    make_job(title="Reef Guide", lat=-17.75, lng=178.9, city="Savusavu", country="FJ")
    make_job(title="Ferry Purser", lat=-17.9, lng=-179.2, city="Lakeba", country="FJ")
    page.goto(f"{live_server.url}/#7/-17.8/179.9")
    page.locator("#map-status", has_text="2 jobs in view").wait_for()
    page.wait_for_function("() => !document.getElementById('map').hasAttribute('aria-busy')")
    assert len(on_screen(page, ".job-pin")) == 2


def test_a_tile_whose_connection_drops_is_asked_again(live_server, page) -> None:
    make_job(title="Harbour Pilot", lat=55.95, lng=-4.77, city="Greenock", country="GB")
    dropped: list[str] = []

    def drop_the_first(route) -> None:
        # As when the app server answering it is killed: the connection resets.
        if not dropped:
            dropped.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(re.compile(r"/api/v1/map/tiles/"), drop_the_first)
    page.goto(f"{live_server.url}/#9/55.95/-4.77")
    page.locator("#map-status", has_text="1 job in view").wait_for()
    assert dropped and page.locator(".job-pin").count() == 1
