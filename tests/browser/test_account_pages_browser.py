"""The sign-in, sign-up, password and email pages look like the rest of the site on a
360 px phone and on a desktop: in the site's card, with its buttons, nothing sideways,
nothing axe calls serious, and no request the server answers with a 404."""

from __future__ import annotations

import pytest

from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BRAND = "rgb(15, 118, 110)"
SIGNED_OUT = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/signup/?next=/employers/start/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/1-wrong/",
]
SIGNED_IN = ["/accounts/password/change/", "/accounts/email/", "/accounts/logout/"]


def sign_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def looks_like_the_site(page, url: str, *, axe: bool) -> None:
    page.goto(url)
    page.locator("main .card h1").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{url} is {width}px wide"
    buttons = page.locator("main .card button.button")
    if page.locator("main .card form").count():
        assert buttons.count(), f"{url}: a form without the site's button"
        background = buttons.first.evaluate("b => getComputedStyle(b).backgroundColor")
        assert background == BRAND, f"{url}: the button is {background}"
    assert page.locator("main [placeholder]").count() == 0, url
    if axe:
        assert_accessible(page, url)


def walk(page, live_server, employer, *, axe: bool) -> None:
    missing: list[str] = []
    page.on("response", lambda r: r.status == 404 and missing.append(r.url))
    for path in SIGNED_OUT:
        looks_like_the_site(page, live_server.url + path, axe=axe)
    sign_in(page, live_server, employer.email)
    for path in SIGNED_IN:
        looks_like_the_site(page, live_server.url + path, axe=axe)
    assert not missing, f"answered 404: {missing}"


def test_the_account_pages_fit_a_phone(live_server, phone, employer) -> None:
    walk(phone, live_server, employer, axe=True)


def test_the_account_pages_on_a_desktop(live_server, page, employer) -> None:
    walk(page, live_server, employer, axe=False)
