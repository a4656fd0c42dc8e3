"""Staff-only notes on conversations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from server.storage.models import ConversationNote, StaffUser
from server.storage.records import NoteRec
from server.storage.staff_repo import staff_rec

MAX_NOTES = 500


def _rec(row: ConversationNote, author: StaffUser) -> NoteRec:
    return NoteRec(
        id=row.id,
        conversation_id=row.conversation_id,
        client_id=row.client_id,
        author=staff_rec(author),
        body=row.body,
        created_at=row.created_at,
    )


class NoteRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(
        self, *, conversation_id: str, author_id: int, client_id: str, body: str, now: dt.datetime
    ) -> tuple[NoteRec, bool]:
        """The note and True, or the note this author already stored under this client_id in this
        conversation and False (a retry): the database decides, by its unique key."""
        conn = await self._s.connection()
        make = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        inserted = await self._s.scalar(
            make(ConversationNote)
            .values(
                conversation_id=conversation_id, author_id=author_id, client_id=client_id, body=body, created_at=now
            )
            .on_conflict_do_nothing(index_elements=["conversation_id", "author_id", "client_id"])
            .returning(ConversationNote.id)
        )
        found = (
            await self._s.execute(
                select(ConversationNote, StaffUser)
                .join(StaffUser, StaffUser.id == ConversationNote.author_id)
                .where(
                    ConversationNote.conversation_id == conversation_id,
                    ConversationNote.author_id == author_id,
                    ConversationNote.client_id == client_id,
                )
            )
        ).one()
        return _rec(*found), inserted is not None

    async def of_conversation(self, conversation_id: str) -> list[NoteRec]:
        """The conversation's notes, oldest first."""
        rows = await self._s.execute(
            select(ConversationNote, StaffUser)
            .join(StaffUser, StaffUser.id == ConversationNote.author_id)
            .where(ConversationNote.conversation_id == conversation_id)
            .order_by(ConversationNote.id)
            .limit(MAX_NOTES)
        )
        return [_rec(*r) for r in rows]
