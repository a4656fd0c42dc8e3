"""Application keys of the realtime layer."""

from __future__ import annotations

import socketio
from aiohttp import web

from server.metrics import Metrics
from server.realtime.staff_ns import StaffNamespace
from server.storage.kv import RedisBroker

SIO = web.AppKey("sio", socketio.AsyncServer)
BROKER: web.AppKey[RedisBroker | None] = web.AppKey("broker")

STAFF_NS: web.AppKey[StaffNamespace] = web.AppKey("staff_ns")
METRICS: web.AppKey[Metrics] = web.AppKey("metrics")
