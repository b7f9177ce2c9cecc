"""Playwright driving the Debian Chromium package (Playwright's own download is unavailable)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def _chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = _chromium_path()
    if path is None:
        if os.environ.get("MAPERTUNITY_REQUIRE_BROWSER"):
            pytest.fail("Chromium is not installed (apt-get install -y chromium).")
        pytest.skip("Chromium is not installed (apt-get install -y chromium).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _offline(route) -> None:
    # No network here, as for a person offline: anything but the test server is refused
    # at once (map tiles included), so the map must make do with what the site serves.
    host = urlsplit(route.request.url).hostname
    if host in ("127.0.0.1", "localhost", "::1"):
        route.continue_()
    else:
        route.abort()


# Every page reports Content Security Policy violations to the console, where the test
# collects them: a page that needs an inline script or style the CSP refuses fails its test.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`);
});
"""


def csp_violations(messages: list[str]) -> list[str]:
    return [m for m in messages if "CSP violation" in m or "Content Security Policy" in m]


def _new_page(browser, **options) -> Iterator[object]:
    context = browser.new_context(**options)
    context.route("**/*", _offline)
    context.add_init_script(_REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    console: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: console.append(message.text))
    page.console_messages = console  # type: ignore[attr-defined]
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
    assert not csp_violations(console), f"Content Security Policy violations: {console}"


@pytest.fixture
def page(browser) -> Iterator[object]:
    yield from _new_page(browser, viewport={"width": 1280, "height": 800})


@pytest.fixture
def phone(browser) -> Iterator[object]:
    """A 360 px wide phone: touch, a small screen, the same offline network."""
    yield from _new_page(
        browser,
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
