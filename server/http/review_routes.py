"""Supervisor reads of records. Every read states a reason and is audited."""

from __future__ import annotations

from aiohttp import web

from server.http.auth_routes import current_staff
from server.http.keys import DEPS
from server.services import review

routes = web.RouteTableDef()


@routes.get("/api/reports/{report_id}")
async def report_history(request: web.Request) -> web.Response:
    """The whole history of a report: the report, its chat, handoffs and every recorded action."""
    staff = await current_staff(request)
    reason = request.query.get("reason", "")
    data = await review.report_history(request.app[DEPS], staff, request.match_info["report_id"], reason)
    return web.json_response(data)
