"""Editing a neighbourhood's schedule (supervisors and admins, or the CLI), and publishing it."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import icalendar

from server.clock import isoformat
from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.services import access, audit, availability, inputs, schedule
from server.services.actors import StaffActor
from server.services.deps import Deps
from server.services.duty import availability_events
from server.storage.db import Duplicate
from server.storage.records import ClosureRec, QaSessionRec, StaffRec, WindowRec
from server.storage.tx import Tx

EDITOR_ROLES = frozenset({"supervisor", "admin"})
CALENDAR_DAYS = 60
MAX_LABEL = 80


def _check_editor(staff: StaffRec | None) -> StaffActor | None:
    """None is the command line, run by an operator on the server."""
    if staff is None:
        return None
    if staff.role not in EDITOR_ROLES:
        raise Forbidden("only supervisors and admins edit schedules")
    return StaffActor(staff.id)


def window_shape(w: WindowRec) -> dict[str, Any]:
    return {
        "id": str(w.id),
        "kind": "weekly" if w.weekday is not None else "dated",
        "weekday": schedule.WEEKDAYS[w.weekday] if w.weekday is not None else None,
        "date": w.date.isoformat() if w.date else None,
        "start": schedule.format_time(w.start_min),
        "end": schedule.format_time(w.end_min),
        "label": w.label,
    }


def closure_shape(c: ClosureRec) -> dict[str, Any]:
    return {"id": str(c.id), "date": c.date.isoformat(), "reason": c.reason}


def _parse_date(value: str) -> dt.date:
    return inputs.day(value, "date")


async def _add(deps: Deps, staff: StaffRec | None, slug: str, new: schedule.Window) -> dict[str, Any]:
    actor = _check_editor(staff)
    if len(new.label) > MAX_LABEL:
        raise Invalid(f"label is at most {MAX_LABEL} characters")
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        nb = await access.neighbourhood(tx, slug)
        for old in map(availability.window_of, await tx.schedule.windows([nb.id])):
            if new.weekday is not None and old.weekday is not None and schedule.overlaps(new, old):
                raise Invalid(f"overlaps the weekly window {schedule.describe(old)}")
            if new.date is not None and old.date is not None and schedule.overlaps_dated(new, old):
                raise Invalid(f"overlaps the window {schedule.describe(old)}")
        rec = await tx.schedule.add_window(
            neighbourhood_id=nb.id, weekday=new.weekday, date=new.date, start_min=new.start_min,
            end_min=new.end_min, label=new.label, now=now,
        )  # fmt: skip
        await audit.record(
            tx, at=now, actor=actor, action="schedule.window_add", target_kind="neighbourhood",
            target_id=nb.slug, detail={"window": schedule.describe(new)},
        )  # fmt: skip
        tx.on_commit(await availability_events(deps, tx, {nb.id}))
    return {"window": window_shape(rec)}


async def add_weekly(deps: Deps, staff: StaffRec | None, slug: str, spec: str, label: str = "") -> dict[str, Any]:
    """A weekly window such as 'fri 18:00-02:00' (local time)."""
    weekday, start, end = schedule.parse_weekly(spec)
    return await _add(deps, staff, slug, schedule.Window(0, weekday, None, start, end, label.strip()))


async def add_dated(
    deps: Deps, staff: StaffRec | None, slug: str, date: str, start: str, end: str, label: str = ""
) -> dict[str, Any]:
    """An extra window on one date (Valborg, the end of the school year, a Q&A evening)."""
    day = _parse_date(date)
    if day < deps.clock.now().astimezone(deps.settings.tz).date():
        raise Invalid("the date has passed")
    s, e = schedule.parse_time(start, field="start"), schedule.parse_time(end, field="end")
    schedule.check_span(s, e)
    return await _add(deps, staff, slug, schedule.Window(0, None, day, s, e, label.strip()))


async def remove_window(deps: Deps, staff: StaffRec | None, window_id: int) -> None:
    actor = _check_editor(staff)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        rec = await tx.schedule.window(window_id)
        if rec is None:
            raise NotFound("no such window")
        await tx.schedule.remove_window(window_id)
        await audit.record(
            tx, at=now, actor=actor, action="schedule.window_remove", target_kind="neighbourhood",
            target_id=str(rec.neighbourhood_id), detail={"window": schedule.describe(availability.window_of(rec))},
        )  # fmt: skip
        tx.on_commit(await availability_events(deps, tx, {rec.neighbourhood_id}))


async def add_closure(deps: Deps, staff: StaffRec | None, slug: str, date: str, reason: str = "") -> dict[str, Any]:
    """Close a date (a holiday): windows starting that day do not open. Windows stay defined."""
    actor = _check_editor(staff)
    day = _parse_date(date)
    now = deps.clock.now()
    try:
        async with deps.db.transaction() as tx:
            nb = await access.neighbourhood(tx, slug)
            windows = [availability.window_of(w) for w in await tx.schedule.windows([nb.id])]
            if not schedule.occurrences_on(day, windows, set(), deps.settings.tz):
                raise Invalid(f"nothing is scheduled on {day.isoformat()}, so there is nothing to close")
            rec = await tx.schedule.add_closure(neighbourhood_id=nb.id, date=day, reason=reason.strip()[:200], now=now)
            await audit.record(
                tx, at=now, actor=actor, action="schedule.closure_add", target_kind="neighbourhood",
                target_id=nb.slug, detail={"date": day.isoformat()},
            )  # fmt: skip
            tx.on_commit(await availability_events(deps, tx, {nb.id}))
    except Duplicate:
        raise Conflict(f"{day.isoformat()} is already closed") from None
    return {"closure": closure_shape(rec)}


async def remove_closure(deps: Deps, staff: StaffRec | None, closure_id: int) -> None:
    actor = _check_editor(staff)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        rec = await tx.schedule.closure(closure_id)
        if rec is None:
            raise NotFound("no such closure")
        await tx.schedule.remove_closure(closure_id)
        await audit.record(
            tx, at=now, actor=actor, action="schedule.closure_remove", target_kind="neighbourhood",
            target_id=str(rec.neighbourhood_id), detail={"date": rec.date.isoformat()},
        )  # fmt: skip
        tx.on_commit(await availability_events(deps, tx, {rec.neighbourhood_id}))


async def _upcoming(deps: Deps, tx: Tx, nb_id: int, days: int) -> list[schedule.Occurrence]:
    windows = [availability.window_of(w) for w in await tx.schedule.windows([nb_id])]
    closed = {c.date for c in await tx.schedule.closures([nb_id])}
    return schedule.timeline(windows, closed, deps.settings.tz, deps.clock.now(), days)


async def describe(deps: Deps, slug: str) -> dict[str, Any]:
    """A neighbourhood's windows, closures and the next two weeks' openings (public)."""
    async with deps.db.transaction() as tx:
        nb = await access.neighbourhood(tx, slug)
        windows = await tx.schedule.windows([nb.id])
        closures = await tx.schedule.closures([nb.id])
        upcoming = await _upcoming(deps, tx, nb.id, 14)
    return {
        "room": nb.slug,
        "timezone": deps.settings.timezone,
        "windows": [window_shape(w) for w in windows],
        "closures": [closure_shape(c) for c in closures],
        "upcoming": [{"start": isoformat(o.start), "end": isoformat(o.end), "label": o.label} for o in upcoming],
    }


async def calendar(deps: Deps, slug: str, host: str) -> bytes:
    """An iCalendar feed of the coming windows, for schools and youth centres to subscribe to."""
    async with deps.db.transaction() as tx:
        nb = await access.neighbourhood(tx, slug)
        upcoming = await _upcoming(deps, tx, nb.id, CALENDAR_DAYS)
        now = deps.clock.now()
        sessions = await tx.qa.sessions_ending_after([nb.id], now, now + dt.timedelta(days=CALENDAR_DAYS))
    # icalendar reads time-zone files from disk: build the feed off the event loop.
    return await asyncio.to_thread(_ical, nb.slug, nb.name, upcoming, sessions, deps.settings.timezone, now, host)


def _ical(
    slug: str,
    name: str,
    upcoming: list[schedule.Occurrence],
    sessions: list[QaSessionRec],
    timezone: str,
    now: dt.datetime,
    host: str,
) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Kvarter//Nätpolisen//SV")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Nätpolisen {name}")
    cal.add("x-wr-timezone", timezone)
    for occ in upcoming:
        event = icalendar.Event()
        event.add("uid", f"{slug}-{occ.start.strftime('%Y%m%dT%H%M%SZ')}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", occ.start)
        event.add("dtend", occ.end)
        event.add("summary", f"Nätpolisen är online – {name}" + (f" ({occ.label})" if occ.label else ""))
        cal.add_component(event)
    for s in sessions:
        event = icalendar.Event()
        event.add("uid", f"qa-{s.id}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", s.starts_at)
        event.add("dtend", s.ends_at)
        event.add("summary", f"Frågestund: {s.title} – {name}")
        if s.description:
            event.add("description", s.description)
        cal.add_component(event)
    ical: bytes = cal.to_ical()
    return ical
