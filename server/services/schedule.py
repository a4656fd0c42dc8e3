"""Availability windows: weekly and dated windows in local time, dated closures, DST-correct.

Times are local to the deployment's time zone (Europe/Stockholm). A window whose end is at or
before its start runs past midnight into the next day; "24:00" ends at midnight. A closure
cancels every window that starts on its date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from server.errors import Invalid

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SWEDISH_WEEKDAYS = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")
LOOKAHEAD_DAYS = 400
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")
_WEEKLY = re.compile(r"^\s*([a-zåäö]{3})[a-zåäö]*\s+(\d\d:\d\d)\s*-\s*(\d\d:\d\d)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Window:
    """A window definition: weekly on a weekday, or on one date. Minutes from local midnight."""

    id: int
    weekday: int | None
    date: dt.date | None
    start_min: int
    end_min: int
    label: str = ""

    @property
    def crosses_midnight(self) -> bool:
        return self.end_min <= self.start_min

    @property
    def length_min(self) -> int:
        return self.end_min - self.start_min if not self.crosses_midnight else 1440 - self.start_min + self.end_min


@dataclass(frozen=True, slots=True)
class Occurrence:
    start: dt.datetime  # UTC
    end: dt.datetime  # UTC
    window_ids: tuple[int, ...]
    label: str


def parse_time(value: str, *, field: str) -> int:
    """'HH:MM' (or '24:00' as an end) as minutes from midnight."""
    if not _TIME.match(value):
        raise Invalid(f"{field} must be HH:MM (00:00-23:59, or 24:00 as an end), not {value!r}")
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def format_time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_weekly(spec: str) -> tuple[int, int, int]:
    """'fri 18:00-02:00' (English or Swedish day names) as (weekday, start, end)."""
    m = _WEEKLY.match(spec)
    if not m:
        raise Invalid(f"a weekly window looks like 'fri 18:00-02:00', not {spec!r}")
    day = m.group(1).lower()
    if day in WEEKDAYS:
        weekday = WEEKDAYS.index(day)
    elif day in SWEDISH_WEEKDAYS:
        weekday = SWEDISH_WEEKDAYS.index(day)
    else:
        raise Invalid(f"unknown weekday {m.group(1)!r}; use mon, tue, wed, thu, fri, sat or sun")
    start, end = parse_time(m.group(2), field="start"), parse_time(m.group(3), field="end")
    check_span(start, end)
    return weekday, start, end


def check_span(start: int, end: int) -> None:
    if start == 1440:
        raise Invalid("a window cannot start at 24:00")
    if start == end:
        raise Invalid("a window cannot have zero length (start equals end)")


def _local(day: dt.date, minutes: int, tz: ZoneInfo) -> dt.datetime:
    """Local wall time on a day, as UTC. Per PEP 495 a wall time that DST skips (spring
    forward) lands after the gap, and one that occurs twice (fall back) is its first instance."""
    naive = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes)
    return naive.replace(tzinfo=tz).astimezone(dt.UTC)


def occurrences_on(day: dt.date, windows: list[Window], closed: set[dt.date], tz: ZoneInfo) -> list[Occurrence]:
    """The windows that start on a local day, as UTC intervals."""
    if day in closed:
        return []
    out = []
    next_day = day + dt.timedelta(days=1)
    for w in windows:
        if w.weekday == day.weekday() or w.date == day:
            if w.end_min == 1440:
                end = _local(next_day, 0, tz)
            else:
                end = _local(next_day if w.crosses_midnight else day, w.end_min, tz)
            out.append(Occurrence(_local(day, w.start_min, tz), end, (w.id,), w.label))
    return out


def merged(occs: list[Occurrence]) -> list[Occurrence]:
    """Overlapping or touching occurrences (a dated extra over a weekly window) as one."""
    result: list[Occurrence] = []
    for o in sorted(occs, key=lambda o: (o.start, o.end)):
        if result and o.start <= result[-1].end:
            last = result[-1]
            label = last.label or o.label
            result[-1] = Occurrence(last.start, max(last.end, o.end), last.window_ids + o.window_ids, label)
        else:
            result.append(o)
    return result


def timeline(
    windows: list[Window], closures: set[dt.date], tz: ZoneInfo, start: dt.datetime, days: int
) -> list[Occurrence]:
    """Merged occurrences touching [start, start + days], in order."""
    first = start.astimezone(tz).date() - dt.timedelta(days=1)
    occs = [o for i in range(days + 2) for o in occurrences_on(first + dt.timedelta(days=i), windows, closures, tz)]
    horizon = start + dt.timedelta(days=days)
    return [o for o in merged(occs) if o.end > start and o.start < horizon]


def current_and_next(
    windows: list[Window], closures: set[dt.date], tz: ZoneInfo, now: dt.datetime
) -> tuple[Occurrence | None, Occurrence | None]:
    """The window open now (if any) and the next one to start."""
    if not windows:
        return None, None
    current = nxt = None
    for span in (8, 40, LOOKAHEAD_DAYS):
        line = timeline(windows, closures, tz, now, span)
        current = next((o for o in line if o.start <= now < o.end), None)
        nxt = next((o for o in line if o.start > now), None)
        if nxt is not None:
            break
    return current, nxt


def overlaps(a: Window, b: Window) -> bool:
    """Do two weekly windows share any minute of the week?"""
    assert a.weekday is not None and b.weekday is not None

    def spans(w: Window) -> list[tuple[int, int]]:
        assert w.weekday is not None
        start = w.weekday * 1440 + w.start_min
        end = start + w.length_min
        week = 7 * 1440
        return [(start, min(end, week)), *([(0, end - week)] if end > week else [])]

    return any(s1 < e2 and s2 < e1 for s1, e1 in spans(a) for s2, e2 in spans(b))


def overlaps_dated(a: Window, b: Window) -> bool:
    """Do two dated windows overlap in wall-clock time?"""
    assert a.date is not None and b.date is not None

    def span(w: Window) -> tuple[dt.datetime, dt.datetime]:
        assert w.date is not None
        start = dt.datetime.combine(w.date, dt.time()) + dt.timedelta(minutes=w.start_min)
        return start, start + dt.timedelta(minutes=w.length_min)

    (s1, e1), (s2, e2) = span(a), span(b)
    return s1 < e2 and s2 < e1


def describe(w: Window) -> str:
    when = WEEKDAYS[w.weekday] if w.weekday is not None else str(w.date)
    return f"{when} {format_time(w.start_min)}-{format_time(w.end_min)}"
