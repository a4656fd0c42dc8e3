"""Property-based fuzzing of every socket.io event and every JSON endpoint: wrong types, huge and
nested values, odd Unicode (lone surrogates, controls, right-to-left marks, emoji). Every answer is
of the protocol's shape with a documented error code, never `internal`; the connection and the
process stay up; and a server process's memory does not keep growing under a long run of garbage.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import random
import re
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import msgspec
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from server import events as ev
from server.app import MAX_SOCKET_PACKET_BYTES as MAX_PACKET
from server.clock import SystemClock
from server.config import Settings
from server.http import csrf
from server.realtime.keys import SIO
from server.services import neighbourhoods
from server.services.deps import Deps
from server.services.emitter import NullEmitter
from server.storage.db import Database
from tests.clients import Client, csrf_pair
from tests.conftest import Running, free_port
from tests.procs import ServerProcess

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])

# Documented codes a fuzzed call may get; `internal` is documented too, but always a bug.
EXPECTED = {
    "invalid", "too_long", "unauthorized", "forbidden", "not_found", "rate_limited", "blocked", "closed",
    "conflict", "unavailable",
}  # fmt: skip
HTTP_STATUS = {400, 401, 403, 404, 405, 409, 413, 422, 429}
FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _field_names() -> list[str]:
    """Every field name of every inbound payload, so that fuzzed objects often look nearly right."""
    names: set[str] = set()
    for value in vars(ev).values():
        if isinstance(value, type) and issubclass(value, msgspec.Struct):
            names.update(value.__struct_fields__)
    return sorted(names)


FIELDS = _field_names()
ODD = st.sampled_from([
    "\ud800", "\udfff", "a\ud83dz", "\x00", "\x1b[31m", "\u202e", "\u200b\u200d", "\ufeff", "🚓🚨", "é", "ﷺ",
    "\U0010ffff", "Ω" * 300, "'; DROP TABLE youths; --", "<script>alert(1)</script>", "../../etc/passwd",
    "%00", "{{7*7}}", "${jndi:ldap://x}", "0" * 20, "-1", "1e309", "umea\n", " umea", "UMEA",
])  # fmt: skip
TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec=None, categories=["Cs", "Cc", "Cf", "So", "Mn"]), max_size=40),
    ODD,
    st.integers(0, 2_500).map(lambda n: "x" * n),
    st.integers(1, 64).map(lambda n: secrets.token_hex(n)[:n]),
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False), TEXT,
)  # fmt: skip
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=6),
        st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), inner, max_size=6),
    ),
    max_leaves=25,
)
DEEP = st.integers(1, 400).map(lambda depth: json.loads("[" * depth + "]" * depth))
# One huge value (a body far over 2,000 characters) in an otherwise plausible object.
HUGE = st.tuples(st.sampled_from(FIELDS), st.integers(2_000, 40_000)).map(lambda kv: {kv[0]: "x" * kv[1]})
# A plausible object with odd text in a field or two.
ODD_FIELDS = st.dictionaries(st.sampled_from(FIELDS), st.one_of(ODD, TEXT), min_size=1, max_size=3)
PAYLOADS = st.one_of(
    ODD_FIELDS,
    st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=7),  # near misses: real field names
    HUGE,
    st.dictionaries(st.sampled_from(FIELDS), SCALARS, max_size=7),
    JSON,
    DEEP,
)


def check_ack(event: str, payload: Any, ack: Any) -> None:
    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), (event, payload, ack)
    if not ack["ok"]:
        error = ack["error"]
        assert error["code"] in EXPECTED, (event, payload, ack)
        assert isinstance(error["message"], str) and error["message"], (event, payload, ack)


@pytest.fixture
async def callers(server: Running) -> dict[str, Client]:
    _, officer = await server.on_duty("umea")
    youth = await server.youth()
    await youth.ok("room:join", {"room": "umea"})
    return {"/youth": youth, "/staff": officer}


def handled(server: Running) -> list[tuple[str, str]]:
    sio = server.app[SIO]
    return sorted((ns, e) for ns, h in sio.namespace_handlers.items() for e in h.handlers)


PLAUSIBLE: dict[str, Any] = {
    "room": "umea", "rooms": ["umea"], "client_id": "c1", "body": "Hej", "nickname": "Lo-42", "typing": True,
    "category": "other", "happening_now": False, "outcome": "advice", "kind": "112", "score": 3, "minutes": 5,
    "reason": "spam", "seconds": 0, "decision": "approve", "pinned": True, "title": "Fråga polisen",
    "message_id": "0000000000000001", "hold": True, "comment": "ok", "code": "123456",
    "starts_at": "2030-01-01T18:00:00Z", "ends_at": "2030-01-01T19:00:00Z", "until": "2030-01-01T19:00:00Z",
}  # fmt: skip


def schema_of(handler: Any) -> type[msgspec.Struct] | None:
    """The payload schema a handler parses with (read from its source: `ev.parse(data, ev.X)`)."""
    found = re.search(r"ev\.parse\(data, ev\.(\w+)\)", inspect.getsource(handler))
    return getattr(ev, found.group(1)) if found else None


def near_miss(schema: type[msgspec.Struct] | None) -> st.SearchStrategy[Any]:
    """A valid-looking payload for the schema with one field (or one extra) replaced by fuzz."""
    fields = list(schema.__struct_fields__) if schema else []
    base = {f: PLAUSIBLE.get(f, secrets.token_hex(16) if f.endswith("_id") else "x") for f in fields}
    target = st.sampled_from([*fields, "extra"]) if fields else st.just("extra")
    return st.tuples(target, st.one_of(ODD, ODD, TEXT, SCALARS, JSON)).map(lambda kv: {**base, kv[0]: kv[1]})


NASTY = ["\ud800", "a\udfffb", "\x00", "\u202e\u202d", "x" * 70, "🚨" * 40]


async def test_nasty_text_in_every_field_of_every_event(server: Running, callers: dict[str, Client]) -> None:
    """Each field of each event's own schema, in an otherwise valid payload, set to a lone surrogate,
    a NUL, bidi overrides, over-long text or emoji: a documented error or success, never `internal`."""
    checked = 0
    for namespace, event in handled(server):
        schema = schema_of(server.app[SIO].namespace_handlers[namespace].handlers[event])
        fields = list(schema.__struct_fields__) if schema else []
        base = {f: PLAUSIBLE.get(f, secrets.token_hex(16) if f.endswith("_id") else "x") for f in fields}
        for name in fields:
            for value in NASTY:
                payload = {**base, name: value}
                check_ack(event, payload, await callers[namespace].call(event, payload))
                checked += 1
    assert checked > 300


@FUZZ
@given(data=st.data())
async def test_every_event_answers_fuzz_with_a_documented_error(
    server: Running, callers: dict[str, Client], data: st.DataObject
) -> None:
    """Any JSON payload to any event of either namespace — random, or the event's own schema with
    one field fuzzed: an ack of the protocol's shape, a documented code, never `internal`, and the
    connection keeps working."""
    namespace, event = data.draw(st.sampled_from(handled(server)), label="event")
    handler = server.app[SIO].namespace_handlers[namespace].handlers[event]
    payload = data.draw(st.one_of(PAYLOADS, near_miss(schema_of(handler))), label="payload")
    # Over 64 KiB a packet closes the connection by design (test_websocket_security.py).
    assume(len(json.dumps(payload)) < MAX_PACKET - 1024)
    client = callers[namespace]
    ack = await client.call(event, payload)
    check_ack(event, payload, ack)
    assert client.sio.connected


@FUZZ
@given(data=st.data())
async def test_every_json_endpoint_answers_fuzz_with_a_documented_error(server: Running, data: st.DataObject) -> None:
    """Any body (JSON of any shape, or bytes that are not JSON or not UTF-8) and any query on any
    API route, from a logged-in supervisor with a valid CSRF token: a JSON error with a documented
    code and status, never a 500."""
    supervisor = await supervisor_cookie(server)
    method, path = data.draw(st.sampled_from(api_routes(server)), label="route")
    path = path.replace("{slug}", data.draw(st.sampled_from(["umea", "atlantis", "UMEA", "%00", "x" * 70])))
    for name in ("window_id", "closure_id", "conversation_id", "report_id", "tail"):
        path = path.replace("{" + name + "}", data.draw(st.sampled_from(["1", "0" * 32, "-1", "9" * 40, "%ff"])))
    query = data.draw(st.dictionaries(st.sampled_from(QUERY_KEYS), st.text(max_size=30), max_size=4), label="q")
    raw = data.draw(
        st.one_of(
            JSON.map(lambda v: json.dumps(v).encode()),
            st.binary(max_size=200),
            st.just(b'{"hold": tru'),
            st.integers(0, 80_000).map(lambda n: b'{"notes": "' + b"x" * n + b'"}'),
        ),
        label="body",
    )
    token, csrf_cookie = csrf_pair(server.settings.secret_key, supervisor)
    headers = {
        csrf.CSRF_HEADER: token, "Cookie": f"{supervisor}; {csrf_cookie}",
        "Content-Type": "application/json", "Origin": server.origin,
    }  # fmt: skip
    async with aiohttp.ClientSession() as http:
        body = None if method == "GET" else raw
        async with http.request(method, server.url + path, params=query, data=body, headers=headers) as resp:
            if resp.status < 300:
                return
            assert resp.status in HTTP_STATUS, (method, path, query, raw[:200], resp.status, await resp.text())
            error = (await resp.json())["error"]
            assert error["code"] in EXPECTED, (method, path, error)


QUERY_KEYS = [
    "reason", "unmask", "room", "officer", "from", "to", "category", "priority", "handoff", "flag", "reviewed",
    "before", "action", "actor", "target", "x",
]  # fmt: skip
_SUPERVISOR: dict[str, str] = {}


async def supervisor_cookie(server: Running) -> str:
    """One supervisor session per server (hypothesis calls the test many times on one server)."""
    if server.url not in _SUPERVISOR:
        _SUPERVISOR[server.url] = (await server.officer(role="supervisor", region="Nord")).cookie
    return _SUPERVISOR[server.url]


def api_routes(server: Running) -> list[tuple[str, str]]:
    out = []
    for route in server.app.router.routes():
        path = route.resource.canonical if route.resource else ""
        if not path.startswith("/api/") or route.method in ("HEAD", "OPTIONS"):
            continue
        if path in ("/api/auth/logout", "/api/auth/password"):
            continue  # they would end the supervisor's session: covered by the access matrix
        out.append(("POST" if route.method == "*" else route.method, path))
    return sorted(set(out))


# --- memory of a server process under a long run of garbage ---------------------------------------


def garbage(rng: random.Random) -> Any:
    """Deterministic junk in the same families as the strategies above."""
    kind = rng.randrange(7)
    if kind == 0:
        return {rng.choice(FIELDS): "x" * rng.randrange(3000) for _ in range(rng.randrange(1, 5))}
    if kind == 1:
        return {rng.choice(FIELDS): rng.choice([None, True, -1, 2**70, 1.5, [], {}, "\ud800", "🚨"]) for _ in range(3)}
    if kind == 2:
        depth = rng.randrange(1, 300)
        return json.loads("[" * depth + "]" * depth)
    if kind == 3:
        return [rng.random() for _ in range(rng.randrange(50))]
    if kind == 4:
        return {"room": "umea", "client_id": secrets.token_hex(8), "body": "hej " * rng.randrange(1, 600)}
    if kind == 5:
        return {"conversation_id": secrets.token_hex(16), "client_id": "c", "body": "x"}
    return "".join(chr(rng.randrange(0x20, 0x2FFFF)) for _ in range(rng.randrange(100)))


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.fixture
async def process(settings: Settings, tmp_path: Path) -> AsyncIterator[ServerProcess]:
    db = Database(settings.database_url)
    deps = Deps(settings=settings, db=db, clock=SystemClock(), emitter=NullEmitter())
    await neighbourhoods.add(deps, slug="umea", name="Umeå centrum", police_area="Umeå", region="Nord")
    await db.close()
    proc = ServerProcess(settings, port=free_port(), log_path=tmp_path / "server.log")
    # This test is about memory, not the flood limit: let one connection send at full speed.
    proc.env.update({"KVARTER_EVENT_RATE": "10000", "KVARTER_EVENT_BURST": "10000"})
    await proc.start()
    try:
        yield proc
    finally:
        proc.stop()


async def hammer(url: str, events: list[str], rounds: int, rng: random.Random) -> int:
    """`rounds` junk events over a few connections, plus connection churn; the number of acks."""
    acks = 0
    for _ in range(4):
        client = Client(url, "/youth")
        await client.connect()
        await client.wait_for("session")
        results = await asyncio.gather(*(client.call(rng.choice(events), garbage(rng)) for _ in range(rounds // 4)))
        for result in results:
            check_ack("junk", None, result)
        acks += len(results)
        await client.disconnect()
    for _ in range(25):  # connections that come and go without a word
        client = Client(url, "/youth")
        await client.connect()
        await client.disconnect()
    return acks


@pytest.mark.multiprocess
@pytest.mark.timeout(120)
async def test_memory_does_not_grow_under_fuzz(process: ServerProcess) -> None:
    """A server process answers thousands of junk events and connection churn; after a warm-up
    its RSS grows by less than 15 MB over three times as many more, and it still answers."""
    assert process.proc is not None
    pid = process.proc.pid
    rng = random.Random(9)
    events = ["room:send", "room:sync", "chat:send", "chat:sync", "profile:set", "report:submit", "no:such", "qa:ask"]
    await hammer(process.url, events, 1000, rng)
    before = rss_kib(pid)
    sent = 0
    for _ in range(3):
        sent += await hammer(process.url, events, 1000, rng)
    after = rss_kib(pid)
    print(f"\nfuzz memory: RSS {before / 1024:.1f} MB → {after / 1024:.1f} MB after {sent} more junk events")
    assert after - before < 15 * 1024, f"RSS grew from {before} KiB to {after} KiB"
    async with aiohttp.ClientSession() as http, http.get(f"{process.url}/healthz") as resp:
        assert resp.status == 200
