"""Schedules over HTTP: public reading and the iCalendar feed; editing for supervisors and admins."""

from __future__ import annotations

from typing import Annotated

import msgspec
from aiohttp import web

from server.errors import Invalid
from server.events import Payload
from server.http.auth_routes import current_staff
from server.http.keys import DEPS
from server.http.responses import body
from server.services import inputs, schedules

routes = web.RouteTableDef()
Label = Annotated[str, msgspec.Meta(max_length=80)]


class WindowBody(Payload):
    """Either `weekly` ("fri 18:00-02:00") or `date` + `start` + `end`."""

    weekly: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    date: Annotated[str, msgspec.Meta(max_length=10)] | None = None
    start: Annotated[str, msgspec.Meta(max_length=5)] | None = None
    end: Annotated[str, msgspec.Meta(max_length=5)] | None = None
    label: Label = ""


class ClosureBody(Payload):
    date: Annotated[str, msgspec.Meta(max_length=10)]
    reason: Annotated[str, msgspec.Meta(max_length=200)] = ""


@routes.get("/api/neighbourhoods/{slug}/schedule")
async def get_schedule(request: web.Request) -> web.Response:
    return web.json_response(await schedules.describe(request.app[DEPS], request.match_info["slug"]))


@routes.get("/api/neighbourhoods/{slug}/calendar.ics")
async def get_calendar(request: web.Request) -> web.Response:
    ical = await schedules.calendar(request.app[DEPS], request.match_info["slug"], request.host.split(":")[0])
    return web.Response(body=ical, content_type="text/calendar", charset="utf-8")


@routes.post("/api/neighbourhoods/{slug}/windows")
async def add_window(request: web.Request) -> web.Response:
    staff = await current_staff(request)
    p = await body(request, WindowBody)
    slug, deps = request.match_info["slug"], request.app[DEPS]
    if p.weekly is not None and p.date is None and p.start is None and p.end is None:
        result = await schedules.add_weekly(deps, staff, slug, p.weekly, p.label)
    elif p.weekly is None and p.date is not None and p.start is not None and p.end is not None:
        result = await schedules.add_dated(deps, staff, slug, p.date, p.start, p.end, p.label)
    else:
        raise Invalid("send either `weekly`, or `date`, `start` and `end`")
    return web.json_response(result, status=201)


@routes.delete("/api/windows/{window_id}")
async def remove_window(request: web.Request) -> web.Response:
    staff = await current_staff(request)
    await schedules.remove_window(request.app[DEPS], staff, inputs.path_id(request.match_info["window_id"], "window"))
    return web.json_response({})


@routes.post("/api/neighbourhoods/{slug}/closures")
async def add_closure(request: web.Request) -> web.Response:
    staff = await current_staff(request)
    p = await body(request, ClosureBody)
    result = await schedules.add_closure(request.app[DEPS], staff, request.match_info["slug"], p.date, p.reason)
    return web.json_response(result, status=201)


@routes.delete("/api/closures/{closure_id}")
async def remove_closure(request: web.Request) -> web.Response:
    staff = await current_staff(request)
    await schedules.remove_closure(
        request.app[DEPS], staff, inputs.path_id(request.match_info["closure_id"], "closure")
    )
    return web.json_response({})
