"""A sliding-window failure counter, on the injected clock."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque


class Throttle:
    """Refuses a key after `limit` failures within `window_s` seconds.

    In-process: with several processes each counts on its own, which still bounds
    guessing; a shared counter in Redis comes with the scale-out work.
    """

    def __init__(self, *, limit: int, window_s: int) -> None:
        self.limit = limit
        self.window = dt.timedelta(seconds=window_s)
        self._failures: dict[str, deque[dt.datetime]] = defaultdict(deque)

    def _prune(self, key: str, now: dt.datetime) -> deque[dt.datetime]:
        failures = self._failures[key]
        while failures and now - failures[0] >= self.window:
            failures.popleft()
        if not failures:
            del self._failures[key]
        return failures

    def blocked(self, key: str, now: dt.datetime) -> bool:
        return len(self._prune(key, now)) >= self.limit

    def fail(self, key: str, now: dt.datetime) -> None:
        self._prune(key, now)
        self._failures[key].append(now)

    def reset(self, key: str) -> None:
        self._failures.pop(key, None)
