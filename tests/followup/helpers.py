"""Small factories for follow-up: a candidate with a time zone, interviews with people."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from mapertunity.accounts.models import User
from mapertunity.applications.models import Application
from mapertunity.followup import actions
from mapertunity.followup.models import CoachSettings, Interview

NY = "America/New_York"
ANA = actions.Person(
    name="Ana Ruiz",
    title="Operations Manager",
    email="ana.ruiz@harbor.example.com",
    topics="the new cross-dock in Leeds; her years running night shifts",
)
BEN = actions.Person(
    name="Ben Okafor",
    title="Shift Lead",
    email="ben@harbor.example.com",
    topics="the forklift safety programme",
)


def local(tz: str, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo(tz))


def set_zone(user: User, tz: str = NY) -> CoachSettings:
    coach, _ = CoachSettings.objects.update_or_create(user=user, defaults={"time_zone": tz})
    return coach


def record(
    owner: User,
    *,
    starts_at: dt.datetime,
    people: tuple[actions.Person, ...] = (ANA, BEN),
    application: Application | None = None,
    tz: str = NY,
    now: dt.datetime | None = None,
    **facts: Any,
) -> Interview:
    set_zone(owner, tz)
    values: dict[str, Any] = {
        "company_name": "Harbor Freight Co-op",
        "role": "Warehouse Lead",
        "starts_at": starts_at,
        "time_zone": tz,
    }
    values.update(facts)
    return actions.record_interview(
        owner=owner,
        facts=actions.Facts(**values),
        people=people,
        application=application,
        now=now or starts_at + dt.timedelta(hours=2),
    )
