"""The map's viewport answers, served before the session, auth, CSRF and API layers.

``GET /api/v1/map/jobs`` is the busiest request of the site and the same for everyone: no
cookie, user or session changes it. So this middleware, placed right after the security
and static-file middleware, answers it at once when its parameters are plainly valid
(one ``bbox`` the parser accepts, one whole-number ``zoom`` in range, filters the filter
form accepts): from the answer cache under the normalised query when it is there, else
from the index. Anything else — a bad parameter, another method, an error — falls through
to the django-ninja endpoint in ``api/map.py``, which gives the documented 400 and is the
one place the endpoint is described.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict

from mapertunity.core.bbox import BBoxError, parse_bbox
from mapertunity.geo.morton import MAX_ZOOM
from mapertunity.jobs import mapanswers
from mapertunity.jobs.filters import JobFilters, filters_from_query

from .map import conditional, parameter_problem

log = logging.getLogger(__name__)
PATH = "/api/v1/map/jobs"


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
        if request.method == "GET" and request.path_info == PATH:
            response = self._answer(request)
            if response is not None:
                return response
        return self.get_response(request)

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
        try:
            reply = mapanswers.viewport(box, int(zoom_text), query, lambda: _filters(query))
        except _FallThrough:
            return None
        except Exception:
            log.exception("map fast path failed; the endpoint answers instead")
            return None
        return conditional(request, reply)
