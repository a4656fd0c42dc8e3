"""Neighbourhood rooms: public, moderated, one per local police area."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from server.clock import isoformat
from server.errors import Blocked, Conflict, RateLimited
from server.events import RoomSend, RoomSync
from server.services import access, audit, messages, nicknames, ratelimit, screening, shapes, triage
from server.services import emitter as aud
from server.services.actors import Actor, StaffActor, YouthActor
from server.services.deps import Deps
from server.services.emitter import Event
from server.storage.db import Duplicate
from server.storage.records import MessageRec, StaffRec, YouthRec
from server.storage.tx import Tx

JOIN_HISTORY = 50
# A nickname a young person writes under in a room stays theirs there until they have not
# posted in it for this long (then anyone may take it; retention drops the claim).
NICKNAME_HELD = dt.timedelta(hours=24)


async def _check_actor(tx: Tx, actor: Actor) -> None:
    if isinstance(actor, StaffActor):
        await access.patrol_staff(tx, actor)
    else:
        await access.youth_visitor(tx, actor)


async def join(
    deps: Deps, actor: Actor, slug: str, admitted: Callable[[], Awaitable[None]] | None = None
) -> dict[str, Any]:
    """What a client needs on entering a room: the room, who is on duty, the latest messages.

    `admitted` runs once the actor may enter and before the latest messages are read: the
    caller joins the live audience there, so a message is either in what is read here or
    delivered live (it is emitted only after its commit), never neither."""
    for_staff = isinstance(actor, StaffActor)
    async with deps.db.transaction() as tx:
        await _check_actor(tx, actor)
        nb = await access.neighbourhood(tx, slug)
        if admitted is not None:
            await admitted()
        latest = await tx.messages.latest_in_room(nb.id, JOIN_HISTORY)
    avail = await deps.availability.of(deps, nb)
    return {
        "neighbourhood": shapes.neighbourhood(nb),
        "availability": avail,
        "messages": [shapes.message(m, for_staff=for_staff, client_id=_own(actor, m)) for m in latest],
    }


def _own(actor: Actor, m: MessageRec) -> bool:
    """Staff see every room message's client_id; a young person only their own."""
    return isinstance(actor, StaffActor) or m.youth_id == actor.youth_id


async def check_exists(deps: Deps, actor: Actor, slug: str) -> None:
    async with deps.db.transaction() as tx:
        await _check_actor(tx, actor)
        await access.neighbourhood(tx, slug)


async def send(deps: Deps, actor: Actor, p: RoomSend) -> dict[str, Any]:
    """Screen, persist, then acknowledge and emit; a retried client_id returns the stored message.

    Young people: personal data is refused, abuse is held for the officers, a risk signal is
    shown with guidance for the writer and raised to the officers as a report. Officers: the
    secrecy check warns first; `confirm` posts anyway (audited).
    """
    body = messages.check_body(p.body)
    for_staff = isinstance(actor, StaffActor)
    verdict = screening.screen(body, "staff_public" if for_staff else "youth_public")
    if for_staff and verdict.action == "warn" and not p.confirm:
        raise Blocked("secrecy check: " + screening.explain(verdict), screening.details(verdict))
    if not for_staff and screening.blocked(verdict):
        raise Blocked(screening.explain(verdict), screening.details(verdict))
    hold = not for_staff and screening.held(verdict)
    try:
        async with deps.db.transaction() as tx:
            stored = await _store(tx, deps, actor, p.room, p.client_id, body, tuple(verdict.flags), hold)
            msg, created = stored
            if created and for_staff and verdict.action == "warn":
                await audit.record(
                    tx, at=deps.clock.now(), actor=actor, action="moderation.secrecy_override",
                    target_kind="message", target_id=shapes.message_id(msg.id), detail={"flags": sorted(verdict.flags)},
                )  # fmt: skip
            if created:
                events = [Event("room:message", shapes.message(msg, for_staff=True), aud.staff_room(p.room))]
                if not hold:
                    to_youth = shapes.message(msg, for_staff=False, client_id=False)
                    events.append(Event("room:message", to_youth, aud.youth_room(p.room)))
                tx.on_commit(events)
    except Duplicate:
        found = await messages.existing(deps, actor.sender_key, p.client_id)
        if found is None:
            raise
        return {"message": shapes.message(messages.retried_here(found, room=p.room), for_staff=for_staff)}
    result: dict[str, Any] = {"message": shapes.message(msg, for_staff=for_staff)}
    if hold:
        result["held"] = True
        result["reasons"] = list(verdict.reasons)
    risks = screening.risks(verdict)
    if risks and isinstance(actor, YouthActor):
        result["guidance"] = await triage.from_risky_message(deps, actor, p.room, msg, risks)
    return result


async def _store(
    tx: Tx, deps: Deps, actor: Actor, slug: str, client_id: str, body: str, flags: tuple[str, ...], hidden: bool
) -> tuple[MessageRec, bool]:
    """The new message and True, or the stored one and False for a retried client_id.

    The INSERT … ON CONFLICT DO NOTHING comes first and decides idempotency; a young person's
    posting limits are checked after it, only for a new row (a retry of a stored message is
    never refused), and refusing rolls the row back.
    """
    staff: StaffRec | None = None
    youth: YouthRec | None = None
    if isinstance(actor, StaffActor):
        staff = await access.patrol_staff(tx, actor)
        kind, name = "officer", staff.display_name
    else:
        youth = await access.youth_member(tx, actor)
        kind, name = "youth", youth.nickname
    nb = await access.neighbourhood(tx, slug, to_post=True)
    msg = await tx.messages.insert(
        sender_key=actor.sender_key,
        client_id=client_id,
        author_kind=kind,
        author_name=name,
        body=body,
        now=deps.clock.now(),
        neighbourhood_id=nb.id,
        room=nb.slug,
        youth_id=youth.id if youth else None,
        staff=staff,
        flags=flags,
        hidden=hidden,
    )
    if msg is None:
        found = await tx.messages.by_client_id(actor.sender_key, client_id)
        if found is None:  # the conflicting row was deleted in between; the client retries
            raise Conflict("the message could not be stored; retry")
        return messages.retried_here(found, room=nb.slug), False
    if youth is not None:
        await _youth_may_post(tx, deps, youth, nb.id, msg.id)
    return msg, True


async def _youth_may_post(tx: Tx, deps: Deps, youth: YouthRec, neighbourhood_id: int, new_id: int) -> None:
    """Muted young people wait; a nickname another young person writes under in the room is
    theirs (`conflict`); slow mode and the flood buckets space out posts."""
    now = deps.clock.now()
    if youth.muted_until is not None and youth.muted_until > now:
        raise Blocked(f"a moderator has paused your posting in the rooms until {isoformat(youth.muted_until)}")
    key = nicknames.room_key(youth.nickname)
    if not await tx.youth.claim_room_nickname(neighbourhood_id, key, youth.id, now, now - NICKNAME_HELD):
        raise Conflict(
            "someone else in this room writes under that nickname; choose another and send again",
            {"nickname": "taken"},
        )
    slow = await tx.messages.slow_mode(neighbourhood_id)
    if slow:
        last = await tx.messages.last_by_youth_in_room(youth.id, neighbourhood_id, before_id=new_id)
        if last is not None and (now - last).total_seconds() < slow:
            wait = slow - int((now - last).total_seconds())
            raise RateLimited(f"slow mode: one message per {slow} s in this room; try again in {wait} s")
    await ratelimit.check(deps.limiter, f"youth:{youth.id}", ratelimit.YOUTH_MESSAGES, now, "you are writing too fast")
    await ratelimit.check(
        deps.limiter, f"room:{neighbourhood_id}", ratelimit.ROOM_MESSAGES, now, "the room is very busy"
    )


async def sync(deps: Deps, actor: Actor, p: RoomSync) -> dict[str, Any]:
    """Room messages after the last id the client saw, oldest first."""
    async with deps.db.transaction() as tx:
        await _check_actor(tx, actor)
        nb = await access.neighbourhood(tx, p.room)
        rows, more = await messages.page(tx, after=shapes.parse_message_id(p.after), neighbourhood_id=nb.id)
    for_staff = isinstance(actor, StaffActor)
    return {"messages": [shapes.message(m, for_staff=for_staff, client_id=_own(actor, m)) for m in rows], "more": more}


__all__ = ["YouthActor", "check_exists", "join", "send", "sync"]
