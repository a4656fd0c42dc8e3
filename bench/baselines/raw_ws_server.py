"""Baseline, the practical floor: a bare aiohttp websocket server that speaks just enough
Engine.IO/Socket.IO for the load generator, and broadcasts a room message by encoding it once
and sending the same payload to every websocket with aiohttp's send_frame.

Usage: python bench/baselines/raw_ws_server.py PORT [--uvloop]
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import secrets
import sys
from collections import defaultdict
from typing import Any

from aiohttp import WSMsgType, web

OPEN = '0{"sid":"%s","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}'


def build() -> web.Application:
    rooms: dict[str, set[web.WebSocketResponse]] = defaultdict(set)
    ids = itertools.count(1)

    async def handle(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(compress=False)
        await ws.prepare(request)
        await ws.send_str(OPEN % secrets.token_urlsafe(12))
        joined: list[str] = []
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    break
                text: str = msg.data
                if text == "3":
                    continue
                if text.startswith("40"):
                    ns = text[2:].split(",", 1)[0]
                    await ws.send_str(f'40{ns},{{"sid":"{secrets.token_urlsafe(12)}"}}')
                    continue
                if not text.startswith("42"):
                    continue
                ns, rest = text[2:].split(",", 1)
                i = 0
                while rest[i].isdigit():
                    i += 1
                ack_id, (event, data) = rest[:i], json.loads(rest[i:])
                reply: dict[str, Any] = {"ok": True}
                if event == "room:join":
                    rooms[f"room:{data['room']}"].add(ws)
                    joined.append(f"room:{data['room']}")
                elif event == "room:send":
                    m = {
                        "id": f"m{next(ids)}", "room": data["room"], "client_id": data["client_id"],
                        "author_kind": "officer", "author_name": "Polisen Östersund", "body": data["body"],
                        "at": dt.datetime.now(dt.UTC).isoformat(), "flags": [],
                    }  # fmt: skip
                    reply["message"] = m
                    payload = ("42/youth," + json.dumps(["room:message", m], separators=(",", ":"))).encode()
                    for peer in list(rooms[f"room:{data['room']}"]):
                        try:
                            await peer.send_frame(payload, WSMsgType.TEXT)
                        except ConnectionError:
                            rooms[f"room:{data['room']}"].discard(peer)
                if ack_id:
                    await ws.send_str(f"43{ns},{ack_id}" + json.dumps([reply], separators=(",", ":")))
        finally:
            for room in joined:
                rooms[room].discard(ws)
        return ws

    async def ready(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_get("/socket.io/", handle)
    app.router.add_get("/readyz", ready)
    return app


if __name__ == "__main__":
    loop = None
    if "--uvloop" in sys.argv:
        import uvloop

        loop = uvloop.new_event_loop()
    web.run_app(build(), host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None, loop=loop)
