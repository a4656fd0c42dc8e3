"""Duty over HTTP: the whole roster for supervisors, and the grants that let officers of other
regions go on duty in the supervisor's region."""

from __future__ import annotations

from typing import Annotated

import msgspec
from aiohttp import web

from server.events import Payload
from server.http.auth_routes import current_staff
from server.http.keys import DEPS
from server.http.responses import body
from server.services import duty, duty_grants, inputs
from server.services.actors import StaffActor

routes = web.RouteTableDef()


class GrantBody(Payload):
    """The officer by username, for how many hours from now, and why (audited)."""

    username: Annotated[str, msgspec.Meta(max_length=64)]
    hours: Annotated[int, msgspec.Meta(ge=1, le=duty_grants.MAX_HOURS)]
    reason: Annotated[str, msgspec.Meta(max_length=10_000)]


@routes.get("/api/duty")
async def who_is_on_duty(request: web.Request) -> web.Response:
    staff = await current_staff(request)
    return web.json_response(await duty.everyone(request.app[DEPS], staff))


@routes.get("/api/duty/grants")
async def list_grants(request: web.Request) -> web.Response:
    staff = await current_staff(request)
    return web.json_response(await duty_grants.listing(request.app[DEPS], StaffActor(staff.id)))


@routes.post("/api/duty/grants")
async def give_grant(request: web.Request) -> web.Response:
    staff = await current_staff(request)
    p = await body(request, GrantBody)
    result = await duty_grants.give(request.app[DEPS], StaffActor(staff.id), p.username, p.hours, p.reason)
    return web.json_response(result, status=201)


@routes.delete("/api/duty/grants/{grant_id}")
async def revoke_grant(request: web.Request) -> web.Response:
    staff = await current_staff(request)
    grant_id = inputs.path_id(request.match_info["grant_id"], "duty grant")
    return web.json_response(await duty_grants.revoke(request.app[DEPS], StaffActor(staff.id), grant_id))
