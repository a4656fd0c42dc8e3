"""The socket.io server under attack: cross-site websocket hijacking, a /staff connection without a
session, floods, too many connections from one place, malformed frames, and a poisoned Redis queue.

Engine.IO and Socket.IO are spoken by hand here (aiohttp's websocket client on
/socket.io/?EIO=4&transport=websocket), so that a test can send what no well-behaved client would.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import pickle
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import socketio
from sqlalchemy import update
from sqlalchemy.ext.asyncio import create_async_engine

from server.clock import SystemClock
from server.config import Settings
from server.realtime import guard as connection_guard
from server.realtime.keys import SIO
from server.services import neighbourhoods
from server.services.deps import Deps
from server.services.emitter import NullEmitter
from server.storage.db import Database
from server.storage.models import StaffUser
from tests import services
from tests.clients import Client, cid
from tests.conftest import Running, free_port
from tests.procs import ServerProcess

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])

EVIL = "https://evil.example"
WS = aiohttp.WSMsgType
DOCUMENTED = {
    "invalid", "too_long", "unauthorized", "forbidden", "not_found", "rate_limited", "blocked", "closed",
    "conflict", "unavailable", "internal",
}  # fmt: skip
# The production defaults (conftest raises the event limits for the rest of the suite).
LIMITS = ("event_rate", "event_burst", "max_connections_per_source")
DEFAULTS = {f.name: f.default for f in fields(Settings) if f.name in LIMITS}


@pytest.fixture
def limits() -> dict[str, Any]:
    """Settings a test overrides with @pytest.mark.parametrize("limits", [{...}])."""
    return {}


@pytest.fixture
def settings(settings: Settings, limits: dict[str, Any]) -> Settings:
    return replace(settings, **{**DEFAULTS, **limits})


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def ws_url(server: Running) -> str:
    return f"{server.url}/socket.io/?EIO=4&transport=websocket"


def polling_url(server: Running) -> str:
    return f"{server.url}/socket.io/?EIO=4&transport=polling"


@dataclass
class Raw:
    """One Engine.IO connection spoken by hand."""

    ws: aiohttp.ClientWebSocketResponse
    pending: list[str] = field(default_factory=list)

    async def send(self, frame: str | bytes) -> None:
        if isinstance(frame, bytes):
            await self.ws.send_bytes(frame)
        else:
            await self.ws.send_str(frame)

    async def frames(self, seconds: float) -> tuple[list[str], bool]:
        """Text frames that arrive within `seconds` (pings answered), and whether it was closed."""
        out: list[str] = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while (left := deadline - loop.time()) > 0:
            try:
                msg = await asyncio.wait_for(self.ws.receive(), left)
            except TimeoutError:
                break
            if msg.type == aiohttp.WSMsgType.TEXT:
                if msg.data == "2":
                    await self.ws.send_str("3")
                    continue
                if msg.data == "1":  # Engine.IO CLOSE: the server ends the connection
                    return out, True
                out.append(msg.data)
            elif msg.type in (WS.CLOSE, WS.CLOSED, WS.CLOSING, WS.ERROR):
                return out, True
        return out, self.ws.closed

    async def until(self, prefix: str, seconds: float = 5) -> str:
        """The first frame (kept from earlier reads, or new) that starts with `prefix`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        closed = False
        while True:
            for i, frame in enumerate(self.pending):
                if frame.startswith(prefix):
                    del self.pending[: i + 1]
                    return frame
            if closed or loop.time() >= deadline:
                raise AssertionError(f"no frame starting with {prefix!r} in {self.pending}")
            got, closed = await self.frames(min(0.2, deadline - loop.time()))
            self.pending += got

    async def close(self) -> None:
        await self.ws.close()


async def raw_open(http: aiohttp.ClientSession, server: Running, headers: dict[str, str] | None = None) -> Raw:
    """An Engine.IO websocket past its OPEN packet (no namespace yet)."""
    ws = await http.ws_connect(ws_url(server), headers=headers or {})
    raw = Raw(ws)
    assert (await raw.until("0{")).startswith("0{")
    return raw


async def raw_youth(http: aiohttp.ClientSession, server: Running) -> Raw:
    raw = await raw_open(http, server)
    await raw.send("40/youth,")
    await raw.until("40/youth,")
    await raw.until('42/youth,["session"')
    return raw


async def bystander_ok(client: Client) -> None:
    """A well-behaved client on another connection is still served."""
    assert (await client.call("room:sync", {"room": "umea"}))["ok"] is True


# --- cross-site websocket hijacking -------------------------------------------------------------


async def test_foreign_origins_are_refused_on_both_transports_and_namespaces(
    server: Running, http: aiohttp.ClientSession
) -> None:
    """A page on another site cannot open the socket, even with an officer's cookie riding along:
    websocket and polling handshakes with a foreign Origin are refused for /youth and /staff."""
    officer = await server.officer()
    port = server.settings.port
    for namespace in ("/youth", "/staff"):
        for transport in ("websocket", "polling"):
            sio = socketio.AsyncClient(reconnection=False)
            with pytest.raises(socketio.exceptions.ConnectionError):
                await sio.connect(
                    server.url,
                    namespaces=[namespace],
                    headers={"Origin": EVIL, "Cookie": officer.cookie},
                    transports=[transport],
                    wait_timeout=5,
                )
            await sio.disconnect()
    foreign = [EVIL, "null", f"http://127.0.0.1:{port + 1}", f"https://127.0.0.1:{port}", f"http://localhost:{port}"]
    for origin in foreign:
        headers = {"Origin": origin, "Cookie": officer.cookie}
        async with http.get(polling_url(server), headers=headers) as resp:
            assert resp.status == 400
            assert "not an accepted origin" in await resp.text()
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(ws_url(server), headers=headers)
        assert refused.value.status == 400
    # The console's own origin with the same cookie is let in, on both transports.
    own = {"Origin": server.origin, "Cookie": officer.cookie}
    sio = socketio.AsyncClient(reconnection=False)
    # (python-socketio moves the Cookie header out of the dict it is given: pass a copy.)
    await sio.connect(server.url, namespaces=["/staff"], headers=dict(own), transports=["websocket"], wait_timeout=5)
    assert sio.connected
    await sio.disconnect()
    async with http.get(polling_url(server), headers=own) as resp:
        assert resp.status == 200
        assert resp.headers["Access-Control-Allow-Origin"] == server.origin
        sid = json.loads((await resp.text())[1:])["sid"]
    session = f"{polling_url(server)}&sid={sid}"
    async with http.post(session, data=b"40/staff,", headers=own) as resp:
        assert resp.status == 200
    async with http.get(session, headers=own) as resp:
        assert (await resp.text()).startswith("40/staff,{")
    async with http.post(session, data=b"1", headers=own) as resp:
        assert resp.status == 200


async def test_the_origin_allow_list_is_explicit(server: Running) -> None:
    """The server is built with a non-empty list of exact origins: neither Engine.IO's "no list"
    (which disables the check) nor its "*" (any origin)."""
    allowed = server.app[SIO].eio.cors_allowed_origins
    assert allowed == [server.origin]
    bad = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins=[])
    with pytest.raises(ValueError, match="origin allow-list"):
        connection_guard.install(bad, server.settings)
    star = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
    with pytest.raises(ValueError, match="origin allow-list"):
        connection_guard.install(star, server.settings)


# --- /staff without a session --------------------------------------------------------------------


async def test_staff_without_a_session_gets_nothing(server: Running, http: aiohttp.ClientSession) -> None:
    """No Origin and no cookie (a script, not a browser): /staff refuses the namespace, ignores
    every event sent anyway, and believes no identity claimed in the auth payload or a forged cookie."""
    officer = await server.officer(role="supervisor")
    youth = await server.youth()
    attempts: list[tuple[dict[str, str], str]] = [
        ({}, "40/staff,"),
        ({}, "40/staff," + json.dumps({"staff_id": officer.id, "role": "supervisor", "token": "x"})),
        ({"Cookie": f"kvarter_session={secrets.token_urlsafe(32)}"}, "40/staff,"),
        ({"Cookie": f"kvarter_session={youth.session['token']}"}, "40/staff,"),  # type: ignore[index]
        ({"Cookie": "kvarter_session="}, "40/staff,"),
    ]
    for headers, connect in attempts:
        raw = await raw_open(http, server, headers)
        await raw.send(connect)
        refused = await raw.until("44/staff,")
        assert json.loads(refused.removeprefix("44/staff,"))["message"] == "unauthorized"
        for i, event in enumerate(("triage:list", "inbox:list", "duty:start", "moderation:flags")):
            await raw.send(f'42/staff,{i}["{event}",{{"rooms":["umea"],"room":"umea"}}]')
        got, _ = await raw.frames(0.5)
        assert not [f for f in got if f.startswith(("43/staff", "42/staff"))], got
        await raw.close()
    sio = socketio.AsyncClient(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await sio.connect(server.url, namespaces=["/staff"], transports=["websocket"], wait_timeout=5)
    await sio.disconnect()


async def test_role_is_read_again_on_every_staff_event(server: Running) -> None:
    """The role comes from the database on each event, not from the connection: an officer
    changed to admin mid-connection is refused patrol events at once."""
    officer, console = await server.on_duty("umea")
    assert (await console.call("triage:list", {}))["ok"] is True
    engine = create_async_engine(server.settings.database_url)
    async with engine.begin() as conn:
        await conn.execute(update(StaffUser).where(StaffUser.id == officer.id).values(role="admin"))
    await engine.dispose()
    for event, payload in (("triage:list", {}), ("inbox:list", {}), ("room:sync", {"room": "umea"})):
        assert (await console.call(event, payload))["error"]["code"] == "forbidden"


# --- floods --------------------------------------------------------------------------------------


async def test_an_event_flood_is_rate_limited_and_the_budget_refills(server: Running) -> None:
    """A /youth connection gets a burst of 40 events, then 20 a second: the rest are refused with
    `rate_limited` before any work is done, and a second later events pass again."""
    assert (DEFAULTS["event_burst"], DEFAULTS["event_rate"]) == (40, 20)
    youth = await server.youth()
    bystander = await server.youth()
    loop = asyncio.get_running_loop()
    started = loop.time()
    results = await asyncio.gather(*(youth.call("room:sync", {"room": "umea"}) for _ in range(80)))
    refilled = math.ceil(20 * (loop.time() - started))  # tokens that came back while they were sent
    passed = [r for r in results if r["ok"]]
    refused = [r for r in results if not r["ok"]]
    assert 40 <= len(passed) <= 40 + refilled, (len(passed), refilled)
    assert len(refused) >= 10
    assert {r["error"]["code"] for r in refused} == {"rate_limited"}
    assert youth.sio.connected
    await bystander_ok(bystander)
    await asyncio.sleep(1.1)
    assert (await youth.call("room:sync", {"room": "umea"}))["ok"] is True
    async with aiohttp.ClientSession() as http, http.get(f"{server.url}/metrics") as resp:
        assert 'event="room:sync",namespace="/youth",result="rate_limited"}' in await resp.text()


async def test_staff_connections_get_a_larger_budget(server: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    """A console resyncing many rooms after a reconnect is not refused: /staff has 5x the budget
    (200 events at once). The guard's clock stands still here, so no tokens come back meanwhile
    and the answers do not depend on how fast the server is."""
    monkeypatch.setattr(connection_guard.of(server.app[SIO]), "_monotonic", lambda: 1_000.0)
    _, console = await server.on_duty("umea")
    results = await asyncio.gather(*(console.call("room:sync", {"room": "umea"}) for _ in range(150)))
    assert all(r["ok"] for r in results)
    # 41 over the budget: refused, but fewer in a row than a flood that closes the connection.
    more = await asyncio.gather(*(console.call("room:sync", {"room": "umea"}) for _ in range(90)))
    codes = [r.get("error", {}).get("code") for r in more]
    assert codes.count(None) == 200 - 150 - 1  # duty:start took one
    assert codes.count("rate_limited") == 90 - codes.count(None)
    assert console.sio.connected


async def test_a_connection_that_keeps_flooding_is_closed(server: Running) -> None:
    """A script that ignores `rate_limited` and keeps sending is disconnected; others carry on."""
    youth = await server.youth()
    bystander = await server.youth()
    for _ in range(300):
        await youth.sio.emit("room:sync", {"room": "umea"}, namespace="/youth", callback=lambda *_: None)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    while youth.sio.connected and loop.time() < deadline:
        await asyncio.sleep(0.05)
    assert not youth.sio.connected, "the flooding connection is still open"
    assert connection_guard.of(server.app[SIO]).flood_disconnects == 1
    await bystander_ok(bystander)


# --- connections per source ----------------------------------------------------------------------


async def test_connections_per_source_are_capped(server: Running, http: aiohttp.ClientSession) -> None:
    """At most KVARTER_MAX_CONNECTIONS_PER_SOURCE (default 50) open connections from one address:
    the next handshake is refused over websocket and polling until one closes. The count is kept
    under a keyed hash of the address, never the address."""
    assert server.settings.max_connections_per_source == 50
    guard = connection_guard.of(server.app[SIO])
    held = [await raw_open(http, server) for _ in range(50)]
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await http.ws_connect(ws_url(server))
    assert refused.value.status == 401
    async with http.get(polling_url(server)) as resp:
        assert resp.status == 401
    sio = socketio.AsyncClient(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await sio.connect(server.url, namespaces=["/youth"], transports=["websocket"], wait_timeout=5)
    await sio.disconnect()
    assert guard.refused_connections == 3
    keys = list(guard._per_source)
    assert len(keys) == 1 and len(keys[0]) == 32 and "127.0.0.1" not in keys[0]
    await held.pop().close()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    while True:
        try:
            held.append(await raw_open(http, server))
            break
        except aiohttp.WSServerHandshakeError:
            assert loop.time() < deadline, "a closed connection was not released"
            await asyncio.sleep(0.05)
    for raw in held:
        await raw.close()


@pytest.mark.parametrize("limits", [{"max_connections_per_source": 2, "trusted_proxies": ("127.0.0.1/32",)}])
async def test_behind_a_trusted_proxy_the_forwarded_address_is_the_source(
    server: Running, http: aiohttp.ClientSession
) -> None:
    """With nginx in KVARTER_TRUSTED_PROXIES, X-Forwarded-For's nearest untrusted hop is the
    source: two clients behind one proxy do not share a cap, and a hop the client wrote itself
    (left of the proxy's) does not help it."""
    a = {"X-Forwarded-For": "203.0.113.5"}
    held = [await raw_open(http, server, a), await raw_open(http, server, a)]
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await http.ws_connect(ws_url(server), headers=a)
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await http.ws_connect(ws_url(server), headers={"X-Forwarded-For": "198.51.100.7, 203.0.113.5"})
    held.append(await raw_open(http, server, {"X-Forwarded-For": "203.0.113.6"}))
    for raw in held:
        await raw.close()


@pytest.mark.parametrize("limits", [{"max_connections_per_source": 2}])
async def test_forwarded_for_from_an_untrusted_peer_is_ignored(server: Running, http: aiohttp.ClientSession) -> None:
    """Without a trusted proxy a client cannot escape the cap by writing X-Forwarded-For itself."""
    held = [await raw_open(http, server, {"X-Forwarded-For": f"203.0.113.{i}"}) for i in (1, 2)]
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await http.ws_connect(ws_url(server), headers={"X-Forwarded-For": "203.0.113.3"})
    for raw in held:
        await raw.close()


def server_sockets(port: int) -> int:
    """TCP connections whose server end is still open here: ESTABLISHED or CLOSE_WAIT with the
    server's port as the local one (a closed server end is FIN_WAIT or TIME_WAIT, with no
    descriptor)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError), open(table) as f:
            for line in f.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                if int(local.rsplit(":", 1)[1], 16) == port and state in ("01", "08"):
                    count += 1
    return count


@pytest.mark.parametrize("limits", [{"max_connections_per_source": 5}])
async def test_sockets_that_ignore_the_close_packet_are_closed_by_the_server(server: Running) -> None:
    """A client that gets itself closed (a binary frame), then ignores the CLOSE packet — never
    reads, never hangs up — and connects again, as fast as it can for a second: the server
    hangs up each socket itself, so the server's open sockets stay within the per-source cap
    while the attacker cycles through many more (before, each stayed open for the ping timeout
    of 45 s while its slot was already free: hundreds here, thousands in the red-team's run)."""
    sio = server.app[SIO]
    guard = connection_guard.of(sio)
    port = server.settings.port
    loop = asyncio.get_running_loop()
    admitted: list[aiohttp.ClientWebSocketResponse] = []
    refusals: set[int] = set()
    peak = 0
    connector = aiohttp.TCPConnector(force_close=True, limit=0)
    async with aiohttp.ClientSession(connector=connector) as attacker:
        started = loop.time()
        while loop.time() - started < 1.0:
            try:
                ws = await attacker.ws_connect(ws_url(server), autoclose=False, autoping=False)
            except aiohttp.WSServerHandshakeError as error:
                refusals.add(error.status)
                continue
            admitted.append(ws)
            await ws.send_bytes(b"\x04")  # refused by the guard: the session is closed at once
            peak = max(peak, server_sockets(port))
        await asyncio.sleep(0.2)
        held = server_sockets(port)
        print(f"\nheld sockets: {len(admitted)} admitted in 1 s, server sockets peak {peak}, after {held}")
        assert len(admitted) > 20  # positive control: the attacker cycled far past the cap
        assert refusals <= {401}
        assert open_sockets(sio) == 0 and not guard._per_source  # every session and slot ended
        assert peak <= 5 + 1 and held == 0
        for ws in admitted:  # never read until now: the server's CLOSE packet, then its hang-up
            frames = []
            while (msg := await asyncio.wait_for(ws.receive(), 5)).type not in (WS.CLOSE, WS.CLOSED, WS.ERROR):
                frames.append(msg.data)
            assert frames[-1:] == ["1"], frames
            await ws.close()
        again = await attacker.ws_connect(ws_url(server))
        await again.close()


def test_a_slot_is_held_until_the_session_and_its_websocket_have_both_ended(settings: Settings) -> None:
    """The guard frees a source's slot only when both the Engine.IO session and its websocket
    have released it (whichever ends first); the server aborts a websocket CLOSE_GRACE_S after
    its session ended, so a client that will not hang up holds its slot no longer than that."""
    guard = connection_guard.ConnectionGuard(replace(settings, max_connections_per_source=1))
    environ = {"REMOTE_ADDR": "203.0.113.5"}
    assert guard.admit("a", environ)
    assert guard.hold("a")  # the websocket opens
    guard.release("a")  # the session ends
    assert not guard.admit("b", environ), "the slot was free while the websocket was still open"
    guard.release("a")  # the websocket is gone
    assert guard.connections_from(environ) == 0
    assert guard.admit("b", environ)  # positive control: the source connects again
    assert not guard.hold("unknown")


# --- malformed frames ----------------------------------------------------------------------------

BIG = "x" * 60_000
MALFORMED: list[tuple[str, str | bytes]] = [
    ("garbage", "hello"),
    ("empty", ""),
    ("socket.io type only", "4"),
    ("truncated JSON", '42/youth,["room:sync",{"room":'),
    ("truncated JSON with an ack id", '42/youth,7["room:sync"'),
    ("event is an object", '42/youth,8{"room":"umea"}'),
    ("event with a number for a name", '42/youth,9[123,{"room":"umea"}]'),
    ("event with null for a name", "42/youth,10[null]"),
    ("event with no name", "42/youth,11[]"),
    ("event with a nested list for a name", '42/youth,12[["room:sync"],{}]'),
    ("deep nesting", '42/youth,13["room:sync",' + "[" * 5000 + "]" * 5000 + "]"),
    ("huge ack id", '42/youth,99999999999999999999999999999["room:sync",{"room":"umea"}]'),
    ("near-limit packet", '42/youth,14["room:send",{"room":"umea","client_id":"c","body":"' + BIG + '"}]'),
    ("wrong namespace", '42/nowhere,15["room:sync",{"room":"umea"}]'),
    ("connect to an unknown namespace", "40/nowhere,"),
    ("invalid socket.io packet type", "49/youth,"),
    ("invalid socket.io packet type, no namespace", "47"),
    ("CONNECT_ERROR from the client", '44/youth,{"message":"x"}'),
    ("ack for nothing", '43/youth,5["x"]'),
    ("invalid engine.io type", "9hello"),
    ("engine.io upgrade at the wrong time", "5"),
    ("engine.io probe", "2probe"),
    ("unsolicited pong", "3"),
    ("noop", "6"),
    ("binary attachment placeholder", '451-/youth,16["room:sync",{"_placeholder":true,"num":0}]'),
    ("a billion attachments announced", '459999999999-/youth,17["room:sync",{"_placeholder":true,"num":0}]'),
    ("binary frame", b"\x04\x00\x01\x02"),
    ("binary frames after a placeholder", "BINARY-FLOOD"),
    ("packet over the 64 KiB limit", '42/youth,18["room:sync",{"room":"' + "x" * 70_000 + '"}]'),
    ("1 MB frame", "4" + "x" * 1_000_000),
    ("engine.io close", "1"),
]


async def test_malformed_frames_leave_the_server_and_others_alone(server: Running, http: aiohttp.ClientSession) -> None:
    """Garbage, truncated JSON, binary placeholders, oversized packets, wrong namespaces, invalid
    packet types and non-string event names on a raw websocket: the sender gets a documented error
    or is disconnected, the server stays up, another client is unaffected, and nothing leaks."""
    bystander = await server.youth()
    sio = server.app[SIO]
    baseline = open_sockets(sio)
    outcomes: dict[str, str] = {}
    for label, frame in MALFORMED:
        raw = await raw_youth(http, server)
        if frame == "BINARY-FLOOD":
            await raw.send('451-/youth,19["room:sync",{"_placeholder":true,"num":0}]')
            for _ in range(200):
                if raw.ws.closed:
                    break
                with contextlib.suppress(ConnectionError, aiohttp.ClientError):
                    await raw.send(b"\x00" * 60_000)
        else:
            await raw.send(frame)
        got, closed = await raw.frames(0.4)
        acks = [f for f in got if f.startswith("43/youth,")]
        for ack in acks:
            body = json.loads(ack[ack.index("[") :])[0]
            assert body["ok"] is True or body["error"]["code"] in DOCUMENTED, (label, body)
        outcomes[label] = "closed" if closed else (acks[0][:60] if acks else "ignored")
        await raw.close()
        await until_released(sio, baseline, label)
        await bystander_ok(bystander)
    print("\n" + "\n".join(f"  {label}: {outcome}" for label, outcome in outcomes.items()))
    assert outcomes["binary attachment placeholder"] == "closed"
    assert outcomes["binary frames after a placeholder"] == "closed"
    assert outcomes["packet over the 64 KiB limit"] == "closed"
    assert outcomes["1 MB frame"] == "closed"
    assert '"code":"too_long"' in outcomes["near-limit packet"] or "too_long" in outcomes["near-limit packet"]
    async with http.get(f"{server.url}/healthz") as resp:
        assert resp.status == 200
    assert not sio._binary_packet, "a half-received binary packet is still held"
    await bystander_ok(bystander)


def open_sockets(sio: Any) -> int:
    """Engine.IO connections not closed (closed ones are swept from its table by its service task)."""
    return sum(1 for s in sio.eio.sockets.values() if not s.closed)


async def until_released(sio: Any, baseline: int, label: str) -> None:
    """Wait until a closed connection is closed in Engine.IO and gone from the per-source count."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 3
    guard = connection_guard.of(sio)
    while (open_sockets(sio) > baseline or len(guard._connections) > baseline) and loop.time() < deadline:
        await asyncio.sleep(0.02)
    assert open_sockets(sio) == baseline, f"{label}: the closed connection lingers in Engine.IO"
    assert len(guard._connections) == baseline, f"{label}: the closed connection still counts for its source"


POLLING_GARBAGE = [
    b"\xff\xfe not UTF-8",
    b"4" + b"x" * 70_000,  # over the 64 KiB limit
    b"40/youth,\x1e" + b"42/youth,1[" * 100,
    b"6",  # Engine.IO refuses these packet types from a client...
    b"2",
    b"0",
    b"9x",
]


async def test_polling_garbage_is_answered_at_once(server: Running, http: aiohttp.ClientSession) -> None:
    """Long-polling POSTs of garbage, oversized bodies and packet types a client may not send are
    answered at once and leave nothing behind, even when the client never polls again (Engine.IO
    itself would wait for the next poll to collect its CLOSE packet, holding the request forever)."""
    sio = server.app[SIO]
    baseline = open_sockets(sio)
    timeout = aiohttp.ClientTimeout(total=5)
    for body in POLLING_GARBAGE:
        async with http.get(polling_url(server)) as resp:
            assert resp.status == 200
            sid = json.loads((await resp.text())[1:])["sid"]
        async with http.post(f"{polling_url(server)}&sid={sid}", data=body, timeout=timeout) as resp:
            assert resp.status in (200, 400), (body[:10], resp.status)
        async with http.post(f"{polling_url(server)}&sid={sid}", data=b"1", timeout=timeout) as resp:
            assert resp.status in (200, 400)  # closed now, or already gone
        await until_released(sio, baseline, repr(body[:10]))
    async with http.post(f"{polling_url(server)}&sid=nonexistent", data=b"40/youth,") as resp:
        assert resp.status == 400
    async with http.get(f"{server.url}/healthz") as resp:
        assert resp.status == 200


# --- the Redis queue ------------------------------------------------------------------------------


class _Marker:
    """Unpickling this creates a file: proof that a process deserialised it as pickle."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        return (open, (str(self.path), "w"))


@pytest.mark.multiprocess
async def test_the_redis_queue_carries_json_only(settings: Settings, tmp_path: Path) -> None:
    """What the socket.io manager publishes between processes is JSON, and a pickle pushed onto the
    channel by someone who reached Redis is not deserialised: no code runs, and the queue still works."""
    services.need_redis()
    import redis.asyncio as aioredis

    settings = replace(settings, redis_url=services.REDIS_URL)
    db = Database(settings.database_url)
    deps = Deps(settings=settings, db=db, clock=SystemClock(), emitter=NullEmitter())
    await neighbourhoods.add(deps, slug="umea", name="Umeå centrum", police_area="Umeå", region="Nord")
    await db.close()
    proc = ServerProcess(settings, port=free_port(), log_path=tmp_path / "server.log")
    channel = f"{settings.redis_prefix}socketio"
    client = aioredis.from_url(services.REDIS_URL)
    pubsub = client.pubsub()
    await pubsub.subscribe(channel)
    youth = Client(proc.url, "/youth")
    await proc.start()
    try:
        await youth.connect()
        await youth.wait_for("session")
        await youth.ok("room:join", {"room": "umea"})
        await youth.ok("room:send", {"room": "umea", "client_id": cid(), "body": "via kön"})
        published: list[bytes] = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 5
        while not published and loop.time() < deadline:
            msg = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.5)
            if msg is not None:
                published.append(msg["data"])
        assert published, "nothing was published on the socket.io channel"
        for data in published:
            assert not data.startswith(b"\x80"), "a pickle on the queue"
            assert isinstance(json.loads(data), dict)

        marker = tmp_path / "unpickled"
        await client.publish(channel, pickle.dumps({"method": "emit", "payload": _Marker(marker)}))
        await client.publish(channel, pickle.dumps(_Marker(marker)))
        await client.publish(channel, b"\x80\x04garbage")
        # A well-formed JSON emit from "another process", published after the garbage: the server
        # reads the channel in order, so once it is delivered the pickles have been read (the
        # ordering barrier) — and the queue still works.
        message = {
            "method": "emit", "event": "room:message", "data": {"id": "x", "body": "från en annan process"},
            "namespace": "/youth", "room": "room:umea", "skip_sid": None, "callback": None,
            "host_id": "another-process",
        }  # fmt: skip
        await client.publish(channel, json.dumps(message))
        got = await youth.wait_for("room:message", lambda m: m.get("body") == "från en annan process", timeout=5)
        assert got["id"] == "x"
        assert not marker.exists(), "the server unpickled a message from the queue"
    finally:
        if youth.sio.connected:
            await youth.disconnect()
        proc.stop()
        await pubsub.unsubscribe(channel)
        await pubsub.aclose()
        await client.aclose()
