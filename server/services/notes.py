"""Staff notes on a conversation: for the officers and supervisors who can see the chat, never
for the young person (they live in a table of their own, which no young person's read touches)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from server.errors import Invalid, TooLong
from server.events import MAX_BODY_CHARS, ChatNote
from server.services import access, audit, shapes
from server.services import emitter as aud
from server.services.actors import StaffActor
from server.services.deps import Deps
from server.services.emitter import Event
from server.storage.records import ConversationRec, NoteRec, StaffRec
from server.storage.tx import Tx


def check_note(body: str) -> str:
    """A note has visible text and at most MAX_BODY_CHARS characters."""
    if len(body) > MAX_BODY_CHARS:
        raise TooLong(f"a note is {len(body)} characters; the limit is {MAX_BODY_CHARS}")
    if not body.strip():
        raise Invalid("the note is empty")
    return body.strip()


async def store(
    tx: Tx, actor: StaffActor, staff: StaffRec, conv: ConversationRec, client_id: str, body: str, now: dt.datetime
) -> NoteRec:
    """Store a note in the caller's transaction (once per client_id), audited without its text."""
    note, created = await tx.notes.add(
        conversation_id=conv.id, author_id=staff.id, client_id=client_id, body=body, now=now
    )
    if created:
        await audit.record(tx, at=now, actor=actor, action="chat.note", target_kind="conversation", target_id=conv.id)
    return note


def note_events(conv: ConversationRec, note: NoteRec) -> list[Event]:
    """A new note to the staff who can see the chat: its holder, or, while it waits, the
    officers on duty for its room."""
    data = {"note": shapes.note(note)}
    if conv.officer is not None:
        return [Event("chat:note", data, aud.staff(conv.officer.id))]
    return [Event("chat:note", data, aud.on_duty(conv.room))]


def transfer_client_id() -> str:
    return f"transfer:{secrets.token_hex(12)}"


async def add(deps: Deps, actor: StaffActor, p: ChatNote) -> dict[str, Any]:
    """A note by staff who can see the chat; a retry with the same client_id returns the stored note."""
    body = check_note(p.body)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        staff = await access.patrol_staff(tx, actor)
        conv = await access.conversation_for_staff(tx, staff, p.conversation_id)
        note = await store(tx, actor, staff, conv, p.client_id, body, now)
        tx.on_commit(note_events(conv, note))
    return {"note": shapes.note(note)}
