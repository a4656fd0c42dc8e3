"""Duty grants: a supervisor's time-limited leave for an officer of another region to go on
duty in the supervisor's region."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, Row, Select, and_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from server.storage.models import DutyGrant, StaffUser
from server.storage.records import DutyGrantRec

_Grantee = aliased(StaffUser)
_Granter = aliased(StaffUser)


def _query() -> Select[DutyGrant, StaffUser, StaffUser]:
    return (
        select(DutyGrant, _Grantee, _Granter)
        .join(_Grantee, _Grantee.id == DutyGrant.staff_id)
        .join(_Granter, _Granter.id == DutyGrant.granted_by)
    )


def _rec(row: Row[DutyGrant, StaffUser, StaffUser]) -> DutyGrantRec:
    g, grantee, granter = row
    return DutyGrantRec(
        id=g.id,
        staff_id=g.staff_id,
        staff_username=grantee.username,
        staff_name=grantee.display_name,
        staff_region=grantee.region,
        region=g.region,
        reason=g.reason,
        granted_by_name=granter.display_name,
        created_at=g.created_at,
        expires_at=g.expires_at,
        revoked_at=g.revoked_at,
    )


def active_clause(now: dt.datetime) -> ColumnElement[bool]:
    """A grant in force at `now`: not revoked and not yet expired."""
    return and_(DutyGrant.revoked_at.is_(None), DutyGrant.expires_at > now)


class GrantRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(
        self, *, staff_id: int, region: str, reason: str, granted_by: int, now: dt.datetime, expires_at: dt.datetime
    ) -> int:
        row = DutyGrant(staff_id=staff_id, region=region, reason=reason, granted_by=granted_by)
        row.created_at, row.expires_at = now, expires_at
        self._s.add(row)
        await self._s.flush()
        return row.id

    async def get(self, grant_id: int) -> DutyGrantRec | None:
        found = (await self._s.execute(_query().where(DutyGrant.id == grant_id))).first()
        return _rec(found) if found else None

    async def active_until(self, staff_id: int, region: str, now: dt.datetime) -> dt.datetime | None:
        """The latest end of the officer's grants for the region that are in force now."""
        return await self._s.scalar(
            select(DutyGrant.expires_at)
            .where(DutyGrant.staff_id == staff_id, DutyGrant.region == region, active_clause(now))
            .order_by(DutyGrant.expires_at.desc())
            .limit(1)
        )

    async def in_force(self, region: str, now: dt.datetime) -> list[DutyGrantRec]:
        """The region's grants in force now, the latest first."""
        query = (
            _query()
            .where(DutyGrant.region == region, active_clause(now))
            .order_by(DutyGrant.created_at.desc(), DutyGrant.id.desc())
        )
        return [_rec(row) for row in await self._s.execute(query)]

    async def revoke(self, grant_id: int, by: int, now: dt.datetime) -> bool:
        """End a grant in force; False when it had ended already."""
        result = await self._s.execute(
            update(DutyGrant)
            .where(DutyGrant.id == grant_id, active_clause(now))
            .values(revoked_at=now, revoked_by=by)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]
