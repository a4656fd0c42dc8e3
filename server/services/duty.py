"""Officers going on and off duty for neighbourhoods."""

from __future__ import annotations

from typing import Any

from server.clock import isoformat
from server.errors import NotFound
from server.services import access, audit, availability
from server.services import emitter as aud
from server.services.actors import StaffActor
from server.services.deps import Deps
from server.services.emitter import Event
from server.storage.records import DutyRec
from server.storage.tx import Tx


def shape(duties: list[DutyRec]) -> dict[str, Any]:
    return {
        "rooms": [d.room for d in duties],
        "started_at": isoformat(min(d.started_at for d in duties)) if duties else None,
    }


async def _availability_events(tx: Tx, changed: set[int]) -> list[Event]:
    nbs = [nb for nb in await tx.neighbourhoods.all() if nb.id in changed]
    avail = await availability.of_all(tx, nbs)
    events = []
    for slug, data in avail.items():
        events.append(Event("availability", data, aud.youth_room(slug)))
        events.append(Event("availability", data, aud.staff_room(slug)))
    return events


async def current(deps: Deps, actor: StaffActor) -> list[DutyRec]:
    async with deps.db.transaction() as tx:
        await access.staff_member(tx, actor)
        return await tx.duty.open_for_staff(actor.staff_id)


async def start(deps: Deps, actor: StaffActor, rooms: list[str]) -> tuple[dict[str, Any], list[DutyRec]]:
    """Set the neighbourhoods the officer is on duty for; returns the duty and its records."""
    now = deps.clock.now()
    wanted = sorted(set(rooms))
    async with deps.db.transaction() as tx:
        staff = await access.patrol_staff(tx, actor)
        nbs = await tx.neighbourhoods.by_slugs(wanted)
        missing = set(wanted) - {nb.slug for nb in nbs}
        if missing:
            raise NotFound(f"no neighbourhood {sorted(missing)[0]!r}")
        before = {d.neighbourhood_id for d in await tx.duty.open_for_staff(staff.id)}
        after = {nb.id for nb in nbs}
        await tx.duty.end(staff.id, sorted(before - after), now)
        for nb_id in sorted(after - before):
            await tx.duty.start(staff.id, nb_id, now)
        duties = await tx.duty.open_for_staff(staff.id)
        await audit.record(
            tx, at=now, actor=actor, action="duty.start", target_kind="staff",
            target_id=str(staff.id), detail={"rooms": wanted},
        )  # fmt: skip
        events = await _availability_events(tx, before ^ after)
    duty = shape(duties)
    events.append(Event("duty:updated", {"duty": duty}, aud.staff(staff.id)))
    await deps.emitter.emit(events)
    return {"duty": duty}, duties


async def end(deps: Deps, actor: StaffActor) -> dict[str, Any]:
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        staff = await access.staff_member(tx, actor)
        before = {d.neighbourhood_id for d in await tx.duty.open_for_staff(staff.id)}
        await tx.duty.end(staff.id, sorted(before), now)
        await audit.record(tx, at=now, actor=actor, action="duty.end", target_kind="staff", target_id=str(staff.id))
        events = await _availability_events(tx, before)
    duty = shape([])
    events.append(Event("duty:updated", {"duty": duty}, aud.staff(staff.id)))
    await deps.emitter.emit(events)
    return {"duty": duty}
