"""Everything Kvarter does through other libraries' private names, in one package (issue #18).

The speed and safety work reaches below the public APIs of python-socketio, python-engineio,
aiohttp, aiosqlite and SQLAlchemy's aiosqlite adapter. Each library's part is one module here,
and nothing outside this package uses those names (tests/test_library_contracts.py checks both:
the names each module relies on, and that no other module of server/ reaches them; ruff's banned
imports keep engineio, aiosqlite and aiohttp's server internals out of the other packages).

- `socketio_fanout`: one prebuilt frame written to every idle websocket of a room, packets to
  one connection written the same way, the reverse room index (python-socketio and
  python-engineio).
- `engineio_sockets`: a disconnect that does not wait, websockets that hold their connection's
  slot and end on a malformed frame, the hang-up after a session ended (python-engineio).
- `socketio_redis`: the Redis manager that raises on a failed publish and says when its lost
  subscription is back (python-socketio).
- `aiohttp_handler`: connections the peer ended are closed a few per loop turn (aiohttp's
  connection handler class, process-wide).
- `aiosqlite_trips`: a SQLite statement in one trip to aiosqlite's thread (aiosqlite and
  SQLAlchemy's adapter; adopted by each new connection in storage/db.py).

They are applied in two places only: `install_process()` once when a process starts serving
(python -m server serve, the tests' conftest), and `install_server()` on each socket.io server
as the app is built.
"""

from __future__ import annotations

import socketio

from server.patches import aiohttp_handler, engineio_sockets, socketio_fanout, socketio_redis
from server.patches.engineio_sockets import Slots
from server.patches.socketio_fanout import Packet


def install_process() -> None:
    """The process-wide part: aiohttp's connection handler class."""
    aiohttp_handler.install()


def manager(redis_url: str | None, prefix: str) -> socketio.AsyncManager:
    """The socket.io client manager: in-process, or over Redis with the same local delivery."""
    if redis_url:
        return socketio_redis.socketio_manager(redis_url, prefix, local=socketio_fanout.FanoutManager)
    return socketio_fanout.FanoutManager()


def install_server(sio: socketio.AsyncServer, *, deflate: bool, slots: Slots) -> None:
    """The per-server part: the fast websocket and direct writes, then the checked websocket
    and the disconnect that does not wait (in this order: the check wraps the fast one)."""
    socketio_fanout.install(sio, deflate=deflate)
    engineio_sockets.install(sio, slots)


__all__ = ["Packet", "Slots", "install_process", "install_server", "manager"]
