"""Connection-level protection of the socket.io server, below the namespaces.

- A cap on concurrent Engine.IO connections per source (a keyed, daily-rotated hash of the client
  address: server/http/source.py), checked before the handshake completes.
- A token bucket per connection and namespace for events (namespaces/dispatch.py asks `take`),
  and a small one for the other packets (namespace connects, acks); a connection that keeps
  flooding after `FLOOD_DISCONNECT_AFTER` refusals in a row is closed.
- Binary packets are refused: Kvarter's protocol is JSON only, and python-socketio would keep a
  packet's attachments in memory until the announced number of them has arrived.
- A closed connection's socket is really closed: after Engine.IO's CLOSE packet the client gets
  `CLOSE_GRACE_S` to hang up, then its transport is aborted; and its slot in the per-source count
  is held until its websocket is gone, not only its Engine.IO session. Otherwise a client that
  ignores the CLOSE packet keeps its socket for the ping timeout (45 s) while its slot is free
  again: thousands of sockets from one address.

Engine.IO's handlers are wrapped through its public `on()`, so this composes with the rest of the
server set-up and changes only this server instance; what needs Engine.IO's private names (the
disconnect that does not wait, the checked websocket, the hang-up) is in
server/patches/engineio_sockets.py.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import socketio

from server.config import Settings
from server.http.source import client_source, forwarded_by_untrusted_peer, source_key
from server.patches import engineio_sockets

log = logging.getLogger(__name__)

GUARD_ATTR = "kvarter_guard"
# An officer's console resyncs three events a room (join, sync, flags) for up to 50 rooms after a
# reconnect; staff connections are authenticated, so they get this many times the youth budget.
STAFF_EVENT_FACTOR = 5
# Refusals in a row after which a connection is closed: a client that honours `rate_limited`
# never gets there; a script that ignores it does, within a second or two.
FLOOD_DISCONNECT_AFTER = 50
# Packets other than events (namespace connects and disconnects, acks): a client sends one or
# two per namespace per connection.
PACKET_BURST = 10
PACKET_RATE = 1.0
# Socket.IO packet types inside an Engine.IO message: 2 EVENT, 5 BINARY_EVENT, 6 BINARY_ACK.
EVENT_PACKET = "2"
BINARY_PACKETS = ("5", "6")
# How long a closed connection's client has to hang up before its transport is aborted.
CLOSE_GRACE_S = 2.0


class Verdict(enum.Enum):
    OK = "ok"
    REFUSED = "refused"
    DISCONNECT = "disconnect"


@dataclass(slots=True)
class _Bucket:
    capacity: float
    per_second: float
    tokens: float
    last: float
    refused: int = 0


@dataclass(slots=True)
class _Connection:
    source: str | None
    buckets: dict[str, _Bucket]
    holds: int = 1  # the Engine.IO session, and its websocket while that is open


class ConnectionGuard:
    """Per-process bookkeeping of connections, their sources and their event budgets."""

    def __init__(self, settings: Settings, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self._monotonic = monotonic
        self._connections: dict[str, _Connection] = {}
        self._per_source: Counter[str] = Counter()
        self.refused_connections = 0
        self.flood_disconnects = 0
        self._warned_proxy = False

    def admit(self, eio_sid: str, environ: dict[str, Any], today: dt.date | None = None) -> bool:
        """Count a new connection against its source; False when the source is at its cap."""
        cap = self.settings.max_connections_per_source
        source = None
        if cap:
            if not self._warned_proxy and forwarded_by_untrusted_peer(environ, self.settings):
                self._warned_proxy = True
                log.warning(
                    "socket.io connections arrive through a proxy that is not in KVARTER_TRUSTED_PROXIES; "
                    "all its clients share one per-source connection cap"
                )
            day = today or dt.datetime.now(dt.UTC).date()
            source = source_key(client_source(environ, self.settings), self.settings.secret_key, day)
            if self._per_source[source] >= cap:
                self.refused_connections += 1
                log.info("connection refused reason=source_cap cap=%s", cap)
                return False
            self._per_source[source] += 1
        self._connections[eio_sid] = _Connection(source, {})
        return True

    def hold(self, eio_sid: str) -> bool:
        """Keep a connection's slot while its websocket is open, even after its session ended;
        False when the guard does not know it."""
        conn = self._connections.get(eio_sid)
        if conn is None:
            return False
        conn.holds += 1
        return True

    def release(self, eio_sid: str) -> None:
        """The session, or the websocket, of a connection has ended: the slot is free when both
        have (each releases once)."""
        conn = self._connections.get(eio_sid)
        if conn is None:
            return
        conn.holds -= 1
        if conn.holds > 0:
            return
        del self._connections[eio_sid]
        if conn.source is None:
            return
        self._per_source[conn.source] -= 1
        if self._per_source[conn.source] <= 0:
            del self._per_source[conn.source]

    def connections_from(self, environ: dict[str, Any], today: dt.date | None = None) -> int:
        """How many connections the source of this request holds now (for tests and metrics)."""
        day = today or dt.datetime.now(dt.UTC).date()
        return self._per_source[source_key(client_source(environ, self.settings), self.settings.secret_key, day)]

    def _budget(self, kind: str) -> tuple[float, float]:
        if kind == "/staff":
            return self.settings.event_burst * STAFF_EVENT_FACTOR, self.settings.event_rate * STAFF_EVENT_FACTOR
        if kind == "packet":
            return PACKET_BURST, PACKET_RATE
        return self.settings.event_burst, self.settings.event_rate

    def take(self, eio_sid: str, kind: str) -> Verdict:
        """Take a token from the connection's bucket of this kind ("/youth", "/staff", "packet")."""
        conn = self._connections.get(eio_sid)
        if conn is None:  # connected before this guard saw it, or already gone
            return Verdict.OK
        now = self._monotonic()
        bucket = conn.buckets.get(kind)
        if bucket is None:
            capacity, rate = self._budget(kind)
            bucket = conn.buckets[kind] = _Bucket(capacity, rate, capacity, now)
        bucket.tokens = min(bucket.capacity, bucket.tokens + (now - bucket.last) * bucket.per_second)
        bucket.last = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.refused = 0
            return Verdict.OK
        bucket.refused += 1
        if bucket.refused >= FLOOD_DISCONNECT_AFTER:
            return Verdict.DISCONNECT
        return Verdict.REFUSED

    def flooded(self, eio_sid: str) -> None:
        """Note a connection closed for flooding."""
        self.flood_disconnects += 1
        log.info("connection closed reason=flood")


def of(sio: socketio.AsyncServer) -> ConnectionGuard:
    """The guard installed on a server."""
    guard: ConnectionGuard = getattr(sio, GUARD_ATTR)
    return guard


def install(sio: socketio.AsyncServer, settings: Settings) -> ConnectionGuard:
    """Wrap the server's Engine.IO connect, message and disconnect handlers with the guard."""
    eio = sio.eio
    allowed = eio.cors_allowed_origins
    # Engine.IO reads [] as "no origin check at all" and "*" as any origin: refuse to start so.
    if not isinstance(allowed, list) or not allowed or "*" in allowed:
        raise ValueError("socket.io needs an explicit, non-empty origin allow-list")
    guard = ConnectionGuard(settings)
    setattr(sio, GUARD_ATTR, guard)
    on_connect = eio.handlers["connect"]
    on_message = eio.handlers["message"]
    on_disconnect = eio.handlers["disconnect"]

    async def connect(eio_sid: str, environ: dict[str, Any]) -> Any:
        if not guard.admit(eio_sid, environ):
            return False  # Engine.IO answers the handshake with 401
        try:
            return await on_connect(eio_sid, environ)
        except BaseException:
            guard.release(eio_sid)
            raise

    async def message(eio_sid: str, data: str | bytes) -> Any:
        if isinstance(data, bytes) or data[:1] in BINARY_PACKETS:
            log.info("connection closed reason=binary_packet")
            await _close(eio_sid)
            return None
        if data[:1] != EVENT_PACKET:  # events are budgeted per namespace in realtime/dispatch.py
            verdict = guard.take(eio_sid, "packet")
            if verdict is Verdict.DISCONNECT:
                guard.flooded(eio_sid)
                await _close(eio_sid)
                return None
            if verdict is Verdict.REFUSED:
                return None  # dropped: a connect or ack packet has nobody to tell
        try:
            return await on_message(eio_sid, data)
        except Exception as exc:  # noqa: BLE001 - only decoding runs here; handlers run as tasks
            # A packet python-socketio cannot decode (truncated JSON, nesting beyond the parser,
            # a malformed header): the client's fault. Close it, log one line without content.
            log.info("connection closed reason=malformed_packet error=%s", type(exc).__name__)
            await _close(eio_sid)
            return None

    async def disconnect(eio_sid: str, *args: Any) -> Any:
        try:
            return await on_disconnect(eio_sid, *args)
        finally:
            guard.release(eio_sid)
            engineio_sockets.hang_up_later(sio, eio_sid, CLOSE_GRACE_S)

    async def _close(eio_sid: str) -> None:
        # In a background task: this may run inside the connection's own receive loop.
        sio.start_background_task(eio.disconnect, eio_sid)

    eio.on("connect", connect)
    eio.on("message", message)
    eio.on("disconnect", disconnect)
    return guard
