"""CSRF: a signed double-submit token (cookie + X-CSRF-Token header) and an Origin check."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from aiohttp import web

from server.config import Settings
from server.errors import Forbidden

CSRF_COOKIE = "kvarter_csrf"
SESSION_COOKIE = "kvarter_session"  # the staff session (server/realtime/staff_ns.py)
CSRF_HEADER = "X-CSRF-Token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _sign(secret: str, nonce: str) -> str:
    return hmac.new(secret.encode(), f"csrf:{nonce}".encode(), hashlib.sha256).hexdigest()


def new_token(secret: str) -> str:
    nonce = secrets.token_urlsafe(24)
    return f"{nonce}.{_sign(secret, nonce)}"


def valid(secret: str, token: str) -> bool:
    nonce, _, mac = token.partition(".")
    return bool(nonce) and hmac.compare_digest(mac, _sign(secret, nonce))


def check(request: web.Request, settings: Settings) -> None:
    """Refuse a state-changing request without a matching, signed token or from a foreign origin."""
    origin = request.headers.get("Origin")
    if origin is not None and origin not in settings.origins():
        raise Forbidden("request from a foreign origin")
    header = request.headers.get(CSRF_HEADER, "")
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not header or not hmac.compare_digest(header, cookie) or not valid(settings.secret_key, header):
        raise Forbidden("missing or wrong CSRF token; fetch one from GET /api/auth/csrf")


def check_fetch_site(request: web.Request) -> None:
    """Refuse an API request that a browser made for another site while it carries a staff
    session: a link or a script elsewhere must not make a supervisor's browser read (and so
    audit) a transcript, even with a GET. Requests without Sec-Fetch-Site (non-browser clients,
    older browsers) and same-origin ones pass; the CSRF token still guards every state change."""
    if request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site") and SESSION_COOKIE in request.cookies:
        raise Forbidden("cross-site requests with a staff session are refused")


def set_cookie(response: web.StreamResponse, token: str, settings: Settings) -> None:
    response.set_cookie(CSRF_COOKIE, token, path="/", samesite="Strict", secure=settings.cookie_secure, httponly=False)
