"""iCalendar: a feed per candidate that calendars subscribe to, and a one-off file per
interview.

Each step is a VEVENT (calendars ignore VTODO in subscriptions) on its due day, with a UID
made from the step's id, which re-planning never changes, and a SEQUENCE that grows with
every change. Subscribed feeds drop alarms, so the feed carries none (the digest email is the
reminder); the one-off download does, because it is imported once, alarms and all.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from icalendar import Alarm, Calendar, Event, vDuration

from mapertunity.core.links import absolute_url

from .models import CoachSettings, Contact, Interview, Step

REFRESH = dt.timedelta(hours=1)
PAST_INTERVIEWS = dt.timedelta(days=120)
"""Interviews older than this leave the feed, once nothing is left to do for them."""
MORNING = dt.time(9, 0)


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", f"-//{settings.SITE_NAME}//Interview follow-up//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    # An x-property is text to the library; vDuration writes it as PT1H, as Outlook reads it.
    cal.add("x-published-ttl", vDuration(REFRESH))
    return cal


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


def interview_event(interview: Interview) -> Event:
    event = Event()
    event.add("uid", f"interview-{interview.pk}@{_host()}")
    event.add("dtstamp", _utc(interview.updated_at))
    event.add("last-modified", _utc(interview.updated_at))
    event.add("dtstart", _utc(interview.starts_at))
    event.add("dtend", _utc(interview.ends_at))
    event.add("summary", f"Interview: {interview.role} at {interview.company_name}")
    if interview.location:
        event.add("location", interview.location)
    url = absolute_url(interview.get_absolute_url())
    lines = [f"{interview.get_format_display()}."]
    if interview.starts_at > timezone.now():
        lines.append(
            "Before you leave, ask what happens next and when they expect to decide, and "
            "note the name, title and email of everyone you meet."
        )
    lines.append(f"Your plan: {url}")
    event.add("description", "\n".join(lines))
    event.add("url", url)
    return event


def step_event(step: Step) -> Event:
    interview = step.interview
    event = Event()
    event.add("uid", f"step-{step.pk}@{_host()}")
    event.add("dtstamp", _utc(step.updated_at))
    event.add("last-modified", _utc(step.updated_at))
    event.add("sequence", step.revision)
    event.add("dtstart", step.due_on)
    event.add("dtend", step.due_on + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("summary", f"{step.title} ({interview.company_name})")
    url = absolute_url(interview.get_absolute_url())
    lines = [f"After your interview for {interview.role} at {interview.company_name}."]
    if step.due_at is not None:
        local = step.due_at.astimezone(interview.owner.coach_settings.tz)
        lines.append(f"Best sent by {local:%H:%M} on {local:%A}.")
    if step.optional:
        lines.append("Optional.")
    lines.append(f"Open the plan: {url}")
    event.add("description", "\n".join(lines))
    event.add("url", url)
    return event


def check_in_event(contact: Contact) -> Event:
    assert contact.next_check_in_on is not None
    event = Event()
    event.add("uid", f"check-in-{contact.pk}@{_host()}")
    event.add("dtstamp", _utc(contact.updated_at))
    event.add("dtstart", contact.next_check_in_on)
    event.add("dtend", contact.next_check_in_on + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("summary", f"Say hello to {contact.name}")
    url = absolute_url(contact.get_absolute_url())
    event.add("description", f"A short, friendly check-in keeps the connection alive.\n{url}")
    event.add("url", url)
    return event


def feed(coach: CoachSettings, *, now: dt.datetime | None = None) -> bytes:
    """Everything coming up and still to do, for a calendar subscription."""
    now = now or timezone.now()
    user = coach.user
    cal = _calendar(f"Interview follow-up · {settings.SITE_NAME}")
    interviews = Interview.objects.for_user(user).filter(
        Q(starts_at__gte=now - PAST_INTERVIEWS) | Q(steps__state=Step.State.OPEN)
    )
    for interview in interviews.distinct().order_by("starts_at"):
        cal.add_component(interview_event(interview))
    steps = (
        Step.objects.for_user(user)
        .open()
        .exclude(kind=Step.Kind.WRAP_UP)
        .select_related("interview__owner__coach_settings", "interviewer__contact")
    )
    for step in steps:
        cal.add_component(step_event(step))
    for contact in Contact.objects.for_user(user).filter(
        check_in_months__gt=0, next_check_in_on__isnull=False
    ):
        cal.add_component(check_in_event(contact))
    return cal.to_ical()


def _alarm(text: str, trigger: dt.timedelta | dt.datetime) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", _utc(trigger) if isinstance(trigger, dt.datetime) else trigger)
    return alarm


def reminder_at(step: Step, coach: CoachSettings) -> dt.datetime:
    """When the one-off file's alarm for a step rings: half an hour after the interview
    for the same-day thank-yous, else nine in the morning on the day."""
    if step.due_at is not None:
        return min(step.interview.ends_at + dt.timedelta(minutes=30), step.due_at)
    return dt.datetime.combine(step.due_on, MORNING, tzinfo=coach.tz)


def interview_file(interview: Interview, coach: CoachSettings) -> bytes:
    """The interview and its open steps, with alarms, to import once."""
    cal = _calendar(f"{interview.role} at {interview.company_name}")
    event = interview_event(interview)
    event.add_component(_alarm("Interview tomorrow", -dt.timedelta(days=1)))
    event.add_component(_alarm("Interview in an hour", -dt.timedelta(hours=1)))
    cal.add_component(event)
    steps = (
        interview.steps.open()
        .exclude(kind=Step.Kind.WRAP_UP)
        .select_related("interview__owner__coach_settings", "interviewer__contact")
    )
    for step in steps:
        event = step_event(step)
        event.add_component(_alarm(step.title, reminder_at(step, coach)))
        cal.add_component(event)
    return cal.to_ical()


def feed_path(coach: CoachSettings) -> str:
    return reverse("followup:feed", kwargs={"token": coach.feed_token})
