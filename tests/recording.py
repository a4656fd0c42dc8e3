"""An emitter that records what it is given, for tests that check what a service emits without
listening on sockets."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from server.events import Event


class RecordingEmitter:
    """Keeps every call's events, in order; `seen` (if given) runs at each call first, so a test
    can look at the world as it was when the events went out."""

    def __init__(self, seen: Callable[[], Awaitable[object]] | None = None) -> None:
        self.calls: list[list[Event]] = []
        self.observed: list[object] = []
        self._seen = seen

    async def emit(self, events: list[Event]) -> None:
        if self._seen is not None:
            self.observed.append(await self._seen())
        self.calls.append(list(events))

    def names(self) -> list[list[str]]:
        return [[e.name for e in call] for call in self.calls]
