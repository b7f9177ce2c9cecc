"""gunicorn settings for app servers behind a load balancer: `gunicorn -c scripts/gunicorn_conf.py`.

A server killed mid-request must fail in a way the proxy can retry on another server:
before any byte of the response. gunicorn writes the status line and headers with one
send and the body with another; a kill between the two leaves nginx with headers it
has already passed on and no body, and the visitor with a broken page. Here the headers
wait for the first body bytes and go out in the same send, so for an ordinary (not
streamed) response nginx gets all of it or nothing. `make scale-demo` uses this file.
"""

from __future__ import annotations

from typing import Any

from gunicorn import util
from gunicorn.http import wsgi

sendfile = False  # file responses go through write(), and so through the one send below
graceful_timeout = 5
# gunicorn 25+'s control socket sits at one path per user; two servers on one machine would
# fight over it (older versions ignore the setting).
control_socket_disable = True


def _hold_headers(self: Any) -> None:
    if self.headers_sent:
        return
    lines = self.default_headers()
    lines.extend(f"{name}: {value}\r\n" for name, value in self.headers)
    self._held_head = util.to_bytestring("{}\r\n".format("".join(lines)), "latin-1")
    self.headers_sent = True


def _flush_headers(self: Any) -> None:
    head = getattr(self, "_held_head", b"")
    if head:
        self._held_head = b""
        util.write(self.sock, head)


_emit_body = wsgi.Response._emit_body
_close = wsgi.Response.close


def _emit_with_headers(self: Any, data: bytes) -> None:
    head = getattr(self, "_held_head", b"")
    if head and not self.chunked:
        self._held_head = b""
        util.write(self.sock, head + data)
        return
    _flush_headers(self)
    _emit_body(self, data)


def _close_with_headers(self: Any) -> None:
    if not self.headers_sent:
        _hold_headers(self)
    _flush_headers(self)
    _close(self)


wsgi.Response.send_headers = _hold_headers
wsgi.Response._emit_body = _emit_with_headers
wsgi.Response.close = _close_with_headers
