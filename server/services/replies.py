"""Saved replies: a region's supervisors keep them; officers insert one into a chat's input and
still press send themselves (nothing here sends a message)."""

from __future__ import annotations

from typing import Any

from server.errors import Invalid, TooLong
from server.events import MAX_BODY_CHARS
from server.services import access, audit, shapes, youth
from server.services.actors import StaffActor
from server.services.deps import Deps

MAX_TITLE = 120


def _checked(title: str, body: str, lang: str) -> tuple[str, str, str]:
    title, body = title.strip(), body.strip()
    if not title:
        raise Invalid("the title is empty")
    if len(title) > MAX_TITLE:
        raise TooLong(f"a title is at most {MAX_TITLE} characters")
    if not body:
        raise Invalid("the reply is empty")
    if len(body) > MAX_BODY_CHARS:
        raise TooLong(f"a reply is {len(body)} characters; the limit is {MAX_BODY_CHARS}")
    if lang not in youth.LANGS:
        raise Invalid(f"lang must be one of {', '.join(youth.LANGS)}")
    return title, body, lang


async def listing(deps: Deps, actor: StaffActor) -> dict[str, Any]:
    """The saved replies of the staff member's region (every region's for national staff)."""
    async with deps.db.transaction() as tx:
        staff = await access.staff_member(tx, actor)
        replies = await tx.replies.of_region(staff.region or None)
    return {"replies": [shapes.saved_reply(r) for r in replies]}


async def create(deps: Deps, actor: StaffActor, title: str, body: str, lang: str) -> dict[str, Any]:
    title, body, lang = _checked(title, body, lang)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        staff = await access.reply_editor(tx, actor)
        reply = await tx.replies.add(
            region=staff.region, title=title, body=body, lang=lang, author_id=staff.id, now=now
        )
        await audit.record(
            tx, at=now, actor=actor, action="reply.create", target_kind="saved_reply", target_id=str(reply.id)
        )
    return {"reply": shapes.saved_reply(reply)}


async def change(deps: Deps, actor: StaffActor, reply_id: int, title: str, body: str, lang: str) -> dict[str, Any]:
    title, body, lang = _checked(title, body, lang)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        staff = await access.reply_editor(tx, actor)
        await access.reply_of_region(tx, staff, reply_id)
        await tx.replies.change(reply_id, title=title, body=body, lang=lang, now=now)
        await audit.record(
            tx, at=now, actor=actor, action="reply.update", target_kind="saved_reply", target_id=str(reply_id)
        )
        reply = await tx.replies.get(reply_id)
    assert reply is not None
    return {"reply": shapes.saved_reply(reply)}


async def remove(deps: Deps, actor: StaffActor, reply_id: int) -> dict[str, Any]:
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        staff = await access.reply_editor(tx, actor)
        await access.reply_of_region(tx, staff, reply_id)
        await tx.replies.remove(reply_id)
        await audit.record(
            tx, at=now, actor=actor, action="reply.delete", target_kind="saved_reply", target_id=str(reply_id)
        )
    return {}
