"""The anonymous HTTP API: neighbourhoods and whether they are staffed."""

from __future__ import annotations

from aiohttp import web

from server.http.keys import DEPS
from server.services import neighbourhoods

routes = web.RouteTableDef()


@routes.get("/api/neighbourhoods")
async def list_neighbourhoods(request: web.Request) -> web.Response:
    return web.json_response(await neighbourhoods.listing(request.app[DEPS]))


@routes.get("/api/neighbourhoods/{slug}/availability")
async def availability(request: web.Request) -> web.Response:
    slug = request.match_info["slug"]
    return web.json_response(await neighbourhoods.availability_of(request.app[DEPS], slug))
