"""A namespace base that routes "a:b" event names to handlers and never lets one crash."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import socketio

from server.errors import Invalid, KvarterError
from server.services.deps import Deps

log = logging.getLogger(__name__)

Handler = Callable[[str, Any], Awaitable[dict[str, Any]]]
CONNECT_WAIT_S = 5.0


def error_ack(exc: KvarterError) -> dict[str, Any]:
    return {"ok": False, "error": exc.as_dict()}


class Namespace(socketio.AsyncNamespace):  # type: ignore[misc]  # socketio ships no types
    """Routes events through a table; every outcome becomes an ack of the protocol's shape."""

    def __init__(self, namespace: str, deps: Deps) -> None:
        super().__init__(namespace)
        self.deps = deps
        self.handlers: dict[str, Handler] = {}

    async def trigger_event(self, event: str, *args: Any) -> Any:
        if event in ("connect", "disconnect"):
            return await super().trigger_event(event, *args)
        sid, data = args[0], args[1:]
        handler = self.handlers.get(event)
        try:
            if handler is None:
                raise Invalid(f"unknown event {event[:64]!r}")
            if len(data) > 1:
                raise Invalid("send exactly one JSON object")
            result = await handler(sid, data[0] if data else None)
        except KvarterError as exc:
            log.info("event=%s ns=%s result=%s", event[:64], self.namespace, exc.code)
            return error_ack(exc)
        except Exception:
            log.exception("event=%s ns=%s result=internal", event[:64], self.namespace)
            return {"ok": False, "error": {"code": "internal", "message": "internal error"}}
        return {"ok": True, **result}

    async def emit_when_connected(self, sid: str, event: str, data: dict[str, Any]) -> None:
        """Emit once the namespace connection is complete (events sent earlier are dropped)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + CONNECT_WAIT_S
        while not self.server.manager.is_connected(sid, self.namespace):
            if loop.time() > deadline:
                return
            await asyncio.sleep(0.005)
        await self.emit(event, data, to=sid)
