"""The public HTTP surface: ops endpoints, neighbourhoods, web apps and security headers."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from tests.conftest import Running


async def test_health_and_readiness(server: Running) -> None:
    """/healthz answers; /readyz reports the database."""
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{server.url}/healthz") as resp:
            assert resp.status == 200
        async with http.get(f"{server.url}/readyz") as resp:
            assert resp.status == 200
            assert (await resp.json())["checks"] == {"database": True}


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_readiness_fails_when_the_database_is_gone(server: Running) -> None:
    """/readyz is 503 while the database cannot be opened, and 200 again once it can."""
    db_file = Path(server.settings.database_url.removeprefix("sqlite+aiosqlite:///"))
    await server.deps.db.engine.dispose()
    db_file.rename(db_file.with_suffix(".moved"))
    db_file.mkdir()  # a directory where the database file was: SQLite cannot open it
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{server.url}/readyz") as resp:
            assert resp.status == 503
            assert (await resp.json())["checks"]["database"] is False
        db_file.rmdir()
        db_file.with_suffix(".moved").rename(db_file)
        async with http.get(f"{server.url}/readyz") as resp:
            assert resp.status == 200


async def test_neighbourhoods_with_availability(server: Running) -> None:
    """The list shows each neighbourhood and whether an officer is on duty; unknown slugs are 404."""
    await server.on_duty("umea")
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{server.url}/api/neighbourhoods") as resp:
            data = await resp.json()
        by_slug = {n["slug"]: n for n in data["neighbourhoods"]}
        assert by_slug["umea"]["availability"]["open"] is True
        assert by_slug["ostersund"]["availability"]["open"] is False
        async with http.get(f"{server.url}/api/neighbourhoods/umea/availability") as resp:
            assert (await resp.json())["officers_on_duty"] == 1
        async with http.get(f"{server.url}/api/neighbourhoods/atlantis/availability") as resp:
            assert resp.status == 404
            assert (await resp.json())["error"]["code"] == "not_found"


async def test_security_headers(server: Running) -> None:
    """Every page has a CSP without inline script; only the widget may be framed."""
    dist = server.settings.static_dir
    for app in ("widget", "console"):
        (dist / app).mkdir(parents=True, exist_ok=True)
        (dist / app / "index.html").write_text("<!doctype html><title>x</title>")
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{server.url}/console/") as resp:
            assert resp.status == 200
            csp = resp.headers["Content-Security-Policy"]
            assert "script-src 'self'" in csp and "unsafe-inline" not in csp
            assert "frame-ancestors 'none'" in csp
            assert resp.headers["X-Frame-Options"] == "DENY"
            assert resp.headers["X-Content-Type-Options"] == "nosniff"
        async with http.get(f"{server.url}/widget/") as resp:
            # By default only the server's own origins may frame it (KVARTER_WIDGET_FRAME_ANCESTORS).
            assert f"frame-ancestors 'self' {server.origin}" in resp.headers["Content-Security-Policy"]
            assert "X-Frame-Options" not in resp.headers
        async with http.get(f"{server.url}/supervisor/") as resp:
            assert resp.status == 503  # not built in this test's dist


async def test_metrics_count_events_without_content(server: Running) -> None:
    """/metrics exposes event counts by outcome, ack latency, connections and the triage queue."""
    youth = await server.youth()
    await youth.ok("room:send", {"room": "umea", "client_id": "m1", "body": "hemlig-metrik-text"})
    await youth.call("room:send", {"room": "umea", "client_id": 5, "body": "x"})
    await youth.call("no:such:event", {})
    await youth.ok(
        "report:submit", {"room": "umea", "client_id": "r1", "category": "other", "happening_now": False, "body": "x"}
    )
    async with aiohttp.ClientSession() as http, http.get(f"{server.url}/metrics") as resp:
        assert resp.status == 200
        text = await resp.text()
    assert 'kvarter_events_total{event="room:send",namespace="/youth",result="ok"} 1.0' in text
    assert 'kvarter_events_total{event="room:send",namespace="/youth",result="invalid"} 1.0' in text
    assert 'kvarter_events_total{event="unknown",namespace="/youth",result="invalid"} 1.0' in text
    assert 'kvarter_connections{namespace="/youth"} 1.0' in text
    assert "kvarter_triage_queue_depth 1.0" in text
    assert "kvarter_ack_seconds_bucket" in text
    assert "hemlig-metrik-text" not in text
    assert youth.session["youth"]["id"] not in text
