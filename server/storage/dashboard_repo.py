"""Aggregates for the supervisors' dashboards. Counts and times only, never content."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.storage.models import Conversation, Feedback, Handoff, Message, Neighbourhood, Report


class DashboardRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def conversations_per_room(
        self, regions: list[str], since: dt.datetime, until: dt.datetime
    ) -> dict[str, int]:
        rows = await self._s.execute(
            select(Neighbourhood.slug, func.count(Conversation.id))
            .join(Conversation, Conversation.neighbourhood_id == Neighbourhood.id)
            .where(Neighbourhood.region.in_(regions), Conversation.created_at >= since, Conversation.created_at < until)
            .group_by(Neighbourhood.slug)
        )
        return {slug: int(n) for slug, n in rows}

    async def reports_per_room(self, regions: list[str], since: dt.datetime, until: dt.datetime) -> dict[str, int]:
        rows = await self._s.execute(
            select(Neighbourhood.slug, func.count(Report.id))
            .join(Report, Report.neighbourhood_id == Neighbourhood.id)
            .where(Neighbourhood.region.in_(regions), Report.created_at >= since, Report.created_at < until)
            .group_by(Neighbourhood.slug)
        )
        return {slug: int(n) for slug, n in rows}

    async def conversation_times(
        self, regions: list[str], since: dt.datetime, until: dt.datetime
    ) -> list[tuple[str, dt.datetime, dt.datetime | None]]:
        """(room, created_at, first officer message at) of conversations in the period."""
        first_reply = (
            select(Message.conversation_id, func.min(Message.created_at).label("first"))
            .where(Message.author_kind == "officer", Message.conversation_id.is_not(None))
            .group_by(Message.conversation_id)
            .subquery()
        )
        rows = await self._s.execute(
            select(Neighbourhood.slug, Conversation.created_at, first_reply.c.first)
            .join(Neighbourhood, Neighbourhood.id == Conversation.neighbourhood_id)
            .outerjoin(first_reply, first_reply.c.conversation_id == Conversation.id)
            .where(Neighbourhood.region.in_(regions), Conversation.created_at >= since, Conversation.created_at < until)
        )
        return [(slug, created, first) for slug, created, first in rows]

    async def claim_times(
        self, regions: list[str], since: dt.datetime, until: dt.datetime
    ) -> list[tuple[int, dt.datetime, dt.datetime | None, bool]]:
        """(priority, created_at, claimed_at, unstaffed) of reports in the period."""
        rows = await self._s.execute(
            select(Report.priority, Report.created_at, Report.claimed_at, Report.reasons)
            .join(Neighbourhood, Neighbourhood.id == Report.neighbourhood_id)
            .where(Neighbourhood.region.in_(regions), Report.created_at >= since, Report.created_at < until)
        )
        return [(p, c, cl, '"unstaffed"' in (reasons or "")) for p, c, cl, reasons in rows]

    async def handoffs_by_kind(self, regions: list[str], since: dt.datetime, until: dt.datetime) -> dict[str, int]:
        rows = await self._s.execute(
            select(Handoff.kind, func.count(Handoff.id))
            .join(Conversation, Conversation.id == Handoff.conversation_id)
            .join(Neighbourhood, Neighbourhood.id == Conversation.neighbourhood_id)
            .where(Neighbourhood.region.in_(regions), Handoff.created_at >= since, Handoff.created_at < until)
            .group_by(Handoff.kind)
        )
        return {kind: int(n) for kind, n in rows}

    async def feedback(
        self, regions: list[str], since: dt.datetime, until: dt.datetime
    ) -> list[tuple[dt.datetime, int]]:
        rows = await self._s.execute(
            select(Feedback.created_at, Feedback.score)
            .join(Neighbourhood, Neighbourhood.id == Feedback.neighbourhood_id)
            .where(Neighbourhood.region.in_(regions), Feedback.created_at >= since, Feedback.created_at < until)
        )
        return [(at, int(score)) for at, score in rows]
