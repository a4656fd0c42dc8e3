"""Saved replies over HTTP: staff read their region's; its supervisors keep them."""

from __future__ import annotations

from typing import Annotated

import msgspec
from aiohttp import web

from server.events import Payload
from server.http.auth_routes import current_staff
from server.http.keys import DEPS
from server.http.responses import body
from server.services import inputs, replies
from server.services.actors import StaffActor

routes = web.RouteTableDef()


class ReplyBody(Payload):
    """Lengths and the language are checked by the service, so that each fault names itself."""

    title: Annotated[str, msgspec.Meta(max_length=10_000)]
    body: Annotated[str, msgspec.Meta(max_length=10_000)]
    lang: Annotated[str, msgspec.Meta(max_length=16)]


def _reply_id(request: web.Request) -> int:
    return inputs.path_id(request.match_info["reply_id"], "saved reply")


@routes.get("/api/replies")
async def list_replies(request: web.Request) -> web.Response:
    staff = await current_staff(request)
    return web.json_response(await replies.listing(request.app[DEPS], StaffActor(staff.id)))


@routes.post("/api/replies")
async def create_reply(request: web.Request) -> web.Response:
    staff = await current_staff(request)
    p = await body(request, ReplyBody)
    result = await replies.create(request.app[DEPS], StaffActor(staff.id), p.title, p.body, p.lang)
    return web.json_response(result, status=201)


@routes.put("/api/replies/{reply_id}")
async def change_reply(request: web.Request) -> web.Response:
    staff = await current_staff(request)
    p = await body(request, ReplyBody)
    result = await replies.change(request.app[DEPS], StaffActor(staff.id), _reply_id(request), p.title, p.body, p.lang)
    return web.json_response(result)


@routes.delete("/api/replies/{reply_id}")
async def delete_reply(request: web.Request) -> web.Response:
    staff = await current_staff(request)
    return web.json_response(await replies.remove(request.app[DEPS], StaffActor(staff.id), _reply_id(request)))
