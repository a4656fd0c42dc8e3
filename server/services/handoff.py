"""Handoff: one click sends a young person the card for 112, 114 14, a support line…"""

from __future__ import annotations

import secrets
from typing import Any

from server.errors import Closed, Invalid
from server.services import access, audit, shapes
from server.services import emitter as aud
from server.services.actors import StaffActor, YouthActor
from server.services.deps import Deps
from server.services.emitter import Event


async def give(deps: Deps, actor: StaffActor, conversation_id: str, kind: str) -> dict[str, Any]:
    """Send a card to the young person in a chat the officer holds, and record it."""
    if kind not in deps.guidance.kinds():
        raise Invalid(f"unknown handoff kind {kind!r}; one of {', '.join(sorted(deps.guidance.kinds()))}")
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        staff = await access.patrol_staff(tx, actor)
        conv = await access.conversation_for_staff(tx, staff, conversation_id)
        access.require_holder(staff, conv)
        if conv.status == "closed":
            raise Closed("the conversation is closed")
        youth = await tx.youth.by_id(conv.youth_id)
        report = await tx.reports.for_conversation(conv.id)
        record = await tx.handoffs.add(
            handoff_id=secrets.token_hex(16), conversation_id=conv.id, report_id=report.id if report else None,
            officer_id=staff.id, kind=kind, now=now,
        )  # fmt: skip
        await audit.record(
            tx, at=now, actor=actor, action="handoff.give", target_kind="conversation", target_id=conv.id,
            detail={"kind": kind, "handoff": record.id, "report": report.id if report else None},
        )  # fmt: skip
        card = deps.guidance.card(kind, youth.lang if youth else "sv")
        data = shapes.handoff(record, card)
        event = {"conversation_id": conv.id, "card": card, "handoff": data}
        tx.on_commit([Event("handoff", event, aud.youth(conv.youth_id))])
    return {"handoff": data}


async def opened(deps: Deps, actor: YouthActor, handoff_id: str) -> dict[str, Any]:
    """The young person opened the card (tapped call or the link): recorded once."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        await access.youth_member(tx, actor)
        record = await access.handoff_for_youth(tx, actor, handoff_id)
        if await tx.handoffs.mark_opened(record.id, now):
            await audit.record(
                tx, at=now, actor=actor, action="handoff.opened", target_kind="conversation",
                target_id=record.conversation_id, detail={"handoff": record.id, "kind": record.kind},
            )  # fmt: skip
    return {}


async def of_conversation(deps: Deps, conversation_id: str, lang: str) -> list[dict[str, Any]]:
    async with deps.db.transaction() as tx:
        records = await tx.handoffs.of_conversation(conversation_id)
    return [shapes.handoff(h, deps.guidance.card(h.kind, lang)) for h in records]
