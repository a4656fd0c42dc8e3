"""Who is on duty for which neighbourhood."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.storage.models import DutySession, Neighbourhood
from server.storage.records import DutyRec


class DutyRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def open_for_staff(self, staff_id: int) -> list[DutyRec]:
        rows = await self._s.execute(
            select(DutySession, Neighbourhood.slug, Neighbourhood.police_area, Neighbourhood.region)
            .join(Neighbourhood, Neighbourhood.id == DutySession.neighbourhood_id)
            .where(DutySession.staff_id == staff_id, DutySession.ended_at.is_(None))
            .order_by(Neighbourhood.slug)
        )
        return [
            DutyRec(d.staff_id, d.neighbourhood_id, slug, d.started_at, area, region) for d, slug, area, region in rows
        ]

    async def start(self, staff_id: int, neighbourhood_id: int, now: dt.datetime) -> None:
        self._s.add(DutySession(staff_id=staff_id, neighbourhood_id=neighbourhood_id, started_at=now))
        await self._s.flush()

    async def end(self, staff_id: int, neighbourhood_ids: list[int], now: dt.datetime) -> None:
        await self._s.execute(
            update(DutySession)
            .where(
                DutySession.staff_id == staff_id,
                DutySession.neighbourhood_id.in_(neighbourhood_ids),
                DutySession.ended_at.is_(None),
            )
            .values(ended_at=now)
            .execution_options(synchronize_session=False)
        )

    async def counts(self) -> dict[int, int]:
        """Officers on duty now, per neighbourhood id."""
        rows = await self._s.execute(
            select(DutySession.neighbourhood_id, func.count(func.distinct(DutySession.staff_id)))
            .where(DutySession.ended_at.is_(None))
            .group_by(DutySession.neighbourhood_id)
        )
        return {nb: int(n) for nb, n in rows}

    async def is_on_duty(self, staff_id: int, neighbourhood_id: int) -> bool:
        found = await self._s.scalar(
            select(DutySession.id).where(
                DutySession.staff_id == staff_id,
                DutySession.neighbourhood_id == neighbourhood_id,
                DutySession.ended_at.is_(None),
            )
        )
        return found is not None
