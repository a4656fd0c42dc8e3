"""The /staff events of the dialogue formats: hosting Q&A sessions and the notice workflow."""

from __future__ import annotations

from typing import Any

from server import events as ev
from server.realtime.dispatch import Handler, Namespace
from server.services import notices, qa
from server.services.actors import StaffActor


class StaffDialogue(Namespace):
    async def _actor(self, sid: str) -> StaffActor:
        return StaffActor((await self.get_session(sid))["staff_id"])

    def dialogue_handlers(self) -> dict[str, Handler]:
        return {
            ev.QA_SCHEDULE: self.qa_schedule,
            ev.QA_REVIEW: self.qa_review,
            ev.QA_ANSWER: self.qa_answer,
            ev.QA_PIN: self.qa_pin,
            ev.QA_COHOST: self.qa_cohost,
            ev.NOTICE_DRAFT: self.notice_draft,
            ev.NOTICE_APPROVE: self.notice_approve,
            ev.NOTICE_REJECT: self.notice_reject,
            ev.NOTICE_FOLLOWUP: self.notice_followup,
            ev.NOTICE_QUEUE: self.notice_queue,
            ev.NOTICE_TIPS: self.notice_tips,
            ev.NOTICE_HISTORY: self.notice_history,
        }

    async def qa_schedule(self, sid: str, data: Any) -> dict[str, Any]:
        return await qa.schedule(self.deps, await self._actor(sid), ev.parse(data, ev.QaSchedule))

    async def qa_review(self, sid: str, data: Any) -> dict[str, Any]:
        return await qa.review(self.deps, await self._actor(sid), ev.parse(data, ev.QaReview))

    async def qa_answer(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.QaAnswer)
        return await qa.answer(self.deps, await self._actor(sid), p.question_id, p.body, p.confirm)

    async def qa_pin(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.QaPin)
        return await qa.pin(self.deps, await self._actor(sid), p.question_id, p.pinned)

    async def qa_cohost(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.QaSessionRef)
        result = await qa.cohost(self.deps, await self._actor(sid), p.session_id)
        await self.enter_room(sid, f"qa:{p.session_id}")
        return result

    async def notice_draft(self, sid: str, data: Any) -> dict[str, Any]:
        return await notices.draft(self.deps, await self._actor(sid), ev.parse(data, ev.NoticeDraft))

    async def notice_approve(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.NoticeDecision)
        return await notices.approve(self.deps, await self._actor(sid), p.notice_id, p.comment)

    async def notice_reject(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.NoticeDecision)
        return await notices.reject(self.deps, await self._actor(sid), p.notice_id, p.comment)

    async def notice_followup(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.NoticeFollowup)
        return await notices.followup(self.deps, await self._actor(sid), p.notice_id, p.body)

    async def notice_queue(self, sid: str, data: Any) -> dict[str, Any]:
        ev.parse(data, ev.Empty)
        return await notices.queue(self.deps, await self._actor(sid))

    async def notice_tips(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.NoticeRef)
        return await notices.tips(self.deps, await self._actor(sid), p.notice_id)

    async def notice_history(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.NoticeRef)
        return await notices.history(self.deps, await self._actor(sid), p.notice_id)
