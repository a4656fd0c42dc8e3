"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

import hmac
import ipaddress

from aiohttp import web

from server.http.keys import DEPS, SETTINGS
from server.http.source import client_source
from server.realtime.keys import BROKER, METRICS, SIO
from server.services import triage

routes = web.RouteTableDef()


@routes.get("/healthz")
async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


@routes.get("/readyz")
async def readyz(request: web.Request) -> web.Response:
    checks = {"database": await request.app[DEPS].db.ping()}
    broker = request.app[BROKER]
    if broker is not None:
        checks["redis"] = await broker.ping()
    ready = all(checks.values())
    return web.json_response(
        {"status": "ready" if ready else "not_ready", "checks": checks}, status=200 if ready else 503
    )


def _may_scrape(request: web.Request) -> bool:
    """A bearer of KVARTER_METRICS_TOKEN from anywhere; without the token, a client on this
    machine (the address as KVARTER_TRUSTED_PROXIES decides it) and nobody else."""
    token = request.app[SETTINGS].metrics_token
    if token is not None:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    try:
        return ipaddress.ip_address(client_source(request, request.app[SETTINGS])).is_loopback
    except ValueError:
        return False


@routes.get("/metrics")
async def metrics(request: web.Request) -> web.Response:
    """Prometheus text format, counts and timings only, for operators: a bearer of the metrics
    token, or (without one) a scraper on this machine; anyone else gets a plain 404."""
    if not _may_scrape(request):
        raise web.HTTPNotFound()
    m = request.app[METRICS]
    sio = request.app[SIO]
    for namespace in ("/youth", "/staff"):
        m.connections.labels(namespace).set(sum(1 for _ in sio.manager.get_participants(namespace, None)))
    depth, oldest = await triage.queue_stats(request.app[DEPS])
    m.triage_depth.set(depth)
    m.triage_oldest.set(oldest)
    m.db_checked_out.set(request.app[DEPS].db.connections_in_use())
    return web.Response(body=m.render(), content_type="text/plain", charset="utf-8")
