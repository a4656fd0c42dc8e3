"""Urgent reports and the triage queue."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.storage.models import Neighbourhood, Report, StaffUser, UTCDateTime, Youth
from server.storage.records import ReportRec
from server.storage.staff_repo import staff_rec

QUEUE_LIMIT = 500


def _query() -> Select[Report, str, str, str, str, StaffUser | None]:
    return (
        select(Report, Neighbourhood.slug, Neighbourhood.police_area, Neighbourhood.region, Youth.nickname, StaffUser)
        .join(Neighbourhood, Neighbourhood.id == Report.neighbourhood_id)
        .join(Youth, Youth.id == Report.youth_id)
        .outerjoin(StaffUser, StaffUser.id == Report.claimed_by)
    )


def _rec(r: Report, slug: str, area: str, region: str, nickname: str, staff: StaffUser | None) -> ReportRec:
    return ReportRec(
        id=r.id,
        neighbourhood_id=r.neighbourhood_id,
        room=slug,
        police_area=area,
        region=region,
        youth_id=r.youth_id,
        youth_nickname=nickname,
        client_id=r.client_id,
        category=r.category,
        happening_now=r.happening_now,
        location=r.location,
        body=r.body,
        priority=r.priority,
        reasons=tuple(json.loads(r.reasons)),
        status=r.status,
        created_at=r.created_at,
        claimed_by=staff_rec(staff) if staff else None,
        claimed_at=r.claimed_at,
        conversation_id=r.conversation_id,
        escalated_at=r.escalated_at,
        outcome=r.outcome,
        closed_at=r.closed_at,
        source_hash=r.source_hash,
        text_hash=r.text_hash,
    )


_ORDER = (Report.priority, Report.created_at, Report.id)


class ReportRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, report_id: str) -> ReportRec | None:
        found = (await self._s.execute(_query().where(Report.id == report_id))).first()
        return _rec(*found) if found else None

    async def by_client_id(self, youth_id: str, client_id: str) -> ReportRec | None:
        found = (
            await self._s.execute(_query().where(Report.youth_id == youth_id, Report.client_id == client_id))
        ).first()
        return _rec(*found) if found else None

    async def count_since(self, youth_id: str, since: dt.datetime) -> int:
        n = await self._s.scalar(
            select(func.count()).select_from(Report).where(Report.youth_id == youth_id, Report.created_at >= since)
        )
        return int(n or 0)

    async def add(
        self,
        *,
        report_id: str,
        neighbourhood_id: int,
        youth_id: str,
        client_id: str,
        category: str,
        happening_now: bool,
        location: str,
        body: str,
        priority: int,
        reasons: tuple[str, ...],
        now: dt.datetime,
        source_hash: str | None = None,
        text_hash: str | None = None,
    ) -> None:
        self._s.add(
            Report(
                id=report_id,
                neighbourhood_id=neighbourhood_id,
                youth_id=youth_id,
                client_id=client_id,
                category=category,
                happening_now=happening_now,
                location=location,
                body=body,
                priority=priority,
                reasons=json.dumps(list(reasons)),
                status="new",
                created_at=now,
                source_hash=source_hash,
                text_hash=text_hash,
            )
        )
        await self._s.flush()

    async def new_in_regions(self, regions: list[str]) -> list[ReportRec]:
        """Unclaimed reports of neighbourhoods in these regions, most urgent first, then oldest."""
        rows = await self._s.execute(
            _query()
            .where(Report.status == "new", Neighbourhood.region.in_(regions))
            .order_by(*_ORDER)
            .limit(QUEUE_LIMIT)
        )
        return [_rec(*r) for r in rows]

    async def claimed_by(self, staff_id: int) -> list[ReportRec]:
        rows = await self._s.execute(
            _query().where(Report.status == "claimed", Report.claimed_by == staff_id).order_by(*_ORDER)
        )
        return [_rec(*r) for r in rows]

    async def open_of_youth(self, youth_id: str) -> list[ReportRec]:
        rows = await self._s.execute(
            _query().where(Report.youth_id == youth_id, Report.status != "closed").order_by(Report.created_at)
        )
        return [_rec(*r) for r in rows]

    async def for_conversation(self, conversation_id: str) -> ReportRec | None:
        found = (
            await self._s.execute(
                _query().where(Report.conversation_id == conversation_id).order_by(Report.created_at.desc())
            )
        ).first()
        return _rec(*found) if found else None

    async def claim(self, report_id: str, staff_id: int, now: dt.datetime) -> bool:
        """Claim an unclaimed report; True only for the one caller whose update won."""
        result = await self._s.execute(
            update(Report)
            .where(Report.id == report_id, Report.status == "new")
            .values(status="claimed", claimed_by=staff_id, claimed_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def requeue(self, conversation_ids: list[str], staff_id: int) -> list[str]:
        """Reports an officer claimed for these chats go back to the queue, unclaimed (and not yet
        escalated, so an urgent one alerts again); their ids."""
        if not conversation_ids:
            return []
        rows = await self._s.execute(
            update(Report)
            .where(
                Report.conversation_id.in_(conversation_ids),
                Report.status == "claimed",
                Report.claimed_by == staff_id,
            )
            .values(status="new", claimed_by=None, claimed_at=None, escalated_at=None)
            .returning(Report.id)
            .execution_options(synchronize_session=False)
        )
        return sorted(rows.scalars())

    async def claim_with_chat(self, conversation_id: str, staff_id: int, now: dt.datetime) -> list[str]:
        """The officer who takes (or is given) a chat also holds the reports raised from it that
        still wait, and those another officer held for it; their ids."""
        rows = await self._s.execute(
            update(Report)
            .where(Report.conversation_id == conversation_id, Report.status.in_(("new", "claimed")))
            .values(status="claimed", claimed_by=staff_id, claimed_at=now)
            .returning(Report.id)
            .execution_options(synchronize_session=False)
        )
        return sorted(rows.scalars())

    async def raise_priority(self, report_id: str, level: int, reasons: tuple[str, ...]) -> bool:
        """A waiting report becomes more urgent (a lower level); True when it did."""
        result = await self._s.execute(
            update(Report)
            .where(Report.id == report_id, Report.status == "new", Report.priority > level)
            .values(priority=level, reasons=json.dumps(list(reasons)))
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def link_conversation(self, report_id: str, conversation_id: str) -> None:
        await self._s.execute(
            update(Report)
            .where(Report.id == report_id)
            .values(conversation_id=conversation_id)
            .execution_options(synchronize_session=False)
        )

    async def close(self, report_id: str, outcome: str, now: dt.datetime) -> bool:
        result = await self._s.execute(
            update(Report)
            .where(Report.id == report_id, Report.status == "claimed")
            .values(status="closed", outcome=outcome, closed_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def due_for_escalation(self, priority: int, created_before: dt.datetime) -> list[str]:
        rows = await self._s.scalars(
            select(Report.id).where(
                Report.status == "new",
                Report.priority == priority,
                Report.escalated_at.is_(None),
                Report.created_at <= created_before,
            )
        )
        return list(rows)

    async def mark_escalated(self, report_id: str, now: dt.datetime) -> bool:
        """Mark once: across processes only one caller raises the alert."""
        result = await self._s.execute(
            update(Report)
            .where(Report.id == report_id, Report.status == "new", Report.escalated_at.is_(None))
            .values(escalated_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def queue_stats(self) -> tuple[int, dt.datetime | None]:
        row = (
            await self._s.execute(
                select(func.count(), func.min(Report.created_at, type_=UTCDateTime())).where(Report.status == "new")
            )
        ).one()
        return int(row[0]), row[1]

    async def for_conversations(self, ids: list[str]) -> dict[str, ReportRec]:
        rows = await self._s.execute(_query().where(Report.conversation_id.in_(ids)).order_by(Report.created_at))
        return {r.conversation_id: r for r in (_rec(*row) for row in rows) if r.conversation_id}
