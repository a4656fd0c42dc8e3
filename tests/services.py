"""Which external services answer, and what to do when one is missing."""

from __future__ import annotations

import os
import socket

import pytest

PG_ADMIN_URL = os.environ.get("KVARTER_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("KVARTER_TEST_REDIS", "redis://127.0.0.1:6379/0")


def required() -> bool:
    return os.environ.get("KVARTER_REQUIRE_SERVICES") == "1"


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
    need("PostgreSQL", "127.0.0.1", 5432)


def need_redis() -> None:
    need("Redis", "127.0.0.1", 6379)
