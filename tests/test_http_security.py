"""HTTP hardening, checked against the router itself so that a new route cannot slip past:
CSRF on every state-changing route, security headers on every response, no secrets in URLs."""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request as make_request
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from server.config import Settings
from server.http import csrf
from server.services import accounts
from server.storage.models import Base
from tests.clients import csrf_pair
from tests.conftest import Running

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])

SAFE = {"GET", "HEAD", "OPTIONS"}
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
# Engine.IO's long-polling POST is not a cookie-authenticated state change on its own: it needs a
# session id that only a handshake from an allowed Origin hands out (test_websocket_security.py).
NOT_CSRF_CHECKED = {"/socket.io/"}
EVIL = "https://evil.example"
PARAMS = {
    "slug": "umea", "window_id": "1", "closure_id": "1", "conversation_id": "0" * 32, "tail": "1", "reply_id": "1",
    "grant_id": "1",
}  # fmt: skip


def unsafe_routes(app: web.Application) -> list[tuple[str, str]]:
    """Every (method, concrete path) of the router that can change state."""
    out = []
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter") or info.get("prefix")
        if path is None or path in NOT_CSRF_CHECKED or route.method in SAFE:
            continue
        concrete = re.sub(r"\{(\w+)(:[^}]*)?\}", lambda m: PARAMS[m.group(1)], path)
        for method in UNSAFE if route.method == "*" else (route.method,):
            out.append((method, concrete))
    return sorted(set(out))


async def row_counts(server: Running) -> dict[str, int]:
    engine = create_async_engine(server.settings.database_url)
    async with engine.connect() as conn:
        counts = {
            t.name: int(await conn.scalar(select(func.count()).select_from(t)) or 0)
            for t in Base.metadata.sorted_tables
        }
    await engine.dispose()
    return counts


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def test_every_state_changing_route_needs_the_csrf_token(server: Running, http: aiohttp.ClientSession) -> None:
    """Walk the router: every non-GET route is under /api/ (where the check runs) and refuses a
    logged-in supervisor's request without the token, with a wrong or forged one, or from a foreign
    Origin — before any work, so nothing in the database changes."""
    routes = unsafe_routes(server.app)
    assert len(routes) >= 10, routes
    assert all(path.startswith("/api/") for _, path in routes), [r for r in routes if not r[1].startswith("/api/")]
    supervisor = await server.officer(role="supervisor")
    session = supervisor.cookie
    good, _ = csrf_pair(server.settings.secret_key, session)
    forged, _ = csrf_pair(secrets.token_urlsafe(48), session)
    other, _ = csrf_pair(server.settings.secret_key, (await server.officer(role="supervisor")).cookie)
    before, _ = csrf_pair(server.settings.secret_key, None)
    attempts: dict[str, dict[str, str]] = {
        "no token": {"Cookie": session},
        "header only": {"Cookie": session, csrf.CSRF_HEADER: good},
        "cookie only": {"Cookie": f"{session}; {csrf.CSRF_COOKIE}={good}"},
        "mismatch": {"Cookie": f"{session}; {csrf.CSRF_COOKIE}={good}", csrf.CSRF_HEADER: forged},
        "forged pair": {"Cookie": f"{session}; {csrf.CSRF_COOKIE}={forged}", csrf.CSRF_HEADER: forged},
        "unsigned": {"Cookie": f"{session}; {csrf.CSRF_COOKIE}=abc.def", csrf.CSRF_HEADER: "abc.def"},
        "foreign origin": {"Cookie": f"{session}; {csrf.CSRF_COOKIE}={good}", csrf.CSRF_HEADER: good, "Origin": EVIL},
        # A signed pair planted by someone who can write the site's cookies, or one from before
        # the login: right key, wrong session.
        "another session's pair": {"Cookie": f"{session}; {csrf.CSRF_COOKIE}={other}", csrf.CSRF_HEADER: other},
        "the pair from before login": {"Cookie": f"{session}; {csrf.CSRF_COOKIE}={before}", csrf.CSRF_HEADER: before},
    }
    before = await row_counts(server)
    for method, path in routes:
        for label, headers in attempts.items():
            async with http.request(method, server.url + path, headers=headers, json={}) as resp:
                assert resp.status == 403, (method, path, label, resp.status)
                error = (await resp.json())["error"]
                assert error["code"] == "forbidden"
                assert "CSRF" in error["message"] or "origin" in error["message"], (method, path, label, error)
    assert await row_counts(server) == before
    # With the token the same requests get past the check (to their own validation or authorisation).
    ok = {"Cookie": f"{session}; {csrf.CSRF_COOKIE}={good}", csrf.CSRF_HEADER: good, "Origin": server.origin}
    for method, path in routes:
        async with http.request(method, server.url + path, headers=ok, json={}) as resp:
            body: dict[str, Any] = await resp.json() if resp.content_type == "application/json" else {}
            message = body.get("error", {}).get("message", "")
            assert "CSRF" not in message and "foreign origin" not in message, (method, path, resp.status, body)


async def test_a_login_gives_the_browser_a_token_for_its_new_session(server: Running) -> None:
    """The CSRF token is bound to the session: the one fetched before the login is refused after
    it (403, `details.csrf: "stale"`, so a client knows to fetch again), the login's answer sets
    the new session's token, and `GET /api/auth/csrf` returns it; after a logout, again."""
    _, password = await accounts.create_user(server.deps, username="karin", role="officer")
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:

        async def fetch_token() -> str:
            async with http.get(f"{server.url}/api/auth/csrf") as resp:
                token: str = (await resp.json())["token"]
                return token

        async def log_out(token: str) -> tuple[int, Any]:
            async with http.post(f"{server.url}/api/auth/logout", headers={csrf.CSRF_HEADER: token}) as resp:
                return resp.status, await resp.json()

        before = await fetch_token()
        login = {"username": "karin", "password": password}
        async with http.post(f"{server.url}/api/auth/login", json=login, headers={csrf.CSRF_HEADER: before}) as resp:
            assert resp.status == 200
            assert resp.cookies[csrf.CSRF_COOKIE].value != before
        after = await fetch_token()
        assert after != before
        # The old token sent with its old cookie (as a second tab would): refused as stale.
        session = next(c.value for c in http.cookie_jar if c.key == "kvarter_session")
        async with (
            aiohttp.ClientSession() as other_tab,
            other_tab.post(
                f"{server.url}/api/auth/logout",
                headers={
                    csrf.CSRF_HEADER: before,
                    "Cookie": f"kvarter_session={session}; {csrf.CSRF_COOKIE}={before}",
                },
            ) as resp,
        ):
            assert (resp.status, (await resp.json())["error"]["details"]) == (403, {"csrf": "stale"})
        assert (await log_out(after))[0] == 200  # the new session's token works (positive control)
        assert await fetch_token() not in (before, after)


def page_dist(server: Running) -> None:
    dist = server.settings.static_dir
    for app in ("widget", "console", "supervisor", "demo"):
        (dist / app).mkdir(parents=True, exist_ok=True)
        (dist / app / "index.html").write_text("<!doctype html><title>x</title>")
    (dist / "widget.js").write_text("void 0;")
    (dist / "assets").mkdir(parents=True, exist_ok=True)
    (dist / "assets" / "app.js").write_text("void 0;")


def check_headers(path: str, status: int, headers: Any, *, tls: bool) -> None:
    where = (path, status)
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "no-referrer", where
    assert headers.get("Cross-Origin-Opener-Policy") == "same-origin", where
    policy = headers.get("Permissions-Policy", "")
    assert "camera=()" in policy and "microphone=()" in policy and "geolocation=()" in policy, where
    assert ("Strict-Transport-Security" in headers) is tls, where
    csp = headers.get("Content-Security-Policy", "")
    directives = dict(([*d.strip().split(" ", 1), ""])[:2] for d in csp.split(";") if d.strip())
    assert directives.get("script-src") == "'self'", (where, csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, (where, csp)
    assert directives.get("object-src") == "'none'" and directives.get("base-uri") == "'none'", (where, csp)
    if path.startswith("/widget/"):
        assert directives["frame-ancestors"] != "'none'", where
        assert "X-Frame-Options" not in headers, where
    else:
        assert directives.get("frame-ancestors") == "'none'", (where, csp)
        assert headers.get("X-Frame-Options") == "DENY", where


GET_PATHS = [
    "/", "/widget", "/widget/", "/widget/?room=umea", "/console/", "/supervisor/", "/demo/", "/widget.js",
    "/assets/app.js", "/assets/missing.js", "/healthz", "/readyz", "/metrics", "/api/auth/csrf", "/api/auth/me",
    "/api/neighbourhoods", "/api/neighbourhoods/umea/availability", "/api/neighbourhoods/atlantis/availability",
    "/api/neighbourhoods/umea/schedule", "/api/neighbourhoods/umea/calendar.ics", "/api/transcripts",
    "/api/audit/1", "/no/such/page", "/api/no/such/endpoint", "/socket.io/?EIO=4&transport=polling",
    "/socket.io/?EIO=3&transport=polling",
]  # fmt: skip


async def test_security_headers_on_every_response(server: Running, http: aiohttp.ClientSession) -> None:
    """Pages, API answers, errors, redirects, static files and the socket.io handshake all carry
    nosniff, no-referrer, COOP, a Permissions-Policy and a CSP without inline script; only
    /widget/ may be framed; no HSTS over plain HTTP."""
    page_dist(server)
    for path in GET_PATHS:
        async with http.get(server.url + path, allow_redirects=False) as resp:
            check_headers(path, resp.status, resp.headers, tls=False)
    async with http.post(server.url + "/api/auth/login", json={}) as resp:  # refused by CSRF
        check_headers("/api/auth/login", resp.status, resp.headers, tls=False)


@pytest.fixture
def overrides() -> dict[str, Any]:
    """Settings a test changes with @pytest.mark.parametrize("overrides", [{...}])."""
    return {}


@pytest.fixture
def settings(settings: Settings, overrides: dict[str, Any]) -> Settings:
    return replace(settings, **overrides)


@pytest.mark.parametrize("overrides", [{"cookie_secure": True, "widget_frame_ancestors": "https://skolan.example.se"}])
async def test_behind_tls_hsts_and_secure_cookies(server: Running, http: aiohttp.ClientSession) -> None:
    """With KVARTER_COOKIE_SECURE (TLS in front) every response carries HSTS, cookies are Secure,
    and the widget's frame-ancestors is exactly the configured allow-list."""
    page_dist(server)
    for path in ("/widget/", "/console/", "/api/neighbourhoods", "/no/such/page", "/api/auth/csrf"):
        async with http.get(server.url + path, allow_redirects=False) as resp:
            check_headers(path, resp.status, resp.headers, tls=True)
            assert resp.headers["Strict-Transport-Security"].startswith("max-age=")
            if path == "/widget/":
                assert "frame-ancestors https://skolan.example.se" in resp.headers["Content-Security-Policy"]
            if path == "/api/auth/csrf":
                cookie = resp.headers["Set-Cookie"]
                assert "Secure" in cookie and "SameSite=Strict" in cookie


async def test_default_widget_framing_is_the_own_origin(server: Running, http: aiohttp.ClientSession) -> None:
    """Unconfigured, only the server's own origins may frame the widget; the console and the
    supervisor pages may not be framed by anyone."""
    page_dist(server)
    async with http.get(server.url + "/widget/") as resp:
        csp = resp.headers["Content-Security-Policy"]
    assert csp.endswith(f"frame-ancestors 'self' {server.origin}")
    for path in ("/console/", "/supervisor/", "/demo/"):
        async with http.get(server.url + path) as resp:
            assert resp.headers["Content-Security-Policy"].endswith("frame-ancestors 'none'")


async def test_login_cookies_and_no_secrets_in_urls(server: Running, http: aiohttp.ClientSession) -> None:
    """The session cookie is HttpOnly and SameSite=Lax, the CSRF cookie SameSite=Strict; no route
    takes a token, session or password in its path, and the login answers only to POST."""
    officer = await server.officer()
    async with http.get(server.url + "/api/auth/csrf") as resp:
        token = (await resp.json())["token"]
        assert "SameSite=Strict" in resp.headers["Set-Cookie"]
    async with http.post(
        server.url + "/api/auth/login",
        json={"username": officer.username, "password": officer.password},
        headers={csrf.CSRF_HEADER: token, "Cookie": f"{csrf.CSRF_COOKIE}={token}"},
    ) as resp:
        assert resp.status == 200, await resp.text()
        session = next(c for c in resp.headers.getall("Set-Cookie") if c.startswith("kvarter_session="))
        assert "HttpOnly" in session and "SameSite=Lax" in session and "Path=/" in session
        assert session.split(";")[0].split("=", 1)[1] not in str(resp.url)
    for route in server.app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = str(info.get("path") or info.get("formatter") or info.get("prefix") or "")
        for name in re.findall(r"\{(\w+)", path):  # no secret travels as a path parameter
            assert not re.search(r"token|session|password|secret|totp", name, re.IGNORECASE), path
    async with http.get(
        server.url + f"/api/auth/login?username={officer.username}&password={officer.password}"
    ) as resp:
        assert resp.status in (404, 405)


async def test_cross_site_requests_with_a_staff_session_are_refused(
    server: Running, http: aiohttp.ClientSession
) -> None:
    """A page on another site cannot make a supervisor's browser read a transcript (and write an
    audit row in their name) with a plain link: an API request that the browser marks
    Sec-Fetch-Site cross-site or same-site is refused when it carries a staff session, before
    any work. The same request from the app itself, or without a session, is served."""
    supervisor = await server.officer(role="supervisor", region="Nord")
    path = f"/api/transcripts/{'0' * 32}?reason=quality_review"
    before = await row_counts(server)
    for site in ("cross-site", "same-site"):
        headers = {"Cookie": supervisor.cookie, "Sec-Fetch-Site": site, "Sec-Fetch-Mode": "navigate"}
        async with http.get(server.url + path, headers=headers) as resp:
            assert resp.status == 403
            assert "cross-site" in (await resp.json())["error"]["message"]
    assert await row_counts(server) == before
    async with http.get(
        server.url + path, headers={"Cookie": supervisor.cookie, "Sec-Fetch-Site": "same-origin"}
    ) as resp:
        assert resp.status == 404  # past the check, to the transcript lookup
    async with http.get(
        server.url + "/api/neighbourhoods/umea/calendar.ics", headers={"Sec-Fetch-Site": "cross-site"}
    ) as resp:
        assert resp.status == 200  # public feeds may be linked from anywhere


async def test_the_access_log_cannot_be_forged(server: Running) -> None:
    """The access log writes the path as sent, percent-encoded: a %0a in a URL is not a new line."""
    from aiohttp import web

    from server.http.middleware import AccessLogger

    lines: list[str] = []

    class Capture:
        def info(self, message: str, *args: Any) -> None:
            lines.append(message % args)

    request = make_request("GET", "/x%0a2026-01-01%20INFO%20forged?token=hemlig")
    AccessLogger(Capture(), "").log(request, web.Response(status=404), 0.001)  # type: ignore[arg-type]
    assert len(lines) == 1 and "\n" not in lines[0] and "%0a" in lines[0].lower() and "hemlig" not in lines[0]
