"""Who is on duty for which neighbourhood, until when, and whether their console is still there."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, and_, exists, func, not_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.storage.grants_repo import active_clause
from server.storage.models import DutyGrant, DutySession, Neighbourhood, StaffSession, StaffUser
from server.storage.records import DutyRec, RosterRec
from server.storage.staff_repo import staff_rec


def _without_leave(now: dt.datetime) -> ColumnElement[bool]:
    """A duty in another region's neighbourhood that is not shared, with no grant in force
    for it (staff or neighbourhoods without a region are national)."""
    granted = exists().where(
        DutyGrant.staff_id == DutySession.staff_id, DutyGrant.region == Neighbourhood.region, active_clause(now)
    )
    return and_(
        StaffUser.region != "",
        Neighbourhood.region != "",
        StaffUser.region != Neighbourhood.region,
        Neighbourhood.shared.is_(False),
        not_(granted),
    )


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
            DutyRec(d.staff_id, d.neighbourhood_id, slug, d.started_at, area, region, d.planned_end)
            for d, slug, area, region in rows
        ]

    async def start(
        self, staff_id: int, neighbourhood_id: int, now: dt.datetime, planned_end: dt.datetime | None
    ) -> None:
        self._s.add(
            DutySession(
                staff_id=staff_id,
                neighbourhood_id=neighbourhood_id,
                started_at=now,
                planned_end=planned_end,
                last_seen_at=now,
            )
        )
        await self._s.flush()

    async def end(self, staff_id: int, neighbourhood_ids: list[int], now: dt.datetime, reason: str = "ended") -> None:
        await self._s.execute(
            update(DutySession)
            .where(
                DutySession.staff_id == staff_id,
                DutySession.neighbourhood_id.in_(neighbourhood_ids),
                DutySession.ended_at.is_(None),
            )
            .values(ended_at=now, end_reason=reason)
            .execution_options(synchronize_session=False)
        )

    async def set_planned_end(
        self, staff_id: int, planned_end: dt.datetime | None, neighbourhood_ids: list[int] | None = None
    ) -> None:
        """The planned end of the officer's open duties (only these neighbourhoods' if given)."""
        query = update(DutySession).where(DutySession.staff_id == staff_id, DutySession.ended_at.is_(None))
        if neighbourhood_ids is not None:
            query = query.where(DutySession.neighbourhood_id.in_(neighbourhood_ids))
        await self._s.execute(query.values(planned_end=planned_end).execution_options(synchronize_session=False))

    async def heartbeat(self, staff_ids: list[int], now: dt.datetime) -> None:
        """Staff with a connected console are still there."""
        if staff_ids:
            await self._s.execute(
                update(DutySession)
                .where(DutySession.staff_id.in_(staff_ids), DutySession.ended_at.is_(None))
                .values(last_seen_at=now)
                .execution_options(synchronize_session=False)
            )

    async def expire(
        self, now: dt.datetime, seen_before: dt.datetime, staff_ids: list[int] | None = None
    ) -> list[tuple[int, int, str]]:
        """End duties past their planned end, whose console has been gone too long, whose account
        was disabled, whose officer has no session left (logged out, sessions ended) or that lie
        in another region without leave (the grant revoked or ended, the room no longer shared).
        Only these officers' duties when `staff_ids` is given.

        Returns (staff id, neighbourhood id, reason) for each duty ended here; a sweeper in
        another process ends each at most once, since the UPDATE matches open rows only.
        """
        signed_in = exists().where(
            StaffSession.user_id == DutySession.staff_id, StaffSession.scope == "full", StaffSession.expires_at > now
        )
        query = (
            select(
                DutySession.id,
                DutySession.staff_id,
                DutySession.neighbourhood_id,
                DutySession.planned_end,
                StaffUser.is_active,
                signed_in.label("signed_in"),
                _without_leave(now).label("without_leave"),
            )
            .join(StaffUser, StaffUser.id == DutySession.staff_id)
            .join(Neighbourhood, Neighbourhood.id == DutySession.neighbourhood_id)
            .where(
                DutySession.ended_at.is_(None),
                or_(
                    DutySession.planned_end <= now,
                    DutySession.last_seen_at < seen_before,
                    StaffUser.is_active.is_(False),
                    not_(signed_in),
                    _without_leave(now),
                ),
            )
        )
        if staff_ids is not None:
            query = query.where(DutySession.staff_id.in_(staff_ids))
        rows = await self._s.execute(query)
        ended = []
        for duty_id, staff_id, nb_id, planned_end, active, has_session, without_leave in rows.all():
            if not active:
                reason = "disabled"
            elif not has_session:
                reason = "signed_out"
            elif without_leave:
                reason = "no_grant"
            elif planned_end is not None and planned_end <= now:
                reason = "shift_end"
            else:
                reason = "gone"
            result = await self._s.execute(
                update(DutySession)
                .where(DutySession.id == duty_id, DutySession.ended_at.is_(None))
                .values(ended_at=now, end_reason=reason)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:  # type: ignore[attr-defined]
                ended.append((staff_id, nb_id, reason))
        return ended

    async def roster(self, neighbourhood_ids: list[int]) -> list[RosterRec]:
        rows = await self._s.execute(
            select(DutySession, Neighbourhood.slug, StaffUser)
            .join(Neighbourhood, Neighbourhood.id == DutySession.neighbourhood_id)
            .join(StaffUser, StaffUser.id == DutySession.staff_id)
            .where(DutySession.neighbourhood_id.in_(neighbourhood_ids), DutySession.ended_at.is_(None))
            .order_by(Neighbourhood.slug, StaffUser.display_name)
        )
        return [RosterRec(staff_rec(u), slug, d.started_at, d.planned_end) for d, slug, u in rows]

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
