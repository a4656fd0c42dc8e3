"""A unit of work with one repository per topic."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession

from server.events import Event
from server.storage.audit_repo import AuditRepo
from server.storage.conversations_repo import ConversationRepo
from server.storage.dashboard_repo import DashboardRepo
from server.storage.duty_repo import DutyRepo
from server.storage.grants_repo import GrantRepo
from server.storage.handoffs_repo import HandoffRepo
from server.storage.messages_repo import MessageRepo
from server.storage.neighbourhoods_repo import NeighbourhoodRepo
from server.storage.notes_repo import NoteRepo
from server.storage.notices_repo import NoticeRepo
from server.storage.qa_repo import QaRepo
from server.storage.replies_repo import ReplyRepo
from server.storage.reports_repo import ReportRepo
from server.storage.retention_repo import RetentionRepo
from server.storage.review_repo import ReviewRepo
from server.storage.schedule_repo import ScheduleRepo
from server.storage.staff_repo import StaffRepo
from server.storage.youth_repo import YouthRepo


class Tx:
    """Handed out by Database.transaction(); services reach storage only through it."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self.events: list[Event] = []

    def on_commit(self, events: Iterable[Event]) -> None:
        """Events this transaction causes: the database emits them after its commit, in the
        order given — never before it, never when it rolls back."""
        self.events.extend(events)

    @cached_property
    def neighbourhoods(self) -> NeighbourhoodRepo:
        return NeighbourhoodRepo(self._session)

    @cached_property
    def staff(self) -> StaffRepo:
        return StaffRepo(self._session)

    @cached_property
    def youth(self) -> YouthRepo:
        return YouthRepo(self._session)

    @cached_property
    def conversations(self) -> ConversationRepo:
        return ConversationRepo(self._session)

    @cached_property
    def messages(self) -> MessageRepo:
        return MessageRepo(self._session)

    @cached_property
    def duty(self) -> DutyRepo:
        return DutyRepo(self._session)

    @cached_property
    def grants(self) -> GrantRepo:
        return GrantRepo(self._session)

    @cached_property
    def reports(self) -> ReportRepo:
        return ReportRepo(self._session)

    @cached_property
    def handoffs(self) -> HandoffRepo:
        return HandoffRepo(self._session)

    @cached_property
    def schedule(self) -> ScheduleRepo:
        return ScheduleRepo(self._session)

    @cached_property
    def review(self) -> ReviewRepo:
        return ReviewRepo(self._session)

    @cached_property
    def retention(self) -> RetentionRepo:
        return RetentionRepo(self._session)

    @cached_property
    def dashboard(self) -> DashboardRepo:
        return DashboardRepo(self._session)

    @cached_property
    def qa(self) -> QaRepo:
        return QaRepo(self._session)

    @cached_property
    def notices(self) -> NoticeRepo:
        return NoticeRepo(self._session)

    @cached_property
    def notes(self) -> NoteRepo:
        return NoteRepo(self._session)

    @cached_property
    def replies(self) -> ReplyRepo:
        return ReplyRepo(self._session)

    @cached_property
    def audit(self) -> AuditRepo:
        return AuditRepo(self._session)

    async def flush(self) -> None:
        await self._session.flush()
