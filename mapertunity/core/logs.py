"""Logs: one JSON object per line in production, and one line per request.

``LOG_FORMAT=json`` (the default when DEBUG is false) formats every record as a JSON object
with ``time`` (UTC, ISO 8601), ``level``, ``logger`` and ``message``, plus ``request_id``
for anything logged while a request is served, and ``exc`` for a traceback. The request
middleware adds one record per request on the ``mapertunity.request`` logger with
``method``, ``path``, ``route``, ``status`` and ``duration_ms``.

The request id is taken from a well-formed ``X-Request-ID`` header (a proxy's) or made up,
and is sent back in the response's ``X-Request-ID``, so a user's report can be matched
with the log. This module imports nothing from Django's apps: ``LOGGING`` loads it early.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

REQUEST_LOGGER = logging.getLogger("mapertunity.request")
REQUEST_FIELDS = ("method", "path", "route", "status", "duration_ms")
# A proxy's id is kept only if it can't smuggle anything into a log line.
_GOOD_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class RequestContextFilter(logging.Filter):
    """Puts the current request's id on every record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        moment = dt.datetime.fromtimestamp(record.created, tz=dt.UTC)
        entry: dict[str, Any] = {
            "time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if rid := getattr(record, "request_id", "") or request_id.get():
            entry["request_id"] = rid
        for field in REQUEST_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The development format: readable, with the request id when there is one."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(rid)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        rid = getattr(record, "request_id", "") or request_id.get()
        record.rid = f" [{rid}]" if rid else ""
        return super().format(record)


class RequestLogMiddleware:
    """Give each request an id and log one line when it is answered. Put it first, so the
    duration covers every other middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        rid = given if _GOOD_ID.match(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        duration_ms = round((time.perf_counter() - started) * 1000, 2)
        response["X-Request-ID"] = rid
        match = getattr(request, "resolver_match", None)
        REQUEST_LOGGER.info(
            "%s %s %s %.0fms",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            extra={
                "request_id": rid,
                "method": request.method,
                # The path, not the query string: searches and tokens stay out of the log.
                "path": request.path,
                "route": match.route if match is not None else None,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response
