"""JSON responses and request bodies in the protocol's shapes."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from aiohttp import web

from server.errors import Invalid, KvarterError
from server.events import Payload, parse

P = TypeVar("P", bound=Payload)
MAX_JSON_BYTES = 64 * 1024


def error_response(exc: KvarterError) -> web.Response:
    return web.json_response({"error": exc.as_dict()}, status=exc.http_status)


async def body(request: web.Request, schema: type[P]) -> P:
    """Parse a JSON request body against a schema; faults become `invalid`."""
    if request.content_length is not None and request.content_length > MAX_JSON_BYTES:
        raise Invalid("request body too large")
    raw = await request.content.read(MAX_JSON_BYTES + 1)
    if len(raw) > MAX_JSON_BYTES:
        raise Invalid("request body too large")
    try:
        data: Any = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise Invalid("request body is not JSON") from None
    except RecursionError:
        raise Invalid("request body is nested too deeply") from None
    return parse(data, schema)
