"""Neighbourhoods (the public rooms, one per local police area)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.storage.models import Neighbourhood
from server.storage.records import NeighbourhoodRec

_TABLE = cast(Table, Neighbourhood.__table__)
# Every room event reads its neighbourhood by slug: one prebuilt Core statement, no ORM entity.
_BY_SLUG = select(*(_TABLE.c[f.name] for f in dataclasses.fields(NeighbourhoodRec))).where(
    _TABLE.c.slug == bindparam("slug")
)
# A room's messages take their ids while holding its row (FOR NO KEY UPDATE: the foreign-key
# checks of other writes that name the room are not held up), so within a room ids ascend in
# commit order and a sync "after id X" never passes a message that commits later.
_TO_POST = _BY_SLUG.with_for_update(key_share=True)


def to_rec(row: Neighbourhood) -> NeighbourhoodRec:
    return NeighbourhoodRec(row.id, row.slug, row.name, row.police_area, row.region, row.shared)


class NeighbourhoodRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def by_slug(self, slug: str) -> NeighbourhoodRec | None:
        found = (await self._s.execute(_BY_SLUG, {"slug": slug})).first()
        return NeighbourhoodRec(*found) if found else None

    async def to_post(self, slug: str) -> NeighbourhoodRec | None:
        """The neighbourhood, its row locked until the commit: call it before adding a message
        to the room (on SQLite the one writer at a time does the same)."""
        found = (await self._s.execute(_TO_POST, {"slug": slug})).first()
        return NeighbourhoodRec(*found) if found else None

    async def by_slugs(self, slugs: list[str]) -> list[NeighbourhoodRec]:
        rows = await self._s.scalars(select(Neighbourhood).where(Neighbourhood.slug.in_(slugs)))
        return [to_rec(r) for r in rows]

    async def all(self) -> list[NeighbourhoodRec]:
        rows = await self._s.scalars(select(Neighbourhood).order_by(Neighbourhood.name))
        return [to_rec(r) for r in rows]

    async def set_shared(self, slug: str, shared: bool) -> bool:
        """Mark a neighbourhood shared or not; False when there is no such neighbourhood."""
        result = await self._s.execute(
            update(Neighbourhood)
            .where(Neighbourhood.slug == slug)
            .values(shared=shared)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def add(self, *, slug: str, name: str, police_area: str, region: str, now: dt.datetime) -> NeighbourhoodRec:
        row = Neighbourhood(slug=slug, name=name, police_area=police_area, region=region, created_at=now)
        self._s.add(row)
        await self._s.flush()
        return to_rec(row)
