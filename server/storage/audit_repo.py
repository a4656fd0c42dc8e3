"""The append-only audit log."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy.ext.asyncio import AsyncSession

from server.storage.models import AuditEntry


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
