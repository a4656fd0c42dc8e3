"""The events both audiences share: rooms and private chats. Only the actor and the room's
audience differ between /youth and /staff."""

from __future__ import annotations

from typing import Any

from server import events as ev
from server.realtime.dispatch import Handler, Namespace
from server.services import conversations, notices, qa, rooms
from server.services.actors import Actor
from server.services.emitter import Audience


class ChatNamespace(Namespace):
    async def _actor(self, sid: str) -> Actor:
        raise NotImplementedError

    def _room(self, slug: str) -> Audience:
        raise NotImplementedError

    def shared_handlers(self) -> dict[str, Handler]:
        return {
            ev.ROOM_JOIN: self.room_join,
            ev.ROOM_LEAVE: self.room_leave,
            ev.ROOM_SEND: self.room_send,
            ev.ROOM_SYNC: self.room_sync,
            ev.CHAT_SEND: self.chat_send,
            ev.CHAT_SYNC: self.chat_sync,
            ev.CHAT_TYPING: self.chat_typing,
            ev.CHAT_CLOSE: self.chat_close,
            ev.QA_LIST: self.qa_list,
            ev.QA_JOIN: self.qa_join,
            ev.QA_LEAVE: self.qa_leave,
            ev.NOTICE_LIST: self.notice_list,
        }

    async def room_join(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.RoomRef)
        audience = self._room(p.room).room
        return await rooms.join(self.deps, await self._actor(sid), p.room, lambda: self.enter_room(sid, audience))

    async def room_leave(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.RoomRef)
        await self.leave_room(sid, self._room(p.room).room)
        return {}

    async def room_send(self, sid: str, data: Any) -> dict[str, Any]:
        return await rooms.send(self.deps, await self._actor(sid), ev.parse(data, ev.RoomSend))

    async def room_sync(self, sid: str, data: Any) -> dict[str, Any]:
        return await rooms.sync(self.deps, await self._actor(sid), ev.parse(data, ev.RoomSync))

    async def chat_send(self, sid: str, data: Any) -> dict[str, Any]:
        return await conversations.send(self.deps, await self._actor(sid), ev.parse(data, ev.ChatSend))

    async def chat_sync(self, sid: str, data: Any) -> dict[str, Any]:
        return await conversations.sync(self.deps, await self._actor(sid), ev.parse(data, ev.ChatSync))

    async def chat_typing(self, sid: str, data: Any) -> dict[str, Any]:
        return await conversations.typing(self.deps, await self._actor(sid), ev.parse(data, ev.ChatTyping))

    async def chat_close(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.ChatRef)
        return await conversations.close(self.deps, await self._actor(sid), p.conversation_id)

    async def qa_list(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.RoomRef)
        return await qa.listing(self.deps, await self._actor(sid), p.room)

    async def qa_join(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.QaSessionRef)
        audience = f"qa:{p.session_id}"
        return await qa.join(self.deps, await self._actor(sid), p.session_id, lambda: self.enter_room(sid, audience))

    async def qa_leave(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.QaSessionRef)
        await self.leave_room(sid, f"qa:{p.session_id}")
        return {}

    async def notice_list(self, sid: str, data: Any) -> dict[str, Any]:
        p = ev.parse(data, ev.RoomRef)
        return await notices.listing(self.deps, await self._actor(sid), p.room)
