"""The "posted … ago" line on job cards."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from mapertunity.core.templatetags.times import ago
from tests.helpers import make_job

NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("seconds", [0, 1, 59])
def test_under_a_minute_is_just_now(seconds: int) -> None:
    assert ago(NOW - dt.timedelta(seconds=seconds), NOW) == "just now"


def test_a_time_a_moment_ahead_of_the_clock_is_just_now() -> None:
    assert ago(NOW + dt.timedelta(seconds=5), NOW) == "just now"


def test_from_a_minute_it_says_how_long() -> None:
    assert ago(NOW - dt.timedelta(minutes=1), NOW) == "1\xa0minute ago"
    assert ago(NOW - dt.timedelta(days=2, hours=3), NOW) == "2\xa0days, 3\xa0hours ago"


def test_no_time_is_nothing() -> None:
    assert ago(None, NOW) == ""


@pytest.mark.django_db
def test_a_job_posted_this_moment_reads_just_now_on_its_card(client: Client) -> None:
    make_job(title="Fresh Role", posted_at=timezone.now())
    html = client.get("/jobs/").content.decode()
    assert ">just now</time>" in html and "0\xa0minutes" not in html
