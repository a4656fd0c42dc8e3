"""Anonymous youth identities: a random id, a nickname and the hash of their token."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from server.storage.models import RoomNickname, Youth
from server.storage.records import YouthRec


def to_rec(row: Youth) -> YouthRec:
    return YouthRec(row.id, row.nickname, row.lang, row.muted_until)


class YouthRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def by_token_hash(self, token_hash: str) -> YouthRec | None:
        row = await self._s.scalar(select(Youth).where(Youth.token_hash == token_hash))
        return to_rec(row) if row else None

    async def by_id(self, youth_id: str) -> YouthRec | None:
        row = await self._s.get(Youth, youth_id)
        return to_rec(row) if row else None

    async def add(self, *, youth_id: str, token_hash: str, nickname: str, lang: str, now: dt.datetime) -> YouthRec:
        row = Youth(
            id=youth_id,
            token_hash=token_hash,
            nickname=nickname,
            lang=lang,
            created_at=now,
            last_seen_at=now,
        )
        self._s.add(row)
        await self._s.flush()
        return to_rec(row)

    async def add_if_absent(
        self, *, youth_id: str, token_hash: str, nickname: str, lang: str, now: dt.datetime
    ) -> YouthRec | None:
        """Store an identity unless a row with its id (or token) is there already: one statement,
        so two first writes at once store it once. The stored row, or None when the id is taken
        by another token (e.g. scrubbed by retention)."""
        make = postgresql.insert if self._s.get_bind().dialect.name == "postgresql" else sqlite.insert
        values = {
            "id": youth_id, "token_hash": token_hash, "nickname": nickname, "lang": lang,
            "created_at": now, "last_seen_at": now,
        }  # fmt: skip
        await self._s.execute(make(Youth).values(**values).on_conflict_do_nothing())
        row = await self._s.scalar(select(Youth).where(Youth.id == youth_id, Youth.token_hash == token_hash))
        return to_rec(row) if row else None

    async def revoke_token(self, youth_id: str, marker: str) -> None:
        """The identity's token no longer opens it (its hash is replaced by `marker`)."""
        await self._s.execute(update(Youth).where(Youth.id == youth_id).values(token_hash=marker))

    async def touch(self, youth_id: str, *, lang: str, now: dt.datetime) -> None:
        await self._s.execute(update(Youth).where(Youth.id == youth_id).values(last_seen_at=now, lang=lang))

    async def set_nickname(self, youth_id: str, nickname: str) -> None:
        await self._s.execute(update(Youth).where(Youth.id == youth_id).values(nickname=nickname))

    async def set_muted_until(self, youth_id: str, until: dt.datetime | None) -> None:
        await self._s.execute(update(Youth).where(Youth.id == youth_id).values(muted_until=until))

    async def claim_room_nickname(
        self, neighbourhood_id: int, skeleton: str, youth_id: str, now: dt.datetime, free_before: dt.datetime
    ) -> bool:
        """Claim a nickname's skeleton in a room for the young person: theirs already, or unused
        there since `free_before`. One statement: the upsert returns the row only when it took
        or refreshed the claim; False when another young person holds it."""
        make = postgresql.insert if self._s.get_bind().dialect.name == "postgresql" else sqlite.insert
        insert = make(RoomNickname).values(
            neighbourhood_id=neighbourhood_id, skeleton=skeleton, youth_id=youth_id, last_used_at=now
        )
        claimed = await self._s.scalar(
            insert.on_conflict_do_update(
                index_elements=[RoomNickname.neighbourhood_id, RoomNickname.skeleton],
                set_={"youth_id": youth_id, "last_used_at": now},
                where=or_(RoomNickname.youth_id == youth_id, RoomNickname.last_used_at < free_before),
            ).returning(RoomNickname.youth_id)
        )
        return claimed is not None
