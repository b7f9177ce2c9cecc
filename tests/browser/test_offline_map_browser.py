"""With no network the map is still a map; a remote job shows where applicants may live."""

from __future__ import annotations

import re

import pytest

from tests.helpers import make_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_with_no_tiles_the_map_draws_land_borders_and_city_names(live_server, page) -> None:
    make_job(title="Harbour Pilot", lat=53.55, lng=9.99, city="Hamburg", country="DE")
    page.goto(f"{live_server.url}/#5/50/8")
    page.locator("#map.map-offline").wait_for()
    page.locator(".leaflet-basemap-pane canvas").wait_for()
    page.locator(".basemap-city", has_text="Berlin").wait_for()
    page.locator(".leaflet-control-attribution", has_text="Natural Earth").wait_for()
    # The land is drawn: a pixel over Germany is the land colour, not the sea's.
    colour = page.evaluate(
        """() => {
          const map = window.mapertunityMap;
          const canvas = document.querySelector('.leaflet-basemap-pane canvas');
          const p = map.latLngToContainerPoint([51.0, 10.5]);
          const box = canvas.getBoundingClientRect();
          const m = map.getContainer().getBoundingClientRect();
          const scale = canvas.width / box.width;
          const x = Math.round((p.x + m.x - box.x) * scale);
          const y = Math.round((p.y + m.y - box.y) * scale);
          return Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data);
        }"""
    )
    assert colour[:3] == [0xF4, 0xF1, 0xE8], colour


def test_a_remote_jobs_page_shades_the_countries_it_hires_in(live_server, page) -> None:
    job = make_job(
        title="Remote Support Engineer",
        workplace="remote",
        remote_countries=["DE", "FR"],
        lat=52.52,
        lng=13.405,
        city="Berlin",
        country="DE",
    )
    page.goto(f"{live_server.url}{job.get_absolute_url()}")
    page.locator("figcaption", has_text="Applicants may live in Germany, France").wait_for()
    page.locator("path.remote-area").first.wait_for()
    assert page.locator("path.remote-area").count() == 2

    # Its popup on the map says so and shades the same area.
    page.goto(f"{live_server.url}/#12/52.52/13.405")
    page.locator(".job-pin").click()
    page.locator(".popup-remote", has_text="Germany, France").wait_for()
    assert page.locator("path.remote-area").count() == 2
    page.keyboard.press("Escape")
    page.locator("path.remote-area").first.wait_for(state="detached")


def test_remote_jobs_open_to_me_asks_for_my_country(live_server, page) -> None:
    make_job(
        title="Remote Writer", workplace="remote", remote_countries=["PT"], lat=38.72, lng=-9.14
    )
    make_job(title="Shop Fitter", lat=38.73, lng=-9.15, city="Lisbon", country="PT")
    page.goto(f"{live_server.url}/#9/38.72/-9.14")
    page.locator("#map-status", has_text="2 jobs in view").wait_for()
    page.get_by_text("More filters").click()
    tile_for_pt = re.compile(r"/api/v1/map/tiles/\d+/\d+/\d+\?.*remote_for=PT")
    with page.expect_request(tile_for_pt) as asked:
        page.get_by_label("Remote jobs open to people in").select_option("PT")
    # A server that doesn't know remote_for yet still answers with remote jobs only.
    assert "workplace=remote" in asked.value.url
    page.locator("#map-status", has_text="1 job in view").wait_for()
    assert "remote_for=PT" in page.url and "workplace" not in page.url
