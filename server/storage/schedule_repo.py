"""Availability windows, closures and handover notes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.storage.models import Closure, HandoverNote, Neighbourhood, ScheduleWindow, StaffUser
from server.storage.records import ClosureRec, HandoverRec, WindowRec
from server.storage.staff_repo import staff_rec


def _window(w: ScheduleWindow) -> WindowRec:
    return WindowRec(w.id, w.neighbourhood_id, w.weekday, w.date, w.start_min, w.end_min, w.label)


class ScheduleRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def windows(self, neighbourhood_ids: list[int]) -> list[WindowRec]:
        rows = await self._s.scalars(
            select(ScheduleWindow)
            .where(ScheduleWindow.neighbourhood_id.in_(neighbourhood_ids))
            .order_by(ScheduleWindow.id)
        )
        return [_window(w) for w in rows]

    async def window(self, window_id: int) -> WindowRec | None:
        row = await self._s.get(ScheduleWindow, window_id)
        return _window(row) if row else None

    async def add_window(
        self,
        *,
        neighbourhood_id: int,
        weekday: int | None,
        date: dt.date | None,
        start_min: int,
        end_min: int,
        label: str,
        now: dt.datetime,
    ) -> WindowRec:
        row = ScheduleWindow(
            neighbourhood_id=neighbourhood_id,
            weekday=weekday,
            date=date,
            start_min=start_min,
            end_min=end_min,
            label=label,
            created_at=now,
        )
        self._s.add(row)
        await self._s.flush()
        return _window(row)

    async def remove_window(self, window_id: int) -> None:
        await self._s.execute(delete(ScheduleWindow).where(ScheduleWindow.id == window_id))

    async def closures(self, neighbourhood_ids: list[int]) -> list[ClosureRec]:
        rows = await self._s.scalars(
            select(Closure).where(Closure.neighbourhood_id.in_(neighbourhood_ids)).order_by(Closure.date)
        )
        return [ClosureRec(c.id, c.neighbourhood_id, c.date, c.reason) for c in rows]

    async def closure(self, closure_id: int) -> ClosureRec | None:
        c = await self._s.get(Closure, closure_id)
        return ClosureRec(c.id, c.neighbourhood_id, c.date, c.reason) if c else None

    async def add_closure(self, *, neighbourhood_id: int, date: dt.date, reason: str, now: dt.datetime) -> ClosureRec:
        row = Closure(neighbourhood_id=neighbourhood_id, date=date, reason=reason, created_at=now)
        self._s.add(row)
        await self._s.flush()
        return ClosureRec(row.id, row.neighbourhood_id, row.date, row.reason)

    async def remove_closure(self, closure_id: int) -> None:
        await self._s.execute(delete(Closure).where(Closure.id == closure_id))

    async def add_note(self, *, neighbourhood_id: int, author_id: int, body: str, now: dt.datetime) -> None:
        self._s.add(HandoverNote(neighbourhood_id=neighbourhood_id, author_id=author_id, body=body, created_at=now))
        await self._s.flush()

    async def notes(self, neighbourhood_ids: list[int], limit: int) -> list[HandoverRec]:
        rows = await self._s.execute(
            select(HandoverNote, Neighbourhood.slug, StaffUser)
            .join(Neighbourhood, Neighbourhood.id == HandoverNote.neighbourhood_id)
            .join(StaffUser, StaffUser.id == HandoverNote.author_id)
            .where(HandoverNote.neighbourhood_id.in_(neighbourhood_ids))
            .order_by(HandoverNote.id.desc())
            .limit(limit)
        )
        return [HandoverRec(n.id, slug, staff_rec(u), n.body, n.created_at) for n, slug, u in rows]
