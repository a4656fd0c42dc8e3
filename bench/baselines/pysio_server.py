"""Baseline: a minimal stock python-socketio server doing the same room fan-out as Kvarter.

Usage: python bench/baselines/pysio_server.py PORT [--uvloop]
"""

from __future__ import annotations

import datetime as dt
import itertools
import sys
from typing import Any

import socketio
from aiohttp import web


def build() -> web.Application:
    sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*", logger=False, engineio_logger=False)
    ids = itertools.count(1)

    def joiner(namespace: str) -> Any:
        async def room_join(sid: str, data: dict[str, Any]) -> dict[str, Any]:
            await sio.enter_room(sid, f"room:{data['room']}", namespace=namespace)
            return {"ok": True, "messages": []}

        return room_join

    async def room_send(sid: str, data: dict[str, Any]) -> dict[str, Any]:
        msg = {
            "id": f"m{next(ids)}", "room": data["room"], "client_id": data["client_id"], "author_kind": "officer",
            "author_name": "Polisen Östersund", "body": data["body"], "at": dt.datetime.now(dt.UTC).isoformat(),
            "flags": [],
        }  # fmt: skip
        await sio.emit("room:message", msg, room=f"room:{data['room']}", namespace="/youth")
        return {"ok": True, "message": msg}

    async def room_leave(sid: str, data: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True}

    for ns in ("/youth", "/staff"):
        sio.on("room:join", joiner(ns), namespace=ns)
        sio.on("room:leave", room_leave, namespace=ns)
        sio.on("connect", lambda sid, environ, auth=None: None, namespace=ns)
    sio.on("room:send", room_send, namespace="/staff")
    app = web.Application()
    sio.attach(app)

    async def ready(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app.router.add_get("/readyz", ready)
    return app


if __name__ == "__main__":
    loop = None
    if "--uvloop" in sys.argv:
        import uvloop

        loop = uvloop.new_event_loop()
    web.run_app(build(), host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None, loop=loop)
