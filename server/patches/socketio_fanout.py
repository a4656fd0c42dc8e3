"""Room broadcasts that encode once and write one prebuilt websocket frame to every idle
recipient, instead of a task, a queue hop and an encode per recipient.

Stock python-socketio turns a room emit into one asyncio task per recipient, each putting the
packet on the connection's queue, whose writer task wakes to encode and send it: about 80 µs of
CPU per delivery at 1,000 receivers. Here, a connection whose websocket is idle (upgraded, nothing
queued or being written, not compressed, transport not paused, not closing) gets the frame
written straight to its transport; every other connection (long-polling, mid-upgrade, a slow
reader whose writer waits for the kernel, permessage-deflate) gets the packet on its queue as
before. Per-connection order holds because a frame is only written directly when nothing older
is waiting for that connection, and a packet leaves the queue only in the same step in which the
writer sends it (see `_poll`).

A mass disconnect's teardowns are paced a few per loop turn (`FastWebSocket.wait`,
realtime/pacing.py). The manager also keeps a reverse index from connection to rooms, so a
disconnect leaves its own rooms instead of scanning every room of the namespace (which made a
mass disconnect quadratic).
"""

from __future__ import annotations

import asyncio
import json
import struct
import time
import types
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import orjson
import socketio
from aiohttp import web
from engineio import exceptions as eio_exceptions
from engineio import packet as eio_packet
from engineio.async_drivers import aiohttp as eio_aiohttp
from socketio import packet as sio_packet

from server.realtime.pacing import Pacer

LINK_ATTR = "_kvarter_ws"
WS_TEXT_FIN = 0x81
SMALL_FRAME = 126
MEDIUM_FRAME = 1 << 16


class FastJson:
    """orjson encodes socket.io packets and the Redis queue's messages (the standard library
    takes what orjson refuses, e.g. non-string keys). Decoding stays with the standard library:
    client input keeps the reading the payload schemas were written against (orjson would turn
    an integer beyond 64 bits into a float)."""

    @staticmethod
    def dumps(obj: Any, **kwargs: Any) -> str:
        try:
            return orjson.dumps(obj).decode()
        except TypeError:
            return json.dumps(obj, separators=(",", ":"))

    @staticmethod
    def loads(data: str | bytes, **kwargs: Any) -> Any:
        return json.loads(data)


class Packet(sio_packet.Packet):  # type: ignore[misc]  # socketio ships no types
    """The socket.io packet class of this server only (`json=` would change it process-wide)."""

    json = FastJson

    @classmethod
    def data_is_binary(cls, data: Any) -> bool:
        """Whether a packet carries bytes (sent as attachments). orjson refuses bytes, so what
        it encodes has none: one C call, where the stock check walks every value in Python."""
        try:
            orjson.dumps(data)
        except TypeError:
            return bool(super().data_is_binary(data))
        return False


def text_frame(payload: bytes) -> bytes:
    """A complete, unmasked server-to-client websocket text frame: FIN, opcode 1, length, data."""
    n = len(payload)
    if n < SMALL_FRAME:
        header = struct.pack("!BB", WS_TEXT_FIN, n)
    elif n < MEDIUM_FRAME:
        header = struct.pack("!BBH", WS_TEXT_FIN, SMALL_FRAME, n)
    else:
        header = struct.pack("!BBQ", WS_TEXT_FIN, 127, n)
    return header + payload


def _frame(eio_pkt: Any) -> bytes:
    """The websocket frame that carries this Engine.IO packet."""
    return text_frame(eio_pkt.encode().encode())


class FastWebSocket(eio_aiohttp.WebSocket):  # type: ignore[misc]  # engineio ships no types
    """engineio's aiohttp websocket wrapper, with permessage-deflate as configured, and a link on
    the Engine.IO socket so that a broadcast can write to it directly while it is idle."""

    deflate = False
    pacer = Pacer()  # replaced per server by install()

    def __init__(self, handler: Callable[[Any], Awaitable[None]], server: Any) -> None:
        super().__init__(handler, server)
        self.sending = 0  # a send in progress, e.g. waiting for the transport to drain
        self.transport: asyncio.Transport | None = None
        self.protocol: Any = None
        self.compressed = True

    async def __call__(self, environ: dict[str, Any]) -> web.WebSocketResponse:
        request = environ["aiohttp.request"]
        self._sock = web.WebSocketResponse(max_msg_size=self.server.max_http_buffer_size, compress=self.deflate)
        await self._sock.prepare(request)
        self.environ = environ
        writer = getattr(self._sock, "_writer", None)
        sock = getattr(self.handler, "__self__", None)
        if writer is not None and sock is not None:
            self.transport = writer.transport
            self.protocol = writer.protocol
            self.compressed = bool(self._sock.compress)
            sock.poll = types.MethodType(_poll, sock)
            setattr(sock, LINK_ATTR, self)
        await self.handler(self)
        return self._sock

    async def wait(self) -> Any:
        msg = await self._sock.receive()
        if isinstance(msg.data, (str, bytes)):
            return msg.data
        # The connection is gone: wait for this loop turn's share of teardowns before
        # Engine.IO tears it down (realtime/pacing.py), so a mass disconnect cannot stall the
        # loop for everyone else.
        await self.pacer.turn()
        raise OSError

    async def send(self, message: str | bytes) -> None:
        self.sending += 1
        try:
            await super().send(message)
        finally:
            self.sending -= 1

    def try_write(self, sock: Any, frame: bytes) -> bool:
        """Write a prebuilt frame now if this connection has nothing older to send; else False."""
        transport = self.transport
        if (
            self.sending
            or self.compressed
            or transport is None
            or not sock.upgraded
            or sock.upgrading
            or sock.closing
            or sock.closed
            or not sock.queue.empty()
            or transport.is_closing()
            or self.protocol._paused
            or self._sock.closed
        ):
            return False
        last_ping = sock.last_ping
        if last_ping and time.time() - last_ping > sock.server.ping_timeout:
            return False  # the normal path closes it
        transport.write(frame)
        return True


async def _poll(sock: Any) -> list[Any]:
    """engineio's AsyncSocket.poll without `wait_for`'s inner task: a packet leaves the queue in
    the writer's own step, and the writer sends it in that step (or marks itself busy), so a
    direct write can never overtake a packet that was already taken from the queue."""
    queue = sock.queue
    try:
        async with asyncio.timeout(sock.server.ping_interval + sock.server.ping_timeout):
            first = await queue.get()
    except (TimeoutError, asyncio.CancelledError):
        raise eio_exceptions.QueueEmpty from None
    queue.task_done()
    if first is None:
        return []
    packets = [first]
    while True:
        try:
            pkt = queue.get_nowait()
        except asyncio.QueueEmpty:
            break
        queue.task_done()
        if pkt is None:
            queue.put_nowait(None)
            break
        packets.append(pkt)
    return packets


class FanoutManager(socketio.AsyncManager):  # type: ignore[misc]  # socketio ships no types
    """The in-process manager with the one-frame broadcast and the per-connection room index.
    Also the local delivery under the Redis manager (socketio_redis.py)."""

    def __init__(self) -> None:
        super().__init__()
        self._member_of: dict[tuple[str, str], dict[str | None, None]] = {}
        self._watchers: list[tuple[frozenset[str], Callable[[], None]]] = []
        # Deliveries by path since start: the prebuilt frame written directly, or queued.
        self.written = 0
        self.queued = 0

    async def emit(
        self,
        event: str,
        data: Any,
        namespace: str,
        room: Any = None,
        skip_sid: Any = None,
        callback: Any = None,
        to: Any = None,
        **kwargs: Any,
    ) -> None:
        room = to or room
        for names, watcher in self._watchers:
            if event in names:
                watcher()
        if callback is not None or namespace not in self.rooms:
            await super().emit(event, data, namespace, room=room, skip_sid=skip_sid, callback=callback)
            return
        if isinstance(data, tuple):
            args = list(data)
        elif data is not None:
            args = [data]
        else:
            args = []
        encoded = self.server.packet_class(sio_packet.EVENT, namespace=namespace, data=[event, *args]).encode()
        if isinstance(encoded, list):  # binary attachments: several frames per recipient
            await super().emit(event, data, namespace, room=room, skip_sid=skip_sid)
            return
        eio_pkt = eio_packet.Packet(eio_packet.MESSAGE, encoded)
        frame = _frame(eio_pkt)
        skip = set(skip_sid) if isinstance(skip_sid, list) else {skip_sid}
        await self._deliver(self.get_participants(namespace, room), skip, eio_pkt, frame)

    def watch(self, events: Iterable[str], callback: Callable[[], None]) -> None:
        """Call `callback` whenever one of these events is delivered here: emitted by this
        process, or (under the Redis manager) received from another one."""
        self._watchers.append((frozenset(events), callback))

    async def _deliver(
        self, participants: Iterable[tuple[str, str]], skip: set[Any], eio_pkt: Any, frame: bytes
    ) -> None:
        sockets = self.server.eio.sockets
        ping_timeout = self.server.eio.ping_timeout
        now = time.time()
        stragglers = []
        written = queued = 0
        for sid, eio_sid in participants:
            if sid in skip:
                continue
            sock = sockets.get(eio_sid)
            if sock is None or sock.closed:
                stragglers.append(eio_sid)
                continue
            link = getattr(sock, LINK_ATTR, None)
            if link is not None and link.try_write(sock, frame):
                written += 1
                continue
            if sock.last_ping and now - sock.last_ping > ping_timeout:
                stragglers.append(eio_sid)  # the normal path notices the timeout and closes it
                continue
            sock.queue.put_nowait(eio_pkt)  # what AsyncSocket.send does; the queue is unbounded
            queued += 1
        self.written += written
        self.queued += queued + len(stragglers)
        if stragglers:
            send = self.server._send_eio_packet
            await asyncio.wait([asyncio.create_task(send(eio_sid, eio_pkt)) for eio_sid in stragglers])

    def basic_enter_room(self, sid: str, namespace: str, room: str | None, eio_sid: str | None = None) -> None:
        super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)
        self._member_of.setdefault((namespace, sid), {})[room] = None

    def basic_leave_room(self, sid: str, namespace: str, room: str | None) -> None:
        super().basic_leave_room(sid, namespace, room)
        rooms = self._member_of.get((namespace, sid))
        if rooms is not None:
            rooms.pop(room, None)
            if not rooms:
                del self._member_of[(namespace, sid)]

    def basic_disconnect(self, sid: str, namespace: str, **kwargs: Any) -> None:
        """Stock python-socketio scans every room of the namespace here; leave only the rooms
        this connection is in, then do the rest of the stock bookkeeping."""
        if namespace not in self.rooms:
            return
        for room in list(self._member_of.get((namespace, sid), ())):
            self.basic_leave_room(sid, namespace, room)
        self.callbacks.pop(sid, None)
        for pending in (self.pending_connect, self.pending_disconnect):
            sids = pending.get(namespace)
            if sids is not None and sid in sids:
                sids.remove(sid)
                if not sids:
                    del pending[namespace]

    def get_rooms(self, sid: str, namespace: str) -> list[str]:
        return [r for r in self._member_of.get((namespace, sid), ()) if r is not None]


async def _send_packet(server: Any, eio_sid: str, pkt: Any) -> None:
    """python-socketio's `_send_packet` (acks, and packets to one connection), writing the frame
    straight to an idle websocket as a broadcast does, instead of through the connection's queue
    and a wake-up of its writer task; anything else goes the stock way."""
    encoded = pkt.encode()
    if not isinstance(encoded, str):  # binary attachments: several packets
        for part in encoded:
            await server.eio.send(eio_sid, part)
        return
    eio_pkt = eio_packet.Packet(eio_packet.MESSAGE, encoded)
    sock = server.eio.sockets.get(eio_sid)
    link = getattr(sock, LINK_ATTR, None)
    if link is not None and link.try_write(sock, _frame(eio_pkt)):
        return
    await server._send_eio_packet(eio_sid, eio_pkt)


def install(sio: socketio.AsyncServer, *, deflate: bool) -> None:
    """Use the fast websocket wrapper for this server's Engine.IO connections, and the direct
    write for its packets to one connection (this server only: the driver table is copied, not
    changed, and the method is set on this instance)."""
    wrapper = type("KvarterWebSocket", (FastWebSocket,), {"deflate": deflate, "pacer": Pacer()})
    sio.eio._async = {**sio.eio._async, "websocket": wrapper}
    sio._send_packet = types.MethodType(_send_packet, sio)
