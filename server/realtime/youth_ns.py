"""The /youth namespace: anonymous young people."""

from __future__ import annotations

import functools
from typing import Any

import socketio

from server import events as ev
from server.errors import KvarterError
from server.http.source import client_source, network_of, source_key
from server.metrics import Metrics
from server.realtime.common import ChatNamespace
from server.services import (
    admission,
    conversations,
    handoff,
    moderation_actions,
    notices,
    qa,
    transcripts,
    triage,
    youth,
)
from server.services.actors import YouthActor
from server.services.deps import Deps
from server.services.emitter import Audience, youth_room
from server.services.emitter import youth as youth_audience

MAX_TOKEN_CHARS = 128


def _auth(auth: Any) -> tuple[str | None, str]:
    if auth is None:
        return None, "sv"
    if not isinstance(auth, dict):
        raise socketio.exceptions.ConnectionRefusedError("invalid: auth must be an object")
    token = auth.get("token")
    lang = auth.get("lang", "sv")
    if token is not None and (not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS):
        raise socketio.exceptions.ConnectionRefusedError("invalid: token must be a string")
    if lang not in youth.LANGS:
        lang = "sv"
    return token or None, lang


class YouthNamespace(ChatNamespace):
    def __init__(self, deps: Deps, metrics: Metrics) -> None:
        super().__init__("/youth", deps, metrics)
        self.handlers = {
            **self.shared_handlers(),
            ev.PROFILE_SET: self.profile_set,
            ev.SESSION_FORGET: self.session_forget,
            ev.CHAT_OPEN: self.chat_open,
            ev.REPORT_SUBMIT: self.report_submit,
            ev.HANDOFF_OPENED: self.handoff_opened,
            ev.FEEDBACK_SUBMIT: self.feedback_submit,
            ev.MESSAGE_FLAG: self.message_flag,
            ev.QA_ASK: self.qa_ask,
            ev.QA_VOTE: self.qa_vote,
            ev.NOTICE_TIP: self.notice_tip,
        }

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        token, lang = _auth(auth)
        try:
            session = await youth.connect(self.deps, token, lang)
        except KvarterError as exc:
            raise socketio.exceptions.ConnectionRefusedError(exc.code) from None
        # Where the young person connects from, as a daily keyed hash (never the address): the
        # unit of the limits on anonymous reports and chats (services/admission.py).
        settings = self.deps.settings
        address = network_of(client_source(environ, settings))
        source = source_key(address, settings.secret_key, self.deps.clock.now().date())
        admit = functools.partial(admission.new_identity, self.deps, source)
        await self.save_session(sid, {"actor": session.actor(source, admit)})
        await self.enter_room(sid, youth_audience(session.youth.id).room)
        self.server.start_background_task(self.emit_when_connected, sid, ev.SESSION, session.payload())

    async def on_disconnect(self, sid: str, reason: str | None = None) -> None:
        return None

    async def _actor(self, sid: str) -> YouthActor:
        actor: YouthActor = (await self.get_session(sid))["actor"]
        return actor

    def _room(self, slug: str) -> Audience:
        return youth_room(slug)

    async def session_forget(self, sid: str, data: Any) -> dict[str, Any]:
        """Forget me: revoke the token, and close this process's other connections of the young
        person (this one closes itself after the answer)."""
        ev.parse(data, ev.Empty)
        actor = await self._actor(sid)
        result = await youth.forget(self.deps, actor)
        room = youth_audience(actor.youth_id).room
        for other, _ in list(self.server.manager.get_participants(self.namespace, room)):
            if other != sid:
                await self.disconnect(other)
        return result

    async def profile_set(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.ProfileSet)
        return await youth.set_nickname(self.deps, await self._actor(sid), p.nickname)

    async def chat_open(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.ChatOpen)
        return await conversations.open_chat(self.deps, await self._actor(sid), p)

    async def report_submit(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.ReportSubmit)
        return await triage.submit(self.deps, await self._actor(sid), p)

    async def handoff_opened(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.HandoffOpened)
        return await handoff.opened(self.deps, await self._actor(sid), p.handoff_id)

    async def feedback_submit(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.FeedbackSubmit)
        return await transcripts.feedback(self.deps, await self._actor(sid), p.conversation_id, p.score)

    async def message_flag(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.MessageFlag)
        return await moderation_actions.flag(self.deps, await self._actor(sid), p.message_id, p.reason)

    async def qa_ask(self, sid: str, data: Any) -> dict[str, Any]:
        return await qa.ask(self.deps, await self._actor(sid), ev.parse(data, ev.QaAsk))

    async def qa_vote(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.QaQuestionRef)
        return await qa.vote(self.deps, await self._actor(sid), p.question_id)

    async def notice_tip(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.NoticeTip)
        return await notices.tip(self.deps, await self._actor(sid), p.notice_id, p.client_id, p.body)
