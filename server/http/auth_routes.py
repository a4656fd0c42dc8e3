"""Staff login, logout, who-am-I, and the CSRF token."""

from __future__ import annotations

from aiohttp import web

from server.errors import Unauthorized
from server.events import LoginBody
from server.http import csrf
from server.http.keys import DEPS, SETTINGS
from server.http.responses import body
from server.realtime.staff_ns import SESSION_COOKIE
from server.services import accounts, shapes
from server.storage.records import StaffRec

routes = web.RouteTableDef()


async def current_staff(request: web.Request) -> StaffRec:
    """The logged-in staff member, or 401."""
    user = await accounts.user_for_session(request.app[DEPS], request.cookies.get(SESSION_COOKIE))
    if user is None:
        raise Unauthorized("log in first")
    return user


@routes.get("/api/auth/csrf")
async def get_csrf(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    token = request.cookies.get(csrf.CSRF_COOKIE, "")
    if not token or not csrf.valid(settings.secret_key, token):
        token = csrf.new_token(settings.secret_key)
    response = web.json_response({"token": token})
    csrf.set_cookie(response, token, settings)
    return response


@routes.post("/api/auth/login")
async def login(request: web.Request) -> web.Response:
    p = await body(request, LoginBody)
    settings = request.app[SETTINGS]
    result = await accounts.login(request.app[DEPS], p.username, p.password)
    response = web.json_response({"user": shapes.staff_user(result.user)})
    response.set_cookie(
        SESSION_COOKIE,
        result.session_token,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=settings.cookie_secure,
        max_age=settings.staff_session_hours * 3600,
    )
    return response


@routes.post("/api/auth/logout")
async def logout(request: web.Request) -> web.Response:
    user = await current_staff(request)
    await accounts.logout(request.app[DEPS], request.cookies[SESSION_COOKIE], user)
    response = web.json_response({})
    response.del_cookie(SESSION_COOKIE, path="/")
    return response


@routes.get("/api/auth/me")
async def me(request: web.Request) -> web.Response:
    return web.json_response({"user": shapes.staff_user(await current_staff(request))})
