"""Staff accounts, their server-side sessions, second factors and failed logins."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import cast

from sqlalchemy import CursorResult, Table, bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.storage.models import LoginFailure, StaffRecoveryCode, StaffSession, StaffUser
from server.storage.records import StaffRec, StaffSessionRec, TotpState


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


_STAFF = cast(Table, StaffUser.__table__)
_FIELDS = tuple(f.name for f in dataclasses.fields(StaffRec))
# The staff member every staff event re-reads: one prebuilt Core statement (no ORM entity, no
# identity map), so SQLAlchemy's compiled cache serves it without rebuilding it.
_BY_ID = select(*(_STAFF.c[name] for name in _FIELDS)).where(_STAFF.c.id == bindparam("user_id"))


def _rowcount(result: object) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


class StaffRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def by_username(self, username: str) -> StaffRec | None:
        row = await self._s.scalar(select(StaffUser).where(StaffUser.username == username))
        return staff_rec(row) if row else None

    async def active_display_names(self) -> list[str]:
        """The display names of every active account (a nickname may not pass for one)."""
        rows = await self._s.execute(select(StaffUser.display_name).where(StaffUser.is_active.is_(True)))
        return [name for (name,) in rows]

    async def by_id(self, user_id: int) -> StaffRec | None:
        found = (await self._s.execute(_BY_ID, {"user_id": user_id})).first()
        return StaffRec(*found) if found else None

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

    async def set_active(self, user_id: int, active: bool) -> None:
        await self._s.execute(update(StaffUser).where(StaffUser.id == user_id).values(is_active=active))

    async def set_role(self, user_id: int, role: str) -> None:
        await self._s.execute(update(StaffUser).where(StaffUser.id == user_id).values(role=role))

    # Second factor

    async def totp_state(self, user_id: int) -> TotpState:
        row = (
            await self._s.execute(
                select(StaffUser.totp_secret, StaffUser.totp_pending, StaffUser.totp_last_counter).where(
                    StaffUser.id == user_id
                )
            )
        ).one()
        codes = await self._s.execute(
            select(StaffRecoveryCode.id, StaffRecoveryCode.code_hash)
            .where(StaffRecoveryCode.user_id == user_id)
            .order_by(StaffRecoveryCode.id)
        )
        return TotpState(row[0], row[1], row[2], tuple((c[0], c[1]) for c in codes))

    async def totp_enabled(self, user_id: int) -> bool:
        return await self._s.scalar(select(StaffUser.totp_secret.is_not(None)).where(StaffUser.id == user_id)) is True

    async def set_totp_pending(self, user_id: int, sealed: str) -> None:
        await self._s.execute(update(StaffUser).where(StaffUser.id == user_id).values(totp_pending=sealed))

    async def enable_totp(self, user_id: int, pending: str, counter: int, now: dt.datetime) -> bool:
        """Make the pending secret the account's, unless another request got there first."""
        result = await self._s.execute(
            update(StaffUser)
            .where(StaffUser.id == user_id, StaffUser.totp_pending == pending, StaffUser.totp_secret.is_(None))
            .values(totp_secret=pending, totp_pending=None, totp_last_counter=counter, totp_enabled_at=now)
        )
        return _rowcount(result) == 1

    async def claim_totp_counter(self, user_id: int, counter: int) -> bool:
        """Record a used time step; False when it (or a later one) was used already — also by
        a concurrent login in another process, since the database decides."""
        result = await self._s.execute(
            update(StaffUser)
            .where(
                StaffUser.id == user_id,
                (StaffUser.totp_last_counter.is_(None)) | (StaffUser.totp_last_counter < counter),
            )
            .values(totp_last_counter=counter)
        )
        return _rowcount(result) == 1

    async def reset_totp(self, user_id: int) -> None:
        await self._s.execute(
            update(StaffUser)
            .where(StaffUser.id == user_id)
            .values(totp_secret=None, totp_pending=None, totp_last_counter=None, totp_enabled_at=None)
        )
        await self._s.execute(delete(StaffRecoveryCode).where(StaffRecoveryCode.user_id == user_id))

    async def replace_recovery_codes(self, user_id: int, hashes: Iterable[str], now: dt.datetime) -> None:
        await self._s.execute(delete(StaffRecoveryCode).where(StaffRecoveryCode.user_id == user_id))
        self._s.add_all(StaffRecoveryCode(user_id=user_id, code_hash=h, created_at=now) for h in hashes)
        await self._s.flush()

    async def use_recovery_code(self, code_id: int) -> bool:
        """Spend a recovery code; False if it was spent already."""
        return _rowcount(await self._s.execute(delete(StaffRecoveryCode).where(StaffRecoveryCode.id == code_id))) == 1

    # Sessions

    async def add_session(
        self, *, session_hash: str, user_id: int, now: dt.datetime, expires_at: dt.datetime, scope: str = "full"
    ) -> None:
        self._s.add(
            StaffSession(
                id=session_hash, user_id=user_id, created_at=now, expires_at=expires_at, last_seen_at=now, scope=scope
            )
        )
        await self._s.flush()

    async def session(self, session_hash: str, now: dt.datetime, idle_since: dt.datetime) -> StaffSessionRec | None:
        """A live session of an active account: not past its end, used since `idle_since`."""
        row = (
            await self._s.execute(
                select(StaffSession, StaffUser)
                .join(StaffUser, StaffSession.user_id == StaffUser.id)
                .where(
                    StaffSession.id == session_hash,
                    StaffSession.expires_at > now,
                    StaffSession.last_seen_at > idle_since,
                    StaffUser.is_active.is_(True),
                )
            )
        ).one_or_none()
        if row is None:
            return None
        s, user = row
        return StaffSessionRec(s.id, staff_rec(user), s.scope, s.created_at, s.expires_at, s.last_seen_at)

    async def live_sessions(self, hashes: Collection[str], now: dt.datetime) -> set[str]:
        """Which of these full sessions of active accounts have not reached their end."""
        if not hashes:
            return set()
        rows = await self._s.scalars(
            select(StaffSession.id)
            .join(StaffUser, StaffSession.user_id == StaffUser.id)
            .where(
                StaffSession.id.in_(list(hashes)),
                StaffSession.scope == "full",
                StaffSession.expires_at > now,
                StaffUser.is_active.is_(True),
            )
        )
        return set(rows)

    async def touch_sessions(self, hashes: Collection[str], now: dt.datetime, unless_since: dt.datetime) -> None:
        """Slide the idle timer of these sessions, skipping those touched since `unless_since`."""
        if hashes:
            await self._s.execute(
                update(StaffSession)
                .where(StaffSession.id.in_(list(hashes)), StaffSession.last_seen_at < unless_since)
                .values(last_seen_at=now)
            )

    async def delete_session(self, session_hash: str) -> None:
        await self._s.execute(delete(StaffSession).where(StaffSession.id == session_hash))

    async def delete_sessions_of(self, user_id: int | None) -> int:
        """End the sessions of one account, or of every account (None)."""
        query = delete(StaffSession) if user_id is None else delete(StaffSession).where(StaffSession.user_id == user_id)
        return _rowcount(await self._s.execute(query))

    # Failed logins (throttling)

    async def login_failures(self, keys: Collection[str], since: dt.datetime) -> dict[str, list[dt.datetime]]:
        rows = await self._s.execute(
            select(LoginFailure.key, LoginFailure.at).where(LoginFailure.key.in_(list(keys)), LoginFailure.at > since)
        )
        out: dict[str, list[dt.datetime]] = defaultdict(list)
        for key, at in rows:
            out[key].append(at)
        return out

    async def lock_login_keys(self, keys: Iterable[str], forget_before: dt.datetime) -> None:
        """Serialise login attempts on these keys until this transaction ends, and drop failures
        older than `forget_before`. On PostgreSQL an advisory lock per key (taken in one order);
        on SQLite the DELETE takes the one write lock, whatever it deletes."""
        conn = await self._s.connection()
        if conn.dialect.name == "postgresql":
            for key in sorted(keys):
                await self._s.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))
        await self._s.execute(delete(LoginFailure).where(LoginFailure.at < forget_before))

    async def add_login_failures(self, keys: Iterable[str], now: dt.datetime) -> list[int]:
        """Count an attempt as a failure under each key (until it is dropped again); their ids."""
        rows = [LoginFailure(key=k, at=now) for k in keys]
        self._s.add_all(rows)
        await self._s.flush()
        return [r.id for r in rows]

    async def drop_login_failures(self, ids: Collection[int]) -> None:
        if ids:
            await self._s.execute(delete(LoginFailure).where(LoginFailure.id.in_(list(ids))))

    async def clear_login_failures(self, key: str) -> None:
        await self._s.execute(delete(LoginFailure).where(LoginFailure.key == key))
