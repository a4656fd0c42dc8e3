"""CSRF: a signed double-submit token (cookie + X-CSRF-Token header) bound to the staff session,
and an Origin check.

The token is a nonce and an HMAC of the nonce and a hash of the session cookie the browser
holds (none before a login). A token planted in the browser by someone who can write cookies
for the site (a sibling subdomain), or one taken from another session, does not match the
session it is sent with. A new session (login, enrolment, password change) gets a new token:
the answer sets its cookie, and `GET /api/auth/csrf` returns it."""

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


def _binding(session: str | None) -> str:
    return hashlib.sha256(session.encode()).hexdigest() if session else ""


def _sign(secret: str, nonce: str, session: str | None) -> str:
    message = f"csrf:{nonce}:{_binding(session)}"
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def new_token(secret: str, session: str | None) -> str:
    """A token for the browser holding the staff session cookie `session` (None: no session)."""
    nonce = secrets.token_urlsafe(24)
    return f"{nonce}.{_sign(secret, nonce, session)}"


def valid(secret: str, token: str, session: str | None) -> bool:
    nonce, _, mac = token.partition(".")
    return bool(nonce) and hmac.compare_digest(mac, _sign(secret, nonce, session))


def check(request: web.Request, settings: Settings) -> None:
    """Refuse a state-changing request without a matching, signed token or from a foreign origin."""
    origin = request.headers.get("Origin")
    if origin is not None and origin not in settings.origins():
        raise Forbidden("request from a foreign origin")
    header = request.headers.get(CSRF_HEADER, "")
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not header or not hmac.compare_digest(header, cookie):
        raise Forbidden("missing or wrong CSRF token; fetch one from GET /api/auth/csrf", {"csrf": "invalid"})
    if not valid(settings.secret_key, header, request.cookies.get(SESSION_COOKIE)):
        # Most often an honest one from before this browser's login or logout: fetch a new one.
        raise Forbidden("the CSRF token is for another session; fetch one from GET /api/auth/csrf", {"csrf": "stale"})


def check_fetch_site(request: web.Request) -> None:
    """Refuse an API request that a browser made for another site while it carries a staff
    session: a link or a script elsewhere must not make a supervisor's browser read (and so
    audit) a transcript, even with a GET. Requests without Sec-Fetch-Site (non-browser clients,
    older browsers) and same-origin ones pass; the CSRF token still guards every state change."""
    if request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site") and SESSION_COOKIE in request.cookies:
        raise Forbidden("cross-site requests with a staff session are refused")


def set_cookie(response: web.StreamResponse, token: str, settings: Settings) -> None:
    response.set_cookie(CSRF_COOKIE, token, path="/", samesite="Strict", secure=settings.cookie_secure, httponly=False)
