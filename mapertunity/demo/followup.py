"""Demo follow-up: the demo candidate's past interview from their application at
"interviewing", with two interviewers and a plan in progress (thank-yous sent, one LinkedIn
request made, the follow-up waiting for its day), and an interview coming up for a job
found elsewhere.

Written through followup's actions, so the plan follows the real rules; the steps already
done are then marked as done directly, and nothing is emailed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.applications.models import Application
from mapertunity.applications.stages import Stage
from mapertunity.followup import actions
from mapertunity.followup.models import Draft, Interview, Step

from .candidates import CANDIDATE_EMAIL

TIME_ZONE = "America/Los_Angeles"
"""The demo candidate lives in Portland, Oregon."""

PANEL = (
    actions.Person(
        name="Marisol Vega",
        title="Executive Chef",
        email="marisol.vega@example.com",
        linkedin_url="https://www.linkedin.com/in/marisol-vega-demo",
        topics="moving the menu to a seasonal, local supply; how she trains new line cooks",
    ),
    actions.Person(
        name="Theo Lindqvist",
        title="General Manager",
        email="theo.lindqvist@example.com",
        topics="keeping food costs under 30% without cutting portions; weekend brunch rush",
    ),
)
RECRUITER = actions.Person(
    name="Priya Natarajan",
    title="Talent Partner",
    email="priya.natarajan@example.com",
    topics="",
)
BAKERY_AD = (
    "Kitchen Lead for our new bakery café. You will run the morning team, plan menus around "
    "what our growers bring in, keep food safety records spotless and hold food cost "
    "control to target."
)


@dataclass(frozen=True)
class Summary:
    interviews: int
    steps: int
    contacts: int


def followup_loaded() -> bool:
    return Interview.objects.filter(owner__email=CANDIDATE_EMAIL).exists()


def _at(day: dt.date, hour: int, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=tz)


def load_followup_demo(*, now: dt.datetime | None = None) -> Summary:
    now = now or timezone.now()
    me = User.objects.filter(email=CANDIDATE_EMAIL).first()
    if me is None:
        return Summary(0, 0, 0)
    tz = ZoneInfo(TIME_ZONE)
    actions.settings_for(me, time_zone=TIME_ZONE)
    today = now.astimezone(tz).date()
    application = (
        Application.objects.filter(candidate__user=me, stage=Stage.INTERVIEWING)
        .select_related("job__company", "candidate__user")
        .first()
    )
    with transaction.atomic():
        if application is not None:
            _past_interview(me, application, _at(today - dt.timedelta(days=4), 10, tz), now)
        upcoming = _at(today + dt.timedelta(days=3), 14, tz)
        actions.record_interview(
            owner=me,
            facts=actions.Facts(
                company_name="Rising Loaf Bakery Café",
                role="Kitchen Lead",
                starts_at=upcoming.astimezone(dt.UTC),
                time_zone=TIME_ZONE,
                duration_minutes=45,
                format="video",
                location="https://meet.example.com/rising-loaf",
                next_steps="Priya said a tasting day with the owners would follow.",
                job_text=BAKERY_AD,
                strengths="food safety, menu planning, food cost control",
            ),
            people=(RECRUITER,),
            now=now,
        )
    return Summary(
        interviews=Interview.objects.filter(owner=me).count(),
        steps=Step.objects.filter(interview__owner=me).count(),
        contacts=me.contacts.count(),
    )


def _past_interview(
    me: User, application: Application, starts_at: dt.datetime, now: dt.datetime
) -> Interview:
    job = application.job
    interview = actions.record_interview(
        owner=me,
        application=application,
        facts=actions.Facts(
            company_name=job.company.name,
            role=job.title,
            starts_at=starts_at.astimezone(dt.UTC),
            time_zone=TIME_ZONE,
            duration_minutes=90,
            format="video",
            next_steps=application.next_step or "They will call the finalists.",
            decision_expected_on=application.decision_expected_on,
            to_say="I forgot to mention that I hold a current ServSafe Manager certificate.",
            strengths="menu planning, food cost control, food safety",
        ),
        people=PANEL,
        now=starts_at + dt.timedelta(hours=3),
    )
    sent_at = starts_at + dt.timedelta(hours=5)
    for draft in Draft.objects.filter(step__interview=interview, step__kind=Step.Kind.THANK_YOU):
        draft.sent_at, draft.sent_to, draft.edited = sent_at, draft.contact.email, True
        draft.save(update_fields=["sent_at", "sent_to", "edited"])
    steps = interview.steps
    steps.filter(kind=Step.Kind.THANK_YOU).update(state=Step.State.DONE, done_at=sent_at)
    steps.filter(kind=Step.Kind.NOTE).update(state=Step.State.SKIPPED, done_at=sent_at)
    steps.filter(kind=Step.Kind.LINKEDIN, interviewer__contact__name=PANEL[0].name).update(
        state=Step.State.DONE, done_at=sent_at + dt.timedelta(days=1)
    )
    return interview
