"""The chat queue: each young person's place in it, alerts when a chat waits too long (once,
across processes), and risky private messages that are never silent."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from aiohttp import web

from server.clock import FakeClock
from server.config import Settings
from server.http.keys import DEPS
from server.services import chat_queue, neighbourhoods, schedules
from tests import services
from tests.clients import cid
from tests.conftest import Running, add_open_neighbourhoods, free_port, start_server

KNIFE = "Nu har någon en kniv"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2026, 12, 4, 19, 0, tzinfo=dt.UTC))


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # The clock work is called by the tests themselves (run once), not by the ticker.
    return replace(settings, tick_seconds=3600, chat_alert_seconds=120)


async def test_young_people_see_their_place_in_the_chat_queue(server: Running, clock: FakeClock) -> None:
    """Three chats wait: places 1, 2, 3 in the acks; when the first is taken the others move up,
    and the one taken has no place."""
    youths = [await server.youth() for _ in range(3)]
    convs = []
    for place, youth in enumerate(youths, start=1):
        clock.advance(1)
        opened = await youth.ok("chat:open", {"room": "ostersund"})
        assert opened["conversation"]["position"] == place
        convs.append(opened["conversation"]["id"])
    _, console = await server.on_duty("ostersund")
    await console.ok("chat:take", {"conversation_id": convs[0]})
    for youth, conv, place in ((youths[1], convs[1], 1), (youths[2], convs[2], 2)):
        await youth.wait_for(
            "chat:updated", lambda c, conv=conv, place=place: c["id"] == conv and c.get("position") == place
        )
    taken = await youths[0].wait_for("chat:updated", lambda c: c["status"] == "active")
    assert "position" not in taken
    assert (await youths[2].ok("chat:sync", {"conversation_id": convs[2]}))["conversation"]["position"] == 2


async def test_a_waiting_chat_alerts_officers_then_supervisors_once_each(server: Running, clock: FakeClock) -> None:
    """After 120 s the officers on duty for the room are alerted, after 240 s the region's
    supervisors; running the clock work again alerts nobody again (counted after a later known
    event), and officers of another room are not alerted."""
    _, officer = await server.on_duty("ostersund")
    _, elsewhere = await server.on_duty("are")
    boss = await server.staff(await server.officer(role="supervisor"))
    north_boss = await server.staff(await server.officer(role="supervisor", region="Nord"))
    youth = await server.youth()
    conv = (await youth.ok("chat:open", {"room": "ostersund"}))["conversation"]["id"]
    deps = server.deps
    clock.advance(119)
    assert await chat_queue.alert_due(deps) == 0
    clock.advance(2)
    assert await chat_queue.alert_due(deps) == 1
    alert = await officer.wait_for("chat:alert", lambda a: a["conversation"]["id"] == conv)
    assert (alert["reason"], alert["waited_seconds"]) == ("waiting", 121)
    assert await chat_queue.alert_due(deps) == 0
    clock.advance(120)
    assert await chat_queue.alert_due(deps) == 1
    escalated = await boss.wait_for("chat:alert", lambda a: a["conversation"]["id"] == conv)
    assert escalated["reason"] == "waiting_long"
    assert await chat_queue.alert_due(deps) == 0
    # Barrier: a note on the chat reaches the room's officers after every alert above.
    note = await officer.ok("chat:note", {"conversation_id": conv, "client_id": cid(), "body": "Tittar"})
    await officer.wait_for("chat:note", lambda n: n["note"]["id"] == note["note"]["id"])
    assert [a["reason"] for a in officer.events["chat:alert"]] == ["waiting"]
    assert [a["reason"] for a in boss.events["chat:alert"]] == ["waiting_long"]
    assert "chat:alert" not in elsewhere.events and "chat:alert" not in north_boss.events


async def test_a_question_left_while_the_room_is_closed_waits_without_alerts(server: Running, clock: FakeClock) -> None:
    """Outside its room's windows a chat nobody took alerts nobody (the young person was told it
    is answered when officers are back); at the same time a chat in an open room does (the
    positive control), and so does a closed room's chat that an officer held and left."""
    await neighbourhoods.add(server.deps, slug="kiruna", name="Kiruna", police_area="Kiruna", region="Nord")
    await schedules.add_weekly(server.deps, None, "kiruna", "mon 10:00-11:00")
    left = await server.youth()
    closed_room = (await left.ok("chat:open", {"room": "kiruna"}))["conversation"]["id"]
    asker = await server.youth()
    open_room = (await asker.ok("chat:open", {"room": "ostersund"}))["conversation"]["id"]
    clock.advance(600)
    async with server.deps.db.transaction() as tx:
        due = await tx.conversations.due_for_alert(clock.now(), escalate=False)
    assert sorted(due) == sorted([closed_room, open_room])
    assert await chat_queue.alert_due(server.deps) == 2  # the open room's chat, once to officers, once to supervisors
    _, console = await server.on_duty("kiruna")
    await console.ok("chat:take", {"conversation_id": closed_room})
    await console.ok("duty:end", {})
    clock.advance(121)
    assert await chat_queue.alert_due(server.deps) == 1


async def test_a_chat_that_comes_back_alerts_again(server: Running, clock: FakeClock) -> None:
    """A chat taken and released by a duty end waits afresh: its alerts run from then."""
    _, first = await server.on_duty("ostersund")
    youth = await server.youth()
    conv = (await youth.ok("chat:open", {"room": "ostersund"}))["conversation"]["id"]
    clock.advance(200)
    assert await chat_queue.alert_due(server.deps) == 1
    await first.ok("chat:take", {"conversation_id": conv})
    await first.ok("duty:end", {})
    _, second = await server.on_duty("ostersund")
    clock.advance(60)
    assert await chat_queue.alert_due(server.deps) == 0
    clock.advance(61)
    assert await chat_queue.alert_due(server.deps) == 1
    await second.wait_for("chat:alert", lambda a: a["conversation"]["id"] == conv)


async def test_a_risky_message_in_a_held_chat_is_flagged_not_queued(server: Running) -> None:
    """The officer holding the chat gets the message with its risk flag (the console highlights it);
    the young person gets the 112 card first; no report is added to the triage queue."""
    _, console = await server.on_duty("ostersund")
    youth = await server.youth()
    conv = (await youth.ok("chat:open", {"room": "ostersund"}))["conversation"]["id"]
    await console.ok("chat:take", {"conversation_id": conv})
    sent = await youth.ok("chat:send", {"conversation_id": conv, "client_id": cid(), "body": KNIFE})
    assert sent["guidance"][0]["kind"] == "112"
    seen = await console.wait_for("chat:message", lambda m: m["id"] == sent["message"]["id"])
    assert "risk.weapon" in seen["flags"]
    assert (await console.ok("triage:list", {}))["reports"] == []


async def test_a_risky_first_message_gets_guidance_in_the_open_ack(server: Running) -> None:
    """chat:open with a risky body answers with the guidance (112 first) and, nobody holding the
    chat yet, raises a source:chat report that the officers on duty are told of."""
    _, console = await server.on_duty("ostersund")
    youth = await server.youth()
    opened = await youth.ok("chat:open", {"room": "ostersund", "client_id": cid(), "body": KNIFE})
    assert [c["kind"] for c in opened["guidance"]][:1] == ["112"]
    report = await console.wait_for("triage:new", lambda r: "source:chat" in r["reasons"])
    assert report["conversation_id"] == opened["conversation"]["id"] and report["priority"] == "P1"
    taken = await console.ok("chat:take", {"conversation_id": opened["conversation"]["id"]})
    assert taken["conversation"]["status"] == "active"
    held = await console.wait_for("triage:updated", lambda r: r["id"] == report["id"])
    assert held["status"] == "claimed"  # taking the chat takes its report: it no longer waits


@pytest.fixture
async def two_servers(settings: Settings, clock: FakeClock) -> AsyncIterator[tuple[Running, Running]]:
    """Two servers on one database and one Redis, on one FakeClock: two processes' clock work."""
    services.need_redis()
    base = replace(settings, redis_url=services.REDIS_URL)
    runners: list[web.AppRunner] = []
    running: list[Running] = []
    for port in (base.port, free_port()):
        s = replace(base, port=port, allowed_origins=(f"http://127.0.0.1:{port}",))
        runner, app = await start_server(s, clock)
        runners.append(runner)
        running.append(Running(f"http://127.0.0.1:{port}", s, app, []))
    await add_open_neighbourhoods(running[0].deps)
    try:
        yield running[0], running[1]
    finally:
        for r in running:
            for c in r.clients:
                if c.sio.connected:
                    await c.disconnect()
        for runner in runners:
            await runner.cleanup()


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_two_processes_alert_once_and_tell_across(two_servers: tuple[Running, Running], clock: FakeClock) -> None:
    """Officers on one process, the young person on the other: the duty end there tells the young
    person here at once; both processes run the clock work at the same moment and the chat's alert
    fires exactly once (counted after a note from each process has arrived)."""
    one, two = two_servers
    _, leaving = await one.on_duty("ostersund")
    _, staying = await one.on_duty("ostersund")
    youth = await two.youth()
    conv = (await youth.ok("chat:open", {"room": "ostersund", "client_id": cid(), "body": "Hej"}))["conversation"]["id"]
    await leaving.ok("chat:take", {"conversation_id": conv})
    await youth.wait_for("chat:updated", lambda c: c["status"] == "active")
    await leaving.ok("duty:end", {})
    await youth.wait_for("chat:updated", lambda c: c["status"] == "waiting")
    line = await youth.wait_for("chat:message", lambda m: m["author"]["kind"] == "system")
    assert "väntar på nästa polis" in line["body"]

    clock.advance(121)
    fired = await asyncio.gather(chat_queue.alert_due(one.app[DEPS]), chat_queue.alert_due(two.app[DEPS]))
    assert sorted(fired) == [0, 1]
    await staying.wait_for("chat:alert", lambda a: a["conversation"]["id"] == conv)
    _, remote = await two.on_duty("ostersund")
    for writer in (staying, remote):
        note = await writer.ok("chat:note", {"conversation_id": conv, "client_id": cid(), "body": "Tittar"})
        await staying.wait_for("chat:note", lambda n, nid=note["note"]["id"]: n["note"]["id"] == nid)
    assert len(staying.events["chat:alert"]) == 1
