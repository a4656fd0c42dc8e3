"""Moving a chat from its officer to a colleague on duty for its room, with a note for them."""

from __future__ import annotations

from typing import Any

from server.errors import Closed, Conflict, Invalid, NotFound
from server.events import ChatTransfer
from server.services import access, audit, chat_queue, notes, shapes, triage
from server.services import emitter as aud
from server.services.actors import PATROL_ROLES, StaffActor
from server.services.deps import Deps
from server.services.emitter import Event
from server.storage.records import ConversationRec

NO_COLLEAGUE = "no colleague with that id is on duty for this chat's room"


def _transferred(conv: ConversationRec, from_id: int, to_id: int) -> bool:
    """The chat is active with `to_id`, who got it from `from_id` (a transfer that already won)."""
    prev = conv.previous_officer
    return (
        conv.status == "active"
        and conv.officer is not None
        and conv.officer.id == to_id
        and (prev is not None and prev.id == from_id)
    )


async def transfer(deps: Deps, actor: StaffActor, p: ChatTransfer) -> dict[str, Any]:
    """Hand an active chat to a colleague on duty for its room. The database decides: the chat
    must still be the actor's and the colleague still on duty as the update runs, so two
    transfers, or a transfer and a take, cannot both win. The young person is told who has the
    chat now; the colleague gets it with its history and the note. A retry after success
    answers as the first call did."""
    body = notes.check_note(p.note) if p.note is not None else None
    to = int(p.to)
    if to == actor.staff_id:
        raise Invalid("you hold this chat already: choose a colleague from the roster")
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        staff = await access.patrol_staff(tx, actor)
        if (done := await tx.conversations.get(p.conversation_id)) is not None and _transferred(done, staff.id, to):
            return {"conversation": shapes.conversation(done, for_staff=True)}  # a retry
        conv = await access.conversation_for_staff(tx, staff, p.conversation_id)
        if conv.status == "closed":
            raise Closed("the conversation is closed")
        access.require_holder(staff, conv)
        target = await tx.staff.by_id(to)
        if (
            target is None
            or not target.is_active
            or target.role not in PATROL_ROLES
            or not await tx.duty.is_on_duty(target.id, conv.neighbourhood_id)
        ):
            raise NotFound(NO_COLLEAGUE)
        if not await tx.conversations.transfer(conv.id, staff.id, target.id, now):
            raise Conflict("the chat changed hands, or your colleague went off duty; reload the chat")
        moved = await tx.conversations.get(conv.id)
        assert moved is not None
        reports = await triage.claim_with_chat(tx, conv.id, target.id, now)
        note = await notes.store(tx, actor, staff, moved, notes.transfer_client_id(), body, now) if body else None
        youth = await tx.youth.by_id(moved.youth_id)
        text = deps.lines.transferred(youth.lang if youth else "sv", target.display_name, target.police_area)
        line = await chat_queue.system_line(tx, moved, text, now)
        await audit.record(
            tx, at=now, actor=actor, action="chat.transfer", target_kind="conversation", target_id=conv.id,
            detail={"from": str(staff.id), "to": str(target.id), "note": note is not None},
        )  # fmt: skip
        staff_shape = shapes.conversation(moved, for_staff=True)
        events = [
            *chat_queue.updated_events(moved),
            # The officer who gave it away learns it left their hands on every console they have.
            Event("chat:updated", staff_shape, aud.staff(staff.id)),
            *chat_queue.line_events(moved, line),
        ]
        if note is not None:
            events += notes.note_events(moved, note)
        tx.on_commit([*events, *reports])
    return {"conversation": staff_shape}
