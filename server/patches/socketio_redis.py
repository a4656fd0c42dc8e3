"""python-socketio: the Redis manager that carries events between processes.

`AsyncRedisManager` with three changes, each through a private name (asserted by
tests/test_library_contracts.py):
- `_publish`: a publish that failed twice raises instead of being logged and dropped, so that
  the emitter counts it in kvarter_emit_failures_total.
- `_redis_listen_with_retries`: python-socketio's listener loop, copied, which also says when a
  lost subscription is back (`on_restored`), for `sync:needed` (realtime/resync.py).
- `emit` to one connection of this process skips Redis; `close` closes every client it made.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import socketio

log = logging.getLogger(__name__)
# The listener's waits between attempts to subscribe again (python-socketio's own: 1, 2, 4 … 60 s).
RETRY_FIRST_S, RETRY_MAX_S = 1.0, 60.0


class RedisManager(socketio.AsyncRedisManager):  # type: ignore[misc]  # socketio ships no types
    """python-socketio logs a publish that failed twice and carries on; raise instead, so that
    the emitter counts it in kvarter_emit_failures_total (clients on this process already got it).

    Its listener subscribes again by itself when Redis comes back, but what other processes
    published meanwhile is gone: `on_restored(lost_at)` is called then, with the time the
    listener lost its connection, so that this process's clients can be told to resync
    (realtime/resync.py). A Redis that dies breaks the publishers' and the listeners'
    connections at once; the clients' margin (2 s) covers the moment between the two."""

    connected: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Every Redis client made, for `close`: the publisher and the listener each connect anew
        # when they find no connection, the later replacing the earlier's client.
        self.clients: list[Any] = []
        self.lost_at: dt.datetime | None = None
        self.on_restored: Callable[[dt.datetime], Awaitable[None]] | None = None
        super().__init__(*args, **kwargs)

    async def _redis_listen_with_retries(self) -> AsyncIterator[Any]:
        """python-socketio's listener loop (`_listen` iterates it), which also says when a
        subscription is back after it was lost."""
        retry = RETRY_FIRST_S
        subscribed = False
        while True:
            try:
                if not subscribed:
                    self._redis_connect()
                    await self.pubsub.subscribe(self.channel)
                    subscribed, retry = True, RETRY_FIRST_S
                    await self._restored()
                async for message in self.pubsub.listen():
                    yield message
            except Exception as exc:  # noqa: BLE001 - any failure: wait, then subscribe again
                self.lost_at = self.lost_at or dt.datetime.now(dt.UTC)
                log.error("Cannot receive from redis; retrying in %s s (%s)", retry, type(exc).__name__)
                subscribed = False
                await asyncio.sleep(retry)
                retry = min(retry * 2, RETRY_MAX_S)

    async def _restored(self) -> None:
        lost_at, self.lost_at = self.lost_at, None
        if lost_at is None or self.on_restored is None:
            return
        try:
            await self.on_restored(lost_at)
        except Exception:  # the listener must go on whatever the callback does
            log.exception("resync after Redis came back failed")

    def _redis_connect(self) -> None:
        super()._redis_connect()
        self.clients.append(self.redis)

    async def emit(self, event: str, data: Any, namespace: str | None = None, room: Any = None, **kwargs: Any) -> Any:
        room = kwargs.pop("to", None) or room
        if kwargs.get("callback") is None and isinstance(room, str) and self.is_connected(room, namespace or "/"):
            kwargs["ignore_queue"] = True  # a connection of this process: no other process has it
        return await super().emit(event, data, namespace=namespace, room=room, **kwargs)

    async def _publish(self, data: Any) -> Any:
        for attempt in (1, 2):
            try:
                if not self.connected:
                    self._redis_connect()
                return await self.redis.publish(self.channel, self.json.dumps(data))
            except Exception:
                self.connected = False  # a new connection for the next attempt
                if attempt == 2:
                    raise
        return None

    async def close(self) -> None:
        """Stop listening and close the connections to Redis (at shutdown; an app that is
        cleaned up while its process lives on, as in the tests, leaves nothing open)."""
        listener = getattr(self, "thread", None)
        if isinstance(listener, asyncio.Task):
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await listener
        if self.pubsub is not None:
            with contextlib.suppress(Exception):
                await self.pubsub.aclose()
        for client in self.clients:
            with contextlib.suppress(Exception):
                await client.aclose()


def socketio_manager(url: str, prefix: str, local: type | None = None) -> RedisManager:
    """The socket.io manager that fans events out to every process (JSON, never pickle).

    `local` delivers to this process's own connections, under the pub/sub layer: an event is
    handed to it at once here and on receipt in the other processes (socketio_fanout.py)."""
    cls: type[RedisManager] = (
        RedisManager if local is None else type(f"Redis{local.__name__}", (RedisManager, local), {})
    )
    return cls(url, channel=f"{prefix}socketio")
