"""GET /healthz for load balancers and monitors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from .health import run_checks, summary


@login_not_required
@csrf_exempt
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with every check when all pass; 503 naming the parts that failed."""
    body = summary(run_checks())
    return JsonResponse(body, status=503 if body["failed"] else 200)
