"""After a Redis outage: tell this process's own clients to resync.

Events other processes published while this one was not subscribed never arrive, and the
clients' sockets stayed up, so nothing else would make them look. `sync:needed {since}` goes to
every connection of this process (not through Redis: each process tells its own); `since` is
when the subscription was lost, on the server's clock, so a client resyncs each room and chat
from the newest message it holds that was written well before then (docs/protocol.md).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable

import socketio

from server.clock import isoformat
from server.events import SYNC_NEEDED

log = logging.getLogger(__name__)
NAMESPACES = ("/youth", "/staff")


def announcer(sio: socketio.AsyncServer, invalidate: Callable[[], None]) -> Callable[[dt.datetime], Awaitable[None]]:
    """The callback for the Redis manager's `on_restored`: caches that other processes' events
    keep fresh are dropped, then every local connection hears `sync:needed`."""

    async def announce(lost_at: dt.datetime) -> None:
        invalidate()
        for namespace in NAMESPACES:
            await sio.emit(SYNC_NEEDED, {"since": isoformat(lost_at)}, namespace=namespace, ignore_queue=True)
        log.info("redis subscription restored; clients asked to resync since=%s", isoformat(lost_at))

    return announce
