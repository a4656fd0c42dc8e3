"""Wiring: build the whole service from Settings. No module-level app objects."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import socketio
from aiohttp import web

from server import logs
from server.clock import Clock, SystemClock
from server.config import Settings
from server.http import auth_routes, middleware, ops_routes, public_routes, review_routes, static_routes
from server.http.keys import DEPS, SETTINGS
from server.realtime.emitter import SocketEmitter
from server.realtime.keys import BROKER, SIO
from server.realtime.staff_ns import StaffNamespace
from server.realtime.youth_ns import YouthNamespace
from server.services import triage
from server.services.deps import Deps
from server.services.guidance import Guidance
from server.services.priority import RiskSignals, no_risk_signals
from server.storage import kv, migrate
from server.storage.db import Database

log = logging.getLogger(__name__)
MAX_SOCKET_PACKET_BYTES = 64 * 1024
SHUTDOWN_DISCONNECT_S = 5


def create_app(
    settings: Settings, *, clock: Clock | None = None, risk_signals: RiskSignals | None = None
) -> web.Application:
    """The aiohttp application with socket.io attached, built from settings alone."""
    logs.silence_content_loggers()
    manager = kv.socketio_manager(settings.redis_url, settings.redis_prefix) if settings.redis_url else None
    sio = socketio.AsyncServer(
        async_mode="aiohttp",
        client_manager=manager,
        cors_allowed_origins=list(settings.origins()),
        cors_credentials=True,
        max_http_buffer_size=MAX_SOCKET_PACKET_BYTES,
        logger=False,
        engineio_logger=False,
    )
    db = Database(settings.database_url)
    deps = Deps(
        settings=settings,
        db=db,
        clock=clock or SystemClock(),
        emitter=SocketEmitter(sio),
        guidance=Guidance.load(settings.guidance_file),
        risk_signals=risk_signals or no_risk_signals,
    )
    sio.register_namespace(YouthNamespace(deps))
    sio.register_namespace(StaffNamespace(deps))

    app = web.Application(
        middlewares=[middleware.security_headers, middleware.errors],
        client_max_size=MAX_SOCKET_PACKET_BYTES,
    )
    app[SETTINGS] = settings
    app[DEPS] = deps
    app[SIO] = sio
    app[BROKER] = kv.RedisBroker(settings.redis_url) if settings.redis_url else None
    sio.attach(app, socketio_path="socket.io")
    app.add_routes(auth_routes.routes)
    app.add_routes(public_routes.routes)
    app.add_routes(ops_routes.routes)
    app.add_routes(review_routes.routes)
    static_routes.add_routes(app, settings.static_dir)
    app.on_shutdown.append(_disconnect_clients)
    app.cleanup_ctx.append(_lifecycle)
    return app


async def _disconnect_clients(app: web.Application) -> None:
    """On shutdown, close every socket.io connection so clients reconnect (to another process)
    instead of holding the shutdown open until they time out."""
    eio = app[SIO].eio
    if eio.sockets:  # engineio's disconnect-all fails on an empty set
        try:
            await asyncio.wait_for(eio.disconnect(), SHUTDOWN_DISCONNECT_S)
        except TimeoutError:
            log.warning("shutdown: clients did not close within %ss", SHUTDOWN_DISCONNECT_S)


async def _escalation_loop(deps: Deps) -> None:
    """Check for unclaimed P1 reports now and then; the deadline itself is in the database."""
    while True:
        try:
            await triage.escalate_due(deps)
        except Exception:  # noqa: BLE001 - the loop must outlive a database hiccup
            log.warning("escalation check failed; retrying")
        await asyncio.sleep(deps.settings.escalation_check_seconds)


async def _lifecycle(app: web.Application) -> AsyncIterator[None]:
    deps = app[DEPS]
    await migrate.check_current(deps.db.engine)
    log.info("kvarter started backend=%s redis=%s", deps.db.engine.dialect.name, app[BROKER] is not None)
    escalation = asyncio.create_task(_escalation_loop(deps))
    yield
    escalation.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await escalation
    await app[SIO].shutdown()
    if (broker := app[BROKER]) is not None:
        await broker.close()
    await deps.db.close()
