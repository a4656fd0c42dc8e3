"""The /staff namespace: officers and supervisors, authenticated by the session cookie."""

from __future__ import annotations

from collections import Counter
from http.cookies import CookieError, SimpleCookie
from typing import Any

import socketio

from server import events as ev
from server.errors import KvarterError
from server.metrics import Metrics
from server.realtime.common import ChatNamespace
from server.realtime.staff_dialogue import StaffDialogue
from server.services import accounts, conversations, duty, handoff, moderation_actions, notes, replies, transfer, triage
from server.services.actors import StaffActor
from server.services.deps import Deps
from server.services.emitter import Audience, duty_rooms, region_supervisors, staff, staff_room, supervisors

SESSION_COOKIE = "kvarter_session"
DUTY_ROOM_PREFIXES = ("duty:", "area:", "region:")


def session_token(environ: dict[str, Any]) -> str | None:
    raw = environ.get("HTTP_COOKIE", "")
    try:
        cookie = SimpleCookie(raw)
    except CookieError:
        return None
    morsel = cookie.get(SESSION_COOKIE)
    return morsel.value if morsel else None


class StaffNamespace(ChatNamespace, StaffDialogue):
    def __init__(self, deps: Deps, metrics: Metrics) -> None:
        super().__init__("/staff", deps, metrics)
        self.handlers = {
            **self.shared_handlers(),
            **self.dialogue_handlers(),
            ev.DUTY_START: self.duty_start,
            ev.DUTY_END: self.duty_end,
            ev.INBOX_LIST: self.inbox_list,
            ev.CHAT_TAKE: self.chat_take,
            ev.CHAT_TRANSFER: self.chat_transfer,
            ev.CHAT_NOTE: self.chat_note,
            ev.REPLIES_LIST: self.replies_list,
            ev.TRIAGE_LIST: self.triage_list,
            ev.TRIAGE_CLAIM: self.triage_claim,
            ev.TRIAGE_CLOSE: self.triage_close,
            ev.HANDOFF_GIVE: self.handoff_give,
            ev.DUTY_ROSTER: self.duty_roster,
            ev.HANDOVER_WRITE: self.handover_write,
            ev.MODERATION_HIDE: self.moderation_hide,
            ev.MODERATION_MUTE: self.moderation_mute,
            ev.MODERATION_FLAGS: self.moderation_flags,
            ev.MODERATION_SLOWMODE: self.moderation_slowmode,
        }
        # Staff with a console connected to this process: their duties stay alive.
        self.connected: Counter[int] = Counter()
        # The session (SHA-256 of its cookie) behind each connection of this process, so that a
        # connection whose session ended — logout, disable, demotion, timeout — is closed.
        self.session_of: dict[str, str] = {}

    def connected_staff(self) -> list[int]:
        return sorted(self.connected)

    async def end_revoked_sessions(self) -> None:
        """Disconnect this process's connections whose session is no longer live (run by the
        ticker; the database is shared, so an account disabled from the CLI is seen here)."""
        checked = list(self.session_of.items())  # a console that connects during the read waits for the next tick
        if not checked:
            return
        live = await accounts.live_sessions(self.deps, {hashed for _, hashed in checked})
        for sid, hashed in checked:
            if hashed not in live and sid in self.session_of:
                await self.disconnect(sid)

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        token = session_token(environ)
        try:
            user = await accounts.user_for_session(self.deps, token)
        except KvarterError as exc:
            raise socketio.exceptions.ConnectionRefusedError(exc.code) from None
        if user is None:
            raise socketio.exceptions.ConnectionRefusedError("unauthorized")
        actor = StaffActor(user.id)
        await self.save_session(sid, {"staff_id": user.id})
        self.session_of[sid] = accounts.session_hash(token or "")
        self.connected[user.id] += 1
        await self.enter_room(sid, staff(user.id).room)
        duties = await duty.current(self.deps, actor)
        for room in duty_rooms(duties):
            await self.enter_room(sid, room)
        if user.role == "supervisor":
            await self.enter_room(sid, supervisors().room)
            await self.enter_room(sid, region_supervisors(user.region).room)
        # A console that reloads learns its duty from the server, where it is kept.
        self.server.start_background_task(self.emit_when_connected, sid, ev.DUTY_UPDATED, {"duty": duty.shape(duties)})

    async def on_disconnect(self, sid: str, reason: str | None = None) -> None:
        self.session_of.pop(sid, None)
        staff_id = (await self.get_session(sid)).get("staff_id")
        if staff_id is not None:
            self.connected[staff_id] -= 1
            if self.connected[staff_id] <= 0:
                del self.connected[staff_id]

    async def _actor(self, sid: str) -> StaffActor:
        return StaffActor((await self.get_session(sid))["staff_id"])

    def _room(self, slug: str) -> Audience:
        return staff_room(slug)

    async def _set_duty_rooms(self, sid: str, rooms: list[str]) -> None:
        for room in self.rooms(sid):
            if room.startswith(DUTY_ROOM_PREFIXES) and room not in rooms:
                await self.leave_room(sid, room)
        for room in rooms:
            await self.enter_room(sid, room)

    async def duty_start(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.DutyStart)
        result, duties = await duty.start(self.deps, await self._actor(sid), p.rooms, p.until)
        await self._set_duty_rooms(sid, duty_rooms(duties))
        return result

    async def duty_end(self, sid: str, data: Any) -> dict[str, Any]:
        ev.parse(data, ev.Empty)
        result = await duty.end(self.deps, await self._actor(sid))
        await self._set_duty_rooms(sid, [])
        return result

    async def inbox_list(self, sid: str, data: Any) -> dict[str, Any]:
        ev.parse(data, ev.Empty)
        return await conversations.inbox(self.deps, await self._actor(sid))

    async def chat_take(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.ChatRef)
        return await conversations.take(self.deps, await self._actor(sid), p.conversation_id)

    async def chat_transfer(self, sid: str, data: Any) -> dict[str, Any]:
        return await transfer.transfer(self.deps, await self._actor(sid), ev.parse(data, ev.ChatTransfer))

    async def chat_note(self, sid: str, data: Any) -> dict[str, Any]:
        return await notes.add(self.deps, await self._actor(sid), ev.parse(data, ev.ChatNote))

    async def replies_list(self, sid: str, data: Any) -> dict[str, Any]:
        ev.parse(data, ev.Empty)
        return await replies.listing(self.deps, await self._actor(sid))

    async def triage_list(self, sid: str, data: Any) -> dict[str, Any]:
        ev.parse(data, ev.Empty)
        return await triage.queue(self.deps, await self._actor(sid))

    async def triage_claim(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.ReportRef)
        return await triage.claim(self.deps, await self._actor(sid), p.report_id)

    async def triage_close(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.TriageClose)
        return await triage.close(self.deps, await self._actor(sid), p.report_id, p.outcome)

    async def handoff_give(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.HandoffGive)
        return await handoff.give(self.deps, await self._actor(sid), p.conversation_id, p.kind)

    async def duty_roster(self, sid: str, data: Any) -> dict[str, Any]:
        ev.parse(data, ev.Empty)
        return await duty.roster(self.deps, await self._actor(sid))

    async def handover_write(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.HandoverWrite)
        return await duty.write_handover(self.deps, await self._actor(sid), p.room, p.body)

    async def moderation_hide(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.ModerationHide)
        return await moderation_actions.hide(self.deps, await self._actor(sid), p.message_id, p.reason)

    async def moderation_mute(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.ModerationMute)
        return await moderation_actions.mute(self.deps, await self._actor(sid), p.youth_id, p.minutes, p.reason)

    async def moderation_flags(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.RoomRef)
        return await moderation_actions.flagged(self.deps, await self._actor(sid), p.room)

    async def moderation_slowmode(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.SlowMode)
        return await moderation_actions.slow_mode(self.deps, await self._actor(sid), p.room, p.seconds)
