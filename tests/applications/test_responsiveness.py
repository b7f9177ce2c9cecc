"""Each company's responsiveness, computed from events, shown on jobs; ghosting closed."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from mapertunity.applications import actions, metrics
from mapertunity.applications.models import Application
from mapertunity.applications.stages import Stage
from tests.helpers import make_job

from .helpers import apply_to

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


def applied(job, days_ago: float) -> Application:
    return apply_to(job, now=NOW - dt.timedelta(days=days_ago))


def test_the_rate_and_median_come_from_the_events(employer, company) -> None:
    job = make_job(company, valid_through=timezone.now() + dt.timedelta(days=30))
    answers_hours = [2, 10, 30, 24 * 20]  # the last one answered after 20 days: late
    for hours in answers_hours:
        a = applied(job, 40)
        actions.move(
            application=a,
            to=Stage.REVIEWING,
            actor=employer,
            now=a.created_at + dt.timedelta(hours=hours),
        )
    applied(job, 30)  # never answered: counts against
    applied(job, 3)  # too young to judge
    withdrawn = applied(job, 30)
    actions.withdraw(
        application=withdrawn, now=NOW - dt.timedelta(days=29)
    )  # left before any answer
    applied(job, 120)  # outside the 90-day window
    figures = metrics.compute([company.pk], now=NOW)[company.pk]
    assert figures.judged == 5
    assert figures.answered_in_time == 3
    assert figures.rate_percent == 60
    assert figures.median_hours == pytest.approx(20)  # median of 2, 10, 30, 480


def test_a_company_with_few_applications_is_new_on_mapertunity(client: Client, company) -> None:
    job = make_job(company)
    for _ in range(4):
        applied(job, 20)
    assert metrics.compute([company.pk], now=NOW)[company.pk].is_new
    html = client.get(job.get_absolute_url()).content.decode()
    assert "New on Mapertunity" in html and "/employers/responsiveness/" in html


def test_the_job_page_shows_the_rate_once_there_are_enough(
    client: Client, employer, company
) -> None:
    job = make_job(company)
    for _ in range(6):
        a = apply_to(job, now=timezone.now() - dt.timedelta(days=20))
        actions.move(
            application=a,
            to=Stage.REVIEWING,
            actor=employer,
            now=a.created_at + dt.timedelta(days=1),
        )
    html = client.get(job.get_absolute_url()).content.decode()
    assert "Responds to 100% within 14 days" in html and "median 24 hours" in html
    assert "How we measure" in client.get("/employers/responsiveness/").content.decode()


def test_thirty_days_without_an_answer_closes_honestly_and_counts_against(
    employer, company
) -> None:
    job = make_job(company, valid_through=timezone.now() + dt.timedelta(days=30))
    ghosted = applied(job, 31)
    recent = applied(job, 10)
    answered = applied(job, 40)
    actions.move(
        application=answered, to=Stage.REVIEWING, actor=employer, now=NOW - dt.timedelta(days=39)
    )
    mail.outbox.clear()
    assert actions.close_unanswered(now=NOW) == 1
    assert actions.close_unanswered(now=NOW) == 0
    stages = dict(Application.objects.values_list("pk", "stage"))
    assert stages == {ghosted.pk: "no_response", recent.pk: "applied", answered.pk: "reviewing"}
    [notice] = mail.outbox
    assert "No decision has been shared with you" in notice.body
    assert "List-Unsubscribe" not in notice.extra_headers
    figures = metrics.compute([company.pk], now=NOW)[company.pk]
    assert (figures.judged, figures.answered_in_time) == (2, 1)


def test_a_decision_date_passed_by_a_week_closes_the_interview(employer, company) -> None:
    job = make_job(company, valid_through=timezone.now() + dt.timedelta(days=30))
    overdue, on_time = applied(job, 25), applied(job, 25)
    for a, decide in (
        (overdue, NOW.date() - dt.timedelta(days=8)),
        (on_time, NOW.date() - dt.timedelta(days=3)),
    ):
        actions.move(
            application=a, to=Stage.REVIEWING, actor=employer, now=NOW - dt.timedelta(days=24)
        )
        actions.move(
            application=a,
            to=Stage.INTERVIEWING,
            actor=employer,
            decision_expected_on=decide,
            now=NOW - dt.timedelta(days=20),
        )
    mail.outbox.clear()
    assert actions.close_unanswered(now=NOW) == 1
    overdue.refresh_from_db()
    on_time.refresh_from_db()
    assert (overdue.stage, on_time.stage) == ("no_response", "interviewing")
    assert "expected decision date passed" in mail.outbox[0].body


def test_the_list_shows_each_companys_figures_beside_its_jobs(
    client: Client, employer, company
) -> None:
    job = make_job(company, title="Harbour Pilot")
    for _ in range(5):
        a = apply_to(job, now=timezone.now() - dt.timedelta(days=20))
        actions.move(
            application=a,
            to=Stage.REVIEWING,
            actor=employer,
            now=a.created_at + dt.timedelta(hours=5),
        )
    other = make_job(title="Quiet Newcomer")
    html = client.get("/jobs/").content.decode()
    pilot = html[html.index("Harbour Pilot") :]
    assert "Responds to 100% within 14 days" in pilot[: pilot.index("</li>")]
    newcomer = html[html.index(other.title) :]
    assert "New on Mapertunity" in newcomer[: newcomer.index("</li>")]


def test_map_pins_carry_the_companys_figures(client: Client, employer, company) -> None:
    job = make_job(company, title="Lock Keeper")
    for _ in range(5):
        a = apply_to(job, now=timezone.now() - dt.timedelta(days=20))
        actions.move(
            application=a,
            to=Stage.REVIEWING,
            actor=employer,
            now=a.created_at + dt.timedelta(hours=3),
        )
    features = client.get("/api/v1/map/jobs", {"bbox": "-98,30,-97,31", "zoom": 14}).json()[
        "features"
    ]
    [pin] = [f["properties"] for f in features if not f["properties"]["cluster"]]
    assert pin["title"] == "Lock Keeper"
    assert pin["responsiveness"] == "Responds to 100% within 14 days"
