"""Staff login over HTTP, CSRF, throttling, and who may connect to /staff."""

from __future__ import annotations

import aiohttp
import pytest
import socketio
from argon2 import PasswordHasher
from yarl import URL

from server.services import accounts
from tests.clients import Client
from tests.conftest import Running


def session_http() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def csrf_token(http: aiohttp.ClientSession, url: str) -> str:
    async with http.get(f"{url}/api/auth/csrf") as resp:
        assert resp.status == 200
        token = (await resp.json())["token"]
    assert http.cookie_jar.filter_cookies(URL(url))["kvarter_csrf"].value == token
    return str(token)


async def post_login(
    http: aiohttp.ClientSession, url: str, token: str, username: str, password: str
) -> aiohttp.ClientResponse:
    return await http.post(
        f"{url}/api/auth/login",
        json={"username": username, "password": password},
        headers={"X-CSRF-Token": token},
    )


async def test_login_me_logout(server: Running) -> None:
    """Login sets an HttpOnly session cookie, /me tells who, logout ends the session."""
    _, password = await accounts.create_user(server.deps, username="anna", role="officer", display_name="Anna L")
    async with session_http() as http:
        token = await csrf_token(http, server.url)
        async with await post_login(http, server.url, token, "anna", password) as resp:
            assert resp.status == 200
            assert (await resp.json())["user"]["display_name"] == "Anna L"
            cookie = resp.headers.getall("Set-Cookie")
            assert any("kvarter_session=" in c and "HttpOnly" in c and "SameSite=Lax" in c for c in cookie)
        async with http.get(f"{server.url}/api/auth/me") as resp:
            assert resp.status == 200
            assert (await resp.json())["user"]["username"] == "anna"
        token = await csrf_token(http, server.url)  # the new session's
        async with http.post(f"{server.url}/api/auth/logout", headers={"X-CSRF-Token": token}) as resp:
            assert resp.status == 200
        async with http.get(f"{server.url}/api/auth/me") as resp:
            assert resp.status == 401
            assert (await resp.json())["error"]["code"] == "unauthorized"


async def test_wrong_password_and_unknown_user_look_alike(server: Running) -> None:
    """Both give 401 with the same message."""
    await accounts.create_user(server.deps, username="erik", role="supervisor")
    async with session_http() as http:
        token = await csrf_token(http, server.url)
        bodies = []
        for username in ("erik", "nobody"):
            async with await post_login(http, server.url, token, username, "wrong-password") as resp:
                assert resp.status == 401
                bodies.append(await resp.json())
        assert bodies[0] == bodies[1]


async def test_login_without_csrf_token_is_refused(server: Running) -> None:
    """A state-changing request without the CSRF header, with a forged one, or from a foreign origin is 403."""
    _, password = await accounts.create_user(server.deps, username="lisa", role="officer")
    creds = {"username": "lisa", "password": password}
    async with session_http() as http:
        token = await csrf_token(http, server.url)
        for headers in (
            {},
            {"X-CSRF-Token": "abc.def"},
            {"X-CSRF-Token": token, "Origin": "https://evil.example"},
        ):
            async with http.post(f"{server.url}/api/auth/login", json=creds, headers=headers) as resp:
                assert resp.status == 403, headers
                assert (await resp.json())["error"]["code"] == "forbidden"


async def test_repeated_failures_are_throttled(server: Running) -> None:
    """After five failures the account answers 429, even to the right password."""
    _, password = await accounts.create_user(server.deps, username="olle", role="officer")
    async with session_http() as http:
        token = await csrf_token(http, server.url)
        statuses = []
        for attempt in [*(["bad-password-123"] * 5), password]:
            async with await post_login(http, server.url, token, "olle", attempt) as resp:
                statuses.append(resp.status)
        assert statuses == [401, 401, 401, 401, 401, 429]


@pytest.mark.parametrize("body", [b"not json", b"[1]", b'{"username": "a"}', b'{"username": 1, "password": "x"}',
                                  b'{"username": "a", "password": "b", "role": "admin"}'])  # fmt: skip
async def test_malformed_login_is_invalid(server: Running, body: bytes) -> None:
    """A login body that is not the documented object → 400 `invalid`."""
    async with session_http() as http:
        token = await csrf_token(http, server.url)
        async with http.post(f"{server.url}/api/auth/login", data=body,
                             headers={"X-CSRF-Token": token, "Content-Type": "application/json"}) as resp:  # fmt: skip
            assert resp.status == 400
            assert (await resp.json())["error"]["code"] == "invalid"


async def test_staff_namespace_refuses_without_session(server: Running) -> None:
    """/staff without a cookie, or with a made-up one, is refused with `unauthorized`."""
    for headers in ({}, {"Cookie": "kvarter_session=forged"}):
        client = Client(server.url, "/staff")
        with pytest.raises(socketio.exceptions.ConnectionError):
            await client.connect(headers=headers)
        assert client.events["connect_error"] == [{"message": "unauthorized"}]


async def test_foreign_origin_is_refused_on_both_transports(server: Running) -> None:
    """A handshake with an Origin outside the allow-list is refused, websocket and polling alike."""
    for transport in ("websocket", "polling"):
        async with aiohttp.ClientSession() as http:
            client = socketio.AsyncClient(reconnection=False, http_session=http)
            with pytest.raises(socketio.exceptions.ConnectionError):
                await client.connect(server.url, namespaces=["/youth"], transports=[transport],
                                     headers={"Origin": "https://evil.example"}, wait_timeout=5)  # fmt: skip
    allowed = socketio.AsyncClient(reconnection=False)
    await allowed.connect(server.url, namespaces=["/youth"], transports=["websocket"],
                          headers={"Origin": server.origin}, wait_timeout=5)  # fmt: skip
    assert allowed.connected
    await allowed.disconnect()


async def test_admin_may_not_patrol(server: Running) -> None:
    """An admin account manages accounts but cannot go on duty or post in rooms."""
    admin = await server.officer(role="admin")
    client = await server.staff(admin)
    assert (await client.call("duty:start", {"rooms": ["umea"]}))["error"]["code"] == "forbidden"
    assert (await client.call("room:join", {"room": "umea"}))["error"]["code"] == "forbidden"


async def test_officer_not_on_duty_cannot_see_waiting_chats(server: Running) -> None:
    """Waiting chats are visible only to officers on duty for that neighbourhood."""
    _, on_duty_umea = await server.on_duty("umea")
    _, elsewhere = await server.on_duty("ostersund")
    youth = await server.youth()
    conv = (await youth.ok("chat:open", {"room": "umea"}))["conversation"]["id"]
    assert (await elsewhere.call("chat:sync", {"conversation_id": conv}))["error"]["code"] == "not_found"
    assert (await elsewhere.call("chat:take", {"conversation_id": conv}))["error"]["code"] == "not_found"
    assert (await elsewhere.ok("inbox:list", {}))["conversations"] == []
    assert (await on_duty_umea.ok("chat:take", {"conversation_id": conv}))["conversation"]["status"] == "active"


async def test_login_rehashes_a_password_stored_with_old_parameters(server: Running) -> None:
    """A hash made with weaker argon2 parameters is replaced by a current one at the next login."""
    user, _ = await accounts.create_user(server.deps, username="gammal", role="officer")
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("gammalt-losenord-1")
    async with server.deps.db.transaction() as tx:
        await tx.staff.set_password_hash(user.id, weak)
    async with session_http() as http:
        token = await csrf_token(http, server.url)
        async with await post_login(http, server.url, token, "gammal", "gammalt-losenord-1") as resp:
            assert resp.status == 200
    async with server.deps.db.transaction() as tx:
        stored = await tx.staff.by_id(user.id)
    assert stored is not None
    assert stored.password_hash != weak
    assert stored.password_hash.startswith("$argon2id$")
    assert not PasswordHasher().check_needs_rehash(stored.password_hash)
