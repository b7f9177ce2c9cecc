"""The date rules of the follow-up plan: pure functions of the interview's time, the
candidate's time zone and the employer's decision date. No database here.

Every date is a day on the candidate's own calendar (their time zone), worked out from
local dates rather than by adding hours, so a change of clocks (DST) never moves a step
to another day.

- Thank-you email to each interviewer: before the end of the candidate's local day, or
  within 24 hours when the interview ends in the evening (18:00 or later).
- Handwritten note (optional): posted the working day after the thank-you is due.
- Thank-you call (optional): the next working day.
- LinkedIn connection request to each interviewer: the next day.
- One follow-up email when nothing is heard: never before 7 days, never after 14; two
  working days after the decision date when that falls inside or after the window,
  else on the first working day of the window. Never on a weekend.
- About a month on, if still silent: marked likely closed, keep-in-touch reminders start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

EVENING = dt.time(18, 0)
"""An interview ending at or after this local time gets 24 hours for the thank-you."""
END_OF_DAY = dt.time(23, 59)
FOLLOW_UP_EARLIEST_DAYS = 7
FOLLOW_UP_LATEST_DAYS = 14
WORKING_DAYS_AFTER_DECISION = 2
QUIET_AFTER_DAYS = 30
"""After this long without a word the outcome is likely closed."""
QUIET_AFTER_FOLLOW_UP_DAYS = 14


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself if it is a weekday, else the Monday after."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def previous_working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``day``."""
    while count > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def thank_you_deadline(ends_at: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """When the thank-you emails should be out: the end of the candidate's local day, or
    24 hours after an evening interview ends."""
    local_end = ends_at.astimezone(tz)
    if local_end.time() >= EVENING:
        # In UTC: aware arithmetic in one zone adds wall-clock hours, not real ones.
        return ends_at.astimezone(dt.UTC) + dt.timedelta(hours=24)
    return dt.datetime.combine(local_end.date(), END_OF_DAY, tzinfo=tz)


def follow_up_due(interview_day: dt.date, decision_on: dt.date | None) -> dt.date:
    """The day for the one follow-up email, inside [day + 7, day + 14] and on a weekday."""
    earliest = next_working_day(interview_day + dt.timedelta(days=FOLLOW_UP_EARLIEST_DAYS))
    latest = previous_working_day(interview_day + dt.timedelta(days=FOLLOW_UP_LATEST_DAYS))
    if decision_on is None or decision_on < interview_day + dt.timedelta(
        days=FOLLOW_UP_EARLIEST_DAYS
    ):
        return earliest
    return min(max(add_working_days(decision_on, WORKING_DAYS_AFTER_DECISION), earliest), latest)


def quiet_on(interview_day: dt.date, follow_up_on: dt.date) -> dt.date:
    """When silence means the outcome is likely closed: about a month on, and at least two
    weeks after the follow-up."""
    return next_working_day(
        max(
            interview_day + dt.timedelta(days=QUIET_AFTER_DAYS),
            follow_up_on + dt.timedelta(days=QUIET_AFTER_FOLLOW_UP_DAYS),
        )
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def check_in_due(day: dt.date, months: int) -> dt.date:
    """A keep-in-touch reminder ``months`` after ``day``, on a working day."""
    return next_working_day(add_months(day, months))


Person = TypeVar("Person")


@dataclass(frozen=True)
class Planned(Generic[Person]):
    """One step as the rules place it."""

    key: str
    kind: str
    due_on: dt.date
    person: Person | None = None
    due_at: dt.datetime | None = None
    optional: bool = False
    position: int = 0


def plan(
    *,
    starts_at: dt.datetime,
    duration: dt.timedelta,
    tz: ZoneInfo,
    decision_on: dt.date | None,
    people: Sequence[tuple[str, Person]],
) -> list[Planned[Person]]:
    """Every step for one interview. ``people`` are (stable key, person) pairs, one per
    interviewer, in the order met; the key makes each step's ``key``."""
    ends_at = starts_at + duration
    day = starts_at.astimezone(tz).date()
    deadline = thank_you_deadline(ends_at, tz)
    thank_you_on = deadline.astimezone(tz).date()
    follow_up_on = follow_up_due(day, decision_on)
    steps: list[Planned[Person]] = []
    for n, (key, person) in enumerate(people):
        steps.append(
            Planned(f"thank_you:{key}", "thank_you", thank_you_on, person, deadline, position=n)
        )
    steps.append(
        Planned(
            "note",
            "note",
            add_working_days(thank_you_on, 1),
            optional=True,
            position=100,
        )
    )
    steps.append(Planned("call", "call", add_working_days(day, 1), optional=True, position=101))
    for n, (key, person) in enumerate(people):
        steps.append(
            Planned(
                f"linkedin:{key}",
                "linkedin",
                day + dt.timedelta(days=1),
                person,
                position=200 + n,
            )
        )
    steps.append(Planned("follow_up", "follow_up", follow_up_on, position=300))
    steps.append(Planned("wrap_up", "wrap_up", quiet_on(day, follow_up_on), position=400))
    return steps
