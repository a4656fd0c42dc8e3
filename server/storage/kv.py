"""Redis: its health, and the flood-control buckets every process shares. The socket.io message
queue between processes is server/patches/socketio_redis.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

import redis.asyncio as aioredis


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


# One atomic step of a token bucket: refill by elapsed time, take a token if there is one.
_BUCKET_LUA = """
local tokens = tonumber(redis.call('HGET', KEYS[1], 't') or ARGV[1])
local last = tonumber(redis.call('HGET', KEYS[1], 'l') or ARGV[3])
local cap, rate, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
tokens = math.min(cap, tokens + math.max(0, now - last) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 't', tokens, 'l', now)
redis.call('EXPIRE', KEYS[1], math.ceil(cap / rate) + 60)
return tostring(wait)
"""


class RedisLimiter:
    """Token buckets shared by every process, under the configured key prefix."""

    def __init__(self, url: str, prefix: str) -> None:
        self._client = aioredis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        self._prefix = prefix
        self._script = self._client.register_script(_BUCKET_LUA)

    async def take(self, key: str, bucket: Any, now: dt.datetime) -> float:
        try:
            wait = await self._script(
                keys=[f"{self._prefix}rl:{key}"], args=[bucket.capacity, bucket.per_second, now.timestamp()]
            )
        except Exception:  # noqa: BLE001 - an unreachable Redis must not stop the conversation
            return 0.0
        return float(wait)

    async def close(self) -> None:
        await self._client.aclose()
