"""A namespace base that routes "a:b" event names to handlers and never lets one crash."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import socketio

from server.errors import Invalid, KvarterError, RateLimited
from server.metrics import Metrics
from server.realtime import guard as connection_guard
from server.services.deps import Deps

log = logging.getLogger(__name__)

Handler = Callable[[str, Any], Awaitable[dict[str, Any]]]
CONNECT_WAIT_S = 5.0


def error_ack(exc: KvarterError) -> dict[str, Any]:
    return {"ok": False, "error": exc.as_dict()}


class Namespace(socketio.AsyncNamespace):  # type: ignore[misc]  # socketio ships no types
    """Routes events through a table; every outcome becomes an ack of the protocol's shape."""

    def __init__(self, namespace: str, deps: Deps, metrics: Metrics) -> None:
        super().__init__(namespace)
        self.deps = deps
        self.metrics = metrics
        self.handlers: dict[str, Handler] = {}

    async def trigger_event(self, event: str, *args: Any) -> Any:
        if event == "connect":
            return await self._connect(*args)
        if event == "disconnect":
            return await super().trigger_event(event, *args)
        sid, data = args[0], args[1:]
        if not isinstance(event, str):  # a hand-made packet: ["x"] or 42 as the event name
            self._count("unknown", "invalid", time.perf_counter())
            return error_ack(Invalid("the event name must be a string"))
        handler = self.handlers.get(event)
        # Unknown names are counted under one label so that clients cannot grow the label set.
        label = event if handler is not None else "unknown"
        started = time.perf_counter()
        if (refusal := self._flood_check(sid)) is not None:
            self._count(label, "rate_limited", started)
            return refusal
        try:
            if handler is None:
                raise Invalid(f"unknown event {event[:64]!r}")
            if len(data) > 1:
                raise Invalid("send exactly one JSON object")
            result = await handler(sid, data[0] if data else None)
        except KvarterError as exc:
            log.info("event=%s ns=%s result=%s", label, self.namespace, exc.code)
            self._count(label, exc.code, started)
            return error_ack(exc)
        except Exception:
            log.exception("event=%s ns=%s result=internal", label, self.namespace)
            self._count(label, "internal", started)
            return {"ok": False, "error": {"code": "internal", "message": "internal error"}}
        self._count(label, "ok", started)
        return {"ok": True, **result}

    def _flood_check(self, sid: str) -> dict[str, Any] | None:
        """A token bucket per connection and namespace (realtime/guard.py): beyond it the event is
        refused with `rate_limited` before any work; a connection that keeps on is closed."""
        eio_sid = self.server.manager.eio_sid_from_sid(sid, self.namespace)
        guard = connection_guard.of(self.server)
        verdict = guard.take(eio_sid, self.namespace)
        if verdict is connection_guard.Verdict.OK:
            return None
        if verdict is connection_guard.Verdict.DISCONNECT:
            guard.flooded(eio_sid)
            self.server.start_background_task(self.server.eio.disconnect, eio_sid)
        return error_ack(RateLimited("too many events on this connection; slow down"))

    async def _connect(self, *args: Any) -> Any:
        """A refused connect names its reason; any other failure is refused as `internal`,
        instead of leaving the client waiting for a handshake that never completes."""
        try:
            return await super().trigger_event("connect", *args)
        except socketio.exceptions.ConnectionRefusedError:
            raise
        except KvarterError as exc:
            log.info("event=connect ns=%s result=%s", self.namespace, exc.code)
            raise socketio.exceptions.ConnectionRefusedError(exc.code) from None
        except Exception:
            log.exception("event=connect ns=%s result=internal", self.namespace)
            raise socketio.exceptions.ConnectionRefusedError("internal") from None

    def _count(self, event: str, result: str, started: float) -> None:
        self.metrics.events.labels(self.namespace, event, result).inc()
        self.metrics.ack_seconds.labels(self.namespace, event).observe(time.perf_counter() - started)

    async def emit_when_connected(self, sid: str, event: str, data: dict[str, Any]) -> None:
        """Emit once the namespace connection is complete (events sent earlier are dropped)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + CONNECT_WAIT_S
        while not self.server.manager.is_connected(sid, self.namespace):
            if loop.time() > deadline:
                return
            await asyncio.sleep(0.005)
        await self.emit(event, data, to=sid)
