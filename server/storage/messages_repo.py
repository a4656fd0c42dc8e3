"""Messages of rooms and conversations, ordered by their id."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from typing import cast

from sqlalchemy import Insert, Select, Table, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from server.storage.models import Message, MessageFlag, Neighbourhood, RoomSetting, StaffUser, UTCDateTime
from server.storage.records import MessageRec, StaffRec
from server.storage.staff_repo import staff_rec

_TABLE = cast(Table, Message.__table__)


def _insert(dialect: str) -> Insert:
    # One statement decides idempotency: a row whose (sender_key, client_id) is already stored
    # (a retry, or a concurrent duplicate that committed first) inserts nothing and returns no
    # row. Given several rows, SQLAlchemy sends them as one multi-row INSERT ("insertmanyvalues");
    # each returned row names the sender and client_id it is for. Built once per dialect so
    # SQLAlchemy's compiled cache keys it without rebuilding it.
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        make(_TABLE)
        .on_conflict_do_nothing(index_elements=[_TABLE.c.sender_key, _TABLE.c.client_id])
        .returning(_TABLE.c.id, _TABLE.c.sender_key, _TABLE.c.client_id)
    )


_INSERTS = {name: _insert(name) for name in ("sqlite", "postgresql")}


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
        hidden=row.hidden_at is not None,
        flag_count=row.flag_count,
    )


class MessageRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def by_client_id(self, sender_key: str, client_id: str) -> MessageRec | None:
        found = (
            await self._s.execute(_query().where(Message.sender_key == sender_key, Message.client_id == client_id))
        ).first()
        return _rec(*found) if found else None

    async def insert(
        self,
        *,
        sender_key: str,
        client_id: str,
        author_kind: str,
        author_name: str,
        body: str,
        now: dt.datetime,
        neighbourhood_id: int | None = None,
        room: str | None = None,
        conversation_id: str | None = None,
        youth_id: str | None = None,
        staff: StaffRec | None = None,
        flags: tuple[str, ...] = (),
        hidden: bool = False,
    ) -> MessageRec | None:
        """The stored message, or None when this sender already stored this client_id (read it
        with `by_client_id`). One INSERT … ON CONFLICT DO NOTHING RETURNING id; the record is
        built from what was written, so nothing is read back."""
        draft = MessageRec(
            id=0,
            neighbourhood_id=neighbourhood_id,
            room=room,
            conversation_id=conversation_id,
            client_id=client_id,
            author_kind=author_kind,
            youth_id=youth_id,
            staff=staff,
            author_name=author_name,
            body=body,
            created_at=now,
            flags=flags,
            hidden=hidden,
        )
        return (await self.insert_many([(sender_key, draft)]))[0]

    async def insert_many(self, drafts: Sequence[tuple[str, MessageRec]]) -> list[MessageRec | None]:
        """`insert` of several messages (sender_key, record without its id) in one statement, in
        the order given (ids ascend in it): for each, the stored record, or None when its sender
        already stored its client_id — before, or earlier in this same list."""
        conn = await self._s.connection()
        result = await conn.execute(
            _INSERTS[conn.dialect.name],
            [
                {
                    "sender_key": sender_key,
                    "client_id": m.client_id,
                    "author_kind": m.author_kind,
                    "author_name": m.author_name,
                    "body": m.body,
                    "created_at": m.created_at,
                    "neighbourhood_id": m.neighbourhood_id,
                    "conversation_id": m.conversation_id,
                    "youth_id": m.youth_id,
                    "staff_id": m.staff.id if m.staff else None,
                    "flags": json.dumps(sorted(m.flags)),
                    "hidden_at": m.created_at if m.hidden else None,
                    "flag_count": 0,
                }
                for sender_key, m in drafts
            ],
        )
        ids = {(key, client_id): new_id for new_id, key, client_id in result}
        out: list[MessageRec | None] = []
        for sender_key, m in drafts:
            new_id = ids.pop((sender_key, m.client_id), None)  # a repeat in this list gets None
            out.append(
                None
                if new_id is None
                else dataclasses.replace(
                    m, id=new_id, created_at=m.created_at.astimezone(dt.UTC), flags=tuple(sorted(m.flags)), flag_count=0
                )
            )
        return out

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

    async def get(self, message_id: int) -> MessageRec | None:
        found = (await self._s.execute(_query().where(Message.id == message_id))).first()
        return _rec(*found) if found else None

    async def hide(self, message_id: int, now: dt.datetime) -> bool:
        result = await self._s.execute(
            update(Message)
            .where(Message.id == message_id, Message.hidden_at.is_(None))
            .values(hidden_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def add_flag(self, message_id: int, youth_id: str, reason: str, now: dt.datetime) -> None:
        """Raises (as Duplicate at commit) when this young person already flagged the message."""
        self._s.add(MessageFlag(message_id=message_id, youth_id=youth_id, reason=reason, created_at=now))
        await self._s.flush()
        await self._s.execute(
            update(Message)
            .where(Message.id == message_id)
            .values(flag_count=Message.flag_count + 1)
            .execution_options(synchronize_session=False)
        )

    async def flagged(self, neighbourhood_id: int, limit: int) -> list[MessageRec]:
        rows = await self._s.execute(
            _query()
            .where(
                Message.neighbourhood_id == neighbourhood_id,
                Message.conversation_id.is_(None),
                Message.flag_count > 0,
                Message.hidden_at.is_(None),
            )
            .order_by(Message.id.desc())
            .limit(limit)
        )
        return [_rec(*r) for r in rows]

    async def last_by_youth_in_room(
        self, youth_id: str, neighbourhood_id: int, before_id: int | None = None
    ) -> dt.datetime | None:
        """When this young person last posted in the room (before message `before_id`, if given)."""
        query = select(func.max(Message.created_at, type_=UTCDateTime())).where(
            Message.youth_id == youth_id,
            Message.neighbourhood_id == neighbourhood_id,
            Message.conversation_id.is_(None),
        )
        if before_id is not None:
            query = query.where(Message.id < before_id)
        return await self._s.scalar(query)

    async def slow_mode(self, neighbourhood_id: int) -> int:
        found = await self._s.get(RoomSetting, neighbourhood_id)
        return found.slow_mode_seconds if found else 0

    async def set_slow_mode(self, neighbourhood_id: int, seconds: int) -> None:
        found = await self._s.get(RoomSetting, neighbourhood_id)
        if found is None:
            self._s.add(RoomSetting(neighbourhood_id=neighbourhood_id, slow_mode_seconds=seconds))
        else:
            found.slow_mode_seconds = seconds
        await self._s.flush()
