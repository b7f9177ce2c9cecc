"""Follow-up workflows: record an interview and the people met, keep its plan in step with
the facts, tick steps off, send a draft, hear back, and let a quiet month close it kindly.

Emails are tasks enqueued on commit. The plan's dates come from plan.py alone.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.applications.models import Application
from mapertunity.applications.stages import Stage
from mapertunity.candidates.models import CandidateProfile
from mapertunity.core import ratelimit
from mapertunity.core.tasks import enqueue_on_commit

from . import drafts, plan, zones
from .models import CoachSettings, Contact, Draft, Interview, Interviewer, Step, new_feed_token

logger = logging.getLogger(__name__)

SEND_DRAFT = "mapertunity.followup.tasks.send_draft_email"
DECIDED = (Stage.OFFER, Stage.HIRED, Stage.NOT_SELECTED)
"""Stages that answer the question a follow-up email would ask."""
CHASING = (Step.Kind.FOLLOW_UP, Step.Kind.WRAP_UP)
"""Steps that only make sense while nothing has been heard."""
SENDS_PER_DAY = 30
"""Emails one person may send through the site's mail in a day: plenty for thank-yous,
too few to make the site worth using for anything else."""


class FollowupError(ValidationError):
    """Why something can't be done, in words for the candidate."""


@dataclass(frozen=True)
class Person:
    """Someone met at the interview, as typed. ``interviewer_id`` names the row being
    edited, when it is one."""

    name: str
    title: str = ""
    email: str = ""
    phone: str = ""
    linkedin_url: str = ""
    topics: str = ""
    interviewer_id: UUID | None = None


@dataclass(frozen=True)
class Facts:
    """What the candidate knows about the interview."""

    company_name: str
    role: str
    starts_at: dt.datetime
    time_zone: str
    duration_minutes: int = 60
    format: str = Interview.Format.VIDEO
    location: str = ""
    next_steps: str = ""
    decision_expected_on: dt.date | None = None
    job_text: str = ""
    to_say: str = ""
    strengths: str = ""


# -- settings ---------------------------------------------------------------------------


def guess_time_zone(user: User) -> str:
    """The candidate's home city's time zone, else the site's."""
    profile = CandidateProfile.objects.filter(user=user).first()
    if profile is not None:
        found = zones.near(profile.home_lat, profile.home_lng, profile.home_country)
        if found:
            return found
    return settings.TIME_ZONE


def settings_for(user: User, *, time_zone: str | None = None) -> CoachSettings:
    """The person's follow-up settings, made on first use with a guessed time zone."""
    found = CoachSettings.objects.filter(user=user).first()
    if found is not None:
        return found
    coach, _ = CoachSettings.objects.get_or_create(
        user=user, defaults={"time_zone": time_zone or guess_time_zone(user)}
    )
    return coach


def update_settings(
    *, coach: CoachSettings, time_zone: str, digest_hour: int, now: dt.datetime | None = None
) -> CoachSettings:
    """Change the time zone or digest hour; the open steps move to the new local days."""
    changed_zone = coach.time_zone != time_zone
    coach.time_zone, coach.digest_hour = time_zone, digest_hour
    coach.save(update_fields=["time_zone", "digest_hour"])
    if changed_zone:
        for interview in Interview.objects.filter(owner=coach.user):
            sync_plan(interview, now=now)
    return coach


def rotate_feed(*, coach: CoachSettings) -> CoachSettings:
    """A new secret for the calendar feed: the old address stops working at once."""
    coach.feed_token = new_feed_token()
    coach.save(update_fields=["feed_token"])
    return coach


# -- interviews and people ----------------------------------------------------------------


def record_interview(
    *,
    owner: User,
    facts: Facts,
    people: Sequence[Person] = (),
    application: Application | None = None,
    now: dt.datetime | None = None,
) -> Interview:
    """Record an interview (from an application, or for a job found elsewhere), the people
    met, and work out its plan."""
    now = now or timezone.now()
    if application is not None and application.candidate.user_id != owner.pk:
        raise FollowupError("That application isn't yours.")
    settings_for(owner, time_zone=facts.time_zone)
    with transaction.atomic():
        interview = Interview(owner=owner, application=application, created_at=now)
        _apply_facts(interview, facts)
        interview.save()
        _save_people(interview, people, now=now)
        sync_plan(interview, now=now)
    return interview


def update_interview(
    *,
    interview: Interview,
    facts: Facts,
    people: Sequence[Person],
    now: dt.datetime | None = None,
) -> Interview:
    """Change the facts or the people; steps follow, dates the candidate chose stay."""
    now = now or timezone.now()
    with transaction.atomic():
        _apply_facts(interview, facts)
        interview.save()
        _save_people(interview, people, now=now)
        sync_plan(interview, now=now)
    return interview


def update_notes(*, interview: Interview, to_say: str, strengths: str) -> Interview:
    """What the candidate means to say or clarify, and the strengths to mention: the
    drafts not yet edited by hand are written again with them."""
    interview.to_say, interview.strengths = to_say.strip(), strengths.strip()
    interview.save(update_fields=["to_say", "strengths", "updated_at"])
    _refresh_drafts(interview)
    return interview


def delete_interview(*, interview: Interview) -> None:
    """The interview, its steps and drafts go; the people stay in the network."""
    interview.delete()


def _apply_facts(interview: Interview, facts: Facts) -> None:
    interview.company_name = facts.company_name.strip()
    interview.role = facts.role.strip()
    interview.starts_at = facts.starts_at
    interview.time_zone = facts.time_zone
    interview.duration_minutes = facts.duration_minutes
    interview.format = facts.format
    interview.location = facts.location.strip()
    interview.next_steps = facts.next_steps.strip()
    interview.decision_expected_on = facts.decision_expected_on
    interview.job_text = facts.job_text.strip()
    interview.to_say = facts.to_say.strip()
    interview.strengths = facts.strengths.strip()


def _find_contact(owner: User, person: Person, company: str) -> Contact | None:
    """The same person met before: by email, else by name at the same company."""
    people = Contact.objects.filter(owner=owner)
    if person.email:
        return people.annotate(e=Lower("email")).filter(e=person.email.lower()).first()
    return people.filter(name__iexact=person.name.strip(), company__iexact=company).first()


def _save_people(interview: Interview, people: Sequence[Person], *, now: dt.datetime) -> None:
    owner = interview.owner
    current = {m.pk: m for m in interview.interviewers.select_related("contact")}
    kept: set[UUID] = set()
    for position, person in enumerate(people):
        meeting = current.get(person.interviewer_id) if person.interviewer_id else None
        if meeting is not None:
            contact = meeting.contact
        else:
            contact = _find_contact(owner, person, interview.company_name) or Contact(
                owner=owner, created_at=now
            )
        contact.name = person.name.strip()
        contact.company = contact.company or interview.company_name
        for field in ("title", "email", "phone", "linkedin_url"):
            value = getattr(person, field).strip()
            if value or meeting is not None:
                setattr(contact, field, value)
        try:
            with transaction.atomic():
                contact.save()
        except IntegrityError:
            raise FollowupError(
                f"You already have a contact with the address {person.email}; "
                "use one row for them.",
                code="duplicate",
            ) from None
        if meeting is None:
            meeting = Interviewer.objects.filter(interview=interview, contact=contact).first()
        if meeting is None:
            meeting = Interviewer(interview=interview, contact=contact)
        elif meeting.pk in kept:
            raise FollowupError(f"{contact.name} is listed twice.", code="duplicate")
        meeting.contact = contact
        meeting.topics = person.topics.strip()
        meeting.position = position
        meeting.save()
        kept.add(meeting.pk)
    for pk, meeting in current.items():
        if pk not in kept:
            meeting.delete()  # their steps and drafts with them; the contact stays


# -- the plan -------------------------------------------------------------------------------


def sync_plan(interview: Interview, *, now: dt.datetime | None = None) -> None:
    """Work the steps out again from the rules. Steps are kept by rule (kind and person), so
    their ids, and the calendar UIDs made from them, never change; open steps move to
    their new dates unless the candidate set a date; a removed person's steps go."""
    coach = settings_for(interview.owner)
    meetings = list(interview.interviewers.select_related("contact"))
    planned = plan.plan(
        starts_at=interview.starts_at,
        duration=dt.timedelta(minutes=interview.duration_minutes),
        tz=coach.tz,
        decision_on=interview.decision_expected_on,
        people=[(str(m.pk), m) for m in meetings],
    )
    existing = {s.key: s for s in interview.steps.all()}
    for p in planned:
        step = existing.pop(p.key, None)
        if step is None:
            state, note = Step.State.OPEN, ""
            if p.kind in CHASING and interview.status != Interview.Status.WAITING:
                state, note = Step.State.ENDED, interview.heard_back_note[:200]
            Step.objects.create(
                interview=interview,
                interviewer=p.person,
                key=p.key,
                kind=p.kind,
                optional=p.optional,
                position=p.position,
                due_on=p.due_on,
                due_at=p.due_at,
                state=state,
                ended_note=note,
            )
        elif (
            step.is_open
            and not step.rescheduled
            and (step.due_on, step.due_at)
            != (
                p.due_on,
                p.due_at,
            )
        ):
            step.due_on, step.due_at = p.due_on, p.due_at
            step.revision += 1
            step.save(update_fields=["due_on", "due_at", "revision", "updated_at"])
    for step in existing.values():
        step.delete()
    _refresh_drafts(interview, now=now)


def _refresh_drafts(interview: Interview, *, now: dt.datetime | None = None) -> None:
    """A draft for every email step and person; unedited, unsent ones written afresh."""
    coach = settings_for(interview.owner)
    meetings = list(interview.interviewers.select_related("contact"))
    for step in interview.steps.filter(kind__in=[Step.Kind.THANK_YOU, Step.Kind.FOLLOW_UP]):
        contacts = (
            [m.contact for m in meetings if m.pk == step.interviewer_id]
            if step.kind == Step.Kind.THANK_YOU
            else [m.contact for m in meetings]
        )
        for contact in contacts:
            written = drafts.write(step, contact, now=now, time_zone=coach.time_zone)
            draft = Draft.objects.filter(step=step, contact=contact).first()
            if draft is None:
                Draft.objects.create(
                    step=step, contact=contact, subject=written.subject, body=written.body
                )
            elif not draft.edited and draft.sent_at is None:
                draft.subject, draft.body = written.subject, written.body
                draft.save(update_fields=["subject", "body", "updated_at"])


def set_step_state(*, step: Step, state: str, now: dt.datetime | None = None) -> Step:
    """Done, skipped, or back to do."""
    if state not in (Step.State.DONE, Step.State.SKIPPED, Step.State.OPEN):
        raise FollowupError("That isn't something a step can become.")
    if step.kind == Step.Kind.WRAP_UP and state != Step.State.OPEN:
        raise FollowupError("This one takes care of itself after a quiet month.")
    step.state = state
    step.done_at = None if state == Step.State.OPEN else (now or timezone.now())
    if state == Step.State.OPEN:
        step.ended_note = ""
    step.revision += 1
    step.save(update_fields=["state", "done_at", "ended_note", "revision", "updated_at"])
    return step


def reschedule_step(*, step: Step, due_on: dt.date) -> Step:
    """The candidate picks the day; working the plan out again keeps it."""
    if due_on < step.interview.starts_at.date() - dt.timedelta(days=1):
        raise FollowupError("Pick a day after the interview.")
    step.due_on, step.rescheduled = due_on, True
    if step.due_at is not None:
        step.due_at = None  # the new day is the deadline
    step.revision += 1
    step.save(update_fields=["due_on", "due_at", "rescheduled", "revision", "updated_at"])
    return step


# -- drafts ---------------------------------------------------------------------------------


def save_draft(*, draft: Draft, subject: str, body: str) -> Draft:
    if draft.sent_at is not None:
        raise FollowupError("This email was sent already.")
    draft.subject, draft.body = subject.strip()[:200], body.strip()[:5000]
    draft.edited = True
    draft.save(update_fields=["subject", "body", "edited", "updated_at"])
    return draft


def reset_draft(*, draft: Draft, now: dt.datetime | None = None) -> Draft:
    """Back to the draft written from the facts."""
    if draft.sent_at is not None:
        raise FollowupError("This email was sent already.")
    coach = settings_for(draft.step.interview.owner)
    written = drafts.write(draft.step, draft.contact, now=now, time_zone=coach.time_zone)
    draft.subject, draft.body, draft.edited = written.subject, written.body, False
    draft.save(update_fields=["subject", "body", "edited", "updated_at"])
    return draft


def send_draft(
    *, draft: Draft, to: str, subject: str, body: str, now: dt.datetime | None = None
) -> Draft:
    """Send the candidate's email through the site's mail: from the site on their behalf,
    Reply-To them, a copy to them. Marks the step done. At most once per draft."""
    now = now or timezone.now()
    owner = draft.step.interview.owner
    to, subject, body = to.strip(), subject.strip(), body.strip()
    try:
        validate_email(to)
    except ValidationError:
        raise FollowupError("Enter the email address to send it to.", code="to") from None
    if not subject or not body:
        raise FollowupError("Write a subject and a message first.", code="empty")
    if draft.sent_at is not None:
        raise FollowupError("This email was sent already.", code="sent")
    if not owner.has_verified_email:
        raise FollowupError(
            "Confirm your own email address first, so replies reach you.", code="unverified"
        )
    if not ratelimit.allow(
        "followup-send", str(owner.pk), limit=SENDS_PER_DAY, window_seconds=86400
    ):
        raise FollowupError(
            "You've sent a lot of emails through the site today; copy this one into your own "
            "mail instead, or send it tomorrow.",
            code="limit",
        )
    with transaction.atomic():
        claimed = Draft.objects.filter(pk=draft.pk, sent_at__isnull=True).update(
            subject=subject[:200],
            body=body[:5000],
            edited=True,
            sent_at=now,
            sent_to=to,
            updated_at=now,
        )
        if not claimed:
            raise FollowupError("This email was sent already.", code="sent")
        if not draft.contact.email:
            Contact.objects.filter(pk=draft.contact_id).update(email=to)
        step = draft.step
        if step.is_open:
            set_step_state(step=step, state=Step.State.DONE, now=now)
        enqueue_on_commit(SEND_DRAFT, str(draft.pk))
    draft.refresh_from_db()
    return draft


# -- hearing back ---------------------------------------------------------------------------


def heard_back(
    *,
    interview: Interview,
    note: str,
    now: dt.datetime | None = None,
    decided: bool = False,
) -> int:
    """They answered: no follow-up to chase, no quiet month to wait for. On a decision the
    people met join the keep-in-touch rhythm at once. Returns how many steps ended."""
    now = now or timezone.now()
    with transaction.atomic():
        ended = (
            interview.steps.open()
            .filter(kind__in=CHASING)
            .update(
                state=Step.State.ENDED,
                ended_note=note[:200],
                done_at=now,
                revision=F("revision") + 1,
                updated_at=now,
            )
        )
        Interview.objects.filter(pk=interview.pk).update(
            status=Interview.Status.REPLIED, heard_back_note=note[:300], updated_at=now
        )
        Interview.objects.filter(pk=interview.pk, heard_back_at__isnull=True).update(
            heard_back_at=now
        )
        if decided:
            _start_keeping_in_touch(interview, settings_for(interview.owner).today(now))
    interview.refresh_from_db()
    return ended


def employer_replied(*, application_id: UUID | str, what: str, at: dt.datetime) -> int:
    """The employer moved the application or wrote on it: every interview of it that had
    already taken place hears back. Called by the task applications enqueue."""
    application = (
        Application.objects.select_related("job__company", "candidate__user")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return 0
    owner = application.candidate.user
    interviews = Interview.objects.filter(application=application, owner=owner, starts_at__lte=at)
    if not interviews.exists():
        return 0
    day = at.astimezone(settings_for(owner).tz)
    company = application.job.company.name
    when = f"{day:%A} {day.day} {day:%B}"
    if what == "message":
        note = f"{company} wrote to you on {when}."
    else:
        note = f"{company} moved your application to “{application.get_stage_display()}” on {when}."
    decided = application.stage in DECIDED
    return sum(heard_back(interview=i, note=note, now=at, decided=decided) for i in interviews)


def wrap_up_quiet(*, now: dt.datetime | None = None) -> int:
    """Interviews a month old with no word: likely closed, said kindly, and the people met
    get keep-in-touch reminders. Each is claimed by a conditional UPDATE, so two workers
    running this at once wrap each one up once."""
    now = now or timezone.now()
    horizon = (now + dt.timedelta(days=1)).date()
    due = Step.objects.open().filter(kind=Step.Kind.WRAP_UP, due_on__lte=horizon)
    wrapped = 0
    for step in due.select_related("interview__owner"):
        interview = step.interview
        today = settings_for(interview.owner).today(now)
        if step.due_on > today:
            continue
        with transaction.atomic():
            claimed = Step.objects.filter(pk=step.pk, state=Step.State.OPEN).update(
                state=Step.State.DONE, done_at=now, revision=F("revision") + 1, updated_at=now
            )
            if not claimed:
                continue
            note = "A month went by without news, so this one is probably closed."
            interview.steps.open().filter(kind=Step.Kind.FOLLOW_UP).update(
                state=Step.State.ENDED, ended_note=note, revision=F("revision") + 1
            )
            Interview.objects.filter(pk=interview.pk, status=Interview.Status.WAITING).update(
                status=Interview.Status.QUIET, heard_back_note=note, updated_at=now
            )
            _start_keeping_in_touch(interview, today)
        wrapped += 1
    if wrapped:
        logger.info("Wrapped up %d quiet interviews", wrapped)
    return wrapped


def _start_keeping_in_touch(interview: Interview, today: dt.date) -> None:
    for contact in Contact.objects.filter(meetings__interview=interview, check_in_months__gt=0):
        due = plan.check_in_due(today, contact.check_in_months)
        if contact.next_check_in_on is None or contact.next_check_in_on > due:
            contact.next_check_in_on = due
            contact.save(update_fields=["next_check_in_on", "updated_at"])


# -- the network ----------------------------------------------------------------------------


def update_contact(
    *,
    contact: Contact,
    name: str,
    title: str,
    company: str,
    email: str,
    phone: str,
    linkedin_url: str,
    notes: str,
    check_in_months: int,
    next_check_in_on: dt.date | None,
    today: dt.date,
) -> Contact:
    """Edit a person; turning keep-in-touch on schedules the first check-in."""
    contact.name, contact.title, contact.company = name.strip(), title.strip(), company.strip()
    contact.email, contact.phone = email.strip(), phone.strip()
    contact.linkedin_url, contact.notes = linkedin_url.strip(), notes.strip()
    contact.check_in_months = check_in_months
    if not check_in_months:
        next_check_in_on = None
    elif (
        next_check_in_on is None
        and contact.meetings.filter(
            Q(interview__status__in=[Interview.Status.QUIET, Interview.Status.REPLIED])
        ).exists()
    ):
        next_check_in_on = plan.check_in_due(today, check_in_months)
    contact.next_check_in_on = next_check_in_on
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError:
        raise FollowupError(
            "Another of your contacts has that email address.", code="duplicate"
        ) from None
    return contact


def checked_in(*, contact: Contact, today: dt.date) -> Contact:
    """The candidate said hello: the next check-in is a few months on (or none)."""
    contact.next_check_in_on = (
        plan.check_in_due(today, contact.check_in_months) if contact.check_in_months else None
    )
    contact.save(update_fields=["next_check_in_on", "updated_at"])
    return contact


def delete_contact(*, contact: Contact) -> None:
    """Forget the person: their contact details, notes, steps and drafts."""
    contact.delete()
