"""Outbound payload shapes. Young people never receive other young people's ids."""

from __future__ import annotations

import datetime as dt
from typing import Any

from server.clock import isoformat
from server.storage.records import (
    ConversationRec,
    HandoffRec,
    MessageRec,
    NeighbourhoodRec,
    NoteRec,
    ReportRec,
    SavedReplyRec,
    StaffRec,
    YouthRec,
)

MESSAGE_ID_WIDTH = 16


def message_id(n: int) -> str:
    """Public message ids are fixed-width digits, so they sort as strings in creation order."""
    return str(n).zfill(MESSAGE_ID_WIDTH)


def parse_message_id(s: str | None) -> int | None:
    return None if s is None else int(s)


def badge(staff: StaffRec) -> dict[str, str]:
    return {"name": staff.display_name, "role": staff.role, "police_area": staff.police_area}


def staff_user(staff: StaffRec) -> dict[str, Any]:
    return {
        "id": str(staff.id),
        "username": staff.username,
        "display_name": staff.display_name,
        "role": staff.role,
        "police_area": staff.police_area,
        "region": staff.region,
    }


def youth_self(y: YouthRec) -> dict[str, str]:
    return {"id": y.id, "nickname": y.nickname}


def neighbourhood(nb: NeighbourhoodRec) -> dict[str, str]:
    return {"slug": nb.slug, "name": nb.name, "police_area": nb.police_area, "region": nb.region}


def message(m: MessageRec, *, for_staff: bool, client_id: bool = True) -> dict[str, Any]:
    """A message; `client_id=False` leaves out its client_id (a room message to other young
    people: only its author needs it, to match the echo to what they sent)."""
    author: dict[str, Any] = {"kind": m.author_kind, "name": m.author_name}
    if m.staff is not None:
        author["badge"] = badge(m.staff)
    if for_staff and m.youth_id is not None:
        author["id"] = m.youth_id
    out: dict[str, Any] = {
        "id": message_id(m.id),
        "author": author,
        # Young people do not see what a moderator removed; staff still do, marked hidden.
        "body": "" if m.hidden and not for_staff else m.body,
        "created_at": isoformat(m.created_at),
    }
    if client_id:
        out["client_id"] = m.client_id
    if m.hidden:
        out["hidden"] = True
    if m.conversation_id is not None:
        out["conversation_id"] = m.conversation_id
    else:
        out["room"] = m.room
    if for_staff:
        out["flags"] = list(m.flags)
        out["flag_count"] = m.flag_count
    return out


def conversation(c: ConversationRec, *, for_staff: bool, position: int | None = None) -> dict[str, Any]:
    """A private chat; `position` is its place in the room's queue while it waits (1 = next)."""
    out: dict[str, Any] = {
        "id": c.id,
        "status": c.status,
        "room": c.room,
        "created_at": isoformat(c.created_at),
        "officer": ({"name": c.officer.display_name, "badge": badge(c.officer)} if c.officer else None),
    }
    if position is not None and c.status == "waiting":
        out["position"] = position
    if for_staff:
        out["youth"] = {"id": c.youth_id, "nickname": c.youth_nickname}
        out["officer_id"] = str(c.officer.id) if c.officer else None
        out["last_message_at"] = isoformat(c.last_message_at) if c.last_message_at else None
        out["taken_at"] = isoformat(c.taken_at) if c.taken_at else None
        out["closed_at"] = isoformat(c.closed_at) if c.closed_at else None
        out["waiting_since"] = _when(c.waiting_since) if c.status == "waiting" else None
        prev = c.previous_officer
        out["handed_over_from"] = {"id": str(prev.id), "name": prev.display_name} if prev else None
    return out


def note(n: NoteRec) -> dict[str, Any]:
    """A staff-only note on a conversation (never in a young person's payload)."""
    return {
        "id": str(n.id),
        "conversation_id": n.conversation_id,
        "client_id": n.client_id,
        "author": {"id": str(n.author.id), "name": n.author.display_name},
        "body": n.body,
        "created_at": isoformat(n.created_at),
    }


def saved_reply(r: SavedReplyRec) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "region": r.region,
        "title": r.title,
        "body": r.body,
        "lang": r.lang,
        "updated_at": isoformat(r.updated_at),
    }


def _when(value: dt.datetime | None) -> str | None:
    return isoformat(value) if value else None


def report(
    r: ReportRec, *, for_staff: bool, position: int | None = None, group: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A report; young people see its state, staff also see its content, the reasons and, in a
    burst, its `group` (services/bursts.py)."""
    out: dict[str, Any] = {
        "id": r.id,
        "room": r.room,
        "category": r.category,
        "happening_now": r.happening_now,
        "priority": f"P{r.priority}",
        "status": r.status,
        "position": position if r.status == "new" else None,
        "created_at": isoformat(r.created_at),
        "conversation_id": r.conversation_id,
        "officer": ({"name": r.claimed_by.display_name, "badge": badge(r.claimed_by)} if r.claimed_by else None),
    }
    if for_staff:
        out.update(
            location=r.location,
            body=r.body,
            reasons=list(r.reasons),
            region=r.region,
            claimed_at=_when(r.claimed_at),
            claimed_by=({"id": str(r.claimed_by.id), "name": r.claimed_by.display_name} if r.claimed_by else None),
            outcome=r.outcome,
            closed_at=_when(r.closed_at),
            escalated_at=_when(r.escalated_at),
            youth={"id": r.youth_id, "nickname": r.youth_nickname},
        )
        if group is not None:
            out["group"] = group
    return out


def handoff(h: HandoffRec, card: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": h.id,
        "conversation_id": h.conversation_id,
        "kind": h.kind,
        "card": card,
        "created_at": isoformat(h.created_at),
        "opened_at": _when(h.opened_at),
    }
