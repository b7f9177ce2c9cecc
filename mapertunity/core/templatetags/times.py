"""``{{ job.posted_at|ago }}``: how long ago, in words, with "just now" for the first minute.

Django's ``timesince`` says "0 minutes" for anything under a minute (and for a time a
moment ahead of this server's clock), which reads as a mistake on a fresh job.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def ago(value: dt.datetime | None, now: dt.datetime | None = None) -> str:
    if value is None:
        return ""
    now = now or timezone.now()
    if now - value < dt.timedelta(minutes=1):
        return "just now"
    return f"{timesince(value, now)} ago"
