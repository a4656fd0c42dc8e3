"""Staff accounts and their server-side sessions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.storage.models import StaffSession, StaffUser
from server.storage.records import StaffRec


def staff_rec(row: StaffUser) -> StaffRec:
    return StaffRec(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=row.role,
        police_area=row.police_area,
        region=row.region,
        is_active=row.is_active,
        password_hash=row.password_hash,
    )


class StaffRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def by_username(self, username: str) -> StaffRec | None:
        row = await self._s.scalar(select(StaffUser).where(StaffUser.username == username))
        return staff_rec(row) if row else None

    async def by_id(self, user_id: int) -> StaffRec | None:
        row = await self._s.get(StaffUser, user_id)
        return staff_rec(row) if row else None

    async def add(
        self,
        *,
        username: str,
        password_hash: str,
        display_name: str,
        role: str,
        police_area: str,
        region: str,
        now: dt.datetime,
    ) -> StaffRec:
        row = StaffUser(
            username=username,
            password_hash=password_hash,
            display_name=display_name,
            role=role,
            police_area=police_area,
            region=region,
            is_active=True,
            created_at=now,
        )
        self._s.add(row)
        await self._s.flush()
        return staff_rec(row)

    async def set_password_hash(self, user_id: int, password_hash: str) -> None:
        await self._s.execute(update(StaffUser).where(StaffUser.id == user_id).values(password_hash=password_hash))

    async def add_session(self, *, session_hash: str, user_id: int, now: dt.datetime, expires_at: dt.datetime) -> None:
        self._s.add(StaffSession(id=session_hash, user_id=user_id, created_at=now, expires_at=expires_at))
        await self._s.flush()

    async def user_for_session(self, session_hash: str, now: dt.datetime) -> StaffRec | None:
        row = await self._s.scalar(
            select(StaffUser)
            .join(StaffSession, StaffSession.user_id == StaffUser.id)
            .where(
                StaffSession.id == session_hash,
                StaffSession.expires_at > now,
                StaffUser.is_active.is_(True),
            )
        )
        return staff_rec(row) if row else None

    async def delete_session(self, session_hash: str) -> None:
        await self._s.execute(delete(StaffSession).where(StaffSession.id == session_hash))
