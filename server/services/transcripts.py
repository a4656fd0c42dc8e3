"""Transcripts for supervisors: search, read with a stated reason, unmask, rate, hold.

Access is the product's core control: supervisors read their own region only, every read
states a reason and leaves exactly one audit row, personal data stays masked unless unmasked
(itself the audited read), officers and admins do not read transcripts here.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from server.clock import isoformat
from server.errors import Closed, Conflict, Forbidden, Invalid, NotFound
from server.services import audit, inputs, shapes
from server.services.actors import StaffActor, YouthActor
from server.services.deps import Deps
from server.storage.db import Duplicate
from server.storage.records import AuditRec, ConversationRec, StaffRec
from server.storage.review_repo import ReviewRec, TranscriptFilter
from server.storage.tx import Tx

PAGE = 50
REASON_CODES = frozenset({"quality_review", "complaint", "legal_request", "incident_followup"})
MIN_FREE_REASON, MAX_REASON = 5, 500
MASK_LABELS = {
    "pii.personnummer": "personnummer",
    "pii.phone": "telefonnummer",
    "pii.email": "e-post",
    "pii.address": "adress",
}
NO_TRANSCRIPT = "no such transcript"


def mask(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Replace each personal-data span with a label such as [telefonnummer]."""
    out, last = [], 0
    for start, end, flag in sorted(s for s in spans if s[2] in MASK_LABELS):
        if start < last:
            continue
        out += [text[last:start], f"[{MASK_LABELS[flag]}]"]
        last = end
    out.append(text[last:])
    return "".join(out)


def check_reason(reason: str) -> str:
    """A reason code, or a free-text reason ('other') of a few words."""
    reason = reason.strip()
    if reason in REASON_CODES:
        return reason
    if len(reason) < MIN_FREE_REASON:
        raise Invalid(
            "state why you read this transcript: quality_review, complaint, legal_request, "
            "incident_followup, or a few words of your own"
        )
    if len(reason) > MAX_REASON:
        raise Invalid(f"the reason is at most {MAX_REASON} characters")
    return reason


def require_supervisor(staff: StaffRec) -> None:
    if staff.role != "supervisor":
        raise Forbidden("only supervisors review transcripts")


async def _in_region(tx: Tx, staff: StaffRec, conversation_id: str) -> ConversationRec:
    """The conversation if it is in the supervisor's region; otherwise exactly like a missing one."""
    conv = await tx.conversations.get(conversation_id)
    if conv is None:
        raise NotFound(NO_TRANSCRIPT)
    nb = await tx.neighbourhoods.by_slug(conv.room)
    if nb is None or nb.region != staff.region:
        raise NotFound(NO_TRANSCRIPT)
    return conv


def _date(value: str | None, name: str) -> dt.datetime | None:
    if not value:
        return None
    return dt.datetime.combine(inputs.day(value, name), dt.time(), tzinfo=dt.UTC)


def build_filter(staff: StaffRec, q: dict[str, str]) -> TranscriptFilter:
    known = {"room", "officer", "from", "to", "category", "priority", "handoff", "flag", "reviewed", "before"}
    unknown = set(q) - known
    if unknown:
        raise Invalid(f"unknown filter {sorted(unknown)[0]!r}")
    officer = q.get("officer")
    priority = q.get("priority")
    if priority is not None and priority not in ("P1", "P2", "P3", "P4"):
        raise Invalid("priority is P1, P2, P3 or P4")
    reviewed = q.get("reviewed")
    if reviewed is not None and reviewed not in ("true", "false"):
        raise Invalid("reviewed is true or false")
    until = _date(q.get("to"), "to")
    return TranscriptFilter(
        regions=(staff.region,),
        room=q.get("room"),
        officer_id=inputs.int_id(officer, "officer") if officer else None,
        since=_date(q.get("from"), "from"),
        until=until + dt.timedelta(days=1) if until else None,
        category=q.get("category"),
        priority=int(priority[1]) if priority else None,
        handoff=q.get("handoff"),
        flag=q.get("flag"),
        reviewed=None if reviewed is None else reviewed == "true",
        before_id=q.get("before"),
    )


async def search(deps: Deps, staff: StaffRec, query: dict[str, str]) -> dict[str, Any]:
    """Conversations matching the filters, newest first, without content (no read is audited)."""
    require_supervisor(staff)
    f = build_filter(staff, query)
    async with deps.db.transaction() as tx:
        ids = await tx.review.search(f, PAGE + 1)
        page = ids[:PAGE]
        convs = await tx.conversations.many(page)
        reports = await tx.reports.for_conversations(page)
        handoffs = await tx.review.handoff_kinds(page)
        flags = await tx.review.flags_by_conversation(page)
        counts = await tx.review.message_counts(page)
        reviewed = {r.conversation_id for r in await tx.review.reviews(page)}
    items = []
    for cid in page:
        conv = convs[cid]
        report = reports.get(cid)
        items.append(
            {
                "id": conv.id,
                "room": conv.room,
                "status": conv.status,
                "created_at": isoformat(conv.created_at),
                "closed_at": isoformat(conv.closed_at) if conv.closed_at else None,
                "officer": {"id": str(conv.officer.id), "name": conv.officer.display_name} if conv.officer else None,
                "report": (
                    {
                        "id": report.id,
                        "category": report.category,
                        "priority": f"P{report.priority}",
                        "outcome": report.outcome,
                    }
                    if report
                    else None
                ),
                "handoffs": handoffs.get(cid, []),
                "flags": sorted(flags.get(cid, set())),
                "messages": counts.get(cid, 0),
                "reviewed": cid in reviewed,
            }
        )
    return {"conversations": items, "next": ids[PAGE - 1] if len(ids) > PAGE else None}


def _review(r: ReviewRec) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "reviewer_id": str(r.reviewer_id),
        "answered_in_time": r.answered_in_time,
        "right_handoff": r.right_handoff,
        "good_tone": r.good_tone,
        "secrecy_kept": r.secrecy_kept,
        "notes": r.notes,
        "created_at": isoformat(r.created_at),
    }


def _event(e: AuditRec) -> dict[str, Any]:
    return {
        "at": isoformat(e.at),
        "action": e.action,
        "actor": {"kind": e.actor_kind, "id": e.actor_id},
        "detail": json.loads(e.detail),
    }


async def read(deps: Deps, staff: StaffRec, conversation_id: str, reason: str, *, unmask: bool) -> dict[str, Any]:
    """One transcript, in order, with officer actions, flags and triage reasons. Exactly one audit
    row per read; personal data masked unless `unmask`, which is recorded as such."""
    require_supervisor(staff)
    reason = check_reason(reason)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        conv = await _in_region(tx, staff, conversation_id)
        action = "transcript.unmask" if unmask else "transcript.read"
        await audit.record(
            tx, at=now, actor=StaffActor(staff.id), action=action, target_kind="conversation",
            target_id=conv.id, detail={"reason": reason},
        )  # fmt: skip
    return await _content(deps, conv, unmask=unmask)


async def _content(deps: Deps, conv: ConversationRec, *, unmask: bool) -> dict[str, Any]:
    async with deps.db.transaction() as tx:
        msgs = await tx.messages.after(after=None, limit=10_000, conversation_id=conv.id)
        report = await tx.reports.for_conversation(conv.id)
        handoffs = await tx.handoffs.of_conversation(conv.id)
        targets = [("conversation", conv.id)] + ([("report", report.id)] if report else [])
        events = [e for e in await tx.audit.for_targets(targets) if not e.action.startswith("transcript.")]
        reviews = await tx.review.reviews([conv.id])
        hold = await tx.review.hold_of(conv.id)
        notes = await tx.notes.of_conversation(conv.id)
    messages = []
    for m in msgs:
        shaped = shapes.message(m, for_staff=True)
        if not unmask:
            shaped["body"] = mask(m.body, deps.pii_spans(m.body))
        messages.append(shaped)
    staff_notes = []
    for n in notes:
        shaped = shapes.note(n)
        if not unmask:
            shaped["body"] = mask(n.body, deps.pii_spans(n.body))
        staff_notes.append(shaped)
    report_shape = shapes.report(report, for_staff=True) if report else None
    if report_shape and not unmask:
        report_shape["body"] = mask(report.body, deps.pii_spans(report.body)) if report else ""
        report_shape["location"] = "[plats]" if report and report.location else ""
    return {
        "conversation": {**shapes.conversation(conv, for_staff=True), "legal_hold": hold},
        "report": report_shape,
        "messages": messages,
        "handoffs": [shapes.handoff(h, deps.guidance.card(h.kind, "sv")) for h in handoffs],
        "events": [_event(e) for e in events],
        "notes": staff_notes,
        "reviews": [_review(r) for r in reviews],
        "masked": not unmask,
    }


async def rate(deps: Deps, staff: StaffRec, conversation_id: str, checklist: dict[str, Any]) -> dict[str, Any]:
    """A supervisor's quality review of a conversation (audited)."""
    require_supervisor(staff)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        conv = await _in_region(tx, staff, conversation_id)
        review = await tx.review.add_review(conversation_id=conv.id, reviewer_id=staff.id, now=now, **checklist)
        await audit.record(
            tx, at=now, actor=StaffActor(staff.id), action="review.rate", target_kind="conversation", target_id=conv.id
        )
    return {"review": _review(review)}


async def my_reviews(deps: Deps, staff: StaffRec) -> dict[str, Any]:
    """An officer sees the reviews of their own chats."""
    async with deps.db.transaction() as tx:
        reviews = await tx.review.reviews_of_officer(staff.id, 100)
    return {"reviews": [{**_review(r), "conversation_id": r.conversation_id} for r in reviews]}


async def set_hold(deps: Deps, staff: StaffRec, conversation_id: str, hold: bool, reason: str) -> dict[str, Any]:
    """A legal hold exempts a conversation from retention (audited with its reason)."""
    require_supervisor(staff)
    reason = check_reason(reason)
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        conv = await _in_region(tx, staff, conversation_id)
        await tx.review.set_hold(conv.id, hold)
        await audit.record(
            tx, at=now, actor=StaffActor(staff.id), action="retention.hold" if hold else "retention.release",
            target_kind="conversation", target_id=conv.id, detail={"reason": reason},
        )  # fmt: skip
    return {"legal_hold": hold}


async def feedback(deps: Deps, actor: YouthActor, conversation_id: str, score: int) -> dict[str, Any]:
    """'Do you feel safer now?' 1-5, once per closed conversation; kept only for aggregates."""
    now = deps.clock.now()
    try:
        async with deps.db.transaction() as tx:
            conv = await tx.conversations.get(conversation_id)
            if conv is None or conv.youth_id != actor.youth_id:
                raise NotFound("no such conversation")
            if conv.status != "closed":
                raise Closed("answer after the chat has ended")
            await tx.review.add_feedback(
                conversation_id=conv.id, neighbourhood_id=conv.neighbourhood_id, score=score, now=now
            )
    except Duplicate:
        raise Conflict("you have already answered for this chat") from None
    return {}


async def export(
    deps: Deps, staff: StaffRec, conversation_id: str, reason: str, *, fmt: str = "json"
) -> dict[str, Any]:
    """A transcript for the record (unmasked: it is the record), audited as an export."""
    require_supervisor(staff)
    reason = check_reason(reason)
    async with deps.db.transaction() as tx:
        conv = await _in_region(tx, staff, conversation_id)
        await audit.record(
            tx, at=deps.clock.now(), actor=StaffActor(staff.id), action="transcript.export",
            target_kind="conversation", target_id=conv.id, detail={"reason": reason, "format": fmt},
        )  # fmt: skip
    data = await _content(deps, conv, unmask=True)
    return {**data, "exported_at": isoformat(deps.clock.now()), "exported_by": staff.display_name, "reason": reason}
