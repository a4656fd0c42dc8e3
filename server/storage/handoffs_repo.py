"""Handoff cards sent to young people, and whether they opened them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.storage.models import Handoff
from server.storage.records import HandoffRec


def _rec(h: Handoff) -> HandoffRec:
    return HandoffRec(h.id, h.conversation_id, h.report_id, h.officer_id, h.kind, h.created_at, h.opened_at)


class HandoffRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(
        self,
        *,
        handoff_id: str,
        conversation_id: str,
        report_id: str | None,
        officer_id: int,
        kind: str,
        now: dt.datetime,
    ) -> HandoffRec:
        row = Handoff(
            id=handoff_id,
            conversation_id=conversation_id,
            report_id=report_id,
            officer_id=officer_id,
            kind=kind,
            created_at=now,
        )
        self._s.add(row)
        await self._s.flush()
        return _rec(row)

    async def get(self, handoff_id: str) -> HandoffRec | None:
        row = await self._s.get(Handoff, handoff_id)
        return _rec(row) if row else None

    async def of_conversation(self, conversation_id: str) -> list[HandoffRec]:
        rows = await self._s.scalars(
            select(Handoff).where(Handoff.conversation_id == conversation_id).order_by(Handoff.created_at)
        )
        return [_rec(h) for h in rows]

    async def mark_opened(self, handoff_id: str, now: dt.datetime) -> bool:
        result = await self._s.execute(
            update(Handoff)
            .where(Handoff.id == handoff_id, Handoff.opened_at.is_(None))
            .values(opened_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]
