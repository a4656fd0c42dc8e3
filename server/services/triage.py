"""Urgent reports: intake with instant guidance, the priority queue, claiming, outcomes, escalation."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from server.errors import Closed, Conflict, Forbidden, Invalid, NewIdentityRefused, RateLimited
from server.events import ReportSubmit
from server.services import (
    access,
    admission,
    audit,
    availability,
    bursts,
    guidance,
    messages,
    priority,
    screening,
    shapes,
)
from server.services import emitter as aud
from server.services.actors import StaffActor, YouthActor
from server.services.chat_queue import position_events, updated_events
from server.services.deps import Deps
from server.services.emitter import Event
from server.storage.db import Duplicate
from server.storage.records import ConversationRec, MessageRec, ReportRec, StaffRec
from server.storage.tx import Tx

OUTCOMES = ("advice", "handoff_112", "handoff_11414", "referred_support", "no_action", "abusive")
MAX_LOCATION = 200
# A young person may send this many reports per window; more is refused with `rate_limited`.
REPORT_BURST, REPORT_WINDOW_S = 3, 60


async def _staffing(tx: Tx) -> tuple[set[str], set[str]]:
    """Police areas and regions with at least one officer on duty now."""
    counts = await tx.duty.counts()
    nbs = await tx.neighbourhoods.all()
    staffed = [nb for nb in nbs if counts.get(nb.id, 0) > 0]
    return {nb.police_area for nb in staffed}, {nb.region for nb in staffed}


async def _positions(tx: Tx, region: str) -> dict[str, int]:
    """Place in the queue (1 = next) of each unclaimed report in a region."""
    queue = await tx.reports.new_in_regions([region])
    return {r.id: i for i, r in enumerate(queue, start=1)}


async def _queue_events(tx: Tx, region: str, skip: str | None = None) -> list[Event]:
    """Tell every young person waiting in a region's queue their new place."""
    queue = await tx.reports.new_in_regions([region])
    return [
        Event("report:updated", shapes.report(r, for_staff=False, position=pos), aud.youth(r.youth_id))
        for pos, r in enumerate(queue, start=1)
        if r.id != skip
    ]


def _staff_events(name: str, r: ReportRec, staffed_areas: set[str], group: bursts.Group | None = None) -> list[Event]:
    """A report event to the officers of its police area, or to its region when none is on duty there."""
    data = shapes.report(r, for_staff=True, group=group.shape() if group else None)
    if name == "triage:new":
        target = aud.area(r.police_area) if r.police_area in staffed_areas else aud.region(r.region)
        return [Event(name, data, target)]
    return [Event(name, data, aud.area(r.police_area)), Event(name, data, aud.region(r.region))]


async def submit(
    deps: Deps, actor: YouthActor, p: ReportSubmit, source: str | None = None, conversation_id: str | None = None
) -> dict[str, Any]:
    """Store the report, answer at once with the guidance to show, then alert on-duty officers.
    A report raised from a private chat is linked to it (`conversation_id`)."""
    body = messages.check_body(p.body)
    location = (p.location or "").strip()
    if len(location) > MAX_LOCATION:
        raise Invalid(f"location is at most {MAX_LOCATION} characters")
    assessment = priority.assess(p.category, p.happening_now, deps.risk_signals(f"{location}\n{body}"))
    now = deps.clock.now()
    try:
        async with deps.db.transaction() as tx:
            try:
                youth = await access.youth_member(tx, actor)
            except NewIdentityRefused as exc:  # refused, still with the way to 112
                lang = actor.pending.lang if actor.pending else "sv"
                raise _refused(deps, lang, assessment, p.category, p.happening_now, exc.wait) from None
            nb = await access.neighbourhood(tx, p.room)
            found = await tx.reports.by_client_id(actor.youth_id, p.client_id)
            created = found is None
            if found is None:
                recent = await tx.reports.count_since(actor.youth_id, now - dt.timedelta(seconds=REPORT_WINDOW_S))
                wait = 0.0 if recent < REPORT_BURST else float(REPORT_WINDOW_S)
                wait = wait or await admission.wait(deps, "report", actor.source, nb)
                if wait > 0:
                    # Refused, but never without the way to 112 when someone may be in danger.
                    raise _refused(deps, youth.lang, assessment, p.category, p.happening_now, wait)
                areas, regions = await _staffing(tx)
                staffed = nb.region in regions
                reasons = assessment.reasons if staffed else (*assessment.reasons, "unstaffed")
                if source:
                    reasons = (*reasons, f"source:{source}")
                report_id = secrets.token_hex(16)
                await tx.reports.add(
                    report_id=report_id, neighbourhood_id=nb.id, youth_id=youth.id, client_id=p.client_id,
                    category=p.category, happening_now=p.happening_now, location=location, body=body,
                    priority=assessment.level, reasons=reasons, now=now, source_hash=actor.source or None,
                    text_hash=bursts.fingerprint(body) or None,
                )  # fmt: skip
                if conversation_id is not None:
                    await tx.reports.link_conversation(report_id, conversation_id)
                await audit.record(
                    tx, at=now, actor=actor, action="report.submit", target_kind="report", target_id=report_id,
                    detail={"priority": assessment.label, "category": p.category, "room": nb.slug},
                )  # fmt: skip
                found = await tx.reports.get(report_id)
            else:
                areas, regions = await _staffing(tx)
            assert found is not None
            report = found
            waiting = await tx.reports.new_in_regions([report.region])
            position = next((i for i, r in enumerate(waiting, start=1) if r.id == report.id), None)
            group = bursts.groups(waiting).get(report.id)
            avail = await availability.of(tx, nb, deps.clock.now(), deps.settings.tz)
            if created:
                queue = await _queue_events(tx, report.region, skip=report.id)
                tx.on_commit([*_staff_events("triage:new", report, areas, group), *queue])
    except Duplicate:
        return await submit(deps, actor, p, source, conversation_id)
    danger = priority.danger_now(report.category, report.happening_now, report.priority)
    cards = guidance.for_report(category=report.category, danger_now=danger, staffed=report.region in regions)
    return {
        "report": shapes.report(report, for_staff=False, position=position),
        "guidance": [deps.guidance.card(k, youth.lang) for k in cards],
        "availability": avail,
    }


def _refused(
    deps: Deps, lang: str, assessment: priority.Assessment, category: str, happening_now: bool, wait: float
) -> RateLimited:
    """`rate_limited` for a report not taken now, carrying the cards to show at once (112 first
    when someone may be in danger; 112 and 114 14 always, as when nobody is on duty)."""
    danger = priority.danger_now(category, happening_now, assessment.level)
    kinds = guidance.for_report(category=category, danger_now=danger, staffed=False)
    seconds = max(1, round(wait))
    return RateLimited(
        f"too many reports in a short time; try again in {seconds} s. If someone is in danger, call 112",
        {"guidance": [deps.guidance.card(k, lang) for k in kinds], "retry_after": seconds},
    )


async def _visible_reports(tx: Tx, staff: StaffRec) -> tuple[list[ReportRec], dict[str, bursts.Group]]:
    duties = await tx.duty.open_for_staff(staff.id)
    my_areas = {d.police_area for d in duties}
    my_regions = sorted({d.region for d in duties})
    staffed_areas, _ = await _staffing(tx)
    waiting = await tx.reports.new_in_regions(my_regions)
    found = bursts.groups(waiting)
    queue = [r for r in waiting if r.police_area in my_areas or r.police_area not in staffed_areas]
    return bursts.flood_last(queue, found) + await tx.reports.claimed_by(staff.id), found


async def queue(deps: Deps, actor: StaffActor) -> dict[str, Any]:
    """The triage queue this officer sees: highest priority first, then oldest, the reports of a
    likely flood after all others; then their own. Reports of a burst carry their `group`."""
    async with deps.db.transaction() as tx:
        staff = await access.patrol_staff(tx, actor)
        reports, found = await _visible_reports(tx, staff)
    return {
        "reports": [
            shapes.report(r, for_staff=True, group=g.shape() if (g := found.get(r.id)) else None) for r in reports
        ]
    }


async def _conversation_for(tx: Tx, report: ReportRec, staff: StaffRec, now: dt.datetime) -> ConversationRec:
    """The private chat a claim opens: the young person's open one in that room, or a new one.
    The officer must still be on duty in the report's region as the chat is taken."""
    conv = await tx.conversations.open_for(report.youth_id, report.neighbourhood_id)
    if conv is None:
        conv_id = secrets.token_hex(16)
        await tx.conversations.add(
            conversation_id=conv_id, neighbourhood_id=report.neighbourhood_id, youth_id=report.youth_id, now=now
        )
        if not await tx.conversations.take(conv_id, staff.id, now, region=report.region):
            raise Conflict("you are no longer on duty in this region")
    elif conv.status == "waiting":
        if not await tx.conversations.take(conv.id, staff.id, now, region=report.region):
            raise Conflict("the chat changed hands, or you are no longer on duty in this region")
    elif conv.officer is None or conv.officer.id != staff.id:
        raise Conflict("the young person is already in a chat with another officer")
    conv = await tx.conversations.open_for(report.youth_id, report.neighbourhood_id)
    assert conv is not None
    return conv


async def claim(deps: Deps, actor: StaffActor, report_id: str) -> dict[str, Any]:
    """Claim a report exclusively (the database decides) and open the private chat."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        staff = await access.patrol_staff(tx, actor)
        report = await access.report_to_claim(tx, staff, report_id)
        if report.claimed_by is not None and report.claimed_by.id == staff.id and report.conversation_id:
            conv = await tx.conversations.get(report.conversation_id)
            assert conv is not None
            return {
                "report": shapes.report(report, for_staff=True),
                "conversation": shapes.conversation(conv, for_staff=True),
            }
        if report.status == "closed":
            raise Closed("the report is closed")
        if not await tx.reports.claim(report.id, staff.id, now):
            raise Conflict("another officer has claimed this report")
        conv = await _conversation_for(tx, report, staff, now)
        await tx.reports.link_conversation(report.id, conv.id)
        # Reports raised from this chat while it waited are the claiming officer's too.
        others = [e for e in await claim_with_chat(tx, conv.id, staff.id, now) if e.data.get("id") != report.id]
        await audit.record(
            tx, at=now, actor=actor, action="report.claim", target_kind="report", target_id=report.id,
            detail={"conversation": conv.id},
        )  # fmt: skip
        claimed = await tx.reports.get(report.id)
        assert claimed is not None
        staffed_areas, _ = await _staffing(tx)
        queue_events = await _queue_events(tx, claimed.region)
        queue_events += await position_events(tx, conv.neighbourhood_id)
        tx.on_commit(
            [
                *_staff_events("triage:updated", claimed, staffed_areas),
                Event("report:updated", shapes.report(claimed, for_staff=False), aud.youth(claimed.youth_id)),
                *updated_events(conv),
                *queue_events,
                *others,
            ]
        )
    return {"report": shapes.report(claimed, for_staff=True), "conversation": shapes.conversation(conv, for_staff=True)}


async def close(deps: Deps, actor: StaffActor, report_id: str, outcome: str) -> dict[str, Any]:
    """Close a claimed report with its outcome; the claiming officer or a supervisor may."""
    if outcome not in OUTCOMES:
        raise Invalid(f"outcome must be one of {', '.join(OUTCOMES)}")
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        staff = await access.patrol_staff(tx, actor)
        report = await access.report_to_claim(tx, staff, report_id)
        mine = report.claimed_by is not None and report.claimed_by.id == staff.id
        if not mine and staff.role != "supervisor":
            raise Forbidden("only the officer who claimed the report, or a supervisor, closes it")
        if report.status == "new":
            raise Conflict("claim the report before closing it")
        if not await tx.reports.close(report.id, outcome, now):
            raise Closed("the report is already closed")
        await audit.record(
            tx, at=now, actor=actor, action="report.close", target_kind="report", target_id=report.id,
            detail={"outcome": outcome},
        )  # fmt: skip
        closed = await tx.reports.get(report.id)
        assert closed is not None
        staffed_areas, _ = await _staffing(tx)
        tx.on_commit(
            [
                *_staff_events("triage:updated", closed, staffed_areas),
                Event("report:updated", shapes.report(closed, for_staff=False), aud.youth(closed.youth_id)),
            ]
        )
    return {"report": shapes.report(closed, for_staff=True)}


async def requeue_released(tx: Tx, staff_id: int, conversation_ids: list[str]) -> list[Event]:
    """Reports the officer claimed for chats that just went back to the queue wait in the triage
    queue again, unclaimed, so their priority and the P1 alert cover them; the events to emit
    after the commit."""
    requeued = await tx.reports.requeue(conversation_ids, staff_id)
    if not requeued:
        return []
    areas, _ = await _staffing(tx)
    events: list[Event] = []
    regions = set()
    for report_id in requeued:
        report = await tx.reports.get(report_id)
        assert report is not None
        regions.add(report.region)
        events += _staff_events("triage:new", report, areas)  # routed as a new report is
    for region in sorted(regions):
        events += await _queue_events(tx, region)
    return events


async def escalate_due(deps: Deps) -> int:
    """Alert the region's on-duty officers and the supervisors about P1 reports nobody has claimed
    in time. State lives in the database, so it survives restarts and fires once across processes."""
    now = deps.clock.now()
    cutoff = now - dt.timedelta(seconds=deps.settings.p1_alert_seconds)
    async with deps.db.transaction() as tx:
        due = await tx.reports.due_for_escalation(1, cutoff)
        if due:
            # A flood of P1 reports raises one alert, for its first report; the rest are marked
            # escalated quietly (they stay in the queue, in their group).
            waiting = await tx.reports.new_in_regions(sorted({r.region for r in await _reports(tx, due)}))
            quiet = bursts.quiet_members([r for r in waiting if r.id in set(due)], bursts.groups(waiting))
        else:
            quiet = set()
    alerted = 0
    for report_id in due:
        async with deps.db.transaction() as tx:
            if not await tx.reports.mark_escalated(report_id, now):
                continue
            await audit.record(
                tx, at=now, actor=None, action="report.escalate", target_kind="report", target_id=report_id,
                detail={"quiet": "likely_flood"} if report_id in quiet else None,
            )  # fmt: skip
            report = await tx.reports.get(report_id)
            assert report is not None
            if report_id in quiet:
                continue
            data = {"report": shapes.report(report, for_staff=True), "reason": "p1_unclaimed"}
            tx.on_commit([Event("triage:alert", data, aud.either(aud.region(report.region), aud.supervisors()))])
        alerted += 1
    return alerted


async def _reports(tx: Tx, ids: list[str]) -> list[ReportRec]:
    return [r for r in [await tx.reports.get(i) for i in ids] if r is not None]


async def youth_reports(tx: Tx, youth_id: str) -> list[dict[str, Any]]:
    """A young person's open reports with their places in the queue (for the session event)."""
    out = []
    for r in await tx.reports.open_of_youth(youth_id):
        pos = (await _positions(tx, r.region)).get(r.id) if r.status == "new" else None
        out.append(shapes.report(r, for_staff=False, position=pos))
    return out


async def queue_stats(deps: Deps) -> tuple[int, float]:
    """Unclaimed reports and the age of the oldest, for monitoring."""
    async with deps.db.transaction() as tx:
        depth, oldest = await tx.reports.queue_stats()
    age = (deps.clock.now() - oldest).total_seconds() if oldest else 0.0
    return depth, age


async def from_risky_message(
    deps: Deps,
    actor: YouthActor,
    room: str,
    message: MessageRec,
    risks: list[str],
    conversation_id: str | None = None,
) -> list[dict[str, Any]]:
    """A message with a risk signal becomes a report for the on-duty officers (`source:room`, or
    `source:chat` linked to its chat), and the writer gets the guidance at once. One report per
    message (a retry finds it); a flood is not re-raised."""
    category = screening.report_category(risks)
    happening_now = any(r in screening.NOW_RISKS for r in risks)
    payload = ReportSubmit(
        room=room, client_id=f"auto:{message.id}", category=category, happening_now=happening_now, body=message.body
    )
    source = "room" if conversation_id is None else "chat"
    try:
        result = await submit(deps, actor, payload, source=source, conversation_id=conversation_id)
    except RateLimited:
        return await _risk_cards(deps, actor, category, happening_now, staffed=True)
    cards: list[dict[str, Any]] = result["guidance"]
    return cards


async def _risk_cards(
    deps: Deps, actor: YouthActor, category: str, danger_now: bool, *, staffed: bool
) -> list[dict[str, Any]]:
    async with deps.db.transaction() as tx:
        youth = await access.youth_member(tx, actor)
    kinds = guidance.for_report(category=category, danger_now=danger_now, staffed=staffed)
    return [deps.guidance.card(k, youth.lang) for k in kinds]


async def from_risky_chat_message(
    deps: Deps, actor: YouthActor, conv: ConversationRec, message: MessageRec, risks: list[str]
) -> list[dict[str, Any]]:
    """A private message with a risk signal: guidance for the writer at once, and when no officer
    on duty holds the chat (it waits, or its officer is gone) a report in the triage queue
    (`source:chat`, linked to the chat, so that its claim takes it). While such a report waits,
    a further risky message adds no report but makes it more urgent when it is."""
    category = screening.report_category(risks)
    happening_now = any(r in screening.NOW_RISKS for r in risks)
    mine = f"auto:{message.id}"
    async with deps.db.transaction() as tx:
        held = conv.officer is not None and await _on_duty_in_region(tx, conv.officer.id, conv.neighbourhood_id)
        areas, regions = await _staffing(tx)
        nb = await tx.neighbourhoods.by_slug(conv.room)
        staffed = held or (nb is not None and nb.region in regions)
        waiting = [
            r for r in await tx.reports.open_of_youth(conv.youth_id)
            if r.conversation_id == conv.id and r.status == "new" and r.client_id != mine
        ]  # fmt: skip
        raised = None
        if not held and waiting:
            assessment = priority.assess(category, happening_now, deps.risk_signals(message.body))
            report = waiting[0]
            reasons = tuple(dict.fromkeys((*report.reasons, *assessment.reasons)))
            if await tx.reports.raise_priority(report.id, assessment.level, reasons):
                raised = await tx.reports.get(report.id)
                assert raised is not None
                tx.on_commit(_staff_events("triage:updated", raised, areas))
    if held or waiting:
        # 112 and 114 14 are among the cards whenever nobody is on duty in the region.
        return await _risk_cards(deps, actor, category, happening_now, staffed=staffed)
    return await from_risky_message(deps, actor, conv.room, message, risks, conversation_id=conv.id)


async def claim_with_chat(tx: Tx, conversation_id: str, staff_id: int, now: dt.datetime) -> list[Event]:
    """The officer who takes or is given a chat holds the reports raised from it too (so they do
    not wait in the queue for someone already helped); the events for after the commit."""
    claimed = await tx.reports.claim_with_chat(conversation_id, staff_id, now)
    if not claimed:
        return []
    areas, _ = await _staffing(tx)
    events: list[Event] = []
    for report_id in claimed:
        report = await tx.reports.get(report_id)
        assert report is not None
        events += _staff_events("triage:updated", report, areas)
        events.append(Event("report:updated", shapes.report(report, for_staff=False), aud.youth(report.youth_id)))
        events += await _queue_events(tx, report.region)
    return events


async def _on_duty_in_region(tx: Tx, staff_id: int, neighbourhood_id: int) -> bool:
    """The officer is on duty for the room, or anywhere in its region (a claimed report's chat)."""
    duties = await tx.duty.open_for_staff(staff_id)
    nb = next((n for n in await tx.neighbourhoods.all() if n.id == neighbourhood_id), None)
    return any(d.neighbourhood_id == neighbourhood_id or (nb is not None and d.region == nb.region) for d in duties)
