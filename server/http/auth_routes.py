"""Staff login (password, then a TOTP code or a recovery code), second-factor enrolment,
logout, who-am-I, and the CSRF token."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from aiohttp import web

from server.errors import Unauthorized
from server.events import LoginBody, Payload
from server.http import csrf, source
from server.http.keys import DEPS, SETTINGS
from server.http.responses import body
from server.realtime.staff_ns import SESSION_COOKIE
from server.services import accounts, device_cookies, shapes
from server.storage.records import StaffRec, StaffSessionRec

routes = web.RouteTableDef()
ANY_SCOPE = (accounts.FULL, accounts.TOTP_SETUP)


class TotpSetupBody(Payload):
    """POST /api/auth/totp/setup: the password again, unless the login was a moment ago."""

    password: Annotated[str, msgspec.Meta(min_length=1, max_length=1024)] | None = None


class TotpConfirmBody(Payload):
    """POST /api/auth/totp/confirm."""

    code: Annotated[str, msgspec.Meta(min_length=1, max_length=16)]


class PasswordBody(Payload):
    """POST /api/auth/password."""

    current_password: Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]
    new_password: Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]


async def current_staff(request: web.Request) -> StaffRec:
    """The logged-in staff member, or 401."""
    return (await current_session(request)).user


async def current_session(request: web.Request, scopes: tuple[str, ...] = (accounts.FULL,)) -> StaffSessionRec:
    """The live session of the request in one of `scopes`, or 401 (saying so when a second
    factor must be set up first)."""
    found = await accounts.session_for(request.app[DEPS], request.cookies.get(SESSION_COOKIE), ANY_SCOPE)
    if found is None:
        raise Unauthorized("log in first")
    if found.scope not in scopes:
        raise Unauthorized("set up two-factor login first", {"totp_setup_required": True})
    return found


def _user_body(user: StaffRec, totp_enabled: bool, scope: str) -> dict[str, Any]:
    return {
        "user": {
            **shapes.staff_user(user),
            "totp_enabled": totp_enabled,
            "totp_required": accounts.totp_required(user),
        },
        "totp_setup_required": scope == accounts.TOTP_SETUP,
    }


def _with_session(request: web.Request, data: dict[str, Any], result: accounts.LoginResult) -> web.Response:
    settings = request.app[SETTINGS]
    response = web.json_response(data)
    response.set_cookie(
        SESSION_COOKIE,
        result.session_token,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=settings.cookie_secure,
        max_age=max(1, int((result.expires_at - request.app[DEPS].clock.now()).total_seconds())),
    )
    # The token of the old session (or of none) does not fit the new one.
    csrf.set_cookie(response, csrf.new_token(settings.secret_key, result.session_token), settings)
    if result.device is not None:
        # Sent only to the login route; never read by scripts, never sent by other sites.
        response.set_cookie(
            device_cookies.COOKIE,
            result.device,
            path=device_cookies.PATH,
            httponly=True,
            samesite="Strict",
            secure=settings.cookie_secure,
            max_age=int(device_cookies.LIFETIME.total_seconds()),
        )
    return response


@routes.get("/api/auth/csrf")
async def get_csrf(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    session = request.cookies.get(SESSION_COOKIE)
    token = request.cookies.get(csrf.CSRF_COOKIE, "")
    if not token or not csrf.valid(settings.secret_key, token, session):
        token = csrf.new_token(settings.secret_key, session)
    response = web.json_response({"token": token})
    csrf.set_cookie(response, token, settings)
    return response


def _source(request: web.Request) -> str:
    """The day's keyed hash of the client address: the address itself is never stored or logged."""
    settings = request.app[SETTINGS]
    today = request.app[DEPS].clock.now().date()
    return source.source_key(source.client_source(request, settings), settings.secret_key, today)


@routes.post("/api/auth/login")
async def login(request: web.Request) -> web.Response:
    p = await body(request, LoginBody)
    result = await accounts.login(
        request.app[DEPS], p.username, p.password, totp_code=p.totp, source=_source(request),
        replaces=request.cookies.get(SESSION_COOKIE), device=request.cookies.get(device_cookies.COOKIE),
    )  # fmt: skip
    return _with_session(request, _user_body(result.user, result.totp_enabled, result.scope), result)


@routes.post("/api/auth/password")
async def change_password(request: web.Request) -> web.Response:
    """Change one's own password: every session of the account ends, this browser gets a new one."""
    p = await body(request, PasswordBody)
    session = await current_session(request)
    result = await accounts.change_password(
        request.app[DEPS], session, p.current_password, p.new_password, source=_source(request)
    )
    return _with_session(request, _user_body(result.user, result.totp_enabled, result.scope), result)


@routes.post("/api/auth/totp/setup")
async def totp_setup(request: web.Request) -> web.Response:
    """A new secret and its otpauth:// URI; pending until confirmed with a code."""
    session = await current_session(request, ANY_SCOPE)
    # An empty body is the same as {} (clients that do not need to send the password).
    p = await body(request, TotpSetupBody) if request.can_read_body else TotpSetupBody()
    result = await accounts.totp_setup(request.app[DEPS], session, p.password, source=_source(request))
    return web.json_response(result)


@routes.post("/api/auth/totp/confirm")
async def totp_confirm(request: web.Request) -> web.Response:
    """Turn the second factor on; the ten recovery codes are in this answer only."""
    p = await body(request, TotpConfirmBody)
    session = await current_session(request, ANY_SCOPE)
    result, codes = await accounts.totp_confirm(request.app[DEPS], session, p.code)
    data = {**_user_body(result.user, True, result.scope), "recovery_codes": codes}
    return _with_session(request, data, result)


@routes.post("/api/auth/logout")
async def logout(request: web.Request) -> web.Response:
    session = await current_session(request, ANY_SCOPE)
    await accounts.logout(request.app[DEPS], request.cookies[SESSION_COOKIE], session.user)
    response = web.json_response({})
    response.del_cookie(SESSION_COOKIE, path="/")
    csrf.set_cookie(response, csrf.new_token(request.app[SETTINGS].secret_key, None), request.app[SETTINGS])
    return response


@routes.get("/api/auth/me")
async def me(request: web.Request) -> web.Response:
    """Who is logged in, whether their second factor is on or required, and whether this
    session may only enrol one (`totp_setup_required`)."""
    session = await current_session(request, ANY_SCOPE)
    enabled = await accounts.totp_enabled(request.app[DEPS], session.user)
    return web.json_response(_user_body(session.user, enabled, session.scope))
