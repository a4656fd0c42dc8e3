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


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        if request.method in csrf.UNSAFE and request.path.startswith("/api/"):
            csrf.check(request, request.app[SETTINGS])
        return await handler(request)
    except KvarterError as exc:
        return error_response(exc)
    except web.HTTPException as exc:
        if request.path.startswith("/api/") and exc.status >= 400:
            code = {404: "not_found", 405: "invalid", 413: "too_long"}.get(exc.status, "invalid")
            return web.json_response({"error": {"code": code, "message": exc.reason}}, status=exc.status)
        raise
    except Exception:
        log.exception("request failed method=%s path=%s", request.method, request.path)
        return error_response(Internal("internal error"))


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    settings = request.app[SETTINGS]
    if request.path.startswith("/widget/"):
        ancestors = settings.widget_frame_ancestors
    else:
        ancestors = "'none'"
        response.headers.setdefault("X-Frame-Options", "DENY")
    if not request.path.startswith("/socket.io"):
        response.headers.setdefault("Content-Security-Policy", f"{BASE_CSP}; frame-ancestors {ancestors}")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.path.startswith("/api/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


class AccessLogger(AbstractAccessLogger):
    """Method, path, status and time: no addresses, no query strings, no headers."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            "http method=%s path=%s status=%s ms=%.1f",
            request.method, request.path[:200], response.status, time * 1000,
        )  # fmt: skip
