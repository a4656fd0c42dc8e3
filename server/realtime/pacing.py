"""Spreading a burst of connection teardowns over many turns of the event loop.

When thousands of clients drop at once (a network blip, a Wi-Fi roaming storm, a restarted
proxy), every one of their websockets becomes readable in the same loop iteration, and each
teardown — Engine.IO's writer and close, socket.io's disconnect and room bookkeeping, aiohttp
finishing the response and closing the transport — is queued in that same turn. Run back to
back they stall the loop for as long as all of them take (about a quarter of a millisecond
each), and a live client's message waits behind the whole burst. The pacer lets a few
teardowns through per loop turn; the rest wait in order, and I/O that arrives meanwhile (a
live client's event) is served between batches.

The other stall of a mass disconnect is Python's cycle collector: a full collection walks every
tracked object, and a serving process holds about a million of them from start-up (the
moderation rules above all) plus some 140 per connection, so a full pass at 5,000 connections
stopped the loop for 0.5-0.8 s, and a disconnect storm is just what triggers one.
`settle_heap` takes the start-up objects out of those passes and makes them rarer.
"""

from __future__ import annotations

import asyncio
import gc
from collections import deque
from collections.abc import Callable

# Young-generation size before a collection (CPython's default is 700): a connection's
# short-lived objects die before they are collected, so fewer of them reach the old generation,
# whose growth is what triggers a full collection.
YOUNG_COLLECTION_THRESHOLD = 50_000
# Teardowns per loop turn: small enough that a turn stays a few milliseconds, large enough
# that 5,000 of them still finish in well under a second of loop turns.
TEARDOWNS_PER_TURN = 16


class Pacer:
    """Admits at most `per_turn` callers per event-loop iteration, first come first served."""

    def __init__(self, per_turn: int = TEARDOWNS_PER_TURN) -> None:
        self.per_turn = per_turn
        self._admitted = 0
        self._waiting: deque[asyncio.Future[None]] = deque()
        self._armed = False
        self._loop: asyncio.AbstractEventLoop | None = None

    def _on_running_loop(self) -> None:
        # A pacer that outlives its event loop (a process-wide one, tests that run a loop per
        # test) would otherwise stay "armed" for a turn that never comes and admit nobody again.
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            self._loop = loop
            self._admitted = 0
            self._waiting.clear()
            self._armed = False

    async def turn(self) -> None:
        """Return at once while this turn has room, else in a later turn."""
        self._on_running_loop()
        if not self._waiting and self._admitted < self.per_turn:
            self._admitted += 1
            self._arm()
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        self._arm()
        await waiter

    def admit(self) -> bool:
        """True, counted, when a caller may go in this turn without waiting; else False."""
        self._on_running_loop()
        if self._waiting or self._admitted >= self.per_turn:
            return False
        self._admitted += 1
        self._arm()
        return True

    def later(self, callback: Callable[[], object]) -> None:
        """Run `callback` in a later turn, in line with the callers waiting in `turn`."""
        self._on_running_loop()
        waiter = asyncio.get_running_loop().create_future()
        waiter.add_done_callback(lambda _: callback())
        self._waiting.append(waiter)
        self._arm()

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def _arm(self) -> None:
        if not self._armed:
            self._armed = True
            asyncio.get_running_loop().call_soon(self._next_turn)

    def _next_turn(self) -> None:
        self._armed = False
        self._admitted = 0
        while self._waiting and self._admitted < self.per_turn:
            waiter = self._waiting.popleft()
            if not waiter.done():  # a cancelled waiter gives its place to the next
                waiter.set_result(None)
                self._admitted += 1
        if self._admitted:
            self._arm()


def settle_heap() -> None:
    """Once the server is built, before it serves: collect, then freeze what is alive (modules,
    the moderation rules, settings) out of the cycle collector's passes (gc.freeze; nothing
    frozen is freed by a cycle collection, and none of it is meant to be), and collect the
    young generation less often. Serving processes only: tests build many apps in one process."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle * 2, old)
