"""Typed application keys (aiohttp AppKey), so handlers get their dependencies typed."""

from __future__ import annotations

from aiohttp import web

from server.config import Settings
from server.services.deps import Deps

SETTINGS = web.AppKey("settings", Settings)
DEPS = web.AppKey("deps", Deps)
