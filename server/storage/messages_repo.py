"""Messages of rooms and conversations, ordered by their id."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.storage.models import Message, Neighbourhood, StaffUser
from server.storage.records import MessageRec
from server.storage.staff_repo import staff_rec


def _query() -> Select[Message, str | None, StaffUser | None]:
    return (
        select(Message, Neighbourhood.slug, StaffUser)
        .outerjoin(Neighbourhood, Neighbourhood.id == Message.neighbourhood_id)
        .outerjoin(StaffUser, StaffUser.id == Message.staff_id)
    )


def _rec(row: Message, slug: str | None, staff: StaffUser | None) -> MessageRec:
    return MessageRec(
        id=row.id,
        neighbourhood_id=row.neighbourhood_id,
        room=slug,
        conversation_id=row.conversation_id,
        client_id=row.client_id,
        author_kind=row.author_kind,
        youth_id=row.youth_id,
        staff=staff_rec(staff) if staff else None,
        author_name=row.author_name,
        body=row.body,
        created_at=row.created_at,
        flags=tuple(json.loads(row.flags or "[]")),
    )


class MessageRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def by_client_id(self, sender_key: str, client_id: str) -> MessageRec | None:
        found = (
            await self._s.execute(_query().where(Message.sender_key == sender_key, Message.client_id == client_id))
        ).first()
        return _rec(*found) if found else None

    async def add(
        self,
        *,
        sender_key: str,
        client_id: str,
        author_kind: str,
        author_name: str,
        body: str,
        now: dt.datetime,
        neighbourhood_id: int | None = None,
        conversation_id: str | None = None,
        youth_id: str | None = None,
        staff_id: int | None = None,
        flags: tuple[str, ...] = (),
    ) -> MessageRec:
        row = Message(
            sender_key=sender_key,
            client_id=client_id,
            author_kind=author_kind,
            author_name=author_name,
            body=body,
            created_at=now,
            neighbourhood_id=neighbourhood_id,
            conversation_id=conversation_id,
            youth_id=youth_id,
            staff_id=staff_id,
            flags=json.dumps(sorted(flags)),
        )
        self._s.add(row)
        await self._s.flush()
        found = (await self._s.execute(_query().where(Message.id == row.id))).one()
        return _rec(*found)

    async def after(
        self,
        *,
        after: int | None,
        limit: int,
        neighbourhood_id: int | None = None,
        conversation_id: str | None = None,
    ) -> list[MessageRec]:
        """Up to `limit` messages with an id above `after`, oldest first."""
        query = _query()
        if conversation_id is not None:
            query = query.where(Message.conversation_id == conversation_id)
        else:
            query = query.where(Message.neighbourhood_id == neighbourhood_id, Message.conversation_id.is_(None))
        if after is not None:
            query = query.where(Message.id > after)
        rows = await self._s.execute(query.order_by(Message.id).limit(limit))
        return [_rec(*r) for r in rows]

    async def latest_in_room(self, neighbourhood_id: int, limit: int) -> list[MessageRec]:
        """The newest `limit` room messages, returned oldest first."""
        rows = await self._s.execute(
            _query()
            .where(Message.neighbourhood_id == neighbourhood_id, Message.conversation_id.is_(None))
            .order_by(Message.id.desc())
            .limit(limit)
        )
        return [_rec(*r) for r in reversed(rows.all())]
