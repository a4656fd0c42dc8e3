"""A crowd dropping at once: every connection is torn down, and the server keeps answering."""

from __future__ import annotations

import asyncio
import time

import aiohttp

from server.realtime import guard as connection_guard
from server.realtime.keys import SIO
from tests.conftest import Running

CROWD = 300


async def raw_youth(http: aiohttp.ClientSession, server: Running) -> aiohttp.ClientWebSocketResponse:
    """A bare Engine.IO websocket in /youth, in a room: what a widget holds, without a client library."""
    url = f"{server.url}/socket.io/?EIO=4&transport=websocket"
    ws = await http.ws_connect(url, headers={"Origin": server.origin})
    assert (await ws.receive_str()).startswith("0")
    await ws.send_str("40/youth,")
    while not (await ws.receive_str()).startswith("40/youth,"):
        pass
    await ws.send_str('42/youth,1["room:join",{"room":"ostersund"}]')
    while not (await ws.receive_str()).startswith("43/youth,1"):
        pass
    return ws


async def test_a_crowd_dropping_at_once_is_torn_down_while_others_are_served(server: Running) -> None:
    """300 connections closing together are all released (Engine.IO, rooms, per-source count),
    and a connected client's events are answered while that happens."""
    sio = server.app[SIO]
    guard = connection_guard.of(sio)
    bystander = await server.youth()
    baseline = len(guard._connections)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        crowd = await asyncio.gather(*(raw_youth(http, server) for _ in range(CROWD)))
        assert len(guard._connections) == baseline + CROWD
        assert len(sio.manager.rooms["/youth"]["room:ostersund"]) == CROWD
        for ws in crowd:
            ws._response.connection.transport.abort()  # type: ignore[union-attr]  # the network drops
        slowest = 0.0
        deadline = time.monotonic() + 10
        while len(guard._connections) > baseline and time.monotonic() < deadline:
            started = time.monotonic()
            await bystander.ok("room:leave", {"room": "umea"})
            slowest = max(slowest, time.monotonic() - started)
        print(f"\n  slowest answer while {CROWD} connections were torn down: {slowest * 1e3:.0f} ms")
    assert len(guard._connections) == baseline
    assert "room:ostersund" not in sio.manager.rooms["/youth"]
    assert sum(1 for s in sio.eio.sockets.values() if not s.closed) == baseline
    await bystander.ok("room:join", {"room": "ostersund"})
