"""Neighbourhood notices and the tips young people send to them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.storage.models import Neighbourhood, Notice, NoticeTip, StaffUser
from server.storage.records import NoticeRec, TipRec

LIST_LIMIT = 200


def _query() -> Select[Notice, str, str]:
    return (
        select(Notice, Neighbourhood.slug, StaffUser.display_name)
        .join(Neighbourhood, Neighbourhood.id == Notice.neighbourhood_id)
        .join(StaffUser, StaffUser.id == Notice.author_id)
    )


def _rec(n: Notice, slug: str, author_name: str) -> NoticeRec:
    return NoticeRec(
        id=n.id,
        neighbourhood_id=n.neighbourhood_id,
        room=slug,
        author_id=n.author_id,
        author_name=author_name,
        body=n.body,
        status=n.status,
        secrecy=tuple(json.loads(n.secrecy)),
        expires_at=n.expires_at,
        review_comment=n.review_comment,
        approved_by=n.approved_by,
        published_at=n.published_at,
        followup=n.followup,
        followup_secrecy=tuple(json.loads(n.followup_secrecy)),
        closed_at=n.closed_at,
        created_at=n.created_at,
    )


def _tip(t: NoticeTip) -> TipRec:
    return TipRec(t.id, t.notice_id, t.youth_id, t.client_id, t.body, tuple(json.loads(t.flags)), t.created_at)


class NoticeRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(
        self,
        *,
        notice_id: str,
        neighbourhood_id: int,
        author_id: int,
        body: str,
        secrecy: Sequence[str],
        expires_at: dt.datetime,
        now: dt.datetime,
    ) -> None:
        self._s.add(
            Notice(
                id=notice_id,
                neighbourhood_id=neighbourhood_id,
                author_id=author_id,
                body=body,
                status="pending",
                secrecy=json.dumps(sorted(secrecy)),
                expires_at=expires_at,
                review_comment="",
                followup_secrecy="[]",
                created_at=now,
            )
        )
        await self._s.flush()

    async def get(self, notice_id: str) -> NoticeRec | None:
        row = (await self._s.execute(_query().where(Notice.id == notice_id))).first()
        return _rec(*row) if row else None

    async def in_rooms(self, neighbourhood_ids: Sequence[int], statuses: Sequence[str]) -> list[NoticeRec]:
        q = (
            _query()
            .where(Notice.neighbourhood_id.in_(neighbourhood_ids), Notice.status.in_(statuses))
            .order_by(Notice.created_at.desc(), Notice.id)
            .limit(LIST_LIMIT)
        )
        return [_rec(*row) for row in (await self._s.execute(q)).all()]

    async def closed_since(self, neighbourhood_id: int, since: dt.datetime) -> list[NoticeRec]:
        q = (
            _query()
            .where(Notice.neighbourhood_id == neighbourhood_id, Notice.status == "closed", Notice.closed_at >= since)
            .order_by(Notice.closed_at.desc(), Notice.id)
            .limit(LIST_LIMIT)
        )
        return [_rec(*row) for row in (await self._s.execute(q)).all()]

    async def expired_due(self, now: dt.datetime) -> list[NoticeRec]:
        q = _query().where(Notice.status == "published", Notice.expires_at <= now)
        return [_rec(*row) for row in (await self._s.execute(q.limit(LIST_LIMIT))).all()]

    async def transition(self, notice_id: str, from_status: str, **values: Any) -> bool:
        """Move a notice on from exactly `from_status`; False if someone moved it first."""
        if "followup_secrecy" in values:
            values["followup_secrecy"] = json.dumps(sorted(values["followup_secrecy"]))
        result = await self._s.execute(
            update(Notice)
            .where(Notice.id == notice_id, Notice.status == from_status)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def add_tip(
        self, *, tip_id: str, notice_id: str, youth_id: str, client_id: str, body: str, flags: Sequence[str],
        now: dt.datetime,
    ) -> TipRec:  # fmt: skip
        row = NoticeTip(
            id=tip_id,
            notice_id=notice_id,
            youth_id=youth_id,
            client_id=client_id,
            body=body,
            flags=json.dumps(sorted(flags)),
            created_at=now,
        )
        self._s.add(row)
        await self._s.flush()
        return _tip(row)

    async def tip_by_client_id(self, youth_id: str, client_id: str) -> TipRec | None:
        row = await self._s.scalar(
            select(NoticeTip).where(NoticeTip.youth_id == youth_id, NoticeTip.client_id == client_id)
        )
        return _tip(row) if row else None

    async def tips(self, notice_id: str) -> list[TipRec]:
        rows = await self._s.scalars(
            select(NoticeTip).where(NoticeTip.notice_id == notice_id).order_by(NoticeTip.created_at, NoticeTip.id)
        )
        return [_tip(t) for t in rows]

    async def tip_count(self, notice_id: str) -> int:
        n = await self._s.scalar(select(func.count()).select_from(NoticeTip).where(NoticeTip.notice_id == notice_id))
        return int(n or 0)
