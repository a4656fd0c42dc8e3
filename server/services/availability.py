"""Whether a neighbourhood is open: a scheduled window is active AND an officer is on duty."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from server.clock import isoformat
from server.services import schedule
from server.storage.records import NeighbourhoodRec, WindowRec
from server.storage.tx import Tx

if TYPE_CHECKING:
    from server.services.deps import Deps


def window_of(w: WindowRec) -> schedule.Window:
    return schedule.Window(w.id, w.weekday, w.date, w.start_min, w.end_min, w.label)


def _span(o: schedule.Occurrence | None) -> dict[str, Any] | None:
    if o is None:
        return None
    return {"start": isoformat(o.start), "end": isoformat(o.end), "label": o.label}


async def windows_by_room(tx: Tx, nbs: list[NeighbourhoodRec]) -> dict[int, tuple[list[schedule.Window], set[dt.date]]]:
    ids = [nb.id for nb in nbs]
    windows: dict[int, list[schedule.Window]] = defaultdict(list)
    closures: dict[int, set[dt.date]] = defaultdict(set)
    for w in await tx.schedule.windows(ids):
        windows[w.neighbourhood_id].append(window_of(w))
    for c in await tx.schedule.closures(ids):
        closures[c.neighbourhood_id].add(c.date)
    return {i: (windows[i], closures[i]) for i in ids}


def shape(
    slug: str,
    officers_on_duty: int,
    current: schedule.Occurrence | None,
    nxt: schedule.Occurrence | None,
    qa_hosts_on_duty: int = 0,
) -> dict[str, Any]:
    """Open in a staffed window, or during a Q&A session while one of its hosts is on duty."""
    return {
        "room": slug,
        "open": (current is not None and officers_on_duty > 0) or qa_hosts_on_duty > 0,
        "qa_live": qa_hosts_on_duty > 0,
        "officers_on_duty": officers_on_duty,
        "in_window": current is not None,
        "current_window": _span(current),
        "next_window": _span(nxt),
    }


async def of_all(tx: Tx, nbs: list[NeighbourhoodRec], now: dt.datetime, tz: ZoneInfo) -> dict[str, dict[str, Any]]:
    counts = await tx.duty.counts()
    scheds = await windows_by_room(tx, nbs)
    qa_hosts = await tx.qa.hosts_live_on_duty(now)
    out = {}
    for nb in nbs:
        windows, closed = scheds[nb.id]
        current, nxt = schedule.current_and_next(windows, closed, tz, now)
        out[nb.slug] = shape(nb.slug, counts.get(nb.id, 0), current, nxt, qa_hosts.get(nb.id, 0))
    return out


async def of(tx: Tx, nb: NeighbourhoodRec, now: dt.datetime, tz: ZoneInfo) -> dict[str, Any]:
    return (await of_all(tx, [nb], now, tz))[nb.slug]


async def current_window_end(tx: Tx, nbs: list[NeighbourhoodRec], now: dt.datetime, tz: ZoneInfo) -> dt.datetime | None:
    """The latest end among the windows open now in these neighbourhoods (a shift's natural end)."""
    ends = []
    for windows, closed in (await windows_by_room(tx, nbs)).values():
        current, _ = schedule.current_and_next(windows, closed, tz, now)
        if current is not None:
            ends.append(current.end)
    return max(ends) if ends else None


# The events that announce a change of availability (`Cache`).
ANNOUNCED_BY = ("availability", "qa:session")
# The longest a cached availability is served without being recomputed (see `Cache`).
MAX_AGE_S = 5.0


@dataclass(frozen=True, slots=True)
class _Entry:
    data: dict[str, Any]
    valid_until: dt.datetime


class Cache:
    """Each room's availability as computed once, for the joins that follow (a join storm asks
    for the same room thousands of times; computing it means four queries and walking the
    schedule, up to a year ahead for a room that never closes).

    An entry is kept until the first moment its answer could change by itself — the end of the
    current window, the start of the next, a Q&A session starting or ending — and at most
    `max_age_s`; `invalidate` drops every entry. The app calls it whenever an `availability` or
    `qa:session` event passes through this process's socket.io manager, which is where duty
    starting or ending, shifts expiring, schedule edits and window boundaries seen by the
    ticker are announced, by this process or (through Redis) by any other. What announces
    nothing (a co-host joining a session, a schedule edited from the command line of another
    process) is seen within `max_age_s`.
    """

    def __init__(self, max_age_s: float) -> None:
        self.max_age = dt.timedelta(seconds=max_age_s)
        self._entries: dict[int, _Entry] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._generation = 0
        self.computed = 0  # for tests and metrics: how many times a room was computed

    def invalidate(self) -> None:
        self._entries.clear()
        self._generation += 1

    async def of(self, deps: Deps, nb: NeighbourhoodRec) -> dict[str, Any]:
        """The room's availability now: from the cache, else computed once for all who ask."""
        if (data := self._fresh(nb.id, deps.clock.now())) is not None:
            return data
        lock = self._locks.setdefault(nb.id, asyncio.Lock())
        async with lock:  # one computation per room; the others wait for it and read it
            now = deps.clock.now()
            if (data := self._fresh(nb.id, now)) is not None:
                return data
            # An invalidation while this computes may have come after its reads: then the
            # answer is handed to the callers who asked before it, but not kept.
            generation = self._generation
            async with deps.db.transaction() as tx:
                data = await of(tx, nb, now, deps.settings.tz)
                changes = await tx.qa.next_boundary(nb.id, now)
            self.computed += 1
            valid_until = min(t for t in (now + self.max_age, changes, _boundary(data)) if t is not None)
            if generation == self._generation:
                self._entries[nb.id] = _Entry(data, valid_until)
            return data

    def _fresh(self, nb_id: int, now: dt.datetime) -> dict[str, Any] | None:
        entry = self._entries.get(nb_id)
        if entry is None or now >= entry.valid_until:
            return None
        return entry.data


def _boundary(data: dict[str, Any]) -> dt.datetime | None:
    """When the schedule part of an availability stops being true: the current window's end,
    else the next window's start."""
    span = data["current_window"] or data["next_window"]
    if span is None:
        return None
    return dt.datetime.fromisoformat(span["end"] if data["current_window"] else span["start"])


class Watch:
    """Remembers what each room's availability was, to emit only changes (window boundaries)."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[bool, int, bool]] = {}

    def changed(self, current: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for slug, data in current.items():
            key = (data["open"], data["officers_on_duty"], data["in_window"])
            if slug in self._last and self._last[slug] != key:
                out.append(data)
            self._last[slug] = key
        return out
