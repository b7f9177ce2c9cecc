"""Every absolute URL the site hands out follows SITE_URL, whatever host served the request."""

import re

import pytest
from django.core import mail
from django.test import Client

from mapertunity.blog import actions
from tests.blog.helpers import make_post, make_subscriber
from tests.helpers import make_job

pytestmark = pytest.mark.django_db
BASE = "https://jobs.example.org:8443"


@pytest.fixture(autouse=True)
def _site_url(settings) -> None:
    settings.SITE_URL = BASE


def absolute_urls(text: str) -> set[str]:
    return {m.group(0) for m in re.finditer(r"https?://[^/\s\"'<>]+", text)}


def test_emailed_links_use_site_url(client: Client) -> None:
    client.post(
        "/accounts/signup/",
        {"email": "a@example.org", "password1": "Tr0ub4dor&3x", "password2": "Tr0ub4dor&3x"},
    )
    client.post("/accounts/password/reset/", {"email": "a@example.org"})
    actions.subscribe(email="reader@example.org")
    make_subscriber("confirmed@example.org")
    actions.publish_post(post=make_post(status="draft"))
    assert len(mail.outbox) >= 4
    for message in mail.outbox:
        links = absolute_urls(message.body) - {"https://schema.org"}
        assert links, message.subject
        assert links == {BASE}, (message.subject, links)


def test_feeds_sitemap_robots_and_structured_data_use_site_url(client: Client) -> None:
    job = make_job()
    make_post()
    pages = {
        "/jobs/feed/": {BASE},
        "/blog/feed/rss/": {BASE},
        "/sitemap.xml": {BASE, "http://www.sitemaps.org"},
        "/robots.txt": {BASE},
    }
    for path, allowed in pages.items():
        found = absolute_urls(client.get(path, HTTP_HOST="127.0.0.1").content.decode())
        namespaces = {"http://purl.org", "http://www.w3.org", "https://schema.org"}
        assert BASE in found and found <= allowed | namespaces, (
            path,
            found,
        )
    html = client.get(job.get_absolute_url()).content.decode()
    json_ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    assert f'"url": "{BASE}{job.get_absolute_url()}"' in json_ld
