"""Redis: the socket.io message queue between processes, and its health."""

from __future__ import annotations

import redis.asyncio as aioredis
import socketio


def socketio_manager(url: str, prefix: str) -> socketio.AsyncRedisManager:
    """The socket.io manager that fans events out to every process (JSON, never pickle)."""
    return socketio.AsyncRedisManager(url, channel=f"{prefix}socketio")


class RedisBroker:
    """A small client for readiness checks; socket.io keeps its own connections."""

    def __init__(self, url: str) -> None:
        self._client = aioredis.from_url(url, socket_connect_timeout=2, socket_timeout=2)

    async def ping(self) -> bool:
        try:
            return bool(await self._client.ping())
        except Exception:  # noqa: BLE001 - any failure means not ready
            return False

    async def close(self) -> None:
        await self._client.aclose()
