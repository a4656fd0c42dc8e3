"""Which external services answer, and what to do when one is missing."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

import pytest

PG_ADMIN_URL = os.environ.get("KVARTER_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("KVARTER_TEST_REDIS", "redis://127.0.0.1:6379/0")


TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"", "0", "false", "no", "off"})


def required() -> bool:
    """KVARTER_REQUIRE_SERVICES: 1/true/yes/on fails a run whose services are missing. Anything
    else that is not plainly off is a mistake, not a quiet skip."""
    value = os.environ.get("KVARTER_REQUIRE_SERVICES", "").strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise pytest.UsageError(f"KVARTER_REQUIRE_SERVICES={value!r}: use 1 or 0")


def _host_port(url: str, default_port: int) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or default_port


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def need(name: str, host: str, port: int) -> None:
    """Skip (or, with KVARTER_REQUIRE_SERVICES=1, fail) when a service does not answer."""
    if answers(host, port):
        return
    message = f"{name} does not answer on {host}:{port}"
    if required():
        pytest.fail(message + " and KVARTER_REQUIRE_SERVICES=1")
    pytest.skip(message)


def need_postgres() -> None:
    """The server KVARTER_TEST_POSTGRES names (by default 127.0.0.1:5432)."""
    need("PostgreSQL", *_host_port(PG_ADMIN_URL, 5432))


def need_redis() -> None:
    """The server KVARTER_TEST_REDIS names (by default 127.0.0.1:6379)."""
    need("Redis", *_host_port(REDIS_URL, 6379))
