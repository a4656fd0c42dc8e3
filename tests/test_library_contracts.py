"""What Kvarter relies on inside other libraries, asserted by name (issue #18).

The speed work reaches into private names of python-engineio, python-socketio, aiohttp,
aiosqlite and SQLAlchemy's aiosqlite dialect. pyproject.toml holds those libraries below their
next minor release and requirements/*.txt pins them; `make upgrade` brings a new version only
through the tests, and these fail first, naming the library, its version and the name that
changed — not a test of order or acks three layers up. Where each name is used is in the message.
"""

from __future__ import annotations

import asyncio
import inspect
import re
from importlib.metadata import version
from pathlib import Path
from typing import Any

import aiosqlite
import engineio
import pytest
import socketio
from aiohttp import web, web_protocol, web_server
from aiohttp.base_protocol import BaseProtocol
from engineio.async_drivers import aiohttp as eio_aiohttp
from engineio.async_socket import AsyncSocket
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_connection


def check(library: str, name: str, holds: bool, used_in: str) -> None:
    assert holds, f"{library} {version(library)}: `{name}` has changed, and {used_in} relies on it"


def params(owner: Any, name: str) -> list[str]:
    """The parameter names of `owner.name`, or none where it is gone."""
    function = getattr(owner, name, None)
    return list(inspect.signature(function).parameters) if callable(function) else []


def coroutine(owner: Any, name: str) -> bool:
    return inspect.iscoroutinefunction(getattr(owner, name, None))


def test_python_engineio() -> None:
    lib = "python-engineio"
    server = engineio.AsyncServer(async_mode="aiohttp")
    check(
        lib,
        "AsyncServer._async['websocket']",
        isinstance(getattr(server, "_async", {}).get("websocket"), type),
        "patches/socketio_fanout.py install() and patches/engineio_sockets.py install()",
    )
    check(
        lib,
        "async_drivers.aiohttp.WebSocket(handler, server)",
        params(eio_aiohttp.WebSocket, "__init__")[:3] == ["self", "handler", "server"],
        "patches/socketio_fanout.py",
    )
    sock = AsyncSocket(server, "sid")
    check(
        lib,
        "AsyncSocket.queue (an asyncio.Queue)",
        isinstance(getattr(sock, "queue", None), asyncio.Queue),
        "patches/socketio_fanout.py (packets to one connection) and patches/engineio_sockets.py (ending the writer)",
    )
    check(lib, "AsyncSocket.upgrading", getattr(sock, "upgrading", None) is False, "patches/socketio_fanout.py")
    check(
        lib,
        "AsyncSocket.poll()",
        coroutine(AsyncSocket, "poll") and params(AsyncSocket, "poll") == ["self"],
        "patches/socketio_fanout.py _poll, which replaces it per socket",
    )
    check(
        lib,
        "AsyncServer.disconnect(sid=None)",
        params(engineio.AsyncServer, "disconnect") == ["self", "sid"],
        "patches/engineio_sockets.py _disconnect_without_waiting",
    )
    check(
        lib,
        "AsyncServer.sockets (a dict)",
        isinstance(getattr(server, "sockets", None), dict),
        "patches/engineio_sockets.py and app.py",
    )


def test_python_socketio() -> None:
    lib = "python-socketio"
    check(
        lib,
        "AsyncServer._send_packet(eio_sid, pkt)",
        params(socketio.AsyncServer, "_send_packet") == ["self", "eio_sid", "pkt"],
        "patches/socketio_fanout.py _send_packet, which replaces it",
    )
    check(
        lib,
        "AsyncServer._send_eio_packet(eio_sid, eio_pkt)",
        params(socketio.AsyncServer, "_send_eio_packet") == ["self", "eio_sid", "eio_pkt"],
        "patches/socketio_fanout.py",
    )
    manager = socketio.AsyncManager()
    manager.initialize()
    for name in ("rooms", "callbacks", "pending_connect", "pending_disconnect"):
        check(
            lib,
            f"AsyncManager.{name} (a dict)",
            isinstance(getattr(manager, name, None), dict),
            "patches/socketio_fanout.py basic_disconnect",
        )
    check(
        lib,
        "BaseManager.basic_disconnect(sid, namespace, **kwargs)",
        params(socketio.AsyncManager, "basic_disconnect")[:3] == ["self", "sid", "namespace"],
        "patches/socketio_fanout.py",
    )
    check(
        lib,
        "AsyncRedisManager._redis_connect()",
        callable(getattr(socketio.AsyncRedisManager, "_redis_connect", None)),
        "patches/socketio_redis.py",
    )
    listen = getattr(socketio.AsyncRedisManager, "_listen", None)
    check(
        lib,
        "AsyncRedisManager._listen() iterating self._redis_listen_with_retries()",
        inspect.isasyncgenfunction(listen)
        and "self._redis_listen_with_retries()" in inspect.getsource(listen)
        and inspect.isasyncgenfunction(getattr(socketio.AsyncRedisManager, "_redis_listen_with_retries", None)),
        "patches/socketio_redis.py RedisManager._redis_listen_with_retries, which replaces it (Redis is back)",
    )
    source = inspect.getsource(socketio.AsyncRedisManager._redis_connect)
    check(
        lib,
        "AsyncRedisManager._redis_connect() setting self.pubsub",
        "self.pubsub = " in source,
        "patches/socketio_redis.py RedisManager._redis_listen_with_retries (subscribes self.pubsub to self.channel)",
    )


def test_aiohttp() -> None:
    lib = "aiohttp"
    # Server.__call__ makes each connection's handler from the module's global `RequestHandler`,
    # which patches/aiohttp_handler.py install() replaces with a subclass (the tests' servers run with it).
    check(
        lib,
        "web_server.RequestHandler, read by Server.__call__",
        isinstance(handler := getattr(web_server, "RequestHandler", None), type)
        and issubclass(handler, web_protocol.RequestHandler)
        and "RequestHandler" in web_server.Server.__call__.__code__.co_names,
        "patches/aiohttp_handler.py install(), which swaps it for PacedRequestHandler",
    )
    check(
        lib, "BaseProtocol._paused", "_paused" in getattr(BaseProtocol, "__slots__", ()), "patches/socketio_fanout.py"
    )
    ws = web.WebSocketResponse()
    check(
        lib,
        "WebSocketResponse._writer",
        hasattr(ws, "_writer") and getattr(ws, "_writer", 0) is None,
        "patches/socketio_fanout.py (the transport and protocol of the websocket)",
    )


def test_aiosqlite_and_sqlalchemy() -> None:
    check(
        "aiosqlite",
        "Connection._execute(fn, *args, **kwargs)",
        coroutine(aiosqlite.Connection, "_execute") and params(aiosqlite.Connection, "_execute")[:2] == ["self", "fn"],
        "patches/aiosqlite_trips.py",
    )
    check(
        "aiosqlite",
        "Connection._conn",
        isinstance(getattr(aiosqlite.Connection, "_conn", None), property),
        "patches/aiosqlite_trips.py",
    )
    slots = {name for cls in AsyncAdapt_aiosqlite_connection.__mro__ for name in getattr(cls, "__slots__", ())}
    for name in ("_execute_mutex", "_connection"):
        check("sqlalchemy", f"AsyncAdapt_aiosqlite_connection.{name}", name in slots, "patches/aiosqlite_trips.py")
    check(
        "sqlalchemy",
        "AsyncAdapt_aiosqlite_connection._cursor_cls",
        hasattr(AsyncAdapt_aiosqlite_connection, "_cursor_cls"),
        "patches/aiosqlite_trips.py OneTripConnection",
    )


# Private names of the patched libraries (and their internal classes and modules): used only in
# server/patches. Kvarter's own private names never follow a library object, so a match outside
# that package is a library's name.
_PRIVATE = re.compile(
    r"\.(_send_packet|_send_eio_packet|_async|_writer|_paused|_execute|_execute_mutex|_conn|_redis_connect"
    r"|_redis_listen_with_retries|_publish|_listen|basic_disconnect|pending_connect|pending_disconnect"
    r"|upgrading)\b|\bRequestHandler\b|\bAsyncAdapt_aiosqlite|\basync_drivers\b|\bAsyncSocket\b"
)
SERVER = Path(__file__).resolve().parent.parent / "server"


def test_only_server_patches_uses_the_libraries_private_names() -> None:
    """Every use of a patched library's private names is in server/patches (issue #18)."""
    found = [
        f"{path.relative_to(SERVER.parent)}:{n}: {line.strip()}"
        for path in sorted(SERVER.rglob("*.py"))
        if "patches" not in path.relative_to(SERVER).parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _PRIVATE.search(line)
    ]
    assert found == [], "private library names outside server/patches:\n" + "\n".join(found)
    inside = [p for p in (SERVER / "patches").glob("*.py") if _PRIVATE.search(p.read_text(encoding="utf-8"))]
    assert len(inside) >= 4, "the pattern no longer finds the names where they are used"


def test_a_renamed_name_fails_naming_the_library_its_version_and_the_name(monkeypatch: Any) -> None:
    """The contracts are not vacuous: with `AsyncSocket.poll` renamed away (as a new engineio
    might), the engineio contract fails and says which library, version and name."""
    monkeypatch.delattr(AsyncSocket, "poll")
    expected = f"python-engineio {version('python-engineio')}: `AsyncSocket.poll()` has changed"
    with pytest.raises(AssertionError, match=re.escape(expected)):
        test_python_engineio()
    monkeypatch.undo()
    test_python_engineio()  # the positive control: as installed, it holds
