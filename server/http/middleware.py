"""Errors as JSON, CSRF on state changes, security headers on every response."""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.typedefs import Handler

from server.errors import Internal, KvarterError
from server.http import csrf
from server.http.keys import SETTINGS
from server.http.responses import error_response

log = logging.getLogger(__name__)

BASE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)
# No page of Kvarter uses a camera, a microphone, the position or payments.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "display-capture=(), browsing-topics=()"
)
HSTS = "max-age=63072000; includeSubDomains"


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        if request.path.startswith("/api/"):
            if request.method in csrf.UNSAFE:
                csrf.check(request, request.app[SETTINGS])
            csrf.check_fetch_site(request)
        return await handler(request)
    except KvarterError as exc:
        return error_response(exc)
    except web.HTTPException as exc:
        if request.path.startswith("/api/") and exc.status >= 400:
            code = {404: "not_found", 405: "invalid", 413: "too_long"}.get(exc.status, "invalid")
            return web.json_response({"error": {"code": code, "message": exc.reason}}, status=exc.status)
        raise
    except Exception as exc:
        if request.path.startswith("/socket.io/"):
            # Engine.IO raises on frames it cannot parse: a client's doing, logged without a trace
            # so that a client cannot fill the log at will.
            log.info("socket.io request failed error=%s", type(exc).__name__)
        else:
            log.exception("request failed method=%s path=%s", request.method, request.rel_url.raw_path[:200])
        return error_response(Internal("internal error"))


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """On every response, redirects and errors included."""
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        _add_security_headers(request, exc)
        raise
    _add_security_headers(request, response)
    return response


def _add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    settings = request.app[SETTINGS]
    if request.path.startswith("/widget/"):
        ancestors = settings.frame_ancestors()
    else:
        ancestors = "'none'"
        response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Content-Security-Policy", f"{BASE_CSP}; frame-ancestors {ancestors}")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if settings.cookie_secure:  # served over TLS (KVARTER_COOKIE_SECURE): browsers keep to https
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if request.path.startswith("/api/"):
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")


class AccessLogger(AbstractAccessLogger):
    """Method, path, status and time: no addresses, no query strings, no headers. The path as
    sent (percent-encoded), so that a client cannot write a line break into the log."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            "http method=%s path=%s status=%s ms=%.1f",
            request.method, request.rel_url.raw_path[:200], response.status, time * 1000,
        )  # fmt: skip
