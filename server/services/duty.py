"""Officers going on and off duty; shifts that end by themselves; the roster and handover notes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from server.clock import isoformat
from server.errors import Forbidden, Invalid, NotFound
from server.services import access, audit, availability, chat_queue, triage
from server.services import emitter as aud
from server.services.actors import StaffActor
from server.services.deps import Deps
from server.services.emitter import Event
from server.storage.records import DutyRec, NeighbourhoodRec, StaffRec
from server.storage.tx import Tx

MAX_SHIFT = dt.timedelta(hours=16)
MAX_NOTE_CHARS = 2000
HANDOVER_NOTES = 10


def shape(duties: list[DutyRec]) -> dict[str, Any]:
    ends = [d.planned_end for d in duties if d.planned_end is not None]
    return {
        "rooms": [d.room for d in duties],
        "started_at": isoformat(min(d.started_at for d in duties)) if duties else None,
        "until": isoformat(min(ends)) if ends else None,
    }


async def availability_events(deps: Deps, tx: Tx, changed: set[int]) -> list[Event]:
    """`availability` to the young people and staff in each room whose staffing changed."""
    nbs = [nb for nb in await tx.neighbourhoods.all() if nb.id in changed]
    avail = await availability.of_all(tx, nbs, deps.clock.now(), deps.settings.tz)
    events = []
    for slug, data in avail.items():
        events.append(Event("availability", data, aud.youth_room(slug)))
        events.append(Event("availability", data, aud.staff_room(slug)))
    return events


async def _release(deps: Deps, tx: Tx, staff_id: int, ended: set[int], now: dt.datetime) -> list[Event]:
    """In a duty change's transaction: the officer's chats where they are no longer on duty go
    back to the queue, and the reports they claimed for those chats back to triage."""
    released, events = await chat_queue.release_after_duty(deps, tx, staff_id, ended, now)
    return events + await triage.requeue_released(tx, staff_id, released)


async def current(deps: Deps, actor: StaffActor) -> list[DutyRec]:
    async with deps.db.transaction() as tx:
        await access.staff_member(tx, actor)
        return await tx.duty.open_for_staff(actor.staff_id)


async def _planned_end(
    deps: Deps, tx: Tx, nbs: list[NeighbourhoodRec], until: dt.datetime | None, now: dt.datetime
) -> dt.datetime:
    """The shift's end: the earliest of `until`, the end of the window open now and a default
    shift from now (KVARTER_DEFAULT_SHIFT_HOURS, at most 16 h), so that a room scheduled round
    the clock does not plan a shift weeks long."""
    ends = [now + dt.timedelta(hours=deps.settings.default_shift_hours)]
    if until is not None:
        until = until if until.tzinfo else until.replace(tzinfo=deps.settings.tz)
        if until <= now:
            raise Invalid("until must be in the future")
        if until - now > MAX_SHIFT:
            raise Invalid(f"a shift is at most {int(MAX_SHIFT.total_seconds() // 3600)} hours")
        ends.append(until.astimezone(dt.UTC))
    if (window_end := await availability.current_window_end(tx, nbs, now, deps.settings.tz)) is not None:
        ends.append(window_end)
    return min(ends)


async def _leave_ends(tx: Tx, staff: StaffRec, nbs: list[NeighbourhoodRec], now: dt.datetime) -> dict[int, dt.datetime]:
    """Duty in another region's neighbourhood needs leave: the neighbourhood is shared, or a
    supervisor of that region granted it (services/duty_grants.py). For each neighbourhood that
    needs a grant, when the officer's grant ends; `forbidden` when one has none in force.
    Staff and neighbourhoods without a region are national."""
    ends: dict[int, dt.datetime] = {}
    for nb in nbs:
        if not access.other_region(staff, nb) or nb.shared:
            continue
        if (until := await tx.grants.active_until(staff.id, nb.region, now)) is None:
            raise Forbidden(
                f"duty in {nb.name} (region {nb.region}) needs a grant from one of that region's supervisors",
                {"room": nb.slug, "region": nb.region, "needs": "duty_grant"},
            )
        ends[nb.id] = until
    return ends


async def start(
    deps: Deps, actor: StaffActor, rooms: list[str], until: dt.datetime | None = None
) -> tuple[dict[str, Any], list[DutyRec]]:
    """Set the neighbourhoods the officer is on duty for, until the shift's planned end (in
    another region's neighbourhood, at the latest when the officer's grant for it ends)."""
    now = deps.clock.now()
    wanted = sorted(set(rooms))
    async with deps.db.transaction() as tx:
        staff = await access.patrol_staff(tx, actor)
        nbs = await tx.neighbourhoods.by_slugs(wanted)
        missing = set(wanted) - {nb.slug for nb in nbs}
        if missing:
            raise NotFound(f"no neighbourhood {sorted(missing)[0]!r}")
        leave = await _leave_ends(tx, staff, nbs, now)
        planned_end = await _planned_end(deps, tx, nbs, until, now)
        before = {d.neighbourhood_id for d in await tx.duty.open_for_staff(staff.id)}
        after = {nb.id for nb in nbs}
        await tx.duty.end(staff.id, sorted(before - after), now)
        for nb_id in sorted(after - before):
            await tx.duty.start(staff.id, nb_id, now, planned_end)
        await tx.duty.set_planned_end(staff.id, planned_end)
        for nb_id, leave_end in leave.items():
            if leave_end < planned_end:
                await tx.duty.set_planned_end(staff.id, leave_end, [nb_id])
        released = await _release(deps, tx, staff.id, before - after, now)
        duties = await tx.duty.open_for_staff(staff.id)
        await audit.record(
            tx, at=now, actor=actor, action="duty.start", target_kind="staff",
            target_id=str(staff.id), detail={"rooms": wanted, "until": isoformat(planned_end)},
        )  # fmt: skip
        events = await availability_events(deps, tx, before ^ after)
        duty = shape(duties)
        events.append(Event("duty:updated", {"duty": duty}, aud.staff(staff.id)))
        tx.on_commit([*events, *released])
    return {"duty": duty}, duties


async def end(deps: Deps, actor: StaffActor) -> dict[str, Any]:
    """Go off duty: every chat the officer holds goes back to the queue, in the same transaction."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        staff = await access.staff_member(tx, actor)
        before = {d.neighbourhood_id for d in await tx.duty.open_for_staff(staff.id)}
        await tx.duty.end(staff.id, sorted(before), now)
        released = await _release(deps, tx, staff.id, before, now)
        await audit.record(tx, at=now, actor=actor, action="duty.end", target_kind="staff", target_id=str(staff.id))
        events = await availability_events(deps, tx, before)
        duty = shape([])
        events.append(Event("duty:updated", {"duty": duty}, aud.staff(staff.id)))
        tx.on_commit([*events, *released])
    return {"duty": duty}


async def sweep(deps: Deps, connected_staff: list[int], only: list[int] | None = None) -> int:
    """Keep the duties of connected consoles alive; end those past their shift, whose console
    has been gone longer than the heartbeat allows, whose account was disabled or whose officer
    has no session left; their chats go back to the queue in the same transaction. `only`:
    look at these officers' duties alone (right after a logout). Returns how many duties ended."""
    now = deps.clock.now()
    cutoff = now - dt.timedelta(seconds=deps.settings.duty_heartbeat_seconds)
    async with deps.db.transaction() as tx:
        await tx.duty.heartbeat(connected_staff, now)
        ended = await tx.duty.expire(now, cutoff, only)
        for staff_id, nb_id, reason in ended:
            await audit.record(
                tx, at=now, actor=None, action="duty.expire", target_kind="staff", target_id=str(staff_id),
                detail={"neighbourhood": nb_id, "reason": reason},
            )  # fmt: skip
        events = await availability_events(deps, tx, {nb for _, nb, _ in ended}) if ended else []
        released: list[Event] = []
        for staff_id in sorted({s for s, _, _ in ended}):
            gone = {nb for s, nb, _ in ended if s == staff_id}
            released += await _release(deps, tx, staff_id, gone, now)
            duty = shape(await tx.duty.open_for_staff(staff_id))
            events.append(Event("duty:updated", {"duty": duty}, aud.staff(staff_id)))
        tx.on_commit([*events, *released])
    return len(ended)


def _note(n: Any) -> dict[str, Any]:
    return {
        "room": n.room,
        "body": n.body,
        "author": {"name": n.author.display_name},
        "created_at": isoformat(n.created_at),
    }


async def roster(deps: Deps, actor: StaffActor) -> dict[str, Any]:
    """Who is on duty in the officer's rooms, until when, and the latest handover notes."""
    async with deps.db.transaction() as tx:
        staff = await access.patrol_staff(tx, actor)
        ids = [d.neighbourhood_id for d in await tx.duty.open_for_staff(staff.id)]
        return await _roster(tx, ids)


async def _roster(tx: Tx, nb_ids: list[int]) -> dict[str, Any]:
    by_room: dict[str, list[dict[str, Any]]] = {}
    for r in await tx.duty.roster(nb_ids):
        by_room.setdefault(r.room, []).append(
            {
                "id": str(r.staff.id),
                "name": r.staff.display_name,
                "role": r.staff.role,
                "started_at": isoformat(r.started_at),
                "until": isoformat(r.planned_end) if r.planned_end else None,
            }
        )
    notes = await tx.schedule.notes(nb_ids, HANDOVER_NOTES) if nb_ids else []
    return {
        "rooms": [{"room": room, "officers": officers} for room, officers in sorted(by_room.items())],
        "handover": [_note(n) for n in notes],
    }


async def everyone(deps: Deps, staff: StaffRec) -> dict[str, Any]:
    """For supervisors and admins: who is on duty in every neighbourhood now."""
    if staff.role not in ("supervisor", "admin"):
        raise Forbidden("only supervisors and admins see the whole roster")
    async with deps.db.transaction() as tx:
        return await _roster(tx, [nb.id for nb in await tx.neighbourhoods.all()])


async def write_handover(deps: Deps, actor: StaffActor, slug: str, body: str) -> dict[str, Any]:
    """Leave a note for the next shift in a room the officer is on duty for."""
    body = body.strip()
    if not body:
        raise Invalid("the note is empty")
    if len(body) > MAX_NOTE_CHARS:
        raise Invalid(f"a handover note is at most {MAX_NOTE_CHARS} characters")
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        staff = await access.patrol_staff(tx, actor)
        nb = await access.neighbourhood(tx, slug)
        if not await tx.duty.is_on_duty(staff.id, nb.id):
            raise Forbidden("go on duty for the room before writing its handover note")
        await tx.schedule.add_note(neighbourhood_id=nb.id, author_id=staff.id, body=body, now=now)
        await audit.record(
            tx, at=now, actor=actor, action="handover.write", target_kind="neighbourhood", target_id=nb.slug
        )
        note = (await tx.schedule.notes([nb.id], 1))[0]
        data = _note(note)
        tx.on_commit([Event("duty:handover", {"note": data}, aud.on_duty(nb.slug))])
    return {"note": data}
