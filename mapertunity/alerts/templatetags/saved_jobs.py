"""``{% is_saved job as saved %}``: whether the signed-in user saved the job, with one
query per request however many cards a page shows."""

from __future__ import annotations

from typing import Any

from django import template

from ..models import SavedJob

register = template.Library()


@register.simple_tag(takes_context=True)
def is_saved(context: dict[str, Any], job: Any) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return False
    ids = getattr(request, "_saved_job_ids", None)
    if ids is None:
        ids = set(SavedJob.objects.for_user(user).values_list("job_id", flat=True))
        request._saved_job_ids = ids
    return job.pk in ids
