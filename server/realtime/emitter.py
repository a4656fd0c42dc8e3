"""The one place where events leave the process."""

from __future__ import annotations

import logging

import socketio

from server.metrics import Metrics
from server.services.emitter import Event

log = logging.getLogger(__name__)


class SocketEmitter:
    """Emits through the socket.io manager (in-process, or Redis pub/sub across processes).

    The database is the record and clients resync, so a failed publish is logged and
    counted, not raised: the sender's message is already stored and acknowledged.
    """

    def __init__(self, sio: socketio.AsyncServer, metrics: Metrics) -> None:
        self._sio = sio
        self._metrics = metrics

    async def emit(self, events: list[Event]) -> None:
        for ev in events:
            try:
                await self._sio.emit(ev.name, ev.data, room=ev.to.rooms, namespace=ev.to.namespace)
            except Exception as exc:  # noqa: BLE001 - delivery is best effort by design
                self._metrics.emit_failures.inc()
                log.warning("emit failed event=%s error=%s", ev.name, type(exc).__name__)
