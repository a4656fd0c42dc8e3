"""Real socket.io clients and an HTTP helper for tests."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import pyotp
import socketio

from server.http import csrf

ACK_TIMEOUT = 10


async def wait_for_event(
    received: list[Any], arrived: asyncio.Event, event: str, predicate: Any, timeout: float
) -> Any:
    """The first of `received` (past or future) for which predicate(data) holds; `arrived` is set
    by the client whenever any event comes in."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        for data in received:
            if predicate is None or predicate(data):
                return data
        remaining = deadline - loop.time()
        if remaining <= 0:
            raise AssertionError(f"no {event!r} event arrived within {timeout}s")
        arrived.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(arrived.wait(), remaining)


class Client:
    """A socket.io client on one namespace that keeps every event it receives."""

    def __init__(self, base_url: str, namespace: str) -> None:
        self.base_url = base_url
        self.namespace = namespace
        self.sio = socketio.AsyncClient(reconnection=False)
        self.events: dict[str, list[Any]] = defaultdict(list)
        self._arrived = asyncio.Event()
        self.session: dict[str, Any] | None = None

        @self.sio.on("*", namespace=namespace)
        async def _any(event: str, data: Any) -> None:
            self.events[event].append(data)
            if event == "session":
                self.session = data
            self._arrived.set()

        @self.sio.on("connect_error", namespace=namespace)
        async def _refused(data: Any) -> None:
            self.events["connect_error"].append(data)

    async def connect(self, *, auth: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> None:
        await self.sio.connect(
            self.base_url,
            namespaces=[self.namespace],
            auth=auth,
            headers=headers or {},
            transports=["websocket"],
            socketio_path="socket.io",
            wait_timeout=10,
        )

    async def call(self, event: str, data: Any = None, *extra: Any) -> dict[str, Any]:
        args = (data, *extra) if extra else data
        result = await self.sio.call(event, args, namespace=self.namespace, timeout=ACK_TIMEOUT)
        assert isinstance(result, dict), result
        return result

    async def ok(self, event: str, data: Any = None) -> dict[str, Any]:
        result = await self.call(event, data)
        assert result.get("ok") is True, (event, result)
        return result

    async def wait_for(self, event: str, predicate: Any = None, timeout: float = 5) -> Any:
        """The first received `event` (past or future) for which predicate(data) holds."""
        return await wait_for_event(self.events[event], self._arrived, event, predicate, timeout)

    async def disconnect(self) -> None:
        await self.sio.disconnect()


def cid() -> str:
    return uuid.uuid4().hex


@dataclass
class Enrolment:
    """A second factor a test helper enrolled: the secret, the recovery codes, and the last
    time step used (the server refuses a code twice)."""

    secret: str
    recovery_codes: list[str]
    now: Callable[[], float] | None = None  # the server's clock when it is a FakeClock
    last_counter: int = -1


# Supervisors and admins must use a second factor: the helpers enrol one at their first login
# and keep it here, by (server URL, username), so that later logins can send a fresh code.
ENROLLED: dict[tuple[str, str], Enrolment] = {}


async def next_totp(base_url: str, username: str) -> str:
    """A TOTP code of the enrolled account that the server has not seen yet."""
    enrolment = ENROLLED[(base_url, username)]
    totp = pyotp.TOTP(enrolment.secret)
    for _ in range(35):
        current = totp.timecode((enrolment.now or time.time)())
        # The server accepts one step either side of its own; skip steps used already.
        for counter in (current, current + 1):
            if counter > enrolment.last_counter:
                enrolment.last_counter = counter
                return totp.generate_otp(counter)
        if enrolment.now is not None:
            raise AssertionError("advance the FakeClock 30 s: both usable TOTP codes were used")
        await asyncio.sleep(1)
    raise AssertionError("no fresh TOTP code")


def csrf_pair(secret_key: str, session_cookie: str | None) -> tuple[str, str]:
    """A CSRF token for the browser holding `session_cookie` ("kvarter_session=…", or None), and
    the cookie header part that carries it."""
    session = session_cookie.partition("=")[2] if session_cookie else None
    token = csrf.new_token(secret_key, session)
    return token, f"{csrf.CSRF_COOKIE}={token}"


async def staff_cookie(base_url: str, username: str, password: str, now: Callable[[], float] | None = None) -> str:
    """Log in over HTTP like the console does and return the session cookie header. A supervisor
    or admin enrols a second factor at the first login (pass the server's FakeClock as `now`),
    and sends a code from it later."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        async with http.get(f"{base_url}/api/auth/csrf") as resp:
            token = (await resp.json())["token"]
        headers = {"X-CSRF-Token": token}
        creds = {"username": username, "password": password}
        if (base_url, username) in ENROLLED:
            creds["totp"] = await next_totp(base_url, username)
        async with http.post(f"{base_url}/api/auth/login", json=creds, headers=headers) as resp:
            assert resp.status == 200, await resp.text()
            session = resp.cookies["kvarter_session"].value
            setup_required = (await resp.json())["totp_setup_required"]
        if setup_required:
            # The CSRF token is bound to the session: the new session's, like the console fetches.
            async with http.get(f"{base_url}/api/auth/csrf") as resp:
                headers = {"X-CSRF-Token": (await resp.json())["token"]}
            async with http.post(f"{base_url}/api/auth/totp/setup", headers=headers) as resp:
                assert resp.status == 200, await resp.text()
                secret = (await resp.json())["secret"]
            enrolment = ENROLLED[(base_url, username)] = Enrolment(secret, [], now)
            code = await next_totp(base_url, username)
            async with http.post(f"{base_url}/api/auth/totp/confirm", json={"code": code}, headers=headers) as resp:
                assert resp.status == 200, await resp.text()
                enrolment.recovery_codes = (await resp.json())["recovery_codes"]
                session = resp.cookies["kvarter_session"].value
    return f"kvarter_session={session}"
