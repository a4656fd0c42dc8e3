"""The one-frame room broadcast (server/patches/socketio_fanout.py): every client gets every message in
order, whichever path its connection takes, and no client can hold up or break the others."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
from typing import Any

import aiohttp
import pytest
import socketio

from server.config import Settings
from server.patches import socketio_fanout as fanout
from server.realtime.keys import METRICS, SIO
from server.services.emitter import Event, youth_room
from tests.clients import Client, cid
from tests.conftest import Running


@pytest.fixture
def backend() -> str:
    """The broadcast path does not depend on the database: SQLite only."""
    return "sqlite"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """permessage-deflate allowed, so that a client may negotiate it; clients that do not offer
    it (the socket.io clients here) still take the direct path."""
    return Settings(**{**settings.__dict__, "ws_deflate": True})


def manager(server: Running) -> fanout.FanoutManager:
    m = server.app[SIO].manager
    assert isinstance(m, fanout.FanoutManager)
    return m


async def broadcast(server: Running, n: int, *, size: int = 0, start: int = 0, pace: float = 0) -> None:
    """n room messages through the one emitter, numbered from `start`, `pace` seconds apart."""
    pad = "x" * size
    for i in range(start, start + n):
        await server.deps.emitter.emit([Event("room:message", {"seq": i, "pad": pad}, youth_room("ostersund"))])
        if pace:
            await asyncio.sleep(pace)


def seqs(client: Client) -> list[int]:
    return [m["seq"] for m in client.events["room:message"] if "seq" in m]


async def until(predicate: Any, timeout: float = 20) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.02)


class RawYouth:
    """A websocket speaking Engine.IO/Socket.IO by hand, so that a test can offer
    permessage-deflate or stop reading."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = aiohttp.ClientSession()
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.events: list[tuple[str, Any]] = []
        self.acks: dict[int, Any] = {}
        self.events_before_ack: dict[int, int] = {}  # how many events had arrived when each ack did

    async def open(self, *, deflate: bool = False) -> None:
        self.ws = await self.http.ws_connect(
            f"{self.url}/socket.io/?EIO=4&transport=websocket",
            compress=15 if deflate else 0,
            headers={"Origin": self.url},
        )
        assert (await self.ws.receive_str()).startswith("0{")
        await self.ws.send_str("40/youth,")
        await self.read_until(lambda: any(name == "session" for name, _ in self.events))

    async def read_until(self, done: Any, timeout: float = 20) -> None:
        assert self.ws is not None
        async with asyncio.timeout(timeout):
            while not done():
                text = await self.ws.receive_str()
                if text == "2":
                    await self.ws.send_str("3")
                elif text.startswith("42/youth,"):
                    name, data = json.loads(text[len("42/youth,") :])
                    self.events.append((name, data))
                elif text.startswith("43/youth,"):
                    rest = text[len("43/youth,") :]
                    i = len(rest) - len(rest.lstrip("0123456789"))
                    self.acks[int(rest[:i])] = json.loads(rest[i:])[0]
                    self.events_before_ack[int(rest[:i])] = len(self.events)

    async def join(self, room: str) -> None:
        assert self.ws is not None
        await self.ws.send_str('42/youth,1["room:join",' + json.dumps({"room": room}) + "]")
        await self.read_until(lambda: 1 in self.acks)
        assert self.acks[1]["ok"] is True

    def seqs(self) -> list[int]:
        return [d["seq"] for name, d in self.events if name == "room:message" and "seq" in d]

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        await self.http.close()


async def test_many_clients_get_every_room_message_in_order(server: Running) -> None:
    """Thirty clients in a room get all of an officer's posts, in order, through the direct path."""
    _, officer = await server.on_duty("ostersund")
    youths = [await server.youth() for _ in range(30)]
    for y in youths:
        await y.ok("room:join", {"room": "ostersund"})
    before = manager(server).written

    posted = []
    for i in range(10):
        ack = await officer.ok("room:send", {"room": "ostersund", "client_id": cid(), "body": f"Hej nummer {i}"})
        posted.append(ack["message"]["id"])
    await broadcast(server, 40)

    await until(lambda: all(len(seqs(y)) == 40 for y in youths))
    for y in youths:
        assert [m["id"] for m in y.events["room:message"] if "seq" not in m] == posted
        assert seqs(y) == list(range(40))
    assert manager(server).written - before >= 30 * 50 * 0.9  # nearly all idle: one prebuilt frame


async def test_a_reader_that_stalls_holds_up_nobody_and_gets_everything_later(server: Running) -> None:
    """A client that stops reading gets its messages queued, in order; the others get theirs at once."""
    fast = await server.youth()
    await fast.ok("room:join", {"room": "ostersund"})
    slow = RawYouth(server.url)
    await slow.open()
    await slow.join("ostersund")
    try:
        await broadcast(server, 400, size=32_000)  # ~13 MB: more than the socket buffers hold
        await until(lambda: len(seqs(fast)) == 400)
        assert manager(server).queued > 0  # the stalled reader went through its queue
        await broadcast(server, 20, start=400)
        await until(lambda: len(seqs(fast)) == 420)
        await slow.read_until(lambda: len(slow.seqs()) == 420, timeout=60)
        assert slow.seqs() == list(range(420))
        assert seqs(fast) == list(range(420))
    finally:
        await slow.close()


async def test_compressed_and_polling_clients_get_everything_in_order(server: Running) -> None:
    """With deflate allowed, a compressing client and a long-polling client get the same messages
    in the same order as a plain websocket client."""
    plain = await server.youth()
    await plain.ok("room:join", {"room": "ostersund"})
    deflating = RawYouth(server.url)
    await deflating.open(deflate=True)
    assert deflating.ws is not None and deflating.ws.compress
    await deflating.join("ostersund")

    polling = socketio.AsyncClient(reconnection=False)
    got: list[int] = []
    polling.on("room:message", lambda d: got.append(d["seq"]), namespace="/youth")
    await polling.connect(server.url, namespaces=["/youth"], transports=["polling"], wait_timeout=10)
    try:
        ack = await polling.call("room:join", {"room": "ostersund"}, namespace="/youth", timeout=10)
        assert ack["ok"] is True
        # python-engineio's client refuses a poll response of more than 16 packets (browsers do
        # not), so the messages come a little apart here.
        await broadcast(server, 60, size=300, pace=0.01)
        await until(lambda: len(seqs(plain)) == 60 and len(got) == 60)
        await deflating.read_until(lambda: len(deflating.seqs()) == 60)
        assert seqs(plain) == got == deflating.seqs() == list(range(60))
    finally:
        await polling.disconnect()
        await deflating.close()


async def test_clients_leaving_mid_broadcast_break_nothing(server: Running) -> None:
    """Clients that drop while a burst is being sent do not stop the burst for the others, and
    leave no trace in the room bookkeeping."""
    youths = [await server.youth() for _ in range(20)]
    for y in youths:
        await y.ok("room:join", {"room": "ostersund"})
    leaving, staying = youths[:10], youths[10:]
    sids = [y.sio.get_sid("/youth") for y in leaving]

    sending = asyncio.create_task(broadcast(server, 300, size=200))
    await until(lambda: len(seqs(staying[0])) > 20)
    for y in leaving:
        eio_ws = y.sio.eio.ws
        if eio_ws is not None:
            with contextlib.suppress(Exception):
                await eio_ws.close()  # the websocket closes under the server's writes
    await sending
    await until(lambda: all(len(seqs(y)) == 300 for y in staying))
    for y in staying:
        assert seqs(y) == list(range(300))
    assert server.app[METRICS].emit_failures._value.get() == 0

    m = manager(server)
    await until(lambda: not any(m.is_connected(sid, "/youth") for sid in sids))
    room = m.rooms["/youth"].get("room:ostersund", {})
    assert not set(sids) & set(room)
    assert not [k for k in m._member_of if k[1] in sids]


async def test_an_idle_clients_ack_is_written_directly(server: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    """An ack to a connection with nothing queued is written straight to its websocket, not
    through its queue and writer task."""
    eio = server.app[SIO].eio
    queued: list[str] = []
    real = eio.send_packet

    async def spy(eio_sid: str, pkt: Any) -> None:
        queued.append(eio_sid)
        await real(eio_sid, pkt)

    monkeypatch.setattr(eio, "send_packet", spy)
    youth = await server.youth()
    for _ in range(5):
        assert (await youth.call("room:join", {"room": "ostersund"}))["ok"] is True
    assert youth.sio.eio.sid not in queued


async def test_an_ack_never_overtakes_what_was_queued_before_it(server: Running) -> None:
    """A client that stopped reading has broadcasts queued; the ack of a request it sends then
    is queued behind them, so it arrives after every one of them."""
    slow = RawYouth(server.url)
    await slow.open()
    await slow.join("ostersund")
    try:
        await broadcast(server, 300, size=32_000)  # more than the socket buffers hold: queued
        assert slow.ws is not None
        await slow.ws.send_str('42/youth,2["room:join",' + json.dumps({"room": "ostersund"}) + "]")
        await slow.read_until(lambda: 2 in slow.acks and len(slow.seqs()) == 300, timeout=60)
        assert slow.seqs() == list(range(300))
        arrived = [d.get("seq") for name, d in slow.events[: slow.events_before_ack[2]] if name == "room:message"]
        assert arrived[-300:] == list(range(300))  # all 300 before the ack
    finally:
        await slow.close()


def test_the_binary_check_answers_as_the_stock_one() -> None:
    """What carries bytes is still found (and sent as attachments); what does not, is not."""
    cases: list[Any] = [
        {"a": [1, {"b": "x"}], "c": None},
        ["event", {"k": b"raw"}],
        [bytearray(b"x")],
        {1: "non-string key"},
        {1: [b"bytes under a non-string key"]},
        "text",
        3.5,
    ]
    for data in cases:
        assert fanout.Packet.data_is_binary(data) == socketio.packet.Packet.data_is_binary(data), data


def test_fast_json_falls_back_for_what_orjson_refuses() -> None:
    """orjson encodes socket.io packets; what it refuses goes through the standard library, and
    client input is read exactly as before."""
    assert fanout.FastJson.dumps({"a": "Östersund", "n": [1, 2]}) == '{"a":"Östersund","n":[1,2]}'
    assert fanout.FastJson.loads(fanout.FastJson.dumps({1: "x"})) == {"1": "x"}
    assert math.isnan(fanout.FastJson.loads("[NaN]")[0])
    assert fanout.FastJson.loads(b'{"big": 123456789012345678901234567890}')["big"] == 123456789012345678901234567890


def test_prebuilt_frames_carry_their_length() -> None:
    """Short, medium and long payloads get the three websocket length encodings."""
    assert fanout.text_frame(b"ab") == b"\x81\x02ab"
    assert fanout.text_frame(b"x" * 200)[:4] == b"\x81\x7e\x00\xc8"
    assert fanout.text_frame(b"x" * 70_000)[:10] == b"\x81\x7f" + (70_000).to_bytes(8, "big")
