"""Flood control: token buckets per young person and per room.

In memory for one process; in Redis (storage/kv.py RedisLimiter) when several processes share the load,
so that a young person cannot multiply their allowance by reconnecting to another process.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from server.errors import RateLimited


@dataclass(frozen=True, slots=True)
class Bucket:
    capacity: float
    per_second: float


# A young person may send a burst of 5 messages, then one every 2 seconds; a room takes at most a
# burst of 60 and 20 per second from all its young people together (officers are not limited).
YOUTH_MESSAGES = Bucket(capacity=5, per_second=0.5)
ROOM_MESSAGES = Bucket(capacity=60, per_second=20)


class Limiter(Protocol):
    async def take(self, key: str, bucket: Bucket, now: dt.datetime) -> float:
        """Take one token; 0.0 if allowed, else the seconds to wait before a retry."""
        ...


class MemoryLimiter:
    def __init__(self) -> None:
        self._state: dict[str, tuple[float, float]] = {}

    async def take(self, key: str, bucket: Bucket, now: dt.datetime) -> float:
        t = now.timestamp()
        tokens, last = self._state.get(key, (bucket.capacity, t))
        tokens = min(bucket.capacity, tokens + (t - last) * bucket.per_second)
        if tokens >= 1:
            self._state[key] = (tokens - 1, t)
            return 0.0
        self._state[key] = (tokens, t)
        return (1 - tokens) / bucket.per_second


async def check(limiter: Limiter, key: str, bucket: Bucket, now: dt.datetime, what: str) -> None:
    wait = await limiter.take(key, bucket, now)
    if wait > 0:
        raise RateLimited(f"{what}; try again in {max(1, round(wait))} s")
