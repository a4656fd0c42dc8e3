"""Private chats: a young person and the on-duty officers of one neighbourhood."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from typing import Any

from server.errors import Closed, Conflict, Invalid, NewIdentityRefused, RateLimited
from server.events import ChatOpen, ChatSend, ChatSync, ChatTyping
from server.services import (
    access,
    admission,
    audit,
    availability,
    chat_queue,
    guidance,
    messages,
    screening,
    shapes,
    triage,
)
from server.services import emitter as aud
from server.services.actors import Actor, StaffActor, YouthActor
from server.services.deps import Deps
from server.services.emitter import Event
from server.storage.db import Duplicate
from server.storage.records import ConversationRec, MessageRec, StaffRec
from server.storage.tx import Tx


def _message_events(conv: ConversationRec, msg: MessageRec) -> list[Event]:
    events = [Event("chat:message", shapes.message(msg, for_staff=False), aud.youth(conv.youth_id))]
    if conv.officer is not None:
        events.append(Event("chat:message", shapes.message(msg, for_staff=True), aud.staff(conv.officer.id)))
    else:
        staff_shape = shapes.conversation(conv, for_staff=True)
        events.append(Event("inbox:updated", {"conversation": staff_shape}, aud.on_duty(conv.room)))
    return events


async def open_chat(deps: Deps, actor: YouthActor, p: ChatOpen) -> dict[str, Any]:
    """Open a chat with the neighbourhood's officers, or return the one already open."""
    body = messages.check_body(p.body) if p.body is not None else None
    if body is not None and p.client_id is None:
        raise Invalid("client_id is required with a body")
    now = deps.clock.now()
    created = False
    try:
        async with deps.db.transaction() as tx:
            try:
                await access.youth_member(tx, actor)
            except NewIdentityRefused as exc:  # refused, still with the way to 112
                raise _too_many_chats(deps, actor.pending.lang if actor.pending else "sv", exc.wait) from None
            nb = await access.neighbourhood(tx, p.room)
            conv = await tx.conversations.open_for(actor.youth_id, nb.id)
            if conv is None:
                if (wait := await admission.wait(deps, "chat", actor.source, nb)) > 0:
                    youth = await tx.youth.by_id(actor.youth_id)
                    raise _too_many_chats(deps, youth.lang if youth else "sv", wait)
                conv_id = secrets.token_hex(16)
                await tx.conversations.add(
                    conversation_id=conv_id, neighbourhood_id=nb.id, youth_id=actor.youth_id, now=now
                )
                await audit.record(
                    tx, at=now, actor=actor, action="chat.open", target_kind="conversation",
                    target_id=conv_id, detail={"room": nb.slug},
                )  # fmt: skip
                conv = await tx.conversations.get(conv_id)
                assert conv is not None
                created = True
            avail = await availability.of(tx, nb, deps.clock.now(), deps.settings.tz)
            position = (await chat_queue.positions(tx, nb.id)).get(conv.id)
            if created:
                tx.on_commit(chat_queue.updated_events(conv, position))
    except Duplicate:
        # Another chat:open of the same young person won the race; use that conversation.
        async with deps.db.transaction() as tx:
            nb = await access.neighbourhood(tx, p.room)
            found = await tx.conversations.open_for(actor.youth_id, nb.id)
            avail = await availability.of(tx, nb, deps.clock.now(), deps.settings.tz)
            position = (await chat_queue.positions(tx, nb.id)).get(found.id) if found else None
        if found is None:
            raise
        conv = found
    result: dict[str, Any] = {"availability": avail}
    if body is not None and p.client_id is not None:
        sent = await send(deps, actor, ChatSend(conversation_id=conv.id, client_id=p.client_id, body=body))
        if "guidance" in sent:
            result["guidance"] = sent["guidance"]
        conv, position = await _reload(deps, conv.id)
    result["conversation"] = shapes.conversation(conv, for_staff=False, position=position)
    return result


def _too_many_chats(deps: Deps, lang: str, wait: float) -> RateLimited:
    """`rate_limited` for a chat not opened now, with 112 and 114 14 to show at once."""
    seconds = max(1, round(wait))
    kinds = guidance.for_report(category="other", danger_now=True, staffed=False)
    return RateLimited(
        f"very many chats are being opened just now; try again in {seconds} s. If someone is in danger, call 112",
        {"guidance": [deps.guidance.card(k, lang) for k in kinds], "retry_after": seconds},
    )


async def _reload(deps: Deps, conversation_id: str) -> tuple[ConversationRec, int | None]:
    """The conversation as stored now, and its place in the queue if it waits."""
    async with deps.db.transaction() as tx:
        conv = await tx.conversations.get(conversation_id)
        assert conv is not None
        position = (await chat_queue.positions(tx, conv.neighbourhood_id)).get(conv.id)
    return conv, position


async def _writable(tx: Tx, actor: Actor, conversation_id: str) -> tuple[ConversationRec, str, StaffRec | None]:
    """The conversation the actor may write in, with the author's name and staff record."""
    staff: StaffRec | None = None
    if isinstance(actor, StaffActor):
        staff = await access.patrol_staff(tx, actor)
        conv = await access.conversation_for_staff(tx, staff, conversation_id)
        access.require_holder(staff, conv)
        name = staff.display_name
    else:
        conv = await access.own_conversation(tx, actor, conversation_id)
        name = conv.youth_nickname
    if conv.status == "closed":
        raise Closed("the conversation is closed")
    return conv, name, staff


@dataclasses.dataclass(frozen=True, slots=True)
class _Write:
    """One private message to store: a group commit job, alone or together with others."""

    actor: Actor
    conversation_id: str
    client_id: str
    body: str
    now: dt.datetime
    flags: tuple[str, ...]

    async def __call__(self, tx: Tx) -> tuple[ConversationRec, MessageRec | None, MessageRec | None]:
        conv, name, staff = await _writable(tx, self.actor, self.conversation_id)
        # The conversation's row is locked first (by recording the message's time), before the
        # INSERT can wait on another transaction's client_id: every writer of this conversation
        # queues on the row, and group commit takes rows in one order, so none deadlocks. A
        # retry moves last_message_at to its own time, seconds after its first attempt.
        conv = await _touched(tx, conv, self.now)
        [msg] = await tx.messages.insert_many([self._draft(conv.id, name, staff)])
        found = None if msg is not None else await tx.messages.by_client_id(self.actor.sender_key, self.client_id)
        _emit_on_commit(tx, conv, msg, found)
        return conv, msg, found

    def _draft(self, conversation_id: str, name: str, staff: StaffRec | None) -> tuple[str, MessageRec]:
        """The sender's key and the message to insert (its id comes from the INSERT)."""
        return self.actor.sender_key, MessageRec(
            id=0,
            neighbourhood_id=None,
            room=None,
            conversation_id=conversation_id,
            client_id=self.client_id,
            author_kind="officer" if staff is not None else "youth",
            youth_id=self.actor.youth_id if isinstance(self.actor, YouthActor) else None,
            staff=staff,
            author_name=name,
            body=self.body,
            created_at=self.now,
            flags=self.flags,
        )

    @staticmethod
    async def together(
        tx: Tx, writes: list[_Write]
    ) -> list[tuple[ConversationRec, MessageRec | None, MessageRec | None]]:
        """The same as each write alone, in three statements for the lot: the conversations'
        last_message_at (their rows locked in id order), the conversations as they now are, one
        multi-row INSERT … ON CONFLICT DO NOTHING. Raises as soon as one write may not happen
        (group commit then runs them one at a time to tell which)."""
        ids = {w.conversation_id for w in writes}
        await tx.conversations.touch_many(ids, max(w.now for w in writes))
        convs = await tx.conversations.read_many(ids)
        drafts: list[tuple[str, MessageRec]] = []
        for w in writes:
            conv = convs.get(w.conversation_id)
            if conv is not None and isinstance(w.actor, YouthActor) and conv.youth_id == w.actor.youth_id:
                name, staff = conv.youth_nickname, None
                if conv.status == "closed":
                    raise Closed("the conversation is closed")
            else:  # staff, or not the young person's own: every check as for one write
                conv, name, staff = await _writable(tx, w.actor, w.conversation_id)
            drafts.append(w._draft(conv.id, name, staff))
        stored = await tx.messages.insert_many(drafts)
        out: list[tuple[ConversationRec, MessageRec | None, MessageRec | None]] = []
        for w, msg in zip(writes, stored, strict=True):
            conv = convs[w.conversation_id]
            found = None if msg is not None else await tx.messages.by_client_id(w.actor.sender_key, w.client_id)
            _emit_on_commit(tx, conv, msg, found)
            out.append((conv, msg, found))
        return out


def _emit_on_commit(tx: Tx, conv: ConversationRec, msg: MessageRec | None, found: MessageRec | None) -> None:
    """The new message to both sides once committed — or a retried one again: its first attempt
    may have been committed by a process that died before it emitted (clients merge messages by
    id; a repeat changes nothing), only where it was written. Group commit publishes a job's
    events only for the run that committed."""
    if msg is not None:
        tx.on_commit(_message_events(conv, msg))
    elif found is not None:
        tx.on_commit(_message_events(conv, messages.retried_here(found, conversation_id=conv.id)))


async def send(deps: Deps, actor: Actor, p: ChatSend) -> dict[str, Any]:
    """Persist, then acknowledge and emit; a retried client_id returns the stored message.

    A new message costs three statements and its share of a commit: the conversation (joined to
    its young person, or after the staff member's row), the conversation's `last_message_at`
    (which locks the row and returns its officer as of the write, so a chat taken meanwhile is
    re-read before the events are addressed), and the INSERT … ON CONFLICT DO NOTHING that
    decides idempotency. Messages that share a group commit batch share these statements too
    (`_Write.together`).
    """
    body = messages.check_body(p.body)
    for_staff = isinstance(actor, StaffActor)
    now = deps.clock.now()
    # In a private chat personal data is allowed (an officer may need it) but flagged, so that
    # review masks it; risk signals are flagged for the officer and answered with guidance.
    if isinstance(actor, YouthActor):
        # Every connection of one young person together (a retried client_id spends one too).
        await admission.youth_chat_message(deps, actor.youth_id)
    verdict = None if for_staff else screening.screen(body, "youth_private")
    flags = tuple(verdict.flags) if verdict else ()
    write = _Write(actor, p.conversation_id, p.client_id, body, now, flags)

    try:
        # Under load, messages of many chats share one transaction and commit (group commit);
        # each is still acknowledged only after the commit that stored it.
        conv, msg, found = await deps.db.group.run(write, lock=p.conversation_id)
    except Duplicate:
        again = await messages.existing(deps, actor.sender_key, p.client_id)
        if again is None:
            raise
        again = messages.retried_here(again, conversation_id=p.conversation_id)
        return {"message": shapes.message(again, for_staff=for_staff)}
    if msg is None:
        if found is None:  # the conflicting row was deleted in between; the client retries
            raise Conflict("the message could not be stored; retry")
        msg = found  # the job checked it belongs to this chat (`retried_here`) and emitted it again
    result: dict[str, Any] = {"message": shapes.message(msg, for_staff=for_staff)}
    risks = screening.risks(verdict) if verdict else []
    if risks and isinstance(actor, YouthActor):
        # Guidance at once; in a chat no officer on duty holds, a report for the triage queue
        # too (a retry finds the report its first attempt raised).
        result["guidance"] = await triage.from_risky_chat_message(deps, actor, conv, msg, risks)
    return result


async def _touched(tx: Tx, conv: ConversationRec, now: dt.datetime) -> ConversationRec:
    """The conversation after a new message: re-read only if it changed hands since it was read."""
    state = await tx.conversations.touch(conv.id, now)
    officer_id = conv.officer.id if conv.officer is not None else None
    if state == (conv.status, officer_id):
        return dataclasses.replace(conv, last_message_at=now.astimezone(dt.UTC))
    return await tx.conversations.get(conv.id) or conv


async def _visible(tx: Tx, actor: Actor, conversation_id: str) -> ConversationRec:
    if isinstance(actor, StaffActor):
        staff = await access.patrol_staff(tx, actor)
        return await access.conversation_for_staff(tx, staff, conversation_id)
    await access.youth_member(tx, actor)
    return await access.conversation_for_youth(tx, actor, conversation_id)


async def sync(deps: Deps, actor: Actor, p: ChatSync) -> dict[str, Any]:
    """Messages after the last id the client saw, and the conversation's state."""
    for_staff = isinstance(actor, StaffActor)
    async with deps.db.transaction() as tx:
        conv = await _visible(tx, actor, p.conversation_id)
        rows, more = await messages.page(tx, after=shapes.parse_message_id(p.after), conversation_id=conv.id)
        handoffs = await tx.handoffs.of_conversation(conv.id)
        report = await tx.reports.for_conversation(conv.id)
        youth = await tx.youth.by_id(conv.youth_id)
        position = (await chat_queue.positions(tx, conv.neighbourhood_id)).get(conv.id)
        notes = await tx.notes.of_conversation(conv.id) if for_staff else []
    lang = youth.lang if youth else "sv"
    out = {
        "messages": [shapes.message(m, for_staff=for_staff) for m in rows],
        "more": more,
        "conversation": shapes.conversation(conv, for_staff=for_staff, position=position),
        "handoffs": [shapes.handoff(h, deps.guidance.card(h.kind, lang)) for h in handoffs],
        "report": shapes.report(report, for_staff=for_staff) if report else None,
    }
    if for_staff:
        # Staff-only notes, whole (few per chat), for the console to place among the messages.
        out["notes"] = [shapes.note(n) for n in notes]
    return out


async def take(deps: Deps, actor: StaffActor, conversation_id: str) -> dict[str, Any]:
    """Claim a waiting chat. Exactly one officer wins; the database decides."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        staff = await access.patrol_staff(tx, actor)
        conv = await access.conversation_to_take(tx, staff, conversation_id)
        if conv.officer is not None and conv.officer.id == staff.id:
            return {"conversation": shapes.conversation(conv, for_staff=True)}
        if conv.status == "closed":
            raise Closed("the conversation is closed")
        # The database decides: the chat must still wait, and the officer still be on duty for
        # its room, as the update runs (a duty ending at that moment wins or waits).
        won = await tx.conversations.take(conv.id, staff.id, now)
        if won:
            await audit.record(
                tx, at=now, actor=actor, action="chat.take", target_kind="conversation",
                target_id=conv.id,
            )  # fmt: skip
        taken = await tx.conversations.get(conv.id)
        assert taken is not None
        if won:
            queue = await chat_queue.position_events(tx, conv.neighbourhood_id)
            queue += await triage.claim_with_chat(tx, conv.id, staff.id, now)
            tx.on_commit([*chat_queue.updated_events(taken), *queue])
    if not won:
        if taken.officer is not None and taken.officer.id == staff.id:
            return {"conversation": shapes.conversation(taken, for_staff=True)}
        if taken.status == "closed":
            raise Closed("the conversation is closed")
        if taken.status == "waiting":
            raise Conflict("you are no longer on duty for this room")
        raise Conflict("another officer has taken this chat")
    return {"conversation": shapes.conversation(taken, for_staff=True)}


async def close(deps: Deps, actor: Actor, conversation_id: str) -> dict[str, Any]:
    """End a chat; either the young person or the officer holding it may."""
    for_staff = isinstance(actor, StaffActor)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        conv = await _visible(tx, actor, conversation_id)
        if isinstance(actor, StaffActor):
            access.require_holder(await access.patrol_staff(tx, actor), conv)
        changed = await tx.conversations.close(conv.id, now)
        if changed:
            await audit.record(
                tx, at=now, actor=actor, action="chat.close", target_kind="conversation",
                target_id=conv.id,
            )  # fmt: skip
        closed = await tx.conversations.get(conv.id)
        assert closed is not None
        if changed:
            queue = await chat_queue.position_events(tx, conv.neighbourhood_id) if conv.status == "waiting" else []
            tx.on_commit([*chat_queue.updated_events(closed), *queue])
    return {"conversation": shapes.conversation(closed, for_staff=for_staff)}


async def typing(deps: Deps, actor: Actor, p: ChatTyping) -> dict[str, Any]:
    """Tell the other side someone is typing; nothing is stored."""
    async with deps.db.transaction() as tx:
        conv, name, _ = await _writable(tx, actor, p.conversation_id)
        kind = "officer" if isinstance(actor, StaffActor) else "youth"
        data = {"conversation_id": conv.id, "typing": p.typing, "author": {"kind": kind, "name": name}}
        if isinstance(actor, StaffActor):
            tx.on_commit([Event("chat:typing", data, aud.youth(conv.youth_id))])
        elif conv.officer is not None:
            tx.on_commit([Event("chat:typing", data, aud.staff(conv.officer.id))])
    return {}


async def inbox(deps: Deps, actor: StaffActor) -> dict[str, Any]:
    """Waiting chats of the officer's on-duty neighbourhoods and the chats they hold."""
    async with deps.db.transaction() as tx:
        staff = await access.patrol_staff(tx, actor)
        duties = await tx.duty.open_for_staff(staff.id)
        convs = await tx.conversations.inbox(staff.id, [d.neighbourhood_id for d in duties])
    return {"conversations": [shapes.conversation(c, for_staff=True) for c in convs]}
