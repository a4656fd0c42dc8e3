"""Private conversations between one young person and the officers of a neighbourhood."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import cast

from sqlalchemy import ColumnElement, RowMapping, Select, Table, and_, bindparam, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from server.storage.models import Conversation, DutySession, Neighbourhood, StaffUser, UTCDateTime, Youth
from server.storage.records import ConversationRec, StaffRec
from server.storage.staff_repo import staff_rec

OPEN_STATUSES = ("waiting", "active")

_Officer = aliased(StaffUser)
_Previous = aliased(StaffUser)

_CONVERSATIONS = cast(Table, Conversation.__table__)
_TOUCH = (
    update(_CONVERSATIONS)
    .where(_CONVERSATIONS.c.id == bindparam("conversation_id"))
    .values(last_message_at=bindparam("touched_at", type_=UTCDateTime()))
    .returning(_CONVERSATIONS.c.status, _CONVERSATIONS.c.officer_id)
)


_NEIGHBOURHOODS = cast(Table, Neighbourhood.__table__)
_YOUTHS = cast(Table, Youth.__table__)
_OFFICERS = cast(Table, StaffUser.__table__).alias("officer")
_PREVIOUS = cast(Table, StaffUser.__table__).alias("previous")
_STAFF_FIELDS = ("id", "username", "display_name", "role", "police_area", "region", "is_active", "password_hash")
# The columns of a ConversationRec, read without the ORM (no entities, no identity map), built
# once so that SQLAlchemy's compiled cache serves it without rebuilding the statement.
_READ_ALL = select(
    _CONVERSATIONS.c.id,
    _CONVERSATIONS.c.neighbourhood_id,
    _NEIGHBOURHOODS.c.slug,
    _CONVERSATIONS.c.youth_id,
    _YOUTHS.c.nickname,
    _CONVERSATIONS.c.status,
    _CONVERSATIONS.c.created_at,
    _CONVERSATIONS.c.taken_at,
    _CONVERSATIONS.c.closed_at,
    _CONVERSATIONS.c.last_message_at,
    _CONVERSATIONS.c.waiting_since,
    _CONVERSATIONS.c.handed_over_from,
    *(_OFFICERS.c[name].label(f"officer_{name}") for name in _STAFF_FIELDS),
    *(_PREVIOUS.c[name].label(f"previous_{name}") for name in _STAFF_FIELDS),
).select_from(
    _CONVERSATIONS.join(_NEIGHBOURHOODS, _NEIGHBOURHOODS.c.id == _CONVERSATIONS.c.neighbourhood_id)
    .join(_YOUTHS, _YOUTHS.c.id == _CONVERSATIONS.c.youth_id)
    .outerjoin(_OFFICERS, _OFFICERS.c.id == _CONVERSATIONS.c.officer_id)
    .outerjoin(_PREVIOUS, _PREVIOUS.c.id == _CONVERSATIONS.c.handed_over_from)
)
_READ = _READ_ALL.where(_CONVERSATIONS.c.id == bindparam("conversation_id"))
_READ_MANY = _READ_ALL.where(_CONVERSATIONS.c.id.in_(bindparam("ids", expanding=True)))
# Several conversations' last_message_at at once, their rows locked in id order (so that
# batches in flight at once wait for each other instead of deadlocking; SQLite, one writer at
# a time, has no row locks and SQLAlchemy leaves FOR UPDATE out there).
_TOUCH_MANY = (
    update(_CONVERSATIONS)
    .where(
        _CONVERSATIONS.c.id.in_(
            select(_CONVERSATIONS.c.id)
            .where(_CONVERSATIONS.c.id.in_(bindparam("ids", expanding=True)))
            .order_by(_CONVERSATIONS.c.id)
            .with_for_update()
            .scalar_subquery()
        )
    )
    .values(last_message_at=bindparam("touched_at", type_=UTCDateTime()))
)


def _query() -> Select[Conversation, str, str, StaffUser | None, StaffUser | None]:
    return (
        select(Conversation, Neighbourhood.slug, Youth.nickname, _Officer, _Previous)
        .join(Neighbourhood, Neighbourhood.id == Conversation.neighbourhood_id)
        .join(Youth, Youth.id == Conversation.youth_id)
        .outerjoin(_Officer, _Officer.id == Conversation.officer_id)
        .outerjoin(_Previous, _Previous.id == Conversation.handed_over_from)
    )


def _on_duty(officer_id: int, region: str | None = None) -> ColumnElement[bool]:
    """The officer has an open duty for the conversation's neighbourhood (or, given a region, for
    any neighbourhood of it). On PostgreSQL the duty row is share-locked, so a duty ending at the
    same moment either waits for this write (and then finds what it wrote) or this write waits for
    it (and then finds the duty ended): a chat is never left with an officer gone off duty."""
    duty = select(DutySession.id).where(DutySession.staff_id == officer_id, DutySession.ended_at.is_(None))
    if region is None:
        duty = duty.where(DutySession.neighbourhood_id == Conversation.neighbourhood_id)
    else:
        duty = duty.join(Neighbourhood, Neighbourhood.id == DutySession.neighbourhood_id).where(
            Neighbourhood.region == region
        )
    return exists(duty.with_for_update(read=True, of=DutySession))


def _rec(
    row: Conversation, slug: str, nickname: str, officer: StaffUser | None, previous: StaffUser | None = None
) -> ConversationRec:
    return ConversationRec(
        id=row.id,
        neighbourhood_id=row.neighbourhood_id,
        room=slug,
        youth_id=row.youth_id,
        youth_nickname=nickname,
        status=row.status,
        officer=staff_rec(officer) if officer else None,
        created_at=row.created_at,
        taken_at=row.taken_at,
        closed_at=row.closed_at,
        last_message_at=row.last_message_at,
        previous_officer=staff_rec(previous) if previous else None,
        waiting_since=row.waiting_since,
    )


def _read_rec(r: RowMapping) -> ConversationRec:
    officer = (
        StaffRec(**{name: r[f"officer_{name}"] for name in _STAFF_FIELDS}) if r["officer_id"] is not None else None
    )
    previous = (
        StaffRec(**{name: r[f"previous_{name}"] for name in _STAFF_FIELDS})
        if r["handed_over_from"] is not None
        else None
    )
    return ConversationRec(
        id=r["id"],
        neighbourhood_id=r["neighbourhood_id"],
        room=r["slug"],
        youth_id=r["youth_id"],
        youth_nickname=r["nickname"],
        status=r["status"],
        officer=officer,
        created_at=r["created_at"],
        taken_at=r["taken_at"],
        closed_at=r["closed_at"],
        last_message_at=r["last_message_at"],
        previous_officer=previous,
        waiting_since=r["waiting_since"],
    )


class ConversationRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, conversation_id: str) -> ConversationRec | None:
        found = (await self._s.execute(_query().where(Conversation.id == conversation_id))).first()
        return _rec(*found) if found else None

    async def read(self, conversation_id: str) -> ConversationRec | None:
        """As `get`, as stored now: one Core statement on the message path, not the ORM's."""
        found = (await self._s.execute(_READ, {"conversation_id": conversation_id})).first()
        return _read_rec(found._mapping) if found is not None else None

    async def read_many(self, conversation_ids: Collection[str]) -> dict[str, ConversationRec]:
        """`read` of several conversations in one statement, by id; unknown ids are left out."""
        rows = await self._s.execute(_READ_MANY, {"ids": list(conversation_ids)})
        return {rec.id: rec for rec in (_read_rec(r._mapping) for r in rows)}

    async def open_for(self, youth_id: str, neighbourhood_id: int) -> ConversationRec | None:
        found = (
            await self._s.execute(
                _query().where(
                    Conversation.youth_id == youth_id,
                    Conversation.neighbourhood_id == neighbourhood_id,
                    Conversation.status.in_(OPEN_STATUSES),
                )
            )
        ).first()
        return _rec(*found) if found else None

    async def open_of_youth(self, youth_id: str) -> list[ConversationRec]:
        rows = await self._s.execute(
            _query()
            .where(Conversation.youth_id == youth_id, Conversation.status.in_(OPEN_STATUSES))
            .order_by(Conversation.created_at)
        )
        return [_rec(*r) for r in rows]

    async def add(self, *, conversation_id: str, neighbourhood_id: int, youth_id: str, now: dt.datetime) -> None:
        self._s.add(
            Conversation(
                id=conversation_id,
                neighbourhood_id=neighbourhood_id,
                youth_id=youth_id,
                status="waiting",
                created_at=now,
                waiting_since=now,
            )
        )
        await self._s.flush()

    async def take(self, conversation_id: str, officer_id: int, now: dt.datetime, *, region: str | None = None) -> bool:
        """Claim a waiting conversation; True only for the one caller whose update won. The officer
        must be on duty for its neighbourhood (or, given `region`, anywhere in that region, as for
        a triage claim) when the update runs, not only when it was checked."""
        result = await self._s.execute(
            update(Conversation)
            .where(
                Conversation.id == conversation_id,
                Conversation.status == "waiting",
                _on_duty(officer_id, region),
            )
            .values(status="active", officer_id=officer_id, taken_at=now, waiting_since=None)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def transfer(self, conversation_id: str, from_id: int, to_id: int, now: dt.datetime) -> bool:
        """Move an active chat from its officer to a colleague on duty for its neighbourhood; True
        only when it was still `from_id`'s and the colleague still on duty as the update ran."""
        result = await self._s.execute(
            update(Conversation)
            .where(
                Conversation.id == conversation_id,
                Conversation.status == "active",
                Conversation.officer_id == from_id,
                _on_duty(to_id),
            )
            .values(officer_id=to_id, handed_over_from=from_id, taken_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def active_of(self, officer_id: int) -> list[ConversationRec]:
        """The active chats an officer holds."""
        rows = await self._s.execute(
            _query().where(Conversation.officer_id == officer_id, Conversation.status == "active")
        )
        return [_rec(*r) for r in rows]

    async def release(self, conversation_ids: Collection[str], officer_id: int, now: dt.datetime) -> list[str]:
        """Put these chats of an officer back in the queue (waiting from now, alerts afresh); the
        ids of those that were still the officer's and active."""
        if not conversation_ids:
            return []
        rows = await self._s.execute(
            update(Conversation)
            .where(
                Conversation.id.in_(sorted(conversation_ids)),
                Conversation.officer_id == officer_id,
                Conversation.status == "active",
            )
            .values(
                status="waiting",
                officer_id=None,
                handed_over_from=officer_id,
                waiting_since=now,
                alerted_at=None,
                escalated_at=None,
            )
            .returning(Conversation.id)
            .execution_options(synchronize_session=False)
        )
        return sorted(rows.scalars())

    async def waiting_in(self, neighbourhood_id: int) -> list[ConversationRec]:
        """The neighbourhood's waiting chats in queue order (the longest-open first, as officers see them)."""
        rows = await self._s.execute(
            _query()
            .where(Conversation.neighbourhood_id == neighbourhood_id, Conversation.status == "waiting")
            .order_by(Conversation.created_at, Conversation.id)
            .limit(500)
        )
        return [_rec(*r) for r in rows]

    async def due_for_alert(self, waiting_before: dt.datetime, *, escalate: bool) -> list[str]:
        """Waiting chats since before then not yet alerted about (or, `escalate`, not yet escalated)."""
        done = Conversation.escalated_at if escalate else Conversation.alerted_at
        rows = await self._s.scalars(
            select(Conversation.id)
            .where(Conversation.status == "waiting", Conversation.waiting_since <= waiting_before, done.is_(None))
            .order_by(Conversation.waiting_since)
            .limit(1000)
        )
        return list(rows)

    async def mark_alerted(self, conversation_id: str, now: dt.datetime, *, escalate: bool) -> bool:
        """Record the alert; True for the one process whose update won (each alert fires once)."""
        done = Conversation.escalated_at if escalate else Conversation.alerted_at
        result = await self._s.execute(
            update(Conversation)
            .where(Conversation.id == conversation_id, Conversation.status == "waiting", done.is_(None))
            .values({done.key: now})
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def close(self, conversation_id: str, now: dt.datetime) -> bool:
        result = await self._s.execute(
            update(Conversation)
            .where(Conversation.id == conversation_id, Conversation.status.in_(OPEN_STATUSES))
            .values(status="closed", closed_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def touch(self, conversation_id: str, now: dt.datetime) -> tuple[str, int | None] | None:
        """Record a new message's time; the row's status and officer as of this write (the
        row is locked by it, so a concurrent take is either before it or after the commit)."""
        conn = await self._s.connection()
        found = (await conn.execute(_TOUCH, {"conversation_id": conversation_id, "touched_at": now})).first()
        return (found[0], found[1]) if found else None

    async def touch_many(self, conversation_ids: Collection[str], now: dt.datetime) -> None:
        """Record `now` as the last message time of these conversations, locking their rows in
        id order; read them after this (`read_many`) to see them as they are while locked."""
        conn = await self._s.connection()
        await conn.execute(_TOUCH_MANY, {"ids": sorted(conversation_ids), "touched_at": now})

    async def inbox(self, officer_id: int, neighbourhood_ids: list[int]) -> list[ConversationRec]:
        """Waiting chats of the given neighbourhoods, and the active ones this officer holds."""
        rows = await self._s.execute(
            _query()
            .where(
                or_(
                    and_(
                        Conversation.status == "waiting",
                        Conversation.neighbourhood_id.in_(neighbourhood_ids),
                    ),
                    and_(Conversation.status == "active", Conversation.officer_id == officer_id),
                )
            )
            .order_by(Conversation.created_at)
            .limit(500)
        )
        return [_rec(*r) for r in rows]

    async def many(self, ids: list[str]) -> dict[str, ConversationRec]:
        rows = await self._s.execute(_query().where(Conversation.id.in_(ids)))
        return {r.id: r for r in (_rec(*row) for row in rows)}
