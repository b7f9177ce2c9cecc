"""Every job can be reached from the map, with a mouse or with the keyboard alone."""

from __future__ import annotations

import re

import pytest

from tests.helpers import make_company, make_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOWER = (55.8609, -4.2514)  # one office building in Glasgow

# The job map asks by tile; each move asks for the tiles of the new view.
MAP_ANSWER = re.compile(r"/api/v1/map/tiles/\d+/\d+/\d+")


def fill_a_building(n: int = 27) -> None:
    company = make_company(name="Clydeside Analytics")
    for i in range(n):
        make_job(
            company,
            title=f"Data Analyst {i:02d}",
            lat=TOWER[0],
            lng=TOWER[1],
            city="Glasgow",
            region="Scotland",
            country="GB",
            street_address="200 St Vincent Street",
        )


def test_a_cluster_of_one_building_lists_its_jobs_page_by_page(live_server, page) -> None:
    fill_a_building()
    page.goto(f"{live_server.url}/#12/{TOWER[0]}/{TOWER[1]}")
    cluster = page.locator(".cluster", has_text="27")
    cluster.wait_for()
    assert cluster.get_attribute("aria-label") == "27 jobs at one place: list them"

    # One click lists them: no zooming into a cluster that can never split.
    cluster.click()
    popup = page.locator(".popup-list")
    popup.locator(".job-card").first.wait_for()
    assert popup.locator(".popup-list-head").inner_text() == "27 jobs here"
    assert popup.locator(".job-card").count() == 20
    assert page.evaluate("window.mapertunityMap.getZoom()") == 12
    popup.locator(".pagination a", has_text="Next").click()
    popup.locator(".pagination", has_text="Page 2 of 2").wait_for()
    titles = popup.locator(".job-card-title").all_inner_texts()
    assert len(titles) == 7 and all(t.startswith("Data Analyst") for t in titles)

    # The popup's own pan and the refresh it causes leave it open.
    page.locator("#map-status", has_text="27 jobs in view").wait_for()
    assert popup.is_visible()


def test_the_keyboard_alone_reaches_every_job(live_server, page) -> None:
    fill_a_building(3)
    make_job(title="Harbour Pilot", lat=55.95, lng=-4.77, city="Greenock", country="GB")
    page.goto(f"{live_server.url}/#9/55.9/-4.5")
    page.locator("#map-status", has_text="4 jobs in view").wait_for()

    # The skip link jumps past the map to the list.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the list of jobs")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Tab")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#job-list .job-card') !== null")

    # Enter on a far-off cluster of one building shows where it is, the focus staying on
    # it; Enter again opens its list with the focus inside; Escape brings the focus back.
    cluster = page.locator(".cluster", has_text="3")
    assert cluster.get_attribute("aria-label") == "3 jobs at one place: zoom in to it"
    cluster.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.mapertunityMap.getZoom() === 14")
    page.locator(".cluster[aria-label='3 jobs at one place: list them']").wait_for()
    assert cluster.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    first = page.locator(".popup-list .job-card a").first
    first.wait_for()
    page.wait_for_function("() => document.activeElement.closest('.popup-list') !== null")
    page.keyboard.press("Escape")
    page.locator(".leaflet-popup").wait_for(state="detached")
    assert cluster.evaluate("el => el === document.activeElement")

    # Space on a pin opens its popup.
    page.evaluate("location.hash = '#12/55.95/-4.77'")
    pin = page.locator(".job-pin")
    pin.focus()
    page.keyboard.press(" ")
    page.locator(".popup-job", has_text="Harbour Pilot").wait_for()


def test_the_list_and_the_markers_light_each_other_up(live_server, page) -> None:
    fill_a_building(2)
    pilot = make_job(title="Harbour Pilot", lat=55.95, lng=-4.77, city="Greenock", country="GB")
    page.goto(f"{live_server.url}/#9/55.9/-4.5")
    page.locator(".result-count", has_text="3 jobs in view").wait_for()

    page.locator(f'.job-card[data-job-id="{pilot.pk}"] a').focus()
    page.locator(".job-pin.is-highlighted").wait_for()
    page.locator(".job-card", has_text="Data Analyst 00").hover()
    page.locator(".cluster.is-highlighted", has_text="2").wait_for()
    assert page.locator(".job-pin.is-highlighted").count() == 0

    page.locator(".job-pin").focus()
    page.locator(f'.job-card.is-linked[data-job-id="{pilot.pk}"]').wait_for()
    page.locator(".cluster").focus()
    page.locator(".job-card.is-linked", has_text="Data Analyst 01").wait_for()
    assert page.locator(".job-card.is-linked").count() == 2


def test_a_popup_near_the_top_edge_survives_the_pan_and_the_refresh(live_server, page) -> None:
    make_job(title="Lighthouse Keeper", lat=58.0, lng=-5.0, city="Ullapool", country="GB")
    page.goto(f"{live_server.url}/#10/58.0/-5.0")
    pin = page.locator(".job-pin")
    pin.wait_for()
    # Put the pin a few pixels under the map's top edge, so its popup has to pan the map.
    with page.expect_response(MAP_ANSWER):
        page.evaluate(
            """() => {
              const map = window.mapertunityMap;
              const y = map.latLngToContainerPoint([58.0, -5.0]).y;
              map.panBy([0, y - 14], { animate: false });
            }"""
        )
    page.wait_for_function("() => window.mapertunityMap.latLngToContainerPoint([58, -5]).y < 20")
    with page.expect_response(MAP_ANSWER) as refreshed:
        pin.click()
    assert refreshed.value.ok
    popup = page.locator(".popup-job", has_text="Lighthouse Keeper")
    popup.wait_for()
    # The refresh has drawn its markers: the popup is still there.
    page.wait_for_function("() => !document.getElementById('map').hasAttribute('aria-busy')")
    assert popup.is_visible()
    # The popup's details fill it after it opens and the map pans (animated) to fit them.
    page.wait_for_function("() => window.mapertunityMap.latLngToContainerPoint([58, -5]).y > 100")


def test_the_list_page_is_in_the_url_so_back_returns_to_it(live_server, page) -> None:
    company = make_company(name="Glasgow Tramways")
    for i in range(25):
        make_job(
            company,
            title=f"Tram Driver {i:02d}",
            lat=55.85 + i * 0.002,
            lng=-4.25,
            city="Glasgow",
            country="GB",
        )
    page.goto(f"{live_server.url}/#11/55.875/-4.25")
    page.locator(".result-count", has_text="25 jobs in view").wait_for()
    page.locator("#job-list .pagination a", has_text="Next").click()
    page.locator("#job-list .pagination", has_text="Page 2 of 2").wait_for()
    assert "page=2" in page.url
    page.locator("#job-list .job-card a").first.click()
    page.wait_for_url("**/jobs/*/tram-driver-*/")
    page.go_back()
    page.locator("#job-list .pagination", has_text="Page 2 of 2").wait_for()
    assert len(page.locator("#job-list .job-card").all()) == 5
