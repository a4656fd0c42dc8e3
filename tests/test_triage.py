"""Urgent reports: instant guidance, the priority queue, exclusive claims, handoff, outcome, escalation."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import replace
from typing import Any

import aiohttp
import pytest

from server.clock import FakeClock
from server.config import Settings
from tests.clients import cid
from tests.conftest import Running, add_open_neighbourhoods, start_server


def report(room: str = "ostersund", **fields: Any) -> dict[str, Any]:
    return {
        "room": room,
        "client_id": cid(),
        "category": "other",
        "happening_now": False,
        "body": "Något hände",
        **fields,
    }


async def test_danger_now_shows_the_112_card_at_once(server: Running) -> None:
    """'Party out of control, happening now' answers with the 112 card first, with no officer involved."""
    youth = await server.youth()
    ack = await youth.ok("report:submit", report(category="party", happening_now=True, location="Storgatan 5"))
    assert ack["report"]["priority"] == "P2"
    assert ack["report"]["status"] == "new"
    cards = ack["guidance"]
    assert cards[0]["kind"] == "112"
    assert cards[0]["tel"] == "112"
    assert "var du är" in cards[0]["body"]
    assert ack["availability"]["open"] is False
    assert "11414" in [c["kind"] for c in cards]  # nobody on duty: 114 14 is offered too


async def test_guidance_depends_on_category_and_language(server: Running) -> None:
    """Online crime not happening now: 114 14, the online report and BRIS, in the young person's language."""
    await server.on_duty("ostersund")
    youth = await server.youth(lang="en")
    ack = await youth.ok("report:submit", report(category="online_crime", body="Someone wants pictures"))
    assert [c["kind"] for c in ack["guidance"]] == ["11414", "online_report", "bris"]
    assert ack["guidance"][0]["title"] == "Call the police on 114 14"
    assert ack["guidance"][1]["url"].startswith("https://polisen.se/")
    assert ack["availability"]["open"] is True


async def test_queue_is_ordered_by_priority_then_age_with_reasons(server: Running) -> None:
    """triage:list gives P1 before P4 and older before newer, each with readable reason codes."""
    _, officer = await server.on_duty("ostersund")
    youth = await server.youth()
    other = await server.youth()
    low = (await youth.ok("report:submit", report(category="other")))["report"]
    mid_old = (await youth.ok("report:submit", report(category="party", happening_now=True)))["report"]
    top = (await youth.ok("report:submit", report(category="violence", happening_now=True)))["report"]
    mid_new = (await other.ok("report:submit", report(category="online_crime")))["report"]
    listed = (await officer.ok("triage:list", {}))["reports"]
    assert [r["id"] for r in listed] == [top["id"], mid_old["id"], mid_new["id"], low["id"]]
    assert [r["priority"] for r in listed] == ["P1", "P2", "P2", "P4"]
    assert listed[0]["reasons"] == ["category:violence", "happening_now"]
    assert listed[0]["body"] == "Något hände"


async def test_officer_sees_a_new_report_live(server: Running) -> None:
    """An on-duty officer of the area gets triage:new with the report right after submission."""
    _, officer = await server.on_duty("ostersund")
    youth = await server.youth()
    sent = (await youth.ok("report:submit", report(category="hurt", happening_now=True)))["report"]
    got = await officer.wait_for("triage:new", lambda r: r["id"] == sent["id"], timeout=1)
    assert got["priority"] == "P1"
    assert got["youth"]["id"] == youth.session["youth"]["id"]


async def test_report_overflows_to_the_region_when_its_area_is_unstaffed(server: Running) -> None:
    """Nobody on duty in Åre: Östersund's officer (same region) sees Åre's report; Umeå's officer does not."""
    _, ostersund = await server.on_duty("ostersund")
    _, umea = await server.on_duty("umea")
    youth = await server.youth()
    sent = (await youth.ok("report:submit", report("are", category="unsafe", happening_now=True)))["report"]
    await ostersund.wait_for("triage:new", lambda r: r["id"] == sent["id"])
    assert [r["id"] for r in (await ostersund.ok("triage:list", {}))["reports"]] == [sent["id"]]
    assert (await umea.ok("triage:list", {}))["reports"] == []
    assert (await umea.call("triage:claim", {"report_id": sent["id"]}))["error"]["code"] == "not_found"


async def test_claim_opens_a_chat_and_tells_the_young_person(server: Running) -> None:
    """Claiming a report opens an active private chat; the youth learns an officer has it, and they talk."""
    _, officer = await server.on_duty("ostersund")
    youth = await server.youth()
    sent = (await youth.ok("report:submit", report(category="violence", happening_now=True)))["report"]
    assert sent["position"] == 1
    claimed = await officer.ok("triage:claim", {"report_id": sent["id"]})
    assert claimed["report"]["status"] == "claimed"
    conv = claimed["conversation"]
    assert conv["status"] == "active"
    told = await youth.wait_for("report:updated", lambda r: r["status"] == "claimed")
    assert told["conversation_id"] == conv["id"]
    assert told["officer"]["badge"]["police_area"] == "Östersund"
    await youth.wait_for("chat:updated", lambda c: c["id"] == conv["id"] and c["status"] == "active")
    msg = await officer.ok("chat:send", {"conversation_id": conv["id"], "client_id": cid(), "body": "Är du säker nu?"})
    await youth.wait_for("chat:message", lambda m: m["id"] == msg["message"]["id"])
    back = await youth.ok("chat:send", {"conversation_id": conv["id"], "client_id": cid(), "body": "Ja"})
    await officer.wait_for("chat:message", lambda m: m["id"] == back["message"]["id"])
    synced = await youth.ok("chat:sync", {"conversation_id": conv["id"]})
    assert synced["report"]["id"] == sent["id"]


async def test_twenty_concurrent_claims_have_one_winner(server: Running) -> None:
    """20 officers claim one report at once: exactly one wins, 19 get `conflict`, one chat exists."""
    officers = await asyncio.gather(*(server.on_duty("ostersund") for _ in range(20)))
    youth = await server.youth()
    sent = (await youth.ok("report:submit", report(category="violence", happening_now=True)))["report"]
    results = await asyncio.gather(*(c.call("triage:claim", {"report_id": sent["id"]}) for _, c in officers))
    winners = [r for r in results if r["ok"]]
    assert len(winners) == 1
    assert sorted(r["error"]["code"] for r in results if not r["ok"]) == ["conflict"] * 19
    assert len(youth.session["conversations"]) == 0
    session = (await server.youth(token=youth.session["token"])).session
    assert [c["id"] for c in session["conversations"]] == [winners[0]["conversation"]["id"]]


async def test_position_in_queue_moves_up(server: Running) -> None:
    """A waiting young person is told their place, and told again when the report ahead is claimed."""
    _, officer = await server.on_duty("ostersund")
    first, second = await server.youth(), await server.youth()
    a = (await first.ok("report:submit", report(category="violence", happening_now=True)))["report"]
    b = (await second.ok("report:submit", report(category="other")))["report"]
    assert b["position"] == 2
    await officer.ok("triage:claim", {"report_id": a["id"]})
    moved = await second.wait_for("report:updated", lambda r: r["id"] == b["id"] and r["position"] == 1)
    assert moved["status"] == "new"


async def test_handoff_is_delivered_recorded_and_opened(server: Running) -> None:
    """One click sends the 112 card; the youth gets it, opening it is recorded, and sync shows it."""
    _, officer = await server.on_duty("ostersund")
    youth = await server.youth()
    sent = (await youth.ok("report:submit", report(category="party", happening_now=True)))["report"]
    conv = (await officer.ok("triage:claim", {"report_id": sent["id"]}))["conversation"]
    given = await officer.ok("handoff:give", {"conversation_id": conv["id"], "kind": "112"})
    assert given["handoff"]["card"]["tel"] == "112"
    got = await youth.wait_for("handoff")
    assert got["conversation_id"] == conv["id"]
    assert got["card"]["kind"] == "112"
    assert got["handoff"]["opened_at"] is None
    await youth.ok("handoff:opened", {"handoff_id": got["handoff"]["id"]})
    synced = await youth.ok("chat:sync", {"conversation_id": conv["id"]})
    assert [h["kind"] for h in synced["handoffs"]] == ["112"]
    assert synced["handoffs"][0]["opened_at"] is not None
    bad = await officer.call("handoff:give", {"conversation_id": conv["id"], "kind": "pizza"})
    assert bad["error"]["code"] == "invalid"
    stranger = await server.youth()
    assert (await stranger.call("handoff:opened", {"handoff_id": got["handoff"]["id"]}))["error"]["code"] == "not_found"
    _, colleague = await server.on_duty("ostersund")
    refused = await colleague.call("handoff:give", {"conversation_id": conv["id"], "kind": "112"})
    assert refused["error"]["code"] == "not_found"


async def test_outcome_and_supervisor_history(server: Running) -> None:
    """Closing with an outcome is recorded; a supervisor with a reason reads the whole history, audited."""
    _, officer = await server.on_duty("ostersund")
    youth = await server.youth()
    sent = (await youth.ok("report:submit", report(category="party", happening_now=True)))["report"]
    conv = (await officer.ok("triage:claim", {"report_id": sent["id"]}))["conversation"]
    await officer.ok("chat:send", {"conversation_id": conv["id"], "client_id": cid(), "body": "Ring 112"})
    handed = await officer.ok("handoff:give", {"conversation_id": conv["id"], "kind": "112"})
    await youth.ok("handoff:opened", {"handoff_id": handed["handoff"]["id"]})
    assert (await officer.call("triage:close", {"report_id": sent["id"], "outcome": "lunch"}))["error"][
        "code"
    ] == "invalid"
    closed = await officer.ok("triage:close", {"report_id": sent["id"], "outcome": "handoff_112"})
    assert closed["report"]["status"] == "closed"
    assert closed["report"]["outcome"] == "handoff_112"
    await youth.wait_for("report:updated", lambda r: r["status"] == "closed")
    again = await officer.call("triage:close", {"report_id": sent["id"], "outcome": "advice"})
    assert again["error"]["code"] == "closed"

    supervisor = await server.officer(role="supervisor")
    url = f"{server.url}/api/reports/{sent['id']}"
    async with aiohttp.ClientSession(headers={"Cookie": supervisor.cookie}) as http:
        async with http.get(url) as resp:
            assert resp.status == 400
            assert (await resp.json())["error"]["code"] == "invalid"
        async with http.get(url, params={"reason": "kvalitetsgranskning"}) as resp:
            assert resp.status == 200
            history = await resp.json()
    assert history["report"]["outcome"] == "handoff_112"
    assert [m["body"] for m in history["messages"]] == ["Ring 112"]
    actions = [h["action"] for h in history["history"]]
    for action in ("report.submit", "report.claim", "handoff.give", "handoff.opened", "report.close", "report.read"):
        assert action in actions
    officer_cookie = (await server.officer()).cookie
    async with (
        aiohttp.ClientSession(headers={"Cookie": officer_cookie}) as http,
        http.get(url, params={"reason": "nyfiken"}) as resp,
    ):
        assert resp.status == 403


async def test_bad_report_input_is_refused_and_nothing_is_stored(server: Running) -> None:
    """Unknown category, missing fields, over-long text, unknown ids → documented codes; the queue stays empty."""
    _, officer = await server.on_duty("ostersund")
    youth = await server.youth()
    cases: list[tuple[dict[str, Any], str]] = [
        (report(category="burglary"), "invalid"),
        ({k: v for k, v in report().items() if k != "happening_now"}, "invalid"),
        ({k: v for k, v in report().items() if k != "body"}, "invalid"),
        (report(happening_now="yes"), "invalid"),
        (report(body="x" * 5000), "too_long"),
        (report(location="x" * 201), "invalid"),
        (report(extra=1), "invalid"),
        (report("atlantis"), "not_found"),
    ]
    for payload, code in cases:
        result = await youth.call("report:submit", payload)
        assert result["error"]["code"] == code, (payload, result)
    assert (await officer.ok("triage:list", {}))["reports"] == []
    for payload in ({"report_id": "nope"}, {"report_id": 5}, {}):
        result = await officer.call("triage:claim", payload)
        assert result["error"]["code"] in {"not_found", "invalid"}
    assert (await officer.call("triage:claim", {"report_id": "0" * 32}))["error"]["code"] == "not_found"


async def test_a_flood_of_reports_is_rate_limited(server: Running) -> None:
    """30 reports in a minute from one young person: the first few are stored, the rest `rate_limited`."""
    youth = await server.youth()
    results = [await youth.call("report:submit", report()) for _ in range(30)]
    codes = [r["error"]["code"] if not r["ok"] else "ok" for r in results]
    assert codes[:3] == ["ok"] * 3
    assert set(codes[3:]) == {"rate_limited"}
    assert "112" in results[-1]["error"]["message"]


async def test_same_client_id_gives_the_same_report(server: Running) -> None:
    """A retried report:submit returns the stored report, never a second one."""
    _, officer = await server.on_duty("ostersund")
    youth = await server.youth()
    payload = report(category="hurt", happening_now=True)
    first, second = await asyncio.gather(youth.ok("report:submit", payload), youth.ok("report:submit", payload))
    assert first["report"]["id"] == second["report"]["id"]
    assert len((await officer.ok("triage:list", {}))["reports"]) == 1


def knife_signal(text: str) -> frozenset[str]:
    return frozenset({"risk.weapon"}) if "kniv" in text else frozenset()


@pytest.mark.parametrize("risk_signals", [knife_signal])
async def test_risk_signals_raise_priority(server: Running) -> None:
    """The moderation hook's risk signals in the text make an 'other' report P1 when it is happening now."""
    youth = await server.youth()
    plain = (await youth.ok("report:submit", report(happening_now=True)))["report"]
    armed = await youth.ok("report:submit", report(happening_now=True, body="han har en kniv"))
    assert plain["priority"] == "P3"
    assert armed["report"]["priority"] == "P1"
    assert armed["guidance"][0]["kind"] == "112"


class TestEscalation:
    @pytest.fixture
    def clock(self) -> FakeClock:
        return FakeClock(dt.datetime(2026, 11, 20, 21, 0, tzinfo=dt.UTC))

    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return replace(settings, p1_alert_seconds=60, tick_seconds=0.05)

    async def test_unclaimed_p1_alerts_the_region_and_supervisors_once(self, server: Running, clock: FakeClock) -> None:
        """After 60 s on the clock an unclaimed P1 alerts on-duty officers of the region and
        supervisors — once, however often the ticker runs after that: counted after a later P1's
        alert (which proves the ticker ran again with the clock moved on twice)."""
        _, officer = await server.on_duty("are")
        _, supervisor = await server.on_duty("ostersund", role="supervisor")
        _, elsewhere = await server.on_duty("umea")
        youth = await server.youth()
        sent = (await youth.ok("report:submit", report(category="violence", happening_now=True)))["report"]
        low = (await youth.ok("report:submit", report(category="other")))["report"]
        clock.advance(30)
        early = (await youth.ok("report:submit", report(category="hurt", happening_now=True)))["report"]
        clock.advance(31)  # 61 s for the first P1, 31 s for the one submitted later
        alert = await officer.wait_for("triage:alert")
        assert alert["report"]["id"] == sent["id"]
        assert alert["reason"] == "p1_unclaimed"
        assert (await supervisor.wait_for("triage:alert"))["report"]["id"] == sent["id"]
        clock.advance(61)  # the later P1 is due now; the first one again, were it not once
        await officer.wait_for("triage:alert", lambda a: a["report"]["id"] == early["id"])
        await supervisor.wait_for("triage:alert", lambda a: a["report"]["id"] == early["id"])
        alerted = [a["report"]["id"] for a in officer.events["triage:alert"]]
        assert alerted.count(sent["id"]) == 1, alerted
        assert [a["report"]["id"] for a in supervisor.events["triage:alert"]].count(sent["id"]) == 1
        assert low["id"] not in alerted
        # Barrier for the other region's officer: an answer comes after anything sent before it.
        await elsewhere.ok("inbox:list", {})
        assert not elsewhere.events.get("triage:alert")

    async def test_claimed_p1_does_not_alert(self, server: Running, clock: FakeClock) -> None:
        """A P1 claimed in time raises no alert; another P1 left unclaimed does (the positive
        control, and the proof that the ticker ran with the clock past both deadlines)."""
        _, officer = await server.on_duty("ostersund")
        youth = await server.youth()
        sent = (await youth.ok("report:submit", report(category="hurt", happening_now=True)))["report"]
        left = (await youth.ok("report:submit", report(category="violence", happening_now=True)))["report"]
        await officer.ok("triage:claim", {"report_id": sent["id"]})
        clock.advance(120)
        await officer.wait_for("triage:alert", lambda a: a["report"]["id"] == left["id"])
        assert [a["report"]["id"] for a in officer.events["triage:alert"]] == [left["id"]]


async def test_escalation_survives_a_restart(settings: Settings) -> None:
    """The deadline is in the database: a report submitted before a restart alerts after it."""
    settings = replace(settings, p1_alert_seconds=60, tick_seconds=0.05)
    clock = FakeClock(dt.datetime(2026, 11, 20, 21, 0, tzinfo=dt.UTC))
    runner, app = await start_server(settings, clock)
    first = Running(f"http://127.0.0.1:{settings.port}", settings, app, [])
    await add_open_neighbourhoods(first.deps)
    youth = await first.youth()
    sent = (await youth.ok("report:submit", report(category="violence", happening_now=True)))["report"]
    await youth.disconnect()
    await runner.cleanup()

    clock.advance(30)
    runner, app = await start_server(settings, clock)
    try:
        second = Running(f"http://127.0.0.1:{settings.port}", settings, app, [])
        _, officer = await second.on_duty("ostersund")
        await asyncio.sleep(0.2)
        assert not officer.events.get("triage:alert")
        clock.advance(31)  # 61 s after submission, counted from the stored time
        alert = await officer.wait_for("triage:alert", timeout=5)
        assert alert["report"]["id"] == sent["id"]
        await officer.disconnect()
    finally:
        await runner.cleanup()
