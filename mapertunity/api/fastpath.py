"""The map's viewport answers, served before the session, auth, CSRF and API layers.

``GET /api/v1/map/jobs`` and ``GET /api/v1/map/tiles/{z}/{x}/{y}`` are the busiest requests
of the site and the same for everyone: no cookie, user or session changes them. So this
middleware, placed right after the security and static-file middleware, answers them at
once when their parameters are plainly valid (one ``bbox`` the parser accepts and one
whole-number ``zoom`` in range, or a tile inside the world; filters the filter form
accepts): from the answer cache under the normalised query when it is there, else from
the index. Anything else — a bad parameter, another method, an error — falls through to
the django-ninja endpoints in ``api/map.py``, which give the documented 400 and are the
one place the endpoints are described.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict

from mapertunity.core.bbox import BBoxError, parse_bbox
from mapertunity.geo.morton import MAX_ZOOM
from mapertunity.geo.tiles import valid_tile
from mapertunity.jobs import mapanswers
from mapertunity.jobs.filters import JobFilters, filters_from_query
from mapertunity.jobs.mapanswers import Reply

from .map import conditional, parameter_problem

log = logging.getLogger(__name__)
PATH = "/api/v1/map/jobs"
TILE_PATH = re.compile(r"/api/v1/map/tiles/(\d{1,2})/(\d{1,7})/(\d{1,7})\Z")


class _FallThrough(Exception):
    """The request needs the full endpoint (to explain what is wrong with it)."""


def _filters(query: QueryDict) -> JobFilters:
    filters, _ = filters_from_query(query)
    if filters is None:
        raise _FallThrough
    return filters


class MapFastPath:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET":
            response = None
            if request.path_info == PATH:
                response = self._answer(request)
            elif (tile := TILE_PATH.match(request.path_info)) is not None:
                response = self._tile(request, *(int(n) for n in tile.groups()))
            if response is not None:
                return response
        return self.get_response(request)

    def _tile(self, request: HttpRequest, z: int, x: int, y: int) -> HttpResponse | None:
        query = request.GET
        sizes = query.getlist("size") or ["256"]
        if len(sizes) != 1 or sizes[0] not in ("256", "512"):
            return None
        if not valid_tile(z, x, y) or parameter_problem(query) is not None:
            return None
        size = int(sizes[0])
        return _reply(
            request, lambda: mapanswers.tile(z, x, y, query, lambda: _filters(query), size)
        )

    def _answer(self, request: HttpRequest) -> HttpResponse | None:
        query = request.GET
        zooms, bboxes = query.getlist("zoom"), query.getlist("bbox")
        if len(zooms) != 1 or len(bboxes) != 1:
            return None
        zoom_text = zooms[0]
        if not (zoom_text.isascii() and zoom_text.isdigit()) or int(zoom_text) > MAX_ZOOM:
            return None
        try:
            box = parse_bbox(bboxes[0])
        except BBoxError:
            return None
        if parameter_problem(query) is not None:
            return None  # the endpoint says what is wrong
        zoom = int(zoom_text)
        return _reply(
            request, lambda: mapanswers.viewport(box, zoom, query, lambda: _filters(query))
        )


def _reply(request: HttpRequest, answer: Callable[[], Reply]) -> HttpResponse | None:
    """The answer as a response, or None for the endpoint to answer (and explain) instead."""
    try:
        reply = answer()
    except _FallThrough:
        return None
    except Exception:
        log.exception("map fast path failed; the endpoint answers instead")
        return None
    return conditional(request, reply)
