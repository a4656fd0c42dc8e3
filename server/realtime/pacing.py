"""Spreading a burst of connection teardowns over many turns of the event loop.

When thousands of clients drop at once (a network blip, a Wi-Fi roaming storm, a restarted
proxy), every one of their websockets becomes readable in the same loop iteration, and each
teardown — Engine.IO's writer and close, socket.io's disconnect and room bookkeeping, aiohttp
finishing the response and closing the transport — is queued in that same turn. Run back to
back they stall the loop for as long as all of them take (about a quarter of a millisecond
each), and a live client's message waits behind the whole burst. The pacer lets a few
teardowns through per loop turn; the rest wait in order, and I/O that arrives meanwhile (a
live client's event) is served between batches.
"""

from __future__ import annotations

import asyncio
from collections import deque

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

    async def turn(self) -> None:
        """Return at once while this turn has room, else in a later turn."""
        if not self._waiting and self._admitted < self.per_turn:
            self._admitted += 1
            self._arm()
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        self._arm()
        await waiter

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
