"""Whether a neighbourhood is open: a scheduled window is active AND an officer is on duty."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from server.clock import isoformat
from server.services import schedule
from server.storage.records import NeighbourhoodRec, WindowRec
from server.storage.tx import Tx


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
