"""The three web apps, the embed loader and the demo host page, built to webclient/dist."""

from __future__ import annotations

import asyncio
from pathlib import Path

from aiohttp import web
from aiohttp.typedefs import Handler

APPS = ("widget", "console", "supervisor", "demo")
NOT_BUILT = (
    "<!doctype html><meta charset=utf-8><title>Kvarter</title>"
    "<p>The web client is not built. Run <code>make run</code> (or <code>make build</code>).</p>"
)


def add_routes(app: web.Application, dist: Path) -> None:
    def page(path: Path) -> Handler:
        async def handler(_request: web.Request) -> web.StreamResponse:
            if not await asyncio.to_thread(path.is_file):
                return web.Response(text=NOT_BUILT, content_type="text/html", status=503)
            response = web.FileResponse(path)
            response.headers["Cache-Control"] = "no-cache"
            return response

        return handler

    def redirect(to: str) -> Handler:
        async def handler(_request: web.Request) -> web.StreamResponse:
            raise web.HTTPFound(to)

        return handler

    for name in APPS:
        app.router.add_get(f"/{name}/", page(dist / name / "index.html"))
        app.router.add_get(f"/{name}", redirect(f"/{name}/"))
    app.router.add_get("/widget.js", page(dist / "widget.js"))
    app.router.add_get("/", redirect("/demo/"))
    assets = dist / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    app.router.add_static("/assets/", assets, show_index=False, follow_symlinks=False)
