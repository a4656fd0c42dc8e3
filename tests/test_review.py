"""Supervisor review: access by role and region, reasons and audit, masking, ratings, retention."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

import aiohttp
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from server.clock import FakeClock
from server.config import Settings, load_settings
from server.services import retention
from tests.clients import Client, cid
from tests.conftest import Officer, Running

PHONE = re.compile(r"07\d-\d{3} \d\d \d\d")


def phone_spans(body: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), "pii.phone") for m in PHONE.finditer(body)]


@pytest.fixture
def pii_spans() -> Any:
    return phone_spans


async def http(staff: Officer | None) -> aiohttp.ClientSession:
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    if staff is not None:
        session.headers["Cookie"] = staff.cookie
    return session


async def with_csrf(session: aiohttp.ClientSession, url: str) -> None:
    async with session.get(f"{url}/api/auth/csrf") as r:
        token = (await r.json())["token"]
    session.headers["X-CSRF-Token"] = token
    session.headers["Cookie"] = session.headers.get("Cookie", "") + f"; kvarter_csrf={token}"


async def a_chat(
    server: Running, room: str = "ostersund", body: str = "Ring mig på 070-123 45 67"
) -> tuple[str, Client, Officer]:
    """A closed private chat: youth writes, officer takes, replies, hands off to 112, closes."""
    staff, officer = await server.on_duty(room)
    youth = await server.youth()
    conv = (await youth.ok("chat:open", {"room": room, "client_id": cid(), "body": body}))["conversation"]["id"]
    await officer.ok("chat:take", {"conversation_id": conv})
    await officer.ok("chat:send", {"conversation_id": conv, "client_id": cid(), "body": "Jag ringer inte, vi chattar."})
    await officer.ok("handoff:give", {"conversation_id": conv, "kind": "112"})
    await officer.ok("chat:close", {"conversation_id": conv})
    return conv, youth, staff


async def audit_rows(server: Running, action: str) -> int:
    engine = create_async_engine(server.settings.database_url)
    async with engine.connect() as conn:
        n = await conn.scalar(text("SELECT count(*) FROM audit_log WHERE action = :a"), {"a": action})
    await engine.dispose()
    return int(n or 0)


async def test_access_matrix_for_transcripts(server: Running) -> None:
    """Anonymous 401, officer and admin 403 (the audit log: officer 403, admin 200 — admins read
    every region's), supervisor of another region 404 exactly like a missing id."""
    conv, _, _ = await a_chat(server)
    mitt = await server.officer(role="supervisor")  # region Mitt, like Östersund
    nord = await server.officer(role="supervisor", region="Nord")
    officer, admin = await server.officer(), await server.officer(role="admin")
    cases = [(None, 401, 401), (officer, 403, 403), (admin, 403, 200)]
    for staff, status, audit_status in cases:
        async with await http(staff) as s:
            for url in (f"/api/transcripts/{conv}?reason=complaint", "/api/transcripts", "/api/audit"):
                async with s.get(server.url + url) as r:
                    assert r.status == (audit_status if url == "/api/audit" else status), (staff, url)
    bodies = []
    async with await http(nord) as s:
        for target in (conv, "0" * 32):
            async with s.get(f"{server.url}/api/transcripts/{target}?reason=complaint") as r:
                assert r.status == 404
                bodies.append(await r.json())
        async with s.get(f"{server.url}/api/transcripts") as r:
            assert (await r.json())["conversations"] == []
    assert bodies[0] == bodies[1]
    async with await http(mitt) as s, s.get(f"{server.url}/api/transcripts/{conv}?reason=complaint") as r:
        assert r.status == 200


async def test_every_read_needs_a_reason_and_leaves_one_audit_row(server: Running) -> None:
    """No reason → 400 and nothing audited; each read with a reason → exactly one audit row."""
    conv, _, _ = await a_chat(server)
    sup = await server.officer(role="supervisor")
    async with await http(sup) as s:
        for bad in ("", "?reason=", "?reason=x"):
            async with s.get(f"{server.url}/api/transcripts/{conv}{bad}") as r:
                assert r.status == 400
                assert (await r.json())["error"]["code"] == "invalid"
        assert await audit_rows(server, "transcript.read") == 0
        for n in (1, 2):
            async with s.get(f"{server.url}/api/transcripts/{conv}?reason=quality_review") as r:
                assert r.status == 200
            assert await audit_rows(server, "transcript.read") == n


async def test_personal_data_is_masked_until_unmasked_with_a_reason(server: Running) -> None:
    """A phone number shows as [telefonnummer]; unmasking shows it and is audited as an unmask."""
    conv, _, _ = await a_chat(server)
    sup = await server.officer(role="supervisor")
    async with await http(sup) as s:
        async with s.get(f"{server.url}/api/transcripts/{conv}?reason=complaint") as r:
            masked = await r.json()
        async with s.get(f"{server.url}/api/transcripts/{conv}?reason=complaint&unmask=true") as r:
            plain = await r.json()
    assert masked["masked"] is True
    assert masked["messages"][0]["body"] == "Ring mig på [telefonnummer]"
    assert plain["masked"] is False
    assert plain["messages"][0]["body"] == "Ring mig på 070-123 45 67"
    assert [e["action"] for e in masked["events"]][:2] == ["chat.open", "chat.take"]
    assert "handoff.give" in [e["action"] for e in masked["events"]]
    assert await audit_rows(server, "transcript.unmask") == 1


async def test_search_filters_and_rating(server: Running) -> None:
    """Search by room, handoff and reviewed; a rating marks the chat reviewed and the officer sees it."""
    first, _, handler = await a_chat(server)
    second, _, _ = await a_chat(server, room="are", body="Hej")
    sup = await server.officer(role="supervisor")
    async with await http(sup) as s:
        await with_csrf(s, server.url)
        async with s.get(f"{server.url}/api/transcripts?room=are") as r:
            assert [c["id"] for c in (await r.json())["conversations"]] == [second]
        async with s.get(f"{server.url}/api/transcripts?handoff=112") as r:
            listed = (await r.json())["conversations"]
        assert [c["id"] for c in listed] == [second, first]
        assert "body" not in listed[0]
        review = {
            "answered_in_time": True,
            "right_handoff": True,
            "good_tone": True,
            "secrecy_kept": False,
            "notes": "Bra",
        }
        async with s.post(f"{server.url}/api/transcripts/{first}/review", json=review) as r:
            assert r.status == 201
        async with s.post(f"{server.url}/api/transcripts/{first}/review", json={**review, "stars": 5}) as r:
            assert r.status == 400
        async with s.get(f"{server.url}/api/transcripts?reviewed=true") as r:
            assert [c["id"] for c in (await r.json())["conversations"]] == [first]
        async with s.get(f"{server.url}/api/transcripts?reviewed=maybe") as r:
            assert r.status == 400
    async with await http(handler) as s, s.get(f"{server.url}/api/my/reviews") as r:
        mine = (await r.json())["reviews"]
    assert [(m["conversation_id"], m["secrecy_kept"], m["notes"]) for m in mine] == [(first, False, "Bra")]


async def test_audit_log_is_append_only(server: Running) -> None:
    """The database refuses UPDATE and DELETE on the audit log; the API has no way to change it."""
    await a_chat(server)
    engine = create_async_engine(server.settings.database_url)
    for sql in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"):
            async with engine.begin() as conn:
                await conn.execute(text(sql))
    await engine.dispose()
    sup = await server.officer(role="supervisor")
    async with await http(sup) as s:
        await with_csrf(s, server.url)
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            async with s.request(method, f"{server.url}/api/audit/1") as r:
                assert r.status in (403, 405), method
        async with s.get(f"{server.url}/api/audit?action=chat.") as r:
            entries = (await r.json())["entries"]
        assert {e["action"] for e in entries} == {"chat.open", "chat.take", "chat.close"}
        async with s.get(f"{server.url}/api/audit.csv") as r:
            assert r.content_type == "text/csv"
            csv_text = await r.text()
    assert csv_text.splitlines()[0].startswith("id,at,actor_kind")
    assert "handoff.give" in csv_text
    assert await audit_rows(server, "audit.export") == 1


async def test_youth_feedback_once_after_the_chat(server: Running) -> None:
    """'Do you feel safer now?' is answered once, after the chat ends, 1-5."""
    conv, youth, _ = await a_chat(server)
    assert (await youth.call("feedback:submit", {"conversation_id": conv, "score": 6}))["error"]["code"] == "invalid"
    await youth.ok("feedback:submit", {"conversation_id": conv, "score": 4})
    assert (await youth.call("feedback:submit", {"conversation_id": conv, "score": 5}))["error"]["code"] == "conflict"
    other = await server.youth()
    assert (await other.call("feedback:submit", {"conversation_id": conv, "score": 1}))["error"]["code"] == "not_found"
    open_conv = (await other.ok("chat:open", {"room": "umea"}))["conversation"]["id"]
    assert (await other.call("feedback:submit", {"conversation_id": open_conv, "score": 3}))["error"][
        "code"
    ] == "closed"


class TestRetentionToldToTheYoung:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        env = {"KVARTER_SECRET_KEY": "k" * 32, "KVARTER_RETENTION": "chat=14,referred_support=400"}
        return replace(settings, retention_days=load_settings(env).retention_days)

    async def test_session_states_the_deployments_periods(self, server: Running) -> None:
        """The youth's `session` says how long chats are kept as KVARTER_RETENTION sets it (the widget shows it)."""
        youth = await server.youth()
        assert youth.session is not None
        assert youth.session["retention"] == {"chat": 14, "longest": 400}
        again = await server.youth(token=youth.session["token"])
        assert again.session is not None
        assert again.session["retention"] == {"chat": 14, "longest": 400}


async def test_session_states_the_default_periods(server: Running) -> None:
    """Without KVARTER_RETENTION: chats 30 days, at most 365 (a 112 or 114 14 handoff)."""
    youth = await server.youth()
    assert youth.session is not None
    assert youth.session["retention"] == {"chat": 30, "longest": 365}


class TestRetention:
    @pytest.fixture
    def clock(self) -> FakeClock:
        return FakeClock(dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC))

    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return replace(settings, retention_days={"chat": 30, "handoff_112": 365, "room": 30})

    async def test_purge_honours_periods_and_holds(self, server: Running, clock: FakeClock) -> None:
        """After 31 days a plain chat loses its messages; a held one and a handed-off report keep theirs."""
        plain, _, _ = await a_chat(server, body="vanlig chatt")
        held, _, _ = await a_chat(server, body="under utredning")
        _, officer = await server.on_duty("ostersund")
        youth = await server.youth()
        rep = await youth.ok("report:submit", {"room": "ostersund", "client_id": cid(), "category": "violence",
                                               "happening_now": True, "body": "hot"})  # fmt: skip
        conv = (await officer.ok("triage:claim", {"report_id": rep["report"]["id"]}))["conversation"]["id"]
        await officer.ok("triage:close", {"report_id": rep["report"]["id"], "outcome": "handoff_112"})
        await officer.ok("chat:close", {"conversation_id": conv})
        sup = await server.officer(role="supervisor")
        async with await http(sup) as s:
            await with_csrf(s, server.url)
            async with s.post(
                f"{server.url}/api/transcripts/{held}/hold", json={"hold": True, "reason": "legal_request"}
            ) as r:
                assert r.status == 200
        clock.advance(31 * 86400)
        dry = await retention.purge(server.deps, dry_run=True)
        assert dry["conversations"] == 1
        assert dry["messages"] == 2
        assert await audit_rows(server, "retention.purge") == 0
        done = await retention.purge(server.deps, dry_run=False)
        assert done == dry
        assert await audit_rows(server, "retention.purge") == 1
        sup = await server.officer(role="supervisor")  # the first one's session expired with the month
        async with await http(sup) as s:
            async with s.get(f"{server.url}/api/transcripts/{plain}?reason=complaint") as r:
                purged = await r.json()
                assert purged["messages"] == [], purged
            async with s.get(f"{server.url}/api/transcripts/{held}?reason=complaint") as r:
                assert len((await r.json())["messages"]) == 2
            async with s.get(f"{server.url}/api/transcripts/{conv}?reason=complaint") as r:
                assert (await r.json())["report"]["outcome"] == "handoff_112"
        assert (await retention.purge(server.deps, dry_run=False))["conversations"] == 0


async def test_exports_are_audited_and_complete(server: Running) -> None:
    """JSON and PDF exports need a reason, carry the whole conversation, and each is audited."""
    conv, _, _ = await a_chat(server, body="Hjälp, det är bråk på Storgatan")
    sup = await server.officer(role="supervisor")
    async with await http(sup) as s:
        async with s.get(f"{server.url}/api/transcripts/{conv}/export.json") as r:
            assert r.status == 400
        async with s.get(f"{server.url}/api/transcripts/{conv}/export.json?reason=legal_request") as r:
            assert r.status == 200
            data = await r.json()
        async with s.get(f"{server.url}/api/transcripts/{conv}/export.pdf?reason=legal_request") as r:
            assert r.status == 200
            assert r.content_type == "application/pdf"
            pdf = await r.read()
    assert data["messages"][0]["body"] == "Hjälp, det är bråk på Storgatan"
    assert data["reason"] == "legal_request"
    assert pdf.startswith(b"%PDF")
    assert await audit_rows(server, "transcript.export") == 2


async def test_dashboard_figures(server: Running) -> None:
    """Volumes, first-reply times, time to claim by priority, handoffs by kind and the safety score."""
    conv, youth, _ = await a_chat(server)
    await youth.ok("feedback:submit", {"conversation_id": conv, "score": 4})
    _, officer = await server.on_duty("ostersund")
    rep = await youth.ok("report:submit", {"room": "ostersund", "client_id": cid(), "category": "hurt",
                                           "happening_now": True, "body": "skadad"})  # fmt: skip
    await officer.ok("triage:claim", {"report_id": rep["report"]["id"]})
    sup = await server.officer(role="supervisor")
    async with await http(sup) as s:
        async with s.get(f"{server.url}/api/dashboard") as r:
            assert r.status == 200
            fig = await r.json()
        async with s.get(f"{server.url}/api/dashboard?from=2026-13-01") as r:
            assert r.status == 400
    async with await http(await server.officer()) as s, s.get(f"{server.url}/api/dashboard") as r:
        assert r.status == 403
    volume = {v["room"]: v for v in fig["volume"]}
    assert volume["ostersund"]["conversations"] == 2
    assert volume["ostersund"]["reports"] == 1
    assert "umea" not in volume  # another region
    assert fig["first_reply"]["count"] == 1
    assert fig["time_to_claim"]["P1"]["count"] == 1
    assert fig["handoffs"] == {"112": 1}
    assert fig["demand"] == [{"room": "ostersund", "in_window": 2, "outside": 0}]
    assert [w["average"] for w in fig["safety"]] == [4.0]
