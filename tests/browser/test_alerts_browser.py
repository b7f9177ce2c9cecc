"""A job seeker draws an area on the map and saves it as an alert, then sees it listed;
the keyboard can draw too, and "Save this search" keeps the view and the filters."""

import pytest

from mapertunity.alerts.matching import matching_jobs
from mapertunity.alerts.models import Alert
from tests.alerts.helpers import make_seeker
from tests.helpers import make_company, make_job

from .test_applications_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "var/screenshots"


def map_centre(page) -> tuple[float, float]:
    box = page.locator("#map").bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_draw_an_area_and_save_it_as_an_alert(live_server, page) -> None:
    company = make_company(name="Trailhead Supply")
    centre = make_job(company, title="Austin Technician", lat=30.2672, lng=-97.7431)
    far = make_job(company, title="Dallas Technician", lat=32.7767, lng=-96.797)
    seeker = make_seeker()
    sign_in(page, live_server, seeker.email)
    page.goto(f"{live_server.url}/#9/30.2672/-97.7431")
    page.locator(".job-pin, .cluster").first.wait_for()

    page.get_by_role("button", name="Draw an area").click()
    x, y = map_centre(page)
    # The lower half of the map: the drawing bar sits over the top.
    page.mouse.click(x - 150, y - 30)
    page.mouse.click(x + 150, y - 30)
    page.locator("[data-draw-count]", has_text="2 corners").wait_for()
    # The third corner, and a double-click there closes the area.
    page.mouse.dblclick(x, y + 200)
    form = page.locator("[data-alert-save]")
    form.wait_for()
    assert "3 corners" in form.inner_text()
    assert page.evaluate("window.mapertunityMap.getZoom()") == 9  # no zoom on the double-click
    page.screenshot(path=f"{SHOTS}/alerts-drawn.png")

    form.get_by_label("Name").fill("Around downtown Austin")
    form.get_by_label("Weekly").check()
    form.get_by_role("button", name="Save alert").click()
    page.wait_for_url(f"{live_server.url}/alerts/")
    card = page.locator(".alert-card", has_text="Around downtown Austin")
    card.wait_for()
    assert "A drawn area" in card.inner_text() and "Weekly email" in card.inner_text()

    alert = Alert.objects.get(user=seeker)
    assert alert.area_kind == "polygon" and len(alert.polygon) == 3
    found = {job.pk for job in matching_jobs(alert)}
    assert centre.pk in found and far.pk not in found


def test_the_keyboard_draws_with_the_maps_centre_and_cancel_drops_it(live_server, page) -> None:
    seeker = make_seeker()
    sign_in(page, live_server, seeker.email)
    page.goto(f"{live_server.url}/#6/10/-150")
    page.locator("#map.leaflet-container").wait_for()
    page.get_by_role("button", name="Draw an area").press("Enter")
    add = page.get_by_role("button", name="Add corner here")
    assert page.evaluate("document.activeElement.textContent") == "Add corner here"
    finish = page.get_by_role("button", name="Finish")
    for lng, lat in ((-150, 10), (-145, 10), (-145, 14)):
        page.evaluate(
            f"() => {{ window.mapertunityMap.setView([{lat}, {lng}], 6, {{animate: false}}); }}"
        )
        add.press("Enter")
    assert finish.is_enabled()
    page.get_by_role("button", name="Undo").press("Enter")
    assert finish.is_disabled()
    page.get_by_role("button", name="Cancel").press("Enter")
    assert page.locator("[data-draw-bar]").is_hidden()
    assert page.locator("[data-alert-save]").is_hidden()
    assert page.evaluate("document.activeElement.textContent") == "Draw an area"


def test_save_this_search_keeps_the_view_and_the_filters(live_server, page) -> None:
    seeker = make_seeker()
    sign_in(page, live_server, seeker.email)
    page.goto(f"{live_server.url}/?q=nurse#5/0/178")
    page.locator("#map.leaflet-container").wait_for()
    page.get_by_role("link", name="Save this search").click()
    form = page.locator("[data-alert-save]")
    form.wait_for()
    assert form.get_by_label("Name").input_value() == "nurse"
    form.get_by_label("Name").fill("Pacific nursing")
    form.get_by_role("button", name="Save alert").click()
    page.wait_for_url(f"{live_server.url}/alerts/")
    alert = Alert.objects.get(user=seeker)
    assert alert.query == "q=nurse" and alert.area_kind == "box"
    west, _south, east, _north = alert.box
    assert west > east  # the view crosses the antimeridian


def test_on_a_phone_the_drawing_tools_fit_and_draw(live_server, phone) -> None:
    seeker = make_seeker()
    sign_in(phone, live_server, seeker.email)
    phone.goto(f"{live_server.url}/#9/30.2672/-97.7431")
    phone.locator("#map.leaflet-container").wait_for()
    phone.get_by_role("button", name="Draw an area").tap()
    # Between the buttons on top and the drawing bar at the map's foot.
    box = phone.locator("#map").bounding_box()
    bar = phone.locator("[data-draw-bar]").bounding_box()
    x, top, foot = box["x"] + box["width"] / 2, box["y"] + 60, bar["y"] - 10
    for dx, ty in ((-80, top), (80, top), (0, foot)):
        phone.touchscreen.tap(x + dx, ty)
    phone.locator("[data-draw-count]", has_text="3 corners").wait_for()
    phone.get_by_role("button", name="Finish").tap()
    phone.locator("[data-alert-save]").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=f"{SHOTS}/alerts-phone.png")
