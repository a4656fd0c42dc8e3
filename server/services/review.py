"""Supervisor review: reading a record needs a stated reason, and the read is audited."""

from __future__ import annotations

import json
from typing import Any

from server.clock import isoformat
from server.errors import Invalid
from server.services import access, audit, shapes
from server.services.actors import StaffActor
from server.services.deps import Deps
from server.storage.records import AuditRec, StaffRec

MAX_REASON = 500


def check_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise Invalid("state the reason for reading this record (?reason=…)")
    if len(reason) > MAX_REASON:
        raise Invalid(f"the reason is at most {MAX_REASON} characters")
    return reason


def _entry(e: AuditRec) -> dict[str, Any]:
    return {
        "at": isoformat(e.at),
        "actor": {"kind": e.actor_kind, "id": e.actor_id},
        "action": e.action,
        "target": {"kind": e.target_kind, "id": e.target_id},
        "detail": json.loads(e.detail),
    }


async def report_history(deps: Deps, staff: StaffRec, report_id: str, reason: str) -> dict[str, Any]:
    reason = check_reason(reason)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        report = await access.report_for_supervisor(tx, staff, report_id)
        await audit.record(
            tx, at=now, actor=StaffActor(staff.id), action="report.read", target_kind="report",
            target_id=report.id, detail={"reason": reason},
        )  # fmt: skip
        conv = await tx.conversations.get(report.conversation_id) if report.conversation_id else None
        msgs = await tx.messages.after(after=None, limit=10_000, conversation_id=conv.id) if conv else []
        handoffs = await tx.handoffs.of_conversation(conv.id) if conv else []
        targets = [("report", report.id)] + ([("conversation", conv.id)] if conv else [])
        history = await tx.audit.for_targets(targets)
    return {
        "report": shapes.report(report, for_staff=True),
        "conversation": shapes.conversation(conv, for_staff=True) if conv else None,
        "messages": [shapes.message(m, for_staff=True) for m in msgs],
        "handoffs": [shapes.handoff(h, deps.guidance.card(h.kind, "sv")) for h in handoffs],
        "history": [_entry(e) for e in history],
    }
