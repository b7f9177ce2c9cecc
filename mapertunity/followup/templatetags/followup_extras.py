"""Dates as a person reads them: today, tomorrow, overdue since Monday."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from .. import drafts
from ..models import Step

register = template.Library()


def day_label(day: dt.date, today: dt.date) -> str:
    if day == today:
        return "Today"
    if day == today + dt.timedelta(days=1):
        return "Tomorrow"
    if day == today - dt.timedelta(days=1):
        return "Yesterday"
    label = f"{day:%a} {day.day} {day:%b}"
    return label if day.year == today.year else f"{label} {day.year}"


@register.simple_tag
def due(day: dt.date, today: dt.date, state: str = "open") -> SafeString:
    """The step's day in a <time>, marked overdue when it passed while still to do."""
    label = day_label(day, today)
    if state == "open" and day < today:
        return format_html(
            '<time datetime="{}" class="overdue">Overdue · {}</time>', day.isoformat(), label
        )
    css = "today" if state == "open" and day == today else ""
    return format_html('<time datetime="{}" class="{}">{}</time>', day.isoformat(), css, label)


@register.simple_tag
def linkedin_note(step: Step) -> str:
    """The short note suggested for a LinkedIn connection request."""
    return drafts.linkedin_note(step)


@register.filter
def zone_label(name: str) -> str:
    """A time zone's name as people read it: "America/Los Angeles"."""
    return name.replace("_", " ")
