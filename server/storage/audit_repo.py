"""The append-only audit log."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.storage.models import AuditEntry
from server.storage.records import AuditRec


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
            )
        )
        await self._s.flush()

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
