"""Retention: find and delete what has been kept long enough."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.storage.models import (
    Conversation,
    ConversationNote,
    Message,
    NoticeTip,
    QaQuestion,
    QaSession,
    QaVote,
    Report,
    RoomNickname,
    Youth,
)


class RetentionRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def closed_candidates(self, closed_before: dt.datetime) -> list[tuple[str, str | None, dt.datetime]]:
        """(conversation id, report outcome, closed at) of closed, unheld, unpurged conversations."""
        rows = await self._s.execute(
            select(Conversation.id, Report.outcome, Conversation.closed_at)
            .outerjoin(Report, Report.conversation_id == Conversation.id)
            .where(
                Conversation.status == "closed",
                Conversation.legal_hold.is_(False),
                Conversation.purged_at.is_(None),
                Conversation.closed_at < closed_before,
            )
        )
        return [(cid, outcome, closed) for cid, outcome, closed in rows if closed is not None]

    async def count_messages(self, conversation_ids: list[str]) -> int:
        if not conversation_ids:
            return 0
        n = await self._s.scalar(
            select(func.count()).select_from(Message).where(Message.conversation_id.in_(conversation_ids))
        )
        return int(n or 0)

    async def purge_conversations(self, conversation_ids: list[str], now: dt.datetime) -> None:
        """Delete the messages and the report text; keep the bare facts for statistics."""
        if not conversation_ids:
            return
        await self._s.execute(delete(Message).where(Message.conversation_id.in_(conversation_ids)))
        await self._s.execute(delete(ConversationNote).where(ConversationNote.conversation_id.in_(conversation_ids)))
        await self._s.execute(
            update(Report)
            .where(Report.conversation_id.in_(conversation_ids))
            .values(body="", location="")
            .execution_options(synchronize_session=False)
        )
        await self._s.execute(
            update(Conversation)
            .where(Conversation.id.in_(conversation_ids))
            .values(purged_at=now)
            .execution_options(synchronize_session=False)
        )

    async def room_messages_before(self, before: dt.datetime, *, delete_them: bool) -> int:
        cond = (Message.conversation_id.is_(None), Message.created_at < before)
        n = int(await self._s.scalar(select(func.count()).select_from(Message).where(*cond)) or 0)
        if delete_them and n:
            await self._s.execute(delete(Message).where(*cond))
        return n

    async def room_nicknames_before(self, before: dt.datetime, *, delete_them: bool) -> int:
        """Claims on nicknames in rooms unused since then (they no longer hold anything)."""
        cond = RoomNickname.last_used_at < before
        n = int(await self._s.scalar(select(func.count()).select_from(RoomNickname).where(cond)) or 0)
        if delete_them and n:
            await self._s.execute(delete(RoomNickname).where(cond))
        return n

    async def idle_youths(self, seen_before: dt.datetime) -> list[str]:
        """Identities unused since then, with nothing open, not yet scrubbed."""
        open_conv = exists().where(Conversation.youth_id == Youth.id, Conversation.status != "closed")
        open_report = exists().where(Report.youth_id == Youth.id, Report.status != "closed")
        held = exists().where(Conversation.youth_id == Youth.id, Conversation.legal_hold.is_(True))
        rows = await self._s.scalars(
            select(Youth.id).where(
                Youth.last_seen_at < seen_before,
                ~Youth.token_hash.startswith("purged:"),
                ~or_(open_conv, open_report, held),
            )
        )
        return list(rows)

    async def scrub_youths(self, youth_ids: list[str]) -> None:
        """Forget an identity: its token no longer works and its nickname is gone."""
        for youth_id in youth_ids:
            await self._s.execute(
                update(Youth)
                .where(Youth.id == youth_id)
                .values(token_hash=f"purged:{youth_id}", nickname="–")
                .execution_options(synchronize_session=False)
            )

    async def qa_questions_before(self, ended_before: dt.datetime, *, delete_them: bool) -> int:
        """Questions of sessions that ended long enough ago: what the young person wrote goes (the
        approved, anonymised wording stays readable); never-published ones go entirely."""
        sessions = select(QaSession.id).where(QaSession.ends_at < ended_before)
        unpublished = (QaQuestion.session_id.in_(sessions), QaQuestion.status.in_(("pending", "rejected")))
        scrub = (QaQuestion.session_id.in_(sessions), QaQuestion.body != "")
        n = int(await self._s.scalar(select(func.count()).select_from(QaQuestion).where(*scrub)) or 0)
        if delete_them and n:
            gone = select(QaQuestion.id).where(*unpublished)
            await self._s.execute(delete(QaVote).where(QaVote.question_id.in_(gone)))
            await self._s.execute(delete(QaQuestion).where(*unpublished))
            await self._s.execute(
                update(QaQuestion).where(*scrub).values(body="", reason="").execution_options(synchronize_session=False)
            )
        return n

    async def tips_before(self, before: dt.datetime, *, delete_them: bool) -> int:
        cond = (NoticeTip.created_at < before,)
        n = int(await self._s.scalar(select(func.count()).select_from(NoticeTip).where(*cond)) or 0)
        if delete_them and n:
            await self._s.execute(delete(NoticeTip).where(*cond))
        return n
