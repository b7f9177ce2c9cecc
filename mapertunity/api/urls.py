"""The JSON API under /api/v1/: every answer, errors included, is JSON with a `detail`."""

import logging

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.errors import ValidationError

from .candidates import router as candidates_router
from .map import router as map_router

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
    description="Jobs on the map. Every error is a JSON object with a `detail` message.",
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Bad query parameters are a 400 with one readable sentence, not ninja's 422 list."""
    messages = []
    for error in exc.errors:
        where = ".".join(str(part) for part in error.get("loc", [])[1:]) or "request"
        messages.append(f"{where}: {error.get('msg', 'invalid value')}")
    return api.create_response(request, {"detail": "; ".join(messages)}, status=400)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug is still a JSON answer (logged with its traceback), never Django's HTML page."""
    log.exception("API error on %s", request.get_full_path())
    detail = "Something went wrong on our side; it has been logged. Please try again."
    return api.create_response(request, {"detail": detail}, status=500)


api.add_router("/map/", map_router)
api.add_router("/map/", candidates_router)
