"""python-engineio: a disconnect that does not wait, websockets that hold their connection's
slot, and a session's websocket hung up after a grace period.

- `AsyncServer.disconnect(sid)` waits until the CLOSE packet has been collected; a long-polling
  client that never polls again (one that posted a packet Engine.IO refuses, or a flood) would
  hold that coroutine — and the request that called it — forever. Here the CLOSE is queued and
  the writer told to end (`socket.queue`), and the call returns.
- The server's websocket class (`AsyncServer._async["websocket"]`) is wrapped so that a
  connection's slot (realtime/guard.py) is held until its websocket is gone, and a text frame
  that is not an Engine.IO packet ends the connection (Engine.IO decodes frames outside its
  error handling, so such a frame would end the handler without closing the socket: it would
  linger until the ping timeout).
- `hang_up_later`: after a session ended, its client has a grace period to close the
  websocket, then the transport is aborted (it may not even read, so a close frame could wait
  forever). The websocket is found through the link socketio_fanout.py leaves on the socket.

Each replaces an attribute of one server instance only. tests/test_library_contracts.py asserts
the names used here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import socketio

from server.patches.socketio_fanout import LINK_ATTR, FastWebSocket

log = logging.getLogger(__name__)

# Engine.IO packet types: open, close, ping, pong, message, upgrade, noop.
ENGINEIO_TYPES = frozenset("0123456")


class Slots(Protocol):
    """What holds a connection's place in the per-source count (realtime/guard.py)."""

    def hold(self, eio_sid: str) -> bool: ...

    def release(self, eio_sid: str) -> None: ...


def install(sio: socketio.AsyncServer, slots: Slots) -> None:
    """A disconnect that does not wait, and the checked websocket, on this server."""
    eio = sio.eio
    eio.disconnect = _disconnect_without_waiting(eio)
    eio._async = {**eio._async, "websocket": _checked_websocket(eio._async["websocket"], slots)}


def hang_up_later(sio: socketio.AsyncServer, eio_sid: str, grace_s: float) -> None:
    """The connection's session has ended: abort its websocket's transport after `grace_s`
    unless the client closed it by then."""
    link = getattr(sio.eio.sockets.get(eio_sid), LINK_ATTR, None)
    if link is not None and link.transport is not None and not link.transport.is_closing():
        sio.start_background_task(_hang_up, link, grace_s)


async def _hang_up(link: FastWebSocket, grace_s: float) -> None:
    await asyncio.sleep(grace_s)
    transport = link.transport
    if transport is not None and not transport.is_closing():
        log.info("connection aborted reason=close_ignored")
        transport.abort()


def _disconnect_without_waiting(eio: Any) -> Callable[..., Awaitable[None]]:
    disconnect_all = eio.disconnect

    async def disconnect(sid: str | None = None) -> None:
        if sid is None:
            # Engine.IO's disconnect-all fails on an empty set; the last socket may close
            # between a caller's check and this coroutine's start (a shutdown as a console
            # is closed by the session check).
            if eio.sockets:
                await disconnect_all()
            return
        sock = eio.sockets.get(sid)
        if sock is not None:
            await sock.close(wait=False, reason=eio.reason.SERVER_DISCONNECT)
            eio.sockets.pop(sid, None)
            # After the CLOSE packet the websocket writer ends and closes the websocket, instead
            # of waiting for the next packet until the ping timeout.
            sock.queue.put_nowait(None)

    return disconnect


def _checked_websocket(base: Any, slots: Slots) -> type:
    async def call(self: Any, environ: dict[str, Any]) -> Any:
        sid: str | None = getattr(getattr(self.handler, "__self__", None), "sid", None)
        if sid is None or not slots.hold(sid):
            return await base.__call__(self, environ)
        try:
            return await base.__call__(self, environ)
        finally:
            slots.release(sid)

    async def wait(self: Any) -> Any:
        data = await base.wait(self)
        if isinstance(data, str) and data[:1] not in ENGINEIO_TYPES:
            log.info("connection closed reason=malformed_frame")
            return None  # what the driver returns when the client closed
        return data

    return type("CheckedWebSocket", (base,), {"__call__": call, "wait": wait})
