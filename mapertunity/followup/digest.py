"""The daily digest: what each candidate has to do today, sent once per local day.

``send_due_digests`` is safe to run every few minutes from any number of workers: a
candidate's day is claimed by a conditional UPDATE of ``last_digest_on`` before anything is
sent, and the email itself goes through the outbox under a key naming the person and day.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from . import emails
from .models import CoachSettings, Contact, Interview, Step

logger = logging.getLogger(__name__)


@dataclass
class Day:
    """One person's follow-up for one local day."""

    coach: CoachSettings
    today: dt.date
    due: list[Step] = field(default_factory=list)
    overdue: list[Step] = field(default_factory=list)
    check_ins: list[Contact] = field(default_factory=list)
    interviews: list[Interview] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.due or self.overdue or self.check_ins or self.interviews)

    @property
    def count(self) -> int:
        return len(self.due) + len(self.overdue) + len(self.check_ins)


def day_for(coach: CoachSettings, *, now: dt.datetime) -> Day:
    today = coach.today(now)
    user = coach.user
    steps = list(
        Step.objects.for_user(user)
        .due_by(today)
        .select_related("interview", "interviewer__contact")
        .order_by("due_on", "position")
    )
    start = dt.datetime.combine(today, dt.time.min, tzinfo=coach.tz)
    return Day(
        coach=coach,
        today=today,
        due=[s for s in steps if s.due_on == today],
        overdue=[s for s in steps if s.due_on < today],
        check_ins=list(Contact.objects.for_user(user).check_in_due(today)),
        interviews=list(
            Interview.objects.for_user(user).filter(
                starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1)
            )
        ),
    )


def _people_with_something_due(now: dt.datetime) -> set[int]:
    """Who may have a digest today somewhere on Earth (a day either side of UTC's)."""
    horizon = (now + dt.timedelta(days=1)).date()
    owners = set(
        Step.objects.due_by(horizon).values_list("interview__owner_id", flat=True).distinct()
    )
    owners |= set(
        Contact.objects.check_in_due(horizon).values_list("owner_id", flat=True).distinct()
    )
    owners |= set(
        Interview.objects.filter(
            starts_at__gte=now - dt.timedelta(days=1), starts_at__lt=now + dt.timedelta(days=2)
        )
        .values_list("owner_id", flat=True)
        .distinct()
    )
    return owners


def send_due_digests(*, now: dt.datetime | None = None) -> int:
    """Send today's digest to everyone past their digest hour who has something to do and
    has not had one today. Returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    owners = _people_with_something_due(now)
    for coach in CoachSettings.objects.filter(user_id__in=owners).select_related("user"):
        local = now.astimezone(coach.tz)
        today = local.date()
        if local.hour < coach.digest_hour or coach.last_digest_on == today:
            continue
        day = day_for(coach, now=now)
        if day.is_empty:
            continue  # not claimed: a step recorded later today can still have its digest
        previous = coach.last_digest_on
        claimed = (
            CoachSettings.objects.filter(pk=coach.pk)
            .filter(Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=today))
            .update(last_digest_on=today)
        )
        if not claimed:
            continue  # another worker has this person's day
        try:
            if emails.digest(day):
                sent += 1
        except Exception:
            # Give the day back so the next run tries again (the outbox key stops a repeat).
            CoachSettings.objects.filter(pk=coach.pk, last_digest_on=today).update(
                last_digest_on=previous
            )
            raise
    if sent:
        logger.info("Sent %d follow-up digests", sent)
    return sent
