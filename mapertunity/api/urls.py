"""The JSON API under /api/v1/: every answer, errors included, is JSON with a `detail`."""

import logging

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .applications import router as applications_router
from .auth import rate_limited
from .candidates import router as candidates_router
from .errors import APIError, error_body
from .jobs import employer_router as employer_jobs_router
from .jobs import router as jobs_router
from .map import bbox_problem
from .map import router as map_router
from .text import MESSAGES as PATTERN_MESSAGES

log = logging.getLogger(__name__)


class API(NinjaAPI):
    """Ninja's API plus a last URL pattern answering unknown paths with JSON."""

    def _get_urls(self) -> list[URLPattern | URLResolver]:
        return [*super()._get_urls(), re_path(r"^.*$", not_found)]


def not_found(request: HttpRequest) -> HttpResponse:
    return api.create_response(request, {"detail": "No such API endpoint."}, status=404)


api = API(
    title="Mapertunity API",
    version="1",
    description=(
        "Jobs on the map, job search, and for employers their jobs and applications.\n\n"
        "Employer operations take a personal token (make one on the site under "
        "Employers › API tokens) as `Authorization: Bearer mpt_…`; a read-only token may "
        "only read. Lists are paged by cursor: pass a page's `next_cursor` as `cursor`.\n\n"
        'Every error is JSON: `{"detail": "…"}`, with `errors` (messages by field) when '
        "particular fields are at fault. Past the rate limits (per IP address and per "
        "token, a minute each) the answer is a 429 with `Retry-After` in seconds."
    ),
    urls_namespace="api",
)


def _field(loc: list) -> str:
    """``["body", "body", "title"]`` → ``title``: the field as the client named it."""
    parts = [str(part) for part in loc[1:]]
    if len(parts) > 1 and parts[0] in ("body", "params"):
        parts = parts[1:]
    return ".".join(parts) or "request"


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Bad parameters or body are a 400 with one readable sentence and the messages by
    field, not ninja's 422 list."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        name = _field(list(error.get("loc", [])))
        message = str(error.get("msg", "invalid value"))
        if error.get("type") == "string_pattern_mismatch" and name == "bbox":
            message = bbox_problem(request.GET.get("bbox", ""))
        elif error.get("type") == "string_pattern_mismatch":
            pattern = str((error.get("ctx") or {}).get("pattern", ""))
            message = PATTERN_MESSAGES.get(pattern, message)
        errors.setdefault(name, []).append(message)
    detail = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in errors.items())
    return api.create_response(request, error_body(detail, errors), status=400)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    errors = exc.errors if isinstance(exc, APIError) else None
    return api.create_response(request, error_body(str(exc), errors), status=exc.status_code)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = (
        "Send a valid API token as “Authorization: Bearer mpt_…”; this one is missing, "
        "unknown or revoked."
    )
    response = api.create_response(request, {"detail": detail}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug is still a JSON answer (logged with its traceback), never Django's HTML page."""
    log.exception("API error on %s", request.get_full_path())
    detail = "Something went wrong on our side; it has been logged. Please try again."
    return api.create_response(request, {"detail": detail}, status=500)


api.add_decorator(rate_limited, mode="view")
api.add_router("/map/", map_router)
api.add_router("/map/", candidates_router)
api.add_router("/", jobs_router)
api.add_router("/employer/", employer_jobs_router)
api.add_router("/employer/", applications_router)
