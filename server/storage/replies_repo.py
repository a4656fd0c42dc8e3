"""Saved replies, kept per region by its supervisors."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.storage.models import SavedReply
from server.storage.records import SavedReplyRec

MAX_REPLIES = 500


def _rec(row: SavedReply) -> SavedReplyRec:
    return SavedReplyRec(
        id=row.id,
        region=row.region,
        title=row.title,
        body=row.body,
        lang=row.lang,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class ReplyRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def of_region(self, region: str | None) -> list[SavedReplyRec]:
        """A region's replies by language and title; every region's for None (national staff)."""
        query = select(SavedReply).order_by(SavedReply.lang, SavedReply.title, SavedReply.id).limit(MAX_REPLIES)
        if region is not None:
            query = query.where(SavedReply.region == region)
        return [_rec(r) for r in await self._s.scalars(query)]

    async def get(self, reply_id: int) -> SavedReplyRec | None:
        row = await self._s.get(SavedReply, reply_id)
        return _rec(row) if row else None

    async def add(
        self, *, region: str, title: str, body: str, lang: str, author_id: int | None, now: dt.datetime
    ) -> SavedReplyRec:
        row = SavedReply(
            region=region, title=title, body=body, lang=lang, created_by=author_id, created_at=now, updated_at=now
        )
        self._s.add(row)
        await self._s.flush()
        return _rec(row)

    async def change(self, reply_id: int, *, title: str, body: str, lang: str, now: dt.datetime) -> None:
        await self._s.execute(
            update(SavedReply)
            .where(SavedReply.id == reply_id)
            .values(title=title, body=body, lang=lang, updated_at=now)
            .execution_options(synchronize_session=False)
        )

    async def remove(self, reply_id: int) -> None:
        await self._s.execute(delete(SavedReply).where(SavedReply.id == reply_id))
