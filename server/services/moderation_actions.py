"""What officers moderate with: hide a room message, mute a young person, slow a room down;
and what young people can do: flag a room message as not OK. Every action is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from server.clock import isoformat
from server.errors import Conflict, Forbidden, NotFound
from server.services import access, audit, shapes
from server.services import emitter as aud
from server.services.actors import StaffActor, YouthActor
from server.services.deps import Deps
from server.services.emitter import Event
from server.storage.db import Duplicate
from server.storage.records import MessageRec
from server.storage.tx import Tx

FLAGGED_LIST = 50
NO_MESSAGE = "no such message"


async def _room_message(tx: Tx, message_id: str) -> MessageRec:
    msg = await tx.messages.get(shapes.parse_message_id(message_id) or 0)
    if msg is None or msg.room is None:
        raise NotFound(NO_MESSAGE)
    return msg


async def hide(deps: Deps, actor: StaffActor, message_id: str, reason: str) -> dict[str, Any]:
    """Remove a room message from view; the room sees 'removed by a moderator'."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        await access.patrol_staff(tx, actor)
        msg = await _room_message(tx, message_id)
        changed = await tx.messages.hide(msg.id, now)
        if changed:
            await audit.record(
                tx, at=now, actor=actor, action="moderation.hide", target_kind="message",
                target_id=shapes.message_id(msg.id), detail={"room": msg.room, "reason": reason},
            )  # fmt: skip
            assert msg.room is not None
            data = {"id": shapes.message_id(msg.id), "room": msg.room}
            tx.on_commit([Event("message:hidden", data, a) for a in aud.rooms_of(msg.room)])
    return {}


async def mute(deps: Deps, actor: StaffActor, youth_id: str, minutes: int, reason: str) -> dict[str, Any]:
    """Stop a young person writing in public rooms for a while; they are told until when.
    Private chats with officers stay open to them."""
    now = deps.clock.now()
    until = now + dt.timedelta(minutes=minutes)
    async with deps.db.transaction() as tx:
        await access.patrol_staff(tx, actor)
        youth = await tx.youth.by_id(youth_id)
        if youth is None:
            raise NotFound("no such young person")
        await tx.youth.set_muted_until(youth.id, until)
        await audit.record(
            tx, at=now, actor=actor, action="moderation.mute", target_kind="youth", target_id=youth.id,
            detail={"minutes": minutes, "reason": reason},
        )  # fmt: skip
        muted = {"until": isoformat(until), "minutes": minutes}
        tx.on_commit([Event("moderation:muted", muted, aud.youth(youth_id))])
    return {"until": isoformat(until)}


async def flag(deps: Deps, actor: YouthActor, message_id: str, reason: str) -> dict[str, Any]:
    """A young person marks a room message as not OK; officers in the room see it at once."""
    now = deps.clock.now()
    try:
        async with deps.db.transaction() as tx:
            await access.youth_member(tx, actor)
            msg = await _room_message(tx, message_id)
            if msg.youth_id == actor.youth_id:
                raise Forbidden("you cannot flag your own message")
            await tx.messages.add_flag(msg.id, actor.youth_id, reason, now)
            flagged = await tx.messages.get(msg.id)
            assert flagged is not None and flagged.room is not None
            data = {"message": shapes.message(flagged, for_staff=True)}
            tx.on_commit([Event("moderation:flagged", data, aud.staff_room(flagged.room))])
    except Duplicate:
        raise Conflict("you have already flagged this message") from None
    return {}


async def flagged(deps: Deps, actor: StaffActor, slug: str) -> dict[str, Any]:
    async with deps.db.transaction() as tx:
        await access.patrol_staff(tx, actor)
        nb = await access.neighbourhood(tx, slug)
        rows = await tx.messages.flagged(nb.id, FLAGGED_LIST)
    return {"messages": [shapes.message(m, for_staff=True) for m in rows]}


async def slow_mode(deps: Deps, actor: StaffActor, slug: str, seconds: int) -> dict[str, Any]:
    """Young people may post in the room at most once per `seconds` (0 turns it off)."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        await access.patrol_staff(tx, actor)
        nb = await access.neighbourhood(tx, slug)
        await tx.messages.set_slow_mode(nb.id, seconds)
        await audit.record(
            tx, at=now, actor=actor, action="moderation.slow_mode", target_kind="neighbourhood",
            target_id=nb.slug, detail={"seconds": seconds},
        )  # fmt: skip
        data = {"room": slug, "slow_mode_seconds": seconds}
        tx.on_commit([Event("room:settings", data, a) for a in aud.rooms_of(slug)])
    return data
