"""A lightweight Socket.IO v5 / Engine.IO v4 client over a raw asyncio websocket, so that one
client core can hold thousands of connections without becoming the bottleneck.

One asyncio Protocol per connection: no task per connection, frames parsed in data_received,
and an optional hook that sees each event frame with the time it arrived. Client frames are
masked with a zero key (valid per RFC 6455, and free to apply).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import time
import zlib
from collections.abc import Callable
from typing import Any

EventHook = Callable[["Conn", bytes, float], None]
DEFLATE_TAIL = b"\x00\x00\xff\xff"


class ConnectRefused(Exception):
    pass


class Conn(asyncio.Protocol):
    """One websocket connection speaking Engine.IO 4 and Socket.IO 5 on one namespace."""

    def __init__(
        self,
        host: str,
        port: int,
        namespace: str,
        *,
        auth: Any = None,
        cookie: str | None = None,
        deflate: bool = False,
        on_event: EventHook | None = None,
    ) -> None:
        self.host, self.port, self.ns = host, port, namespace
        self.auth = auth
        self.cookie = cookie
        self.deflate_offer = deflate
        self.on_event = on_event
        loop = asyncio.get_running_loop()
        self.ready: asyncio.Future[None] = loop.create_future()
        self.closed: asyncio.Future[None] = loop.create_future()
        self.transport: asyncio.Transport | None = None
        self.buf = bytearray()
        self.handshaken = False
        self.inflate: Any = None
        self.acks: dict[int, asyncio.Future[Any]] = {}
        self.next_id = 0
        self.prefix = (namespace + ",").encode() if namespace != "/" else b""
        self.received = 0

    # -- transport ----------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's are not asyncio.Transport
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
            f"Origin: http://{self.host}:{self.port}",
        ]
        if self.cookie:
            lines.append(f"Cookie: {self.cookie}")
        if self.deflate_offer:
            lines.append("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits")
        transport.write(("\r\n".join(lines) + "\r\n\r\n").encode())

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.ready.done():
            self.ready.set_exception(ConnectionError("connection lost before connect"))
        if not self.closed.done():
            self.closed.set_result(None)
        for fut in self.acks.values():
            if not fut.done():
                fut.set_exception(ConnectionError("connection lost"))

    def data_received(self, data: bytes) -> None:
        now = time.perf_counter()
        buf = self.buf
        buf += data
        if not self.handshaken:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(buf[:end]).decode("latin-1")
            del buf[: end + 4]
            if " 101 " not in head.split("\r\n", 1)[0]:
                self.ready.set_exception(ConnectRefused(head.split("\r\n", 1)[0]))
                return
            if "permessage-deflate" in head.lower():
                self.inflate = zlib.decompressobj(-15)
            self.handshaken = True
        while True:
            n = len(buf)
            if n < 2:
                return
            b0, b1 = buf[0], buf[1]
            length = b1 & 0x7F
            off = 2
            if length == 126:
                if n < 4:
                    return
                length = int.from_bytes(buf[2:4], "big")
                off = 4
            elif length == 127:
                if n < 10:
                    return
                length = int.from_bytes(buf[2:10], "big")
                off = 10
            if n < off + length:
                return
            payload = bytes(buf[off : off + length])
            del buf[: off + length]
            if b0 & 0x40 and self.inflate is not None:
                payload = self.inflate.decompress(payload + DEFLATE_TAIL)
            opcode = b0 & 0x0F
            if opcode == 1:
                self._text(payload, now)
            elif opcode == 8:
                if self.transport:
                    self.transport.close()
                return
            elif opcode == 9:
                self._write(payload, 0xA)

    def _write(self, payload: bytes, opcode: int = 1) -> None:
        n = len(payload)
        if n < 126:
            header = bytes((0x80 | opcode, 0x80 | n))
        elif n < 65536:
            header = bytes((0x80 | opcode, 0x80 | 126)) + n.to_bytes(2, "big")
        else:
            header = bytes((0x80 | opcode, 0x80 | 127)) + n.to_bytes(8, "big")
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(header + b"\x00\x00\x00\x00" + payload)  # zero mask key

    # -- Engine.IO / Socket.IO ------------------------------------------------------------------
    def _text(self, p: bytes, now: float) -> None:
        kind = p[:1]
        if kind == b"4":
            self.received += 1
            sio = p[1:2]
            if sio == b"2":
                if self.on_event is not None:
                    self.on_event(self, p, now)
            elif sio == b"3":
                rest = p[2 + len(self.prefix) :]
                i = 0
                while rest[i : i + 1].isdigit():
                    i += 1
                fut = self.acks.pop(int(rest[:i]), None)
                if fut is not None and not fut.done():
                    fut.set_result((json.loads(rest[i:]), now))
            elif sio == b"0":
                if not self.ready.done():
                    self.ready.set_result(None)
            elif sio == b"4" and not self.ready.done():
                self.ready.set_exception(ConnectRefused(p.decode()))
        elif kind == b"2":
            self._write(b"3")
        elif kind == b"0":
            auth = b"" if self.auth is None else json.dumps(self.auth).encode()
            self._write(b"40" + self.prefix + auth)
        elif kind == b"1" and self.transport is not None:
            self.transport.close()

    def emit(self, event: str, data: Any) -> None:
        self._write(b"42" + self.prefix + json.dumps([event, data]).encode())

    def call(self, event: str, data: Any) -> asyncio.Future[Any]:
        """Emit with an ack; the future gives (ack payload list, perf_counter at arrival)."""
        self.next_id += 1
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.acks[self.next_id] = fut
        self._write(b"42" + self.prefix + str(self.next_id).encode() + json.dumps([event, data]).encode())
        return fut

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


async def connect(host: str, port: int, namespace: str, **kw: Any) -> Conn:
    loop = asyncio.get_running_loop()
    _, conn = await loop.create_connection(lambda: Conn(host, port, namespace, **kw), host, port)
    await asyncio.wait_for(conn.ready, 60)
    return conn


async def connect_many(
    host: str, port: int, namespace: str, n: int, *, concurrency: int = 200, **kw: Any
) -> list[Conn]:
    sem = asyncio.Semaphore(concurrency)

    async def one() -> Conn:
        async with sem:
            for attempt in range(3):
                try:
                    return await connect(host, port, namespace, **kw)
                except (ConnectionError, OSError, TimeoutError):
                    if attempt == 2:
                        raise
                    await asyncio.sleep(0.2)
            raise AssertionError("unreachable")

    return list(await asyncio.gather(*(one() for _ in range(n))))
