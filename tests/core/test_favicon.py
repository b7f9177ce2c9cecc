"""The site's icon: linked from every page, and at /favicon.ico for browsers that guess."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_favicon_ico_sends_browsers_to_the_svg_icon(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.svg"
    assert "max-age" in response["Cache-Control"]
    assert finders.find("img/favicon.svg")


def test_it_answers_a_head_request_too(client: Client) -> None:
    assert client.head("/favicon.ico").status_code == 302


def test_pages_name_the_svg_icon(client: Client) -> None:
    html = client.get("/jobs/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
