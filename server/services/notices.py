"""Neighbourhood notices about ongoing incidents, with a secrecy review by a second person.

An officer drafts ("Pågående händelse i centrum — har du sett något? Ring 112"); the moderation
library's secrecy check runs on it; a supervisor of the region, never the author, approves it or
sends it back with a comment. Only then is it published, pinned in the room until it expires.
Young people answer it privately with tips, which reach only the officer in charge (the
author). The author's follow-up ("Händelsen är avslutad, tack för tipsen") is approved the same
way and closes the notice. Every step is audited.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from server.clock import isoformat
from server.errors import Blocked, Closed, Conflict, Invalid
from server.events import NoticeDraft
from server.services import access, audit, audit_log, messages, ratelimit, screening
from server.services import emitter as aud
from server.services.actors import Actor, StaffActor, YouthActor
from server.services.deps import Deps
from server.services.emitter import Event
from server.storage.db import Duplicate
from server.storage.records import NoticeRec, StaffRec, TipRec
from server.storage.tx import Tx

DEFAULT_EXPIRY = dt.timedelta(hours=24)
MIN_EXPIRY = dt.timedelta(minutes=5)
MAX_EXPIRY = dt.timedelta(days=30)
# Closed notices stay readable in the room for a week, with their follow-up.
SHOW_CLOSED = dt.timedelta(days=7)
ACTIVE = ("published", "followup_pending")
AWAITING_REVIEW = ("pending", "followup_pending")
# A young person may send a burst of 3 tips, then one a minute.
TIPS = ratelimit.Bucket(capacity=3, per_second=1 / 60)


def public_shape(n: NoticeRec) -> dict[str, Any]:
    """What everyone in the room sees: the approved text, and the approved follow-up once closed."""
    return {
        "id": n.id,
        "room": n.room,
        "body": n.body,
        "status": "published" if n.status == "followup_pending" else n.status,
        "pinned": n.status in ACTIVE,
        "author": {"kind": "officer", "name": n.author_name},
        "published_at": isoformat(n.published_at) if n.published_at else None,
        "expires_at": isoformat(n.expires_at),
        "followup": n.followup if n.status == "closed" else None,
        "closed_at": isoformat(n.closed_at) if n.closed_at else None,
    }


def staff_shape(n: NoticeRec) -> dict[str, Any]:
    return {
        **public_shape(n),
        "status": n.status,
        "author_id": str(n.author_id),
        "secrecy": list(n.secrecy),
        "review_comment": n.review_comment,
        "followup": n.followup,
        "followup_secrecy": list(n.followup_secrecy),
        "created_at": isoformat(n.created_at),
    }


def tip_shape(t: TipRec) -> dict[str, Any]:
    return {
        "id": t.id,
        "notice_id": t.notice_id,
        "youth_id": t.youth_id,
        "body": t.body,
        "flags": list(t.flags),
        "created_at": isoformat(t.created_at),
    }


def _expiry(expires_at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    if expires_at is None:
        return now + DEFAULT_EXPIRY
    if expires_at < now + MIN_EXPIRY:
        raise Invalid("expires_at must be at least 5 minutes ahead")
    if expires_at > now + MAX_EXPIRY:
        raise Invalid("a notice expires within 30 days")
    return expires_at


async def draft(deps: Deps, actor: StaffActor, p: NoticeDraft) -> dict[str, Any]:
    """Store a draft for review, with the secrecy check's verdict for author and reviewer."""
    body = messages.check_body(p.body)
    verdict = screening.screen(body, "staff_public")
    now = deps.clock.now()
    expires_at = _expiry(p.expires_at, now)
    async with deps.db.transaction() as tx:
        staff = await access.patrol_staff(tx, actor)
        nb = await access.neighbourhood(tx, p.room)
        access.same_region(staff, nb)
        notice_id = secrets.token_hex(16)
        await tx.notices.add(
            notice_id=notice_id, neighbourhood_id=nb.id, author_id=staff.id, body=body,
            secrecy=sorted(verdict.flags), expires_at=expires_at, now=now,
        )  # fmt: skip
        await audit.record(
            tx, at=now, actor=actor, action="notice.draft", target_kind="notice", target_id=notice_id,
            detail={"room": nb.slug, "secrecy": sorted(verdict.flags)},
        )  # fmt: skip
        notice = await tx.notices.get(notice_id)
        assert notice is not None
        tx.on_commit([Event("notice:pending", {"notice": staff_shape(notice)}, aud.supervisors())])
    return {"notice": staff_shape(notice), "secrecy": screening.details(verdict)}


async def approve(deps: Deps, actor: StaffActor, notice_id: str, comment: str) -> dict[str, Any]:
    """Publish a pending notice, or close a notice whose follow-up was pending."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        staff = await access.staff_member(tx, actor)
        notice = await access.notice_for_reviewer(tx, staff, notice_id)
        if notice.status == "pending":
            if notice.expires_at <= now:
                raise Closed("the notice expired before it was approved; draft it again")
            moved = await tx.notices.transition(
                notice.id, "pending", status="published", approved_by=staff.id, published_at=now,
                review_comment=comment,
            )  # fmt: skip
            action = "notice.approve"
        elif notice.status == "followup_pending":
            moved = await tx.notices.transition(
                notice.id, "followup_pending", status="closed", closed_by=staff.id, closed_at=now,
                review_comment=comment,
            )  # fmt: skip
            action = "notice.approve_followup"
        else:
            raise Conflict(f"nothing to approve: the notice is {notice.status}")
        if not moved:
            raise Conflict("someone else decided this notice first")
        await audit.record(tx, at=now, actor=actor, action=action, target_kind="notice", target_id=notice.id)
        updated = await tx.notices.get(notice.id)
        assert updated is not None
        name = "notice:published" if updated.status == "published" else "notice:closed"
        public = {"notice": public_shape(updated)}
        events = [Event(name, public, a) for a in aud.rooms_of(updated.room)]
        events.append(Event("notice:updated", {"notice": staff_shape(updated)}, aud.staff(updated.author_id)))
        tx.on_commit(events)
    return {"notice": staff_shape(updated)}


async def reject(deps: Deps, actor: StaffActor, notice_id: str, comment: str) -> dict[str, Any]:
    """Send a draft (or a follow-up) back to its author with a comment; nothing is published."""
    if not comment.strip():
        raise Invalid("say what to change: a comment is required")
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        staff = await access.staff_member(tx, actor)
        notice = await access.notice_for_reviewer(tx, staff, notice_id)
        if notice.status == "pending":
            moved = await tx.notices.transition(notice.id, "pending", status="returned", review_comment=comment)
            action = "notice.reject"
        elif notice.status == "followup_pending":
            moved = await tx.notices.transition(
                notice.id, "followup_pending", status="published", followup=None, followup_secrecy=[],
                review_comment=comment,
            )  # fmt: skip
            action = "notice.reject_followup"
        else:
            raise Conflict(f"nothing to send back: the notice is {notice.status}")
        if not moved:
            raise Conflict("someone else decided this notice first")
        await audit.record(tx, at=now, actor=actor, action=action, target_kind="notice", target_id=notice.id)
        updated = await tx.notices.get(notice.id)
        assert updated is not None
        tx.on_commit([Event("notice:updated", {"notice": staff_shape(updated)}, aud.staff(updated.author_id))])
    return {"notice": staff_shape(updated)}


async def followup(deps: Deps, actor: StaffActor, notice_id: str, body: str) -> dict[str, Any]:
    """The author reports the outcome; it is published (and the notice closed) once approved."""
    body = messages.check_body(body)
    verdict = screening.screen(body, "staff_public")
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        staff = await access.staff_member(tx, actor)
        notice = await access.notice_of_author(tx, staff, notice_id)
        values = {"status": "followup_pending", "followup": body, "followup_secrecy": sorted(verdict.flags)}
        if notice.status not in ("published", "expired"):
            raise Conflict(f"a follow-up is for a published notice; this one is {notice.status}")
        if not await tx.notices.transition(notice.id, notice.status, **values):
            raise Conflict("the notice changed meanwhile; reload it")
        await audit.record(
            tx, at=now, actor=actor, action="notice.followup", target_kind="notice", target_id=notice.id,
            detail={"secrecy": sorted(verdict.flags)},
        )  # fmt: skip
        updated = await tx.notices.get(notice.id)
        assert updated is not None
        tx.on_commit([Event("notice:pending", {"notice": staff_shape(updated)}, aud.supervisors())])
    return {"notice": staff_shape(updated), "secrecy": screening.details(verdict)}


async def tip(deps: Deps, actor: YouthActor, notice_id: str, client_id: str, body: str) -> dict[str, Any]:
    """A young person's private answer to a published notice, for its officer only. Personal data
    is allowed here (as in a private chat) and flagged for masking in review."""
    body = messages.check_body(body)
    verdict = screening.screen(body, "youth_private")
    if screening.blocked(verdict):
        raise Blocked(screening.explain(verdict), screening.details(verdict))
    now = deps.clock.now()
    try:
        async with deps.db.transaction() as tx:
            youth = await access.youth_member(tx, actor)
            notice = await access.notice_for_youth(tx, notice_id)
            found = await tx.notices.tip_by_client_id(youth.id, client_id)
            if found is not None:
                return {"tip": {"id": found.id}}
            if notice.status not in ACTIVE or notice.expires_at <= now:
                raise Closed("this notice no longer takes tips; call 114 14, or 112 if it is urgent")
            await ratelimit.check(deps.limiter, f"tip:{youth.id}", TIPS, now, "you are sending tips very fast")
            saved = await tx.notices.add_tip(
                tip_id=secrets.token_hex(16), notice_id=notice.id, youth_id=youth.id, client_id=client_id,
                body=body, flags=sorted(verdict.flags), now=now,
            )  # fmt: skip
            await audit.record(
                tx, at=now, actor=actor, action="notice.tip", target_kind="notice", target_id=notice.id,
                detail={"tip": saved.id},
            )  # fmt: skip
            data = {"notice_id": notice.id, "tip": tip_shape(saved)}
            tx.on_commit([Event("notice:tip", data, aud.staff(notice.author_id))])
    except Duplicate:
        async with deps.db.transaction() as tx:
            again = await tx.notices.tip_by_client_id(actor.youth_id, client_id)
        if again is None:
            raise
        return {"tip": {"id": again.id}}
    return {"tip": {"id": saved.id}}


async def _visible_to_staff(tx: Tx, staff: StaffRec, nb_id: int) -> list[NoticeRec]:
    """Supervisors see every notice of the room; an officer the public ones and their own drafts."""
    statuses = ["pending", "returned", "published", "followup_pending", "closed", "expired"]
    rows = await tx.notices.in_rooms([nb_id], statuses)
    if staff.role == "supervisor":
        return rows
    return [n for n in rows if n.status in access.PUBLIC_NOTICE or n.author_id == staff.id]


async def listing(deps: Deps, actor: Actor, slug: str) -> dict[str, Any]:
    """A room's notices: pinned active ones first, then those closed in the last week."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        if isinstance(actor, StaffActor):
            staff = await access.patrol_staff(tx, actor)
            nb = await access.neighbourhood(tx, slug)
            return {"notices": [staff_shape(n) for n in await _visible_to_staff(tx, staff, nb.id)]}
        await access.youth_visitor(tx, actor)
        nb = await access.neighbourhood(tx, slug)
        active = [n for n in await tx.notices.in_rooms([nb.id], ACTIVE) if n.expires_at > now]
        closed = await tx.notices.closed_since(nb.id, now - SHOW_CLOSED)
    return {"notices": [public_shape(n) for n in active + closed]}


async def queue(deps: Deps, actor: StaffActor) -> dict[str, Any]:
    """Drafts and follow-ups waiting for a supervisor of the region, oldest first."""
    async with deps.db.transaction() as tx:
        staff = await access.staff_member(tx, actor)
        access.require_supervisor(staff)
        nbs = [nb for nb in await tx.neighbourhoods.all() if not staff.region or nb.region in ("", staff.region)]
        rows = await tx.notices.in_rooms([nb.id for nb in nbs], AWAITING_REVIEW)
    rows.sort(key=lambda n: (n.created_at, n.id))
    return {"notices": [staff_shape(n) for n in rows]}


async def tips(deps: Deps, actor: StaffActor, notice_id: str) -> dict[str, Any]:
    """The tips of a notice, for the officer in charge of it only."""
    async with deps.db.transaction() as tx:
        staff = await access.staff_member(tx, actor)
        notice = await access.notice_of_author(tx, staff, notice_id)
        rows = await tx.notices.tips(notice.id)
    return {"notice": staff_shape(notice), "tips": [tip_shape(t) for t in rows]}


async def history(deps: Deps, actor: StaffActor, notice_id: str) -> dict[str, Any]:
    """A notice's whole life for supervisors: each step from the audit log, and how many tips came."""
    async with deps.db.transaction() as tx:
        staff = await access.staff_member(tx, actor)
        notice = await access.notice_for_supervisor(tx, staff, notice_id)
        entries = await tx.audit.for_targets([("notice", notice.id)])
        count = await tx.notices.tip_count(notice.id)
    return {"notice": staff_shape(notice), "steps": [audit_log.entry(e) for e in entries], "tip_count": count}


async def expire_due(deps: Deps) -> None:
    """Unpin published notices whose time is up (a step of the server's ticker)."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        due = await tx.notices.expired_due(now)
        expired = []
        for n in due:
            if await tx.notices.transition(n.id, "published", status="expired"):
                await audit.record(tx, at=now, actor=None, action="notice.expire", target_kind="notice", target_id=n.id)
                expired.append(n.id)
        updated = [u for i in expired if (u := await tx.notices.get(i)) is not None]
        for u in updated:
            tx.on_commit([Event("notice:closed", {"notice": public_shape(u)}, a) for a in aud.rooms_of(u.room)])
            tx.on_commit([Event("notice:updated", {"notice": staff_shape(u)}, aud.staff(u.author_id))])
