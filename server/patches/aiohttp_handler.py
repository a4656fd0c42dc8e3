"""Connections the peer ended: closed a few per loop turn, not all in one.

When thousands of clients end their connections at once (a proxy restarting, a crowd closing
the page), the event loop reads every end-of-stream in one turn, and by default each transport
is closed at once: the next turn then runs, for every connection, aiohttp's `connection_lost`
and the socket's close(2) — a few tens of microseconds each on this kind of machine, so 5,000
of them stop the loop for a fifth of a second, and a live client's message waits behind them
(docs/benchmarks.md, scenario 5). Here the protocol keeps the half-closed transport (nothing
more can be read from it) and closes it in a later turn through a `Pacer`, so the closes are
spread over many turns with other I/O served in between. A connection reset (RST) skips
`eof_received` and is closed at once as before.
"""

from __future__ import annotations

import asyncio

from aiohttp import web_server
from aiohttp.web_protocol import RequestHandler

from server.realtime.pacing import Pacer

_ENDS = Pacer()


def _close(transport: asyncio.BaseTransport) -> None:
    if not transport.is_closing():
        transport.close()


class PacedRequestHandler(RequestHandler):
    """aiohttp's connection handler, with the peer's end of a connection closed in paced turns."""

    def eof_received(self) -> bool:  # type: ignore[override]  # asyncio.Protocol allows a bool
        transport = self.transport
        if transport is None or _ENDS.admit():
            return False  # closed now, as aiohttp does
        _ENDS.later(lambda: _close(transport))
        return True  # keep it until its turn; nothing more is read from it


def install() -> None:
    """Every aiohttp server of this process makes its connections with `PacedRequestHandler`
    (aiohttp's `Server` has no parameter for its handler class; it looks the name up here)."""
    setattr(web_server, "RequestHandler", PacedRequestHandler)  # noqa: B010 - not exported to type checkers


__all__ = ["PacedRequestHandler", "install"]
