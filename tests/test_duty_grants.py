"""Duty in another region (issue #24, finding 10): an officer of Mitt may go on duty in Umeå
(region Nord) only with a grant from one of Nord's supervisors — time-limited, with a reason,
audited — or when the neighbourhood is marked shared. When the leave ends (revoked, run out,
the room no longer shared) the duty there ends by itself and its chats go back to the queue."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import pytest

from server.clock import FakeClock
from server.config import Settings
from server.services import neighbourhoods
from tests.clients import Client, cid
from tests.conftest import Officer, Running

REASON = "Förstärkning i Umeå: två poliser sjuka i kväll"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2026, 12, 4, 19, 0, tzinfo=dt.UTC))  # a Friday evening


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, tick_seconds=0.05)


async def give(server: Running, supervisor: Officer, officer: Officer, hours: int = 2) -> dict[str, Any]:
    status, answer = await server.api(
        supervisor, "POST", "/api/duty/grants", {"username": officer.username, "hours": hours, "reason": REASON}
    )
    assert status == 201, answer
    return dict(answer["grant"])


async def test_duty_in_another_region_needs_a_grant_from_its_supervisors(server: Running, clock: FakeClock) -> None:
    """Refused without a grant (`forbidden`, naming the region); a supervisor of Mitt cannot give
    leave for Nord; with Nord's grant the officer goes on duty in Umeå until the grant ends at the
    latest, and may claim Umeå's P1 report. The grant is listed for Nord's supervisors only, and
    its reason is in Nord's audit log."""
    officer = await server.officer(region="Mitt")
    console = await server.staff(officer)
    refused = await console.call("duty:start", {"rooms": ["umea"]})
    assert refused["error"]["code"] == "forbidden"
    assert refused["error"]["details"] == {"room": "umea", "region": "Nord", "needs": "duty_grant"}
    assert (await console.ok("duty:start", {"rooms": ["ostersund"]}))["duty"]["rooms"] == ["ostersund"]

    nord = await server.officer(role="supervisor", region="Nord")
    mitt = await server.officer(role="supervisor", region="Mitt")
    status, answer = await server.api(
        mitt, "POST", "/api/duty/grants", {"username": officer.username, "hours": 2, "reason": REASON}
    )
    assert (status, answer["error"]["code"]) == (400, "invalid")  # Mitt's officer needs no leave in Mitt
    grant = await give(server, nord, officer, hours=2)
    assert grant["region"] == "Nord" and grant["staff"]["username"] == officer.username
    assert dt.datetime.fromisoformat(grant["expires_at"]) == clock.now() + dt.timedelta(hours=2)

    duty = (await console.ok("duty:start", {"rooms": ["ostersund", "umea"]}))["duty"]
    assert duty["rooms"] == ["ostersund", "umea"]
    assert dt.datetime.fromisoformat(duty["until"]) == clock.now() + dt.timedelta(hours=2)
    youth = await server.youth()
    body = {"room": "umea", "client_id": cid(), "category": "violence", "happening_now": True, "body": "Kniv!"}
    sent = (await youth.ok("report:submit", body))["report"]
    await console.wait_for("triage:new", lambda r: r["id"] == sent["id"])
    assert (await console.ok("triage:claim", {"report_id": sent["id"]}))["report"]["status"] == "claimed"

    for who, listed in ((nord, [grant["id"]]), (mitt, [])):
        status, answer = await server.api(who, "GET", "/api/duty/grants")
        assert status == 200 and [g["id"] for g in answer["grants"]] == listed
    for who, sees in ((nord, True), (mitt, False)):
        status, log = await server.api(who, "GET", "/api/audit?action=duty.grant")
        assert status == 200
        assert (REASON in json.dumps(log, ensure_ascii=False)) is sees


async def test_a_grant_is_checked_before_anything_is_stored(server: Running) -> None:
    """Hours outside 1–16, an empty reason, an unknown or inactive account and an officer asking
    for themselves each get a clear error, and no grant exists after them (the listing is the
    barrier; one valid grant afterwards is the positive control)."""
    officer = await server.officer(region="Mitt")
    nord = await server.officer(role="supervisor", region="Nord")
    nord_officer = await server.officer(region="Nord")
    cases = [
        (nord, {"username": officer.username, "hours": 0, "reason": REASON}, 400),
        (nord, {"username": officer.username, "hours": 17, "reason": REASON}, 400),
        (nord, {"username": officer.username, "hours": 2, "reason": "   "}, 400),
        (nord, {"username": officer.username, "hours": "2", "reason": REASON}, 400),
        (nord, {"username": "nobody-here", "hours": 2, "reason": REASON}, 404),
        (nord_officer, {"username": officer.username, "hours": 2, "reason": REASON}, 403),
    ]
    for who, body, expected in cases:
        status, answer = await server.api(who, "POST", "/api/duty/grants", body)
        assert status == expected, (body, answer)
        assert answer["error"]["message"]
    status, answer = await server.api(nord, "GET", "/api/duty/grants")
    assert (status, answer["grants"]) == (200, [])
    await give(server, nord, officer)
    status, answer = await server.api(nord, "GET", "/api/duty/grants")
    assert [g["staff"]["username"] for g in answer["grants"]] == [officer.username]


async def revoked(server: Running, nord: Officer, grant: dict[str, Any], clock: FakeClock) -> None:
    status, answer = await server.api(nord, "DELETE", f"/api/duty/grants/{grant['id']}")
    assert status == 200 and answer["grant"]["revoked_at"] is not None


async def runs_out(server: Running, nord: Officer, grant: dict[str, Any], clock: FakeClock) -> None:
    clock.advance((dt.datetime.fromisoformat(grant["expires_at"]) - clock.now()).total_seconds() + 1)


async def unshared(server: Running, nord: Officer, grant: dict[str, Any], clock: FakeClock) -> None:
    await neighbourhoods.set_shared(server.deps, "umea", False)


LEAVE_ENDS: dict[str, Callable[[Running, Officer, dict[str, Any], FakeClock], Awaitable[None]]] = {
    "the grant revoked": revoked,
    "the grant runs out": runs_out,
    "the room no longer shared": unshared,
}


@pytest.mark.parametrize("ending", list(LEAVE_ENDS), ids=list(LEAVE_ENDS))
async def test_when_the_leave_ends_the_duty_there_ends_and_its_chats_go_back(
    server: Running, clock: FakeClock, ending: str
) -> None:
    """A Mitt officer on duty in Östersund and, with leave, in Umeå, holding a Umeå chat. When the
    leave ends, the duty in Umeå ends within a second: the young person is told the chat waits,
    Umeå's own officer sees it in the inbox, and the officer stays on duty in Östersund."""
    officer = await server.officer(region="Mitt")
    console = await server.staff(officer)
    nord = await server.officer(role="supervisor", region="Nord")
    grant: dict[str, Any] = {}
    if ending == "the room no longer shared":
        await neighbourhoods.set_shared(server.deps, "umea", True)
    else:
        grant = await give(server, nord, officer, hours=1)
    await console.ok("duty:start", {"rooms": ["ostersund", "umea"]})
    youth = await server.youth()
    conv = (await youth.ok("chat:open", {"room": "umea", "client_id": cid(), "body": "Hej"}))["conversation"]["id"]
    await console.ok("chat:take", {"conversation_id": conv})
    _, umea = await server.on_duty("umea")

    await LEAVE_ENDS[ending](server, nord, grant, clock)
    await youth.wait_for("chat:updated", lambda c: c["id"] == conv and c["status"] == "waiting", 1.0)
    await umea.wait_for(
        "inbox:updated", lambda d: d["conversation"]["id"] == conv and d["conversation"]["status"] == "waiting"
    )
    told = await console.wait_for("duty:updated", lambda d: d["duty"]["rooms"] == ["ostersund"])
    assert told["duty"]["rooms"] == ["ostersund"]
    again = await console.call("duty:start", {"rooms": ["ostersund", "umea"]})
    assert again["error"]["code"] == "forbidden"
    assert (await console.ok("duty:start", {"rooms": ["ostersund"]}))["duty"]["rooms"] == ["ostersund"]


async def test_a_shared_neighbourhood_needs_no_grant(server: Running) -> None:
    """Refused first; marked shared, Åre (Mitt) takes an officer of Nord without a grant, and
    Mitt's own as before; Östersund (Mitt, not shared) still refuses an officer of Syd."""
    officer = await server.officer(region="Nord")
    console = await server.staff(officer)
    assert (await console.call("duty:start", {"rooms": ["are"]}))["error"]["code"] == "forbidden"
    await neighbourhoods.set_shared(server.deps, "are", True)
    assert (await console.ok("duty:start", {"rooms": ["are"]}))["duty"]["rooms"] == ["are"]
    mitt_officer = await server.staff(await server.officer(region="Mitt"))
    assert (await mitt_officer.ok("duty:start", {"rooms": ["are"]}))["duty"]["rooms"] == ["are"]
    other: Client = await server.staff(await server.officer(region="Syd"))
    assert (await other.call("duty:start", {"rooms": ["ostersund"]}))["error"]["code"] == "forbidden"
