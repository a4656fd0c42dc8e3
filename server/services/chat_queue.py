"""The queue of private chats: chats that go back to it when their officer's duty ends, each
young person's place in it, the system lines that tell them what happened, and the alerts when
a chat has waited too long."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from server.services import audit, availability, shapes
from server.services import emitter as aud
from server.services.deps import Deps
from server.services.emitter import Event
from server.storage.records import ConversationRec, MessageRec, NeighbourhoodRec
from server.storage.tx import Tx

SYSTEM_SENDER = "system"
SYSTEM_NAME = "Kvarter"


def updated_events(conv: ConversationRec, position: int | None = None) -> list[Event]:
    """chat:updated to both sides and inbox:updated to the neighbourhood's on-duty officers."""
    staff_shape = shapes.conversation(conv, for_staff=True)
    events = [
        Event("chat:updated", shapes.conversation(conv, for_staff=False, position=position), aud.youth(conv.youth_id)),
        Event("inbox:updated", {"conversation": staff_shape}, aud.on_duty(conv.room)),
    ]
    if conv.officer is not None:
        events.append(Event("chat:updated", staff_shape, aud.staff(conv.officer.id)))
    return events


async def system_line(tx: Tx, conv: ConversationRec, body: str, now: dt.datetime) -> MessageRec:
    """Store a line from the service itself in the conversation (author kind `system`): both
    sides see it, it is in the history after a reload and in the transcript."""
    msg = await tx.messages.insert(
        sender_key=SYSTEM_SENDER,
        client_id=secrets.token_hex(16),
        author_kind="system",
        author_name=SYSTEM_NAME,
        body=body,
        now=now,
        conversation_id=conv.id,
    )
    assert msg is not None  # a fresh random client_id cannot collide
    return msg


def line_events(conv: ConversationRec, msg: MessageRec) -> list[Event]:
    """A system line to the young person and to whoever can read the chat now."""
    events = [Event("chat:message", shapes.message(msg, for_staff=False), aud.youth(conv.youth_id))]
    if conv.officer is not None:
        events.append(Event("chat:message", shapes.message(msg, for_staff=True), aud.staff(conv.officer.id)))
    return events


async def positions(tx: Tx, neighbourhood_id: int) -> dict[str, int]:
    """Each waiting chat's place in its room's queue (1 = next), in the order officers see them."""
    return {c.id: i for i, c in enumerate(await tx.conversations.waiting_in(neighbourhood_id), start=1)}


async def position_events(tx: Tx, neighbourhood_id: int, skip: str | None = None) -> list[Event]:
    """Tell every young person waiting in a room their place now (after the queue changed)."""
    waiting = await tx.conversations.waiting_in(neighbourhood_id)
    return [
        Event("chat:updated", shapes.conversation(c, for_staff=False, position=i), aud.youth(c.youth_id))
        for i, c in enumerate(waiting, start=1)
        if c.id != skip
    ]


def _to_release(
    held: list[ConversationRec], duties: set[int], regions: set[str], ended: set[int], nbs: dict[int, NeighbourhoodRec]
) -> list[str]:
    """The held chats whose officer is no longer on duty where they are: in a room whose duty
    ended, or in a room the officer was never on duty for (a report claimed from elsewhere in
    the region) once they have no duty left in that region."""
    out = []
    for conv in held:
        if conv.neighbourhood_id in duties:
            continue
        nb = nbs.get(conv.neighbourhood_id)
        if conv.neighbourhood_id in ended or nb is None or nb.region not in regions:
            out.append(conv.id)
    return out


async def release_after_duty(
    deps: Deps, tx: Tx, staff_id: int, ended: set[int], now: dt.datetime
) -> tuple[list[str], list[Event]]:
    """In the transaction that ends (some of) an officer's duties: every active chat they hold
    where they are no longer on duty goes back to the queue, with a line to the young person in
    their language. Returns the chats released and the events to emit once that transaction
    has committed."""
    held = await tx.conversations.active_of(staff_id)
    if not held:
        return [], []
    duties = await tx.duty.open_for_staff(staff_id)
    nbs = {nb.id: nb for nb in await tx.neighbourhoods.all()}
    wanted = _to_release(held, {d.neighbourhood_id for d in duties}, {d.region for d in duties}, ended, nbs)
    released = await tx.conversations.release(wanted, staff_id, now)
    events: list[Event] = []
    officer_name = held[0].officer.display_name if held[0].officer else ""
    for conv_id in released:
        conv = await tx.conversations.get(conv_id)
        assert conv is not None
        nb = nbs[conv.neighbourhood_id]
        avail = await availability.of(tx, nb, now, deps.settings.tz)
        youth = await tx.youth.by_id(conv.youth_id)
        lang = youth.lang if youth else "sv"
        nxt = avail["next_window"]
        next_text = None
        if not avail["in_window"] and nxt is not None:
            next_text = deps.lines.when(dt.datetime.fromisoformat(nxt["start"]), lang, deps.settings.tz)
        body = deps.lines.officer_left(
            lang, officer_name, others_on_duty=avail["officers_on_duty"] > 0, next_window=next_text
        )
        line = await system_line(tx, conv, body, now)
        await audit.record(
            tx, at=now, actor=None, action="chat.release", target_kind="conversation", target_id=conv.id,
            detail={"from": str(staff_id), "room": nb.slug},
        )  # fmt: skip
        staff_shape = shapes.conversation(conv, for_staff=True)
        events += [
            Event("chat:updated", staff_shape, aud.staff(staff_id)),
            *line_events(conv, line),
            Event("inbox:updated", {"conversation": staff_shape}, aud.on_duty(conv.room)),
        ]
    for nb_id in sorted({c.neighbourhood_id for c in held if c.id in released}):
        events += await position_events(tx, nb_id)
    return released, events


async def _unattended(deps: Deps, tx: Tx, conv_ids: list[str], now: dt.datetime) -> list[str]:
    """Of these waiting chats, those someone should be answering now: in a room inside one of its
    windows, or taken once and back in the queue (an officer's shift ended on them). A question
    left while the room is closed waits for the window, as the widget told the young person."""
    if not conv_ids:
        return []
    convs = await tx.conversations.read_many(conv_ids)
    nbs = await tx.neighbourhoods.all()
    in_window = {
        slug for slug, a in (await availability.of_all(tx, nbs, now, deps.settings.tz)).items() if a["in_window"]
    }
    return [i for i in conv_ids if (c := convs.get(i)) is not None and (c.room in in_window or c.previous_officer)]


async def alert_due(deps: Deps) -> int:
    """Chats waiting longer than KVARTER_CHAT_ALERT_SECONDS alert the officers on duty for their
    room; twice that, the region's supervisors. Each alert fires once, across processes (the
    database decides), and again only after the chat has been taken and come back. Outside its
    room's windows a chat that was never taken waits without alerts (`_unattended`)."""
    now = deps.clock.now()
    first = dt.timedelta(seconds=deps.settings.chat_alert_seconds)
    fired = 0
    for escalate, waited in ((False, first), (True, 2 * first)):
        async with deps.db.transaction() as tx:
            due = await tx.conversations.due_for_alert(now - waited, escalate=escalate)
            due = await _unattended(deps, tx, due, now)
        for conv_id in due:
            async with deps.db.transaction() as tx:
                if not await tx.conversations.mark_alerted(conv_id, now, escalate=escalate):
                    continue
                conv = await tx.conversations.get(conv_id)
                nb = await tx.neighbourhoods.by_slug(conv.room) if conv else None
                await audit.record(
                    tx, at=now, actor=None, action="chat.escalate" if escalate else "chat.alert",
                    target_kind="conversation", target_id=conv_id,
                )  # fmt: skip
                if conv is None or nb is None:
                    continue
                since = conv.waiting_since or conv.created_at
                data: dict[str, Any] = {
                    "conversation": shapes.conversation(conv, for_staff=True),
                    "reason": "waiting_long" if escalate else "waiting",
                    # How long it has waited, by the server's clock (the console's may be off).
                    "waited_seconds": int((now - since).total_seconds()),
                }
                to = aud.region_supervisors(nb.region) if escalate else aud.on_duty(conv.room)
                tx.on_commit([Event("chat:alert", data, to)])
            fired += 1
    return fired
