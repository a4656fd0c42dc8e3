"""The switch that turns a missing service from a skip into a failure, and where it looks."""

from __future__ import annotations

import pytest

from tests import services


@pytest.mark.parametrize(("value", "required"), [("1", True), ("true", True), ("Yes", True), ("0", False), ("", False)])
def test_require_services_reads_the_usual_spellings(
    monkeypatch: pytest.MonkeyPatch, value: str, required: bool
) -> None:
    """`true` must not be a quiet skip (it was: only "1" counted)."""
    monkeypatch.setenv("KVARTER_REQUIRE_SERVICES", value)
    assert services.required() is required


def test_a_misspelt_switch_stops_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KVARTER_REQUIRE_SERVICES", "ja")
    with pytest.raises(pytest.UsageError):
        services.required()


def test_the_probes_ask_the_servers_the_urls_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """need_postgres and need_redis probe the host and port of KVARTER_TEST_POSTGRES / _REDIS,
    not always 127.0.0.1."""
    asked: list[tuple[str, str, int]] = []
    monkeypatch.setattr(services, "need", lambda name, host, port: asked.append((name, host, port)))
    monkeypatch.setattr(services, "PG_ADMIN_URL", "postgresql://postgres@db.example:6543/postgres")
    monkeypatch.setattr(services, "REDIS_URL", "redis://cache.example:6390/0")
    services.need_postgres()
    services.need_redis()
    assert asked == [("PostgreSQL", "db.example", 6543), ("Redis", "cache.example", 6390)]
