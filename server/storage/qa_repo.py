"""Q&A sessions, their hosts, questions and votes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.storage.models import DutySession, Neighbourhood, QaHost, QaQuestion, QaSession, QaVote, StaffUser
from server.storage.records import QaQuestionRec, QaSessionRec

LIST_LIMIT = 500


def _question(q: QaQuestion, answered_by_name: str | None) -> QaQuestionRec:
    return QaQuestionRec(
        id=q.id,
        session_id=q.session_id,
        youth_id=q.youth_id,
        client_id=q.client_id,
        body=q.body,
        public_body=q.public_body,
        status=q.status,
        reason=q.reason,
        flags=tuple(json.loads(q.flags)),
        votes=q.votes,
        pinned=q.pinned,
        answer=q.answer,
        answered_by_name=answered_by_name,
        answered_at=q.answered_at,
        created_at=q.created_at,
    )


class QaRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    # Sessions -----------------------------------------------------------------------------

    async def add_session(
        self,
        *,
        session_id: str,
        neighbourhood_id: int,
        title: str,
        description: str,
        starts_at: dt.datetime,
        ends_at: dt.datetime,
        created_by: int,
        host_ids: Sequence[int],
        now: dt.datetime,
    ) -> None:
        self._s.add(
            QaSession(
                id=session_id,
                neighbourhood_id=neighbourhood_id,
                title=title,
                description=description,
                starts_at=starts_at,
                ends_at=ends_at,
                created_by=created_by,
                created_at=now,
            )
        )
        await self._s.flush()
        for staff_id in sorted(set(host_ids)):
            self._s.add(QaHost(session_id=session_id, staff_id=staff_id, added_at=now))
        await self._s.flush()

    async def add_host(self, session_id: str, staff_id: int, now: dt.datetime) -> bool:
        exists = await self._s.get(QaHost, (session_id, staff_id))
        if exists is not None:
            return False
        self._s.add(QaHost(session_id=session_id, staff_id=staff_id, added_at=now))
        await self._s.flush()
        return True

    async def _sessions(self, rows: Sequence[tuple[QaSession, str]]) -> list[QaSessionRec]:
        ids = [s.id for s, _ in rows]
        hosts: dict[str, list[int]] = {i: [] for i in ids}
        if ids:
            for h in await self._s.scalars(select(QaHost).where(QaHost.session_id.in_(ids))):
                hosts[h.session_id].append(h.staff_id)
        return [
            QaSessionRec(
                id=s.id,
                neighbourhood_id=s.neighbourhood_id,
                room=slug,
                title=s.title,
                description=s.description,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                created_by=s.created_by,
                cancelled_at=s.cancelled_at,
                host_ids=tuple(sorted(hosts[s.id])),
            )
            for s, slug in rows
        ]

    async def get_session(self, session_id: str) -> QaSessionRec | None:
        row = (
            await self._s.execute(
                select(QaSession, Neighbourhood.slug)
                .join(Neighbourhood, Neighbourhood.id == QaSession.neighbourhood_id)
                .where(QaSession.id == session_id)
            )
        ).first()
        if row is None:
            return None
        return (await self._sessions([(row[0], row[1])]))[0]

    async def sessions_ending_after(
        self, neighbourhood_ids: Sequence[int], after: dt.datetime, until: dt.datetime | None = None
    ) -> list[QaSessionRec]:
        """Sessions not cancelled that end after `after` (and start before `until`), by start."""
        q = (
            select(QaSession, Neighbourhood.slug)
            .join(Neighbourhood, Neighbourhood.id == QaSession.neighbourhood_id)
            .where(
                QaSession.neighbourhood_id.in_(neighbourhood_ids),
                QaSession.cancelled_at.is_(None),
                QaSession.ends_at > after,
            )
            .order_by(QaSession.starts_at, QaSession.id)
            .limit(LIST_LIMIT)
        )
        if until is not None:
            q = q.where(QaSession.starts_at < until)
        rows = (await self._s.execute(q)).all()
        return await self._sessions(rows)

    async def sessions_ended(self, neighbourhood_id: int, now: dt.datetime, limit: int) -> list[QaSessionRec]:
        q = (
            select(QaSession, Neighbourhood.slug)
            .join(Neighbourhood, Neighbourhood.id == QaSession.neighbourhood_id)
            .where(
                QaSession.neighbourhood_id == neighbourhood_id,
                QaSession.cancelled_at.is_(None),
                QaSession.ends_at <= now,
            )
            .order_by(QaSession.ends_at.desc(), QaSession.id)
            .limit(limit)
        )
        return await self._sessions((await self._s.execute(q)).all())

    async def next_boundary(self, neighbourhood_id: int, now: dt.datetime) -> dt.datetime | None:
        """The next moment after `now` at which a session of this neighbourhood starts or ends."""
        live = (QaSession.neighbourhood_id == neighbourhood_id, QaSession.cancelled_at.is_(None))
        start = await self._s.scalar(select(func.min(QaSession.starts_at)).where(*live, QaSession.starts_at > now))
        end = await self._s.scalar(select(func.min(QaSession.ends_at)).where(*live, QaSession.ends_at > now))
        found = [t for t in (start, end) if t is not None]
        return min(found) if found else None

    async def hosts_live_on_duty(self, now: dt.datetime) -> dict[int, int]:
        """Neighbourhood id -> number of hosts of a live session there who are on duty there."""
        q = (
            select(QaSession.neighbourhood_id, func.count(func.distinct(QaHost.staff_id)))
            .join(QaHost, QaHost.session_id == QaSession.id)
            .join(
                DutySession,
                (DutySession.staff_id == QaHost.staff_id)
                & (DutySession.neighbourhood_id == QaSession.neighbourhood_id)
                & DutySession.ended_at.is_(None),
            )
            .where(QaSession.cancelled_at.is_(None), QaSession.starts_at <= now, QaSession.ends_at > now)
            .group_by(QaSession.neighbourhood_id)
        )
        return dict((await self._s.execute(q)).all())

    # Questions ----------------------------------------------------------------------------

    async def _question_rows(self, where: Sequence[object], order: Sequence[object], limit: int) -> list[QaQuestionRec]:
        q = (
            select(QaQuestion, StaffUser.display_name)
            .outerjoin(StaffUser, StaffUser.id == QaQuestion.answered_by)
            .where(*where)  # type: ignore[arg-type]
            .order_by(*order)  # type: ignore[arg-type]
            .limit(limit)
        )
        return [_question(row, name) for row, name in (await self._s.execute(q)).all()]

    async def add_question(
        self,
        *,
        question_id: str,
        session_id: str,
        youth_id: str,
        client_id: str,
        body: str,
        flags: Sequence[str],
        now: dt.datetime,
    ) -> QaQuestionRec:
        row = QaQuestion(
            id=question_id,
            session_id=session_id,
            youth_id=youth_id,
            client_id=client_id,
            body=body,
            status="pending",
            reason="",
            flags=json.dumps(sorted(flags)),
            votes=0,
            pinned=False,
            created_at=now,
        )
        self._s.add(row)
        await self._s.flush()
        return _question(row, None)

    async def question(self, question_id: str) -> QaQuestionRec | None:
        rows = await self._question_rows([QaQuestion.id == question_id], [QaQuestion.id], 1)
        return rows[0] if rows else None

    async def question_by_client_id(self, youth_id: str, client_id: str) -> QaQuestionRec | None:
        rows = await self._question_rows(
            [QaQuestion.youth_id == youth_id, QaQuestion.client_id == client_id], [QaQuestion.id], 1
        )
        return rows[0] if rows else None

    async def public_questions(self, session_id: str) -> list[QaQuestionRec]:
        """Approved and answered questions: pinned first, then by votes, then oldest."""
        return await self._question_rows(
            [QaQuestion.session_id == session_id, QaQuestion.status.in_(("approved", "answered"))],
            [QaQuestion.pinned.desc(), QaQuestion.votes.desc(), QaQuestion.created_at, QaQuestion.id],
            LIST_LIMIT,
        )

    async def pending_questions(self, session_id: str) -> list[QaQuestionRec]:
        """The hosts' review queue, oldest first."""
        return await self._question_rows(
            [QaQuestion.session_id == session_id, QaQuestion.status == "pending"],
            [QaQuestion.created_at, QaQuestion.id],
            LIST_LIMIT,
        )

    async def questions_of_youth(self, session_id: str, youth_id: str) -> list[QaQuestionRec]:
        return await self._question_rows(
            [QaQuestion.session_id == session_id, QaQuestion.youth_id == youth_id],
            [QaQuestion.created_at, QaQuestion.id],
            LIST_LIMIT,
        )

    async def count_pending_of_youth(self, session_id: str, youth_id: str) -> int:
        n = await self._s.scalar(
            select(func.count())
            .select_from(QaQuestion)
            .where(QaQuestion.session_id == session_id, QaQuestion.youth_id == youth_id, QaQuestion.status == "pending")
        )
        return int(n or 0)

    async def review(
        self,
        question_id: str,
        *,
        status: str,
        public_body: str | None,
        reason: str,
        reviewer: int,
        now: dt.datetime,
    ) -> bool:
        """Decide a pending question; False if it was no longer pending (a concurrent review)."""
        result = await self._s.execute(
            update(QaQuestion)
            .where(QaQuestion.id == question_id, QaQuestion.status == "pending")
            .values(status=status, public_body=public_body, reason=reason, reviewed_by=reviewer, reviewed_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def answer(self, question_id: str, *, body: str, staff_id: int, now: dt.datetime) -> bool:
        result = await self._s.execute(
            update(QaQuestion)
            .where(QaQuestion.id == question_id, QaQuestion.status.in_(("approved", "answered")))
            .values(status="answered", answer=body, answered_by=staff_id, answered_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def set_pinned(self, question_id: str, pinned: bool) -> None:
        await self._s.execute(
            update(QaQuestion)
            .where(QaQuestion.id == question_id)
            .values(pinned=pinned)
            .execution_options(synchronize_session=False)
        )

    async def add_vote(self, question_id: str, youth_id: str, now: dt.datetime) -> None:
        """One vote per young person: a second raises Duplicate (the primary key decides)."""
        self._s.add(QaVote(question_id=question_id, youth_id=youth_id, created_at=now))
        await self._s.flush()
        await self._s.execute(
            update(QaQuestion)
            .where(QaQuestion.id == question_id)
            .values(votes=QaQuestion.votes + 1)
            .execution_options(synchronize_session=False)
        )

    async def voted(self, session_id: str, youth_id: str) -> set[str]:
        rows = await self._s.scalars(
            select(QaVote.question_id)
            .join(QaQuestion, QaQuestion.id == QaVote.question_id)
            .where(QaQuestion.session_id == session_id, QaVote.youth_id == youth_id)
        )
        return set(rows)
