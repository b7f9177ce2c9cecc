import feedparser
import pytest
from django.test import Client

from mapertunity.jobs.models import Job
from tests.helpers import make_job

pytestmark = pytest.mark.django_db


def test_the_atom_feed_lists_published_jobs_newest_first(client: Client) -> None:
    older = make_job(title="Older Role")
    newer = make_job(title="Newer Role")
    Job.objects.filter(pk=older.pk).update(posted_at=newer.posted_at.replace(year=2020))
    make_job(title="Secret Draft", status=Job.Status.DRAFT)
    response = client.get("/jobs/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    titles = [entry.title for entry in feed.entries]
    assert titles[0].startswith("Newer Role") and titles[1].startswith("Older Role")
    assert not any("Secret Draft" in t for t in titles)
    assert feed.entries[0].link.endswith(newer.get_absolute_url())


def test_the_sitemap_lists_published_jobs_with_lastmod(client: Client) -> None:
    live = make_job()
    draft = make_job(status=Job.Status.DRAFT)
    xml = client.get("/sitemap.xml").content.decode()
    assert live.get_absolute_url() in xml
    assert draft.get_absolute_url() not in xml
    assert f"<lastmod>{live.updated_at.date().isoformat()}" in xml


def test_robots_txt_points_at_the_sitemap(client: Client) -> None:
    assert (
        "Sitemap: http://127.0.0.1:8000/sitemap.xml" in client.get("/robots.txt").content.decode()
    )
