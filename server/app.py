"""Wiring: build the whole service from Settings. No module-level app objects."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import socketio
from aiohttp import web

from server import logs, patches
from server.clock import Clock, SystemClock
from server.config import Settings
from server.http import (
    auth_routes,
    duty_routes,
    middleware,
    ops_routes,
    public_routes,
    reply_routes,
    review_routes,
    schedule_routes,
    static_routes,
    transcript_routes,
)
from server.http.keys import DEPS, SETTINGS
from server.metrics import Metrics
from server.patches import socketio_redis
from server.realtime import guard as connection_guard
from server.realtime import resync
from server.realtime.emitter import SocketEmitter
from server.realtime.keys import BROKER, METRICS, SIO, STAFF_NS
from server.realtime.staff_ns import StaffNamespace
from server.realtime.youth_ns import YouthNamespace
from server.services import availability, chat_queue, duty, emitter, notices, screening, triage
from server.services.chat_lines import ChatLines
from server.services.deps import Deps
from server.services.emitter import Event
from server.services.guidance import Guidance
from server.services.hooks import PiiSpans, RiskSignals
from server.services.ratelimit import MemoryLimiter
from server.storage import kv, migrate
from server.storage.db import Database

log = logging.getLogger(__name__)
MAX_SOCKET_PACKET_BYTES = 64 * 1024
SHUTDOWN_DISCONNECT_S = 5


def create_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    risk_signals: RiskSignals | None = None,
    pii_spans: PiiSpans | None = None,
) -> web.Application:
    """The aiohttp application with socket.io attached, built from settings alone."""
    logs.silence_content_loggers()
    screening.load_rules()
    manager = patches.manager(settings.redis_url, settings.redis_prefix)
    sio = socketio.AsyncServer(
        async_mode="aiohttp",
        client_manager=manager,
        serializer=patches.Packet,
        cors_allowed_origins=list(settings.origins()),
        cors_credentials=True,
        # Only the two namespaces that have handlers (python-socketio accepts "/" by default,
        # where nothing limits a connection's events).
        namespaces=["/youth", "/staff"],
        max_http_buffer_size=MAX_SOCKET_PACKET_BYTES,
        logger=False,
        engineio_logger=False,
    )
    guard = connection_guard.install(sio, settings)
    patches.install_server(sio, deflate=settings.ws_deflate, slots=guard)
    metrics = Metrics()
    socket_emitter = SocketEmitter(sio, metrics)
    db = Database(settings.database_url, publish=socket_emitter.emit)  # each commit's events, after it
    deps = Deps(
        settings=settings,
        db=db,
        clock=clock or SystemClock(),
        emitter=socket_emitter,
        guidance=Guidance.load(settings.guidance_file),
        lines=ChatLines.load(settings.chat_lines_file),
        risk_signals=risk_signals or screening.risk_signals,
        pii_spans=pii_spans or screening.pii_spans,
        limiter=kv.RedisLimiter(settings.redis_url, settings.redis_prefix) if settings.redis_url else MemoryLimiter(),
    )
    # A room's cached availability is dropped when a change is announced, here or elsewhere:
    # every emit of this process and every one received through Redis passes the manager.
    manager.watch(availability.ANNOUNCED_BY, deps.availability.invalidate)
    if isinstance(manager, socketio_redis.RedisManager):
        manager.on_restored = resync.announcer(sio, deps.availability.invalidate)
    staff_ns = StaffNamespace(deps, metrics)
    sio.register_namespace(YouthNamespace(deps, metrics))
    sio.register_namespace(staff_ns)

    app = web.Application(
        middlewares=[middleware.security_headers, middleware.errors],
        client_max_size=MAX_SOCKET_PACKET_BYTES,
    )
    app[SETTINGS] = settings
    app[DEPS] = deps
    app[SIO] = sio
    app[STAFF_NS] = staff_ns
    app[METRICS] = metrics
    app[BROKER] = kv.RedisBroker(settings.redis_url) if settings.redis_url else None
    sio.attach(app, socketio_path="socket.io")
    app.add_routes(auth_routes.routes)
    app.add_routes(duty_routes.routes)
    app.add_routes(public_routes.routes)
    app.add_routes(reply_routes.routes)
    app.add_routes(ops_routes.routes)
    app.add_routes(review_routes.routes)
    app.add_routes(schedule_routes.routes)
    app.add_routes(transcript_routes.routes)
    static_routes.add_routes(app, settings.static_dir)
    app.on_response_prepare.append(_server_header)
    app.on_shutdown.append(_disconnect_clients)
    app.cleanup_ctx.append(_lifecycle)
    return app


async def _server_header(_request: web.Request, response: web.StreamResponse) -> None:
    """Every response, socket.io's included, names the service, not the library versions."""
    response.headers["Server"] = "Kvarter"


async def _disconnect_clients(app: web.Application) -> None:
    """On shutdown, close every socket.io connection so clients reconnect (to another process)
    instead of holding the shutdown open until they time out."""
    eio = app[SIO].eio
    if eio.sockets:  # engineio's disconnect-all fails on an empty set
        try:
            await asyncio.wait_for(eio.disconnect(), SHUTDOWN_DISCONNECT_S)
        except TimeoutError:
            log.warning("shutdown: clients did not close within %ss", SHUTDOWN_DISCONNECT_S)


async def _ticker(app: web.Application) -> None:
    """The server's clock work, each step on its own so one failure does not stop the others:
    P1 escalation, alerts for chats waiting too long, duty heartbeats and expiry (their chats
    back to the queue), availability changes at window boundaries,
    the expiry of notices, and closing /staff connections whose session ended.
    All state is in the database, so any number of processes may run it."""
    deps = app[DEPS]
    staff_ns = app[STAFF_NS]
    watch = availability.Watch()
    steps: list[tuple[str, Callable[[], Awaitable[object]]]] = [
        ("escalation", lambda: triage.escalate_due(deps)),
        ("chat_alerts", lambda: chat_queue.alert_due(deps)),
        ("duty", lambda: duty.sweep(deps, staff_ns.connected_staff())),
        ("availability", lambda: _availability_changes(deps, watch)),
        ("notices", lambda: notices.expire_due(deps)),
        ("sessions", staff_ns.end_revoked_sessions),
    ]
    while True:
        for name, step in steps:
            try:
                await step()
            except Exception:  # noqa: BLE001 - the loop must outlive a database hiccup
                log.warning("tick step failed step=%s; retrying next tick", name)
        await asyncio.sleep(deps.settings.tick_seconds)


async def _availability_changes(deps: Deps, watch: availability.Watch) -> None:
    async with deps.db.transaction() as tx:
        nbs = await tx.neighbourhoods.all()
        current = await availability.of_all(tx, nbs, deps.clock.now(), deps.settings.tz)
        for data in watch.changed(current):
            tx.on_commit([Event("availability", data, a) for a in emitter.rooms_of(data["room"])])


async def _lifecycle(app: web.Application) -> AsyncIterator[None]:
    deps = app[DEPS]
    await migrate.check_current(deps.db.engine)
    log.info("kvarter started backend=%s redis=%s", deps.db.engine.dialect.name, app[BROKER] is not None)
    ticker = asyncio.create_task(_ticker(app))
    yield
    ticker.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await ticker
    await app[SIO].shutdown()
    if (broker := app[BROKER]) is not None:
        await broker.close()
        await app[SIO].manager.close()
    if isinstance(deps.limiter, kv.RedisLimiter):
        await deps.limiter.close()
    await deps.db.close()
