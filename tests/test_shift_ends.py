"""No young person left alone: whichever way an officer's duty ends, the chats they hold go back to
the queue in the same transaction, the young person is told at once in their language (with the
way to 112 when nobody is online), the officers on duty see the chat, and the next one takes it
with its whole history."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from server.clock import FakeClock
from server.config import DEFAULT_CHAT_LINES_FILE, Settings
from server.http import csrf
from server.services import accounts
from server.services.chat_lines import ChatLines, ChatLinesError
from tests.clients import Client, cid, csrf_pair
from tests.conftest import Officer, Running

KNIFE = "Hallå? Är du kvar? Nu har någon en kniv"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2026, 12, 4, 19, 0, tzinfo=dt.UTC))  # a Friday evening


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, tick_seconds=0.05, duty_heartbeat_seconds=120)


@dataclass
class Held:
    """A private chat in Östersund that an officer has taken and answered."""

    officer: Officer
    console: Client
    youth: Client
    conv: str
    said: list[str]  # message ids so far, oldest first


async def held_chat(server: Running, *, lang: str = "sv") -> Held:
    officer, console = await server.on_duty("ostersund")
    youth = await server.youth(lang=lang)
    body = "Folk vi inte känner har kommit till vår fest, de är fulla och bråkar"
    opened = await youth.ok("chat:open", {"room": "ostersund", "client_id": cid(), "body": body})
    conv = opened["conversation"]["id"]
    await console.ok("chat:take", {"conversation_id": conv})
    answer = await console.ok("chat:send", {"conversation_id": conv, "client_id": cid(), "body": "Är någon skadad?"})
    await youth.wait_for("chat:message", lambda m: m["id"] == answer["message"]["id"])
    first = (await youth.ok("chat:sync", {"conversation_id": conv}))["messages"]
    return Held(officer, console, youth, conv, [m["id"] for m in first])


async def http_post(server: Running, path: str, cookie: str) -> int:
    token, csrf_cookie = csrf_pair(server.settings.secret_key, cookie)
    headers = {csrf.CSRF_HEADER: token, "Origin": server.origin, "Cookie": f"{csrf_cookie}; {cookie}"}
    async with aiohttp.ClientSession() as http, http.post(server.url + path, headers=headers) as resp:
        return resp.status


# The ways a duty ends. Each gets the server, the chat's officer and console, and the FakeClock.
Ending = Callable[[Running, Held, FakeClock], Awaitable[None]]


async def goes_off_duty(server: Running, held: Held, clock: FakeClock) -> None:
    await held.console.ok("duty:end", {})


async def drops_the_room(server: Running, held: Held, clock: FakeClock) -> None:
    await held.console.ok("duty:start", {"rooms": ["are"]})


async def shift_ends(server: Running, held: Held, clock: FakeClock) -> None:
    until = (await held.console.ok("duty:roster", {}))["rooms"][0]["officers"]
    ends = dt.datetime.fromisoformat(next(o["until"] for o in until if o["id"] == str(held.officer.id)))
    clock.advance((ends - clock.now()).total_seconds() + 1)


async def console_gone(server: Running, held: Held, clock: FakeClock) -> None:
    await held.console.disconnect()
    await asyncio.sleep(0.2)  # a tick without the console: its last heartbeat stays where it was
    clock.advance(121)


async def account_disabled(server: Running, held: Held, clock: FakeClock) -> None:
    await accounts.set_active(server.deps, held.officer.username, False)


async def logs_out(server: Running, held: Held, clock: FakeClock) -> None:
    assert await http_post(server, "/api/auth/logout", held.officer.cookie) == 200


async def sessions_ended(server: Running, held: Held, clock: FakeClock) -> None:
    await accounts.end_sessions(server.deps, held.officer.username)


ENDINGS: dict[str, Ending] = {
    "duty:end": goes_off_duty,
    "duty:start with fewer rooms": drops_the_room,
    "the planned end": shift_ends,
    "the heartbeat expiry": console_gone,
    "an account disabled": account_disabled,
    "a logout": logs_out,
    "sessions ended (CLI)": sessions_ended,
}


async def told_waiting(youth: Client, conv: str) -> tuple[dict[str, Any], dict[str, Any], float]:
    """The chat:updated that puts the chat back in the queue, the system line, and how long
    after the call it came."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    updated = await youth.wait_for("chat:updated", lambda c: c["id"] == conv and c["status"] == "waiting", 3)
    took = loop.time() - start
    line = await youth.wait_for("chat:message", lambda m: m["author"]["kind"] == "system")
    return updated, line, took


@pytest.mark.parametrize("ending", list(ENDINGS), ids=list(ENDINGS))
async def test_a_chat_goes_back_to_the_queue_when_its_duty_ends(server: Running, clock: FakeClock, ending: str) -> None:
    """With a colleague on duty: the young person is told within a second that the chat waits for
    the next officer; the colleague sees it in the inbox, takes it, and reads the whole history."""
    held = await held_chat(server)
    clock.advance(60)  # the colleague's shift started later, so it ends later
    colleague, other = await server.on_duty("ostersund")
    await ENDINGS[ending](server, held, clock)
    updated, line, took = await told_waiting(held.youth, held.conv)
    assert took < 1.0, f"the young person was told after {took:.2f} s"
    assert updated["officer"] is None
    assert line["body"].startswith("Test ") and "gått av sitt pass" in line["body"]
    assert "väntar på nästa polis" in line["body"]
    # A colleague is on duty: no alarm, just the wait. ("ring 112", not "112": the officer's
    # name is random hex, which may hold those digits.)
    assert "ring 112" not in line["body"] and "114 14" not in line["body"]
    inbox = await other.wait_for("inbox:updated", lambda d: d["conversation"]["status"] == "waiting")
    assert inbox["conversation"]["id"] == held.conv
    former = {"id": str(held.officer.id), "name": f"Test {held.officer.username}"}
    assert inbox["conversation"]["handed_over_from"] == former
    listed = (await other.ok("inbox:list", {}))["conversations"]
    assert [c["id"] for c in listed if c["status"] == "waiting"] == [held.conv]

    taken = await other.ok("chat:take", {"conversation_id": held.conv})
    assert taken["conversation"]["officer_id"] == str(colleague.id)
    history = (await other.ok("chat:sync", {"conversation_id": held.conv}))["messages"]
    assert [m["id"] for m in history] == [*held.said, line["id"]]
    reply = await other.ok("chat:send", {"conversation_id": held.conv, "client_id": cid(), "body": "Jag är här nu"})
    await held.youth.wait_for("chat:message", lambda m: m["id"] == reply["message"]["id"])


@pytest.mark.parametrize("ending", ["duty:end", "the heartbeat expiry"])
async def test_with_nobody_left_on_duty_the_young_person_gets_the_way_to_112(
    server: Running, clock: FakeClock, ending: str
) -> None:
    """The only officer leaves: the line says nobody is online and gives 112 and 114 14; a risky
    message then shows the 112 card first and raises a report, which the next officer on duty
    finds in the triage queue and whose claim takes this chat."""
    held = await held_chat(server)
    await ENDINGS[ending](server, held, clock)
    _, line, took = await told_waiting(held.youth, held.conv)
    assert took < 1.0
    assert "ingen polis online" in line["body"] and "112" in line["body"] and "114 14" in line["body"]

    risky = await held.youth.ok("chat:send", {"conversation_id": held.conv, "client_id": cid(), "body": KNIFE})
    assert [c["kind"] for c in risky["guidance"]][:1] == ["112"]
    _, console = await server.on_duty("ostersund")
    reports = (await console.ok("triage:list", {}))["reports"]
    assert len(reports) == 1
    report = reports[0]
    assert report["priority"] == "P1" and "source:chat" in report["reasons"]
    claimed = await console.ok("triage:claim", {"report_id": report["id"]})
    assert claimed["conversation"]["id"] == held.conv
    history = (await console.ok("chat:sync", {"conversation_id": held.conv}))["messages"]
    assert [m["body"] for m in history][-1] == KNIFE


async def test_the_line_is_in_the_young_persons_language(server: Running, clock: FakeClock) -> None:
    """An English-speaking young person is told in English."""
    held = await held_chat(server, lang="en")
    await held.console.ok("duty:end", {})
    _, line, _ = await told_waiting(held.youth, held.conv)
    assert "has gone off duty" in line["body"] and "call 112" in line["body"]


async def test_the_officer_who_left_can_no_longer_write_in_the_chat(server: Running, clock: FakeClock) -> None:
    """After duty:end the chat is not theirs: writing is refused, nothing is stored."""
    held = await held_chat(server)
    await held.console.ok("duty:end", {})
    await told_waiting(held.youth, held.conv)
    refused = await held.console.call("chat:send", {"conversation_id": held.conv, "client_id": cid(), "body": "Hallå?"})
    assert refused["error"]["code"] == "not_found"
    _colleague, other = await server.on_duty("ostersund")
    history = (await other.ok("chat:sync", {"conversation_id": held.conv}))["messages"]
    assert "Hallå?" not in [m["body"] for m in history]


async def test_a_chat_in_another_room_stays_with_an_officer_still_on_duty_there(
    server: Running, clock: FakeClock
) -> None:
    """Dropping one room releases that room's chats only (positive control: the dropped room's
    chat is released; the kept room's chat is not, asserted after that release arrived)."""
    _officer, console = await server.on_duty("ostersund", "are")
    kept_youth = await server.youth()
    kept = (await kept_youth.ok("chat:open", {"room": "are"}))["conversation"]["id"]
    await console.ok("chat:take", {"conversation_id": kept})
    await kept_youth.wait_for("chat:updated", lambda c: c["status"] == "active")
    kept_youth.events["chat:updated"].clear()
    dropped_youth = await server.youth()
    dropped = (await dropped_youth.ok("chat:open", {"room": "ostersund"}))["conversation"]["id"]
    await console.ok("chat:take", {"conversation_id": dropped})
    await console.ok("duty:start", {"rooms": ["are"]})
    await told_waiting(dropped_youth, dropped)
    mine = (await console.ok("inbox:list", {}))["conversations"]
    assert [(c["id"], c["status"]) for c in mine] == [(kept, "active")]
    assert not [c for c in kept_youth.events["chat:updated"] if c["status"] == "waiting"]


async def test_a_shift_is_at_most_the_default_length(server: Running, clock: FakeClock) -> None:
    """In a room scheduled round the clock, a shift without `until` plans KVARTER_DEFAULT_SHIFT_HOURS
    (8 h), not the end of the window weeks ahead; a later `until` is cut to it, an earlier one kept."""
    _, console = await server.on_duty("ostersund")
    now = clock.now()
    duty = (await console.ok("duty:start", {"rooms": ["ostersund"]}))["duty"]
    assert dt.datetime.fromisoformat(duty["until"]) == now + dt.timedelta(hours=8)
    later = (now + dt.timedelta(hours=12)).isoformat()
    duty = (await console.ok("duty:start", {"rooms": ["ostersund"], "until": later}))["duty"]
    assert dt.datetime.fromisoformat(duty["until"]) == now + dt.timedelta(hours=8)
    sooner = now + dt.timedelta(hours=3)
    duty = (await console.ok("duty:start", {"rooms": ["ostersund"], "until": sooner.isoformat()}))["duty"]
    assert dt.datetime.fromisoformat(duty["until"]) == sooner


async def test_a_report_claimed_for_the_chat_goes_back_to_triage(server: Running, clock: FakeClock) -> None:
    """The officer claimed the young person's report and went off duty without closing it: the
    report waits in the triage queue again, unclaimed, and the young person sees its place."""
    _officer, console = await server.on_duty("ostersund")
    youth = await server.youth()
    submitted = await youth.ok(
        "report:submit",
        {"room": "ostersund", "client_id": cid(), "category": "party", "happening_now": True, "body": "Bråk på festen"},
    )
    rid = submitted["report"]["id"]
    claimed = await console.ok("triage:claim", {"report_id": rid})
    _colleague, other = await server.on_duty("ostersund")
    await console.ok("duty:end", {})
    again = await other.wait_for("triage:new", lambda r: r["id"] == rid)
    assert again["status"] == "new" and again["claimed_by"] is None
    await youth.wait_for("report:updated", lambda r: r["id"] == rid and r["status"] == "new" and r["position"] == 1)
    reclaimed = await other.ok("triage:claim", {"report_id": rid})
    assert reclaimed["conversation"]["id"] == claimed["conversation"]["id"]


def test_the_chat_lines_file_is_checked_at_start_up(tmp_path: Path) -> None:
    """The shipped texts load for sv and en; a file without English, with a missing text or that is
    not JSON is refused, naming the file."""
    lines = ChatLines.load()
    assert "Anna" in lines.officer_left("en", "Anna", others_on_duty=True, next_window=None)
    shipped = json.loads(Path(DEFAULT_CHAT_LINES_FILE).read_text(encoding="utf-8"))
    broken = tmp_path / "lines.json"
    for content in (
        json.dumps({"sv": shipped["sv"]}),
        json.dumps({**shipped, "en": {k: v for k, v in shipped["en"].items() if k != "transferred"}}),
        "{not json",
    ):
        broken.write_text(content, encoding="utf-8")
        with pytest.raises(ChatLinesError, match=r"lines\.json"):
            ChatLines.load(broken)
