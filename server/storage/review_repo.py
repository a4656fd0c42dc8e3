"""Queries for supervisor review: transcript search, quality reviews, feedback, the audit log."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.storage.models import (
    AuditEntry,
    Conversation,
    Feedback,
    Handoff,
    Message,
    Neighbourhood,
    QualityReview,
    Report,
)
from server.storage.records import AuditRec


@dataclass(frozen=True, slots=True)
class TranscriptFilter:
    regions: tuple[str, ...]
    room: str | None = None
    officer_id: int | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    category: str | None = None
    priority: int | None = None
    handoff: str | None = None
    flag: str | None = None
    reviewed: bool | None = None
    before_id: str | None = None  # paging: conversations created before this one


@dataclass(frozen=True, slots=True)
class ReviewRec:
    id: int
    conversation_id: str
    reviewer_id: int
    answered_in_time: bool
    right_handoff: bool
    good_tone: bool
    secrecy_kept: bool
    notes: str
    created_at: dt.datetime


def _review(r: QualityReview) -> ReviewRec:
    return ReviewRec(
        r.id, r.conversation_id, r.reviewer_id, r.answered_in_time, r.right_handoff, r.good_tone,
        r.secrecy_kept, r.notes, r.created_at,
    )  # fmt: skip


def _audit(e: AuditEntry) -> AuditRec:
    return AuditRec(e.id, e.at, e.actor_kind, e.actor_id, e.action, e.target_kind, e.target_id, e.detail)


class ReviewRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def search(self, f: TranscriptFilter, limit: int) -> list[str]:
        """Ids of matching conversations, newest first."""
        q: Select[str] = (
            select(Conversation.id)
            .join(Neighbourhood, Neighbourhood.id == Conversation.neighbourhood_id)
            .where(Neighbourhood.region.in_(f.regions))
        )
        if f.room:
            q = q.where(Neighbourhood.slug == f.room)
        if f.officer_id is not None:
            q = q.where(Conversation.officer_id == f.officer_id)
        if f.since:
            q = q.where(Conversation.created_at >= f.since)
        if f.until:
            q = q.where(Conversation.created_at < f.until)
        if f.category or f.priority is not None:
            cond = [Report.conversation_id == Conversation.id]
            if f.category:
                cond.append(Report.category == f.category)
            if f.priority is not None:
                cond.append(Report.priority == f.priority)
            q = q.where(exists().where(and_(*cond)))
        if f.handoff:
            q = q.where(exists().where(Handoff.conversation_id == Conversation.id, Handoff.kind == f.handoff))
        if f.flag:
            # Flags are stored as a sorted JSON list of dotted names; match the quoted name.
            q = q.where(
                exists().where(Message.conversation_id == Conversation.id, Message.flags.contains(f'"{f.flag}'))
            )
        if f.reviewed is not None:
            has_review = exists().where(QualityReview.conversation_id == Conversation.id)
            q = q.where(has_review if f.reviewed else ~has_review)
        if f.before_id:
            anchor = select(Conversation.created_at).where(Conversation.id == f.before_id).scalar_subquery()
            q = q.where(
                (Conversation.created_at < anchor)
                | ((Conversation.created_at == anchor) & (Conversation.id < f.before_id))
            )
        rows = await self._s.scalars(q.order_by(Conversation.created_at.desc(), Conversation.id.desc()).limit(limit))
        return list(rows)

    async def message_counts(self, ids: list[str]) -> dict[str, int]:
        rows = await self._s.execute(
            select(Message.conversation_id, func.count())
            .where(Message.conversation_id.in_(ids))
            .group_by(Message.conversation_id)
        )
        return {cid: int(n) for cid, n in rows if cid is not None}

    async def flags_by_conversation(self, ids: list[str]) -> dict[str, set[str]]:
        rows = await self._s.execute(
            select(Message.conversation_id, Message.flags).where(
                Message.conversation_id.in_(ids), Message.flags != "[]"
            )
        )
        out: dict[str, set[str]] = {}
        for cid, raw in rows:
            if cid is not None:
                out.setdefault(cid, set()).update(json.loads(raw or "[]"))
        return out

    async def handoff_kinds(self, ids: list[str]) -> dict[str, list[str]]:
        rows = await self._s.execute(
            select(Handoff.conversation_id, Handoff.kind)
            .where(Handoff.conversation_id.in_(ids))
            .order_by(Handoff.created_at)
        )
        out: dict[str, list[str]] = {}
        for cid, kind in rows:
            out.setdefault(cid, []).append(kind)
        return out

    async def message_count(self, conversation_id: str) -> int:
        n = await self._s.scalar(
            select(func.count()).select_from(Message).where(Message.conversation_id == conversation_id)
        )
        return int(n or 0)

    async def flags_of(self, conversation_id: str) -> set[str]:
        rows = await self._s.scalars(select(Message.flags).where(Message.conversation_id == conversation_id))
        return {flag for raw in rows for flag in json.loads(raw or "[]")}

    async def add_review(
        self,
        *,
        conversation_id: str,
        reviewer_id: int,
        answered_in_time: bool,
        right_handoff: bool,
        good_tone: bool,
        secrecy_kept: bool,
        notes: str,
        now: dt.datetime,
    ) -> ReviewRec:
        row = QualityReview(
            conversation_id=conversation_id, reviewer_id=reviewer_id, answered_in_time=answered_in_time,
            right_handoff=right_handoff, good_tone=good_tone, secrecy_kept=secrecy_kept, notes=notes,
            created_at=now,
        )  # fmt: skip
        self._s.add(row)
        await self._s.flush()
        return _review(row)

    async def reviews(self, conversation_ids: list[str]) -> list[ReviewRec]:
        if not conversation_ids:
            return []
        rows = await self._s.scalars(
            select(QualityReview).where(QualityReview.conversation_id.in_(conversation_ids)).order_by(QualityReview.id)
        )
        return [_review(r) for r in rows]

    async def reviews_of_officer(self, officer_id: int, limit: int) -> list[ReviewRec]:
        rows = await self._s.scalars(
            select(QualityReview)
            .join(Conversation, Conversation.id == QualityReview.conversation_id)
            .where(Conversation.officer_id == officer_id)
            .order_by(QualityReview.id.desc())
            .limit(limit)
        )
        return [_review(r) for r in rows]

    async def add_feedback(self, *, conversation_id: str, neighbourhood_id: int, score: int, now: dt.datetime) -> None:
        self._s.add(
            Feedback(conversation_id=conversation_id, neighbourhood_id=neighbourhood_id, score=score, created_at=now)
        )
        await self._s.flush()

    async def audit(
        self,
        *,
        action: str | None,
        actor_id: str | None,
        target_id: str | None,
        since: dt.datetime | None,
        until: dt.datetime | None,
        before: int | None,
        limit: int,
        region: str | None = None,
    ) -> list[AuditRec]:
        """Entries by the filters, newest first; only one region's when `region` is given."""
        q = select(AuditEntry)
        if region is not None:
            q = q.where(AuditEntry.region == region)
        if action:
            q = q.where(AuditEntry.action.startswith(action))
        if actor_id:
            q = q.where(AuditEntry.actor_id == actor_id)
        if target_id:
            q = q.where(AuditEntry.target_id == target_id)
        if since:
            q = q.where(AuditEntry.at >= since)
        if until:
            q = q.where(AuditEntry.at < until)
        if before is not None:
            q = q.where(AuditEntry.id < before)
        rows = await self._s.scalars(q.order_by(AuditEntry.id.desc()).limit(limit))
        return [_audit(e) for e in rows]

    async def set_hold(self, conversation_id: str, hold: bool) -> None:
        await self._s.execute(
            update(Conversation)
            .where(Conversation.id == conversation_id)
            .values(legal_hold=hold)
            .execution_options(synchronize_session=False)
        )

    async def hold_of(self, conversation_id: str) -> bool:
        return bool(await self._s.scalar(select(Conversation.legal_hold).where(Conversation.id == conversation_id)))
