"""The append-only audit log."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.storage.models import (
    AuditEntry,
    Conversation,
    DutyGrant,
    Message,
    Neighbourhood,
    Notice,
    QaQuestion,
    QaSession,
    Report,
    SavedReply,
    StaffUser,
)
from server.storage.records import AuditRec


def _region_of(kind: str, target_id: str) -> Select[str] | None:
    """The statement that reads the region of a target, or None for a kind that has none."""
    nb = select(Neighbourhood.region)
    number = int(target_id) if target_id.isascii() and target_id.isdigit() and len(target_id) <= 18 else None
    match kind:
        case "conversation":
            return nb.join(Conversation, Conversation.neighbourhood_id == Neighbourhood.id).where(
                Conversation.id == target_id
            )
        case "report":
            return nb.join(Report, Report.neighbourhood_id == Neighbourhood.id).where(Report.id == target_id)
        case "neighbourhood":
            return nb.where(Neighbourhood.id == number if number is not None else Neighbourhood.slug == target_id)
        case "notice":
            return nb.join(Notice, Notice.neighbourhood_id == Neighbourhood.id).where(Notice.id == target_id)
        case "qa_session":
            return nb.join(QaSession, QaSession.neighbourhood_id == Neighbourhood.id).where(QaSession.id == target_id)
        case "qa_question":
            return (
                nb.join(QaSession, QaSession.neighbourhood_id == Neighbourhood.id)
                .join(QaQuestion, QaQuestion.session_id == QaSession.id)
                .where(QaQuestion.id == target_id)
            )
        case "message" if number is not None:
            return nb.join(Message, Message.neighbourhood_id == Neighbourhood.id).where(Message.id == number)
        case "saved_reply" if number is not None:
            return select(SavedReply.region).where(SavedReply.id == number)
        case "duty_grant" if number is not None:
            return select(DutyGrant.region).where(DutyGrant.id == number)
        case "staff" if number is not None:
            return select(StaffUser.region).where(StaffUser.id == number)
    return None


class AuditRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(
        self,
        *,
        at: dt.datetime,
        actor_kind: str,
        actor_id: str | None,
        action: str,
        target_kind: str | None = None,
        target_id: str | None = None,
        detail: dict[str, object] | None = None,
    ) -> None:
        self._s.add(
            AuditEntry(
                at=at,
                actor_kind=actor_kind,
                actor_id=actor_id,
                action=action,
                target_kind=target_kind,
                target_id=target_id,
                detail=json.dumps(detail or {}, sort_keys=True),
                region=await self._region(target_kind, target_id, actor_kind, actor_id),
            )
        )
        await self._s.flush()

    async def _region(
        self, target_kind: str | None, target_id: str | None, actor_kind: str, actor_id: str | None
    ) -> str | None:
        """The target's region; for a target without one, the staff actor's."""
        query = _region_of(target_kind, target_id) if target_kind and target_id else None
        if query is not None and (found := await self._s.scalar(query)) is not None:
            return found
        if actor_kind == "staff" and actor_id and actor_id.isdigit():
            return await self._s.scalar(select(StaffUser.region).where(StaffUser.id == int(actor_id)))
        return None

    async def for_targets(self, targets: list[tuple[str, str]]) -> list[AuditRec]:
        """Entries about any of the given (kind, id) targets, oldest first."""
        if not targets:
            return []
        rows = await self._s.scalars(
            select(AuditEntry)
            .where(or_(*(and_(AuditEntry.target_kind == k, AuditEntry.target_id == i) for k, i in targets)))
            .order_by(AuditEntry.id)
        )
        return [
            AuditRec(e.id, e.at, e.actor_kind, e.actor_id, e.action, e.target_kind, e.target_id, e.detail) for e in rows
        ]
