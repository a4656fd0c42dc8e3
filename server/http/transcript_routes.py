"""Supervisor review over HTTP: transcripts, quality reviews, legal holds, the audit log."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from typing import Annotated

import msgspec
from aiohttp import web

from server.clock import isoformat
from server.errors import Forbidden, Invalid
from server.events import Payload
from server.http.auth_routes import current_staff
from server.http.keys import DEPS
from server.http.responses import body
from server.services import audit_log, dashboard, export_doc, transcripts

routes = web.RouteTableDef()
Notes = Annotated[str, msgspec.Meta(max_length=2000)]


class ReviewBody(Payload):
    answered_in_time: bool
    right_handoff: bool
    good_tone: bool
    secrecy_kept: bool
    notes: Notes = ""


class HoldBody(Payload):
    hold: bool
    reason: Annotated[str, msgspec.Meta(max_length=500)]


def _flag(request: web.Request, name: str) -> bool:
    value = request.query.get(name, "false")
    if value not in ("true", "false", "1", "0"):
        raise Invalid(f"{name} is true or false")
    return value in ("true", "1")


@routes.get("/api/transcripts")
async def search(request: web.Request) -> web.Response:
    staff = await current_staff(request)
    return web.json_response(await transcripts.search(request.app[DEPS], staff, dict(request.query)))


@routes.get("/api/transcripts/{conversation_id}")
async def read(request: web.Request) -> web.Response:
    staff = await current_staff(request)
    data = await transcripts.read(
        request.app[DEPS], staff, request.match_info["conversation_id"], request.query.get("reason", ""),
        unmask=_flag(request, "unmask"),
    )  # fmt: skip
    return web.json_response(data)


@routes.post("/api/transcripts/{conversation_id}/review")
async def rate(request: web.Request) -> web.Response:
    staff = await current_staff(request)
    p = await body(request, ReviewBody)
    checklist = msgspec.structs.asdict(p)
    data = await transcripts.rate(request.app[DEPS], staff, request.match_info["conversation_id"], checklist)
    return web.json_response(data, status=201)


@routes.post("/api/transcripts/{conversation_id}/hold")
async def hold(request: web.Request) -> web.Response:
    staff = await current_staff(request)
    p = await body(request, HoldBody)
    data = await transcripts.set_hold(request.app[DEPS], staff, request.match_info["conversation_id"], p.hold, p.reason)
    return web.json_response(data)


@routes.get("/api/dashboard")
async def dashboard_figures(request: web.Request) -> web.Response:
    staff = await current_staff(request)
    return web.json_response(await dashboard.figures(request.app[DEPS], staff, dict(request.query)))


@routes.get("/api/transcripts/{conversation_id}/export.json")
async def export_json(request: web.Request) -> web.Response:
    staff = await current_staff(request)
    data = await transcripts.export(
        request.app[DEPS], staff, request.match_info["conversation_id"], request.query.get("reason", "")
    )
    return web.json_response(
        data, headers={"Content-Disposition": f'attachment; filename="kvarter-{data["conversation"]["id"]}.json"'}
    )


@routes.get("/api/transcripts/{conversation_id}/export.pdf")
async def export_pdf(request: web.Request) -> web.Response:
    staff = await current_staff(request)
    data = await transcripts.export(
        request.app[DEPS], staff, request.match_info["conversation_id"], request.query.get("reason", ""), fmt="pdf"
    )
    pdf = await asyncio.to_thread(export_doc.pdf, data)
    return web.Response(
        body=pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="kvarter-{data["conversation"]["id"]}.pdf"'},
    )


@routes.get("/api/my/reviews")
async def my_reviews(request: web.Request) -> web.Response:
    staff = await current_staff(request)
    return web.json_response(await transcripts.my_reviews(request.app[DEPS], staff))


@routes.get("/api/audit")
async def audit_entries(request: web.Request) -> web.Response:
    staff = await current_staff(request)
    return web.json_response(await audit_log.listing(request.app[DEPS], staff, dict(request.query)))


@routes.get("/api/audit.csv")
async def audit_csv(request: web.Request) -> web.Response:
    staff = await current_staff(request)
    entries = await audit_log.export(request.app[DEPS], staff, dict(request.query))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "at", "actor_kind", "actor_id", "action", "target_kind", "target_id", "detail"])
    for e in entries:
        writer.writerow([e.id, isoformat(e.at), e.actor_kind, e.actor_id or "", e.action, e.target_kind or "",
                         e.target_id or "", json.dumps(json.loads(e.detail), ensure_ascii=False)])  # fmt: skip
    return web.Response(
        text=out.getvalue(),
        content_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="kvarter-audit.csv"'},
    )


@routes.route("*", "/api/audit/{tail:.*}")
async def audit_is_read_only(_request: web.Request) -> web.Response:
    raise Forbidden("the audit log is append-only")
