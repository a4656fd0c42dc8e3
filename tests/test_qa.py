"""Q&A sessions: scheduling, pre-moderated questions, one vote each, live answers to every viewer."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import aiohttp
import icalendar
import pytest

from server.clock import FakeClock, isoformat
from server.services import retention
from server.storage.models import QaQuestion
from tests.clients import Client, cid
from tests.conftest import Officer, Running


def _at(minutes: float) -> str:
    return isoformat(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes))


async def _schedule(
    host: Client, room: str = "ostersund", start: float = -5, end: float = 60, **extra: Any
) -> dict[str, Any]:
    payload = {"room": room, "title": "Fråga polisen om fester", "starts_at": _at(start), "ends_at": _at(end), **extra}
    return (await host.ok("qa:schedule", payload))["session"]


async def _host(server: Running, role: str = "officer") -> tuple[Officer, Client]:
    officer = await server.officer(role=role)
    return officer, await server.staff(officer)


async def _approved(server: Running, host: Client, session: dict[str, Any], body: str) -> tuple[Client, dict[str, Any]]:
    asker = await server.youth()
    await asker.ok("qa:join", {"session_id": session["id"]})
    asked = (await asker.ok("qa:ask", {"session_id": session["id"], "client_id": cid(), "body": body}))["question"]
    approved = await host.ok("qa:review", {"question_id": asked["id"], "decision": "approve"})
    return asker, approved["question"]


async def barrier(youth: Client) -> None:
    """An answer on this connection: anything the server sent it before has arrived by now."""
    await youth.ok("notice:list", {"room": "ostersund"})


async def test_question_life_cycle(server: Running) -> None:
    """Ask → pending for hosts only → approved (reworded for anonymity) to every viewer without the
    asker → answered live; a rejected question tells only its asker why."""
    _, host = await _host(server)
    session = await _schedule(host)
    assert session["status"] == "live"
    await host.ok("qa:join", {"session_id": session["id"]})
    asker, viewer = await server.youth(), await server.youth()
    for y in (asker, viewer):
        await y.ok("qa:join", {"session_id": session["id"]})

    body = "Jag heter Kalle och går i 8B på Björkskolan, vad händer om man blir tagen med alkohol på en fest?"
    first = client_id = cid()
    asked = (await asker.ok("qa:ask", {"session_id": session["id"], "client_id": client_id, "body": body}))["question"]
    assert asked["status"] == "pending"
    retried = (await asker.ok("qa:ask", {"session_id": session["id"], "client_id": first, "body": body}))["question"]
    assert retried["id"] == asked["id"]
    pending = await host.wait_for("qa:pending", lambda d: d["question"]["id"] == asked["id"])
    assert pending["question"]["original"] == body
    await barrier(viewer)
    assert not viewer.events["qa:question"], "a pending question reached a viewer"

    reworded = "Vad händer om man blir tagen med alkohol på en fest?"
    approved = await host.ok("qa:review", {"question_id": asked["id"], "decision": "approve", "body": reworded})
    assert approved["question"]["status"] == "approved"
    seen = await viewer.wait_for("qa:question", lambda d: d["question"]["id"] == asked["id"])
    assert seen["question"]["body"] == reworded
    assert "original" not in seen["question"] and "Kalle" not in str(seen)
    again = await host.call("qa:review", {"question_id": asked["id"], "decision": "reject", "reason": "x"})
    assert again["error"]["code"] == "conflict"

    answer = "Polisen tar hand om alkoholen och kontaktar vårdnadshavare; socialtjänsten kan få veta."
    await host.ok("qa:answer", {"question_id": asked["id"], "body": answer})
    for y in (asker, viewer):
        live = await y.wait_for("qa:answered", lambda d: d["question"]["id"] == asked["id"])
        assert live["question"]["answer"]["body"] == answer
        assert live["question"]["status"] == "answered"

    other = await asker.ok("qa:ask", {"session_id": session["id"], "client_id": cid(), "body": "Är du dum eller?"})
    no_reason = await host.call("qa:review", {"question_id": other["question"]["id"], "decision": "reject"})
    assert no_reason["error"]["code"] == "invalid"
    await host.ok(
        "qa:review", {"question_id": other["question"]["id"], "decision": "reject", "reason": "Inte en fråga"}
    )
    told = await asker.wait_for("qa:question", lambda d: d["question"]["id"] == other["question"]["id"])
    assert told["question"]["status"] == "rejected"
    assert told["question"]["reason"] == "Inte en fråga"
    await barrier(viewer)
    assert viewer.events["qa:question"], "the positive control: the approved question reached the viewer"
    assert all(e["question"]["id"] != other["question"]["id"] for e in viewer.events["qa:question"])

    # After the session the Q&A stays readable, anonymised, for someone who joins later.
    late = await server.youth()
    joined = await late.ok("qa:join", {"session_id": session["id"]})
    assert [q["id"] for q in joined["questions"]] == [asked["id"]]
    assert joined["questions"][0]["answer"]["body"] == answer
    mine = (await asker.ok("qa:join", {"session_id": session["id"]}))["mine"]
    assert {q["status"] for q in mine} == {"answered", "rejected"}


async def test_personal_data_in_a_question_is_blocked_and_nothing_is_stored(server: Running) -> None:
    _, host = await _host(server)
    session = await _schedule(host)
    youth = await server.youth()
    refused = await youth.call(
        "qa:ask", {"session_id": session["id"], "client_id": cid(), "body": "ring mig 070-123 45 67"}
    )
    assert refused["error"]["code"] == "blocked"
    queue = (await host.ok("qa:join", {"session_id": session["id"]}))["pending"]
    assert queue == []
    # Nothing in the table either, in any state (the host's queue shows pending ones only).
    assert await server.count(QaQuestion) == 0
    # The positive control: an ordinary question is stored.
    await youth.ok("qa:ask", {"session_id": session["id"], "client_id": cid(), "body": "Hur blir man polis?"})
    assert await server.count(QaQuestion) == 1


async def test_bad_questions_get_clear_errors(server: Running) -> None:
    """Over the length limit, an ended session, an unknown session: each its own code, nothing stored."""
    _, host = await _host(server)
    session = await _schedule(host)
    youth = await server.youth()
    too_long = await youth.call("qa:ask", {"session_id": session["id"], "client_id": cid(), "body": "a" * 501})
    assert too_long["error"]["code"] == "too_long"
    unknown = await youth.call("qa:ask", {"session_id": "nope", "client_id": cid(), "body": "hej?"})
    assert unknown["error"]["code"] == "not_found"
    extra = await youth.call("qa:ask", {"session_id": session["id"], "client_id": cid(), "body": "hej", "x": 1})
    assert extra["error"]["code"] == "invalid"
    assert (await host.ok("qa:join", {"session_id": session["id"]}))["pending"] == []
    bad_times = await host.call(
        "qa:schedule", {"room": "ostersund", "title": "x", "starts_at": _at(60), "ends_at": _at(30)}
    )
    assert bad_times["error"]["code"] == "invalid"
    naive = await host.call(
        "qa:schedule", {"room": "ostersund", "title": "x", "starts_at": "2030-01-01T10:00:00", "ends_at": _at(30)}
    )
    assert naive["error"]["code"] == "invalid"


async def test_only_hosts_review_and_answer(server: Running) -> None:
    _, host = await _host(server)
    session = await _schedule(host)
    _, colleague = await _host(server)
    youth = await server.youth()
    asked = await youth.ok("qa:ask", {"session_id": session["id"], "client_id": cid(), "body": "Får man ha kniv?"})
    qid = asked["question"]["id"]
    for who in (colleague,):
        assert (await who.call("qa:review", {"question_id": qid, "decision": "approve"}))["error"][
            "code"
        ] == "forbidden"
    assert (await youth.call("qa:review", {"question_id": qid, "decision": "approve"}))["error"]["code"] == "invalid"
    assert (await colleague.ok("qa:join", {"session_id": session["id"]})).get("pending") is None
    await host.ok("qa:review", {"question_id": qid, "decision": "approve"})
    assert (await colleague.call("qa:answer", {"question_id": qid, "body": "Nej"}))["error"]["code"] == "forbidden"

    # A supervisor joins as co-host and may then answer; an officer may not make themself co-host.
    _, supervisor = await _host(server, role="supervisor")
    assert (await colleague.call("qa:cohost", {"session_id": session["id"]}))["error"]["code"] == "forbidden"
    await supervisor.ok("qa:cohost", {"session_id": session["id"]})
    answered = await supervisor.ok("qa:answer", {"question_id": qid, "body": "Nej, inte på allmän plats."})
    assert answered["question"]["answer"]["body"] == "Nej, inte på allmän plats."

    # An officer of another region cannot schedule here.
    stranger = await server.officer(region="Syd")
    far = await server.staff(stranger)
    refused = await far.call(
        "qa:schedule", {"room": "ostersund", "title": "x", "starts_at": _at(10), "ends_at": _at(60)}
    )
    assert refused["error"]["code"] == "forbidden"


async def test_votes_are_unique_even_under_concurrency(server: Running) -> None:
    """The same young person voting 10 times at once counts once; 8 others count 8 more."""
    _, host = await _host(server)
    session = await _schedule(host)
    asker, question = await _approved(server, host, session, "Vad gör polisen på festivaler?")
    voter = await server.youth()
    results = await asyncio.gather(*(voter.call("qa:vote", {"question_id": question["id"]}) for _ in range(10)))
    assert sum(r["ok"] for r in results) == 1
    assert {r["error"]["code"] for r in results if not r["ok"]} == {"conflict"}
    others = [await server.youth() for _ in range(8)]
    votes = await asyncio.gather(*(o.call("qa:vote", {"question_id": question["id"]}) for o in others))
    assert all(v["ok"] for v in votes)
    assert max(v["question"]["votes"] for v in votes) == 9
    joined = await voter.ok("qa:join", {"session_id": session["id"]})
    assert joined["questions"][0]["votes"] == 9
    assert joined["questions"][0]["voted"] is True
    assert (await asker.call("qa:vote", {"question_id": question["id"]}))["error"]["code"] == "forbidden"


async def test_voting_on_pending_rejected_or_answered_questions_changes_nothing(server: Running) -> None:
    _, host = await _host(server)
    session = await _schedule(host)
    asker = await server.youth()
    voter = await server.youth()
    pending = await asker.ok("qa:ask", {"session_id": session["id"], "client_id": cid(), "body": "Fråga ett?"})
    rejected = await asker.ok("qa:ask", {"session_id": session["id"], "client_id": cid(), "body": "Fråga två?"})
    await host.ok("qa:review", {"question_id": rejected["question"]["id"], "decision": "reject", "reason": "dubblett"})
    for q in (pending, rejected):
        refused = await voter.call("qa:vote", {"question_id": q["question"]["id"]})
        assert refused["error"]["code"] == "not_found"
    # The asker can see their own rejected question, and still cannot vote on it.
    own = await asker.call("qa:vote", {"question_id": rejected["question"]["id"]})
    assert own["error"]["code"] == "conflict"
    _, answered = await _approved(server, host, session, "Fråga tre?")
    await host.ok("qa:answer", {"question_id": answered["id"], "body": "Svar."})
    assert (await voter.call("qa:vote", {"question_id": answered["id"]}))["error"]["code"] == "conflict"
    joined = await host.ok("qa:join", {"session_id": session["id"]})
    assert all(q["votes"] == 0 for q in joined["questions"])


async def test_an_answer_reaches_every_connected_viewer(server: Running) -> None:
    """Live delivery to a crowd: 60 young people and 2 officers watching get the answer once each."""
    _, host = await _host(server)
    session = await _schedule(host)
    viewers = await asyncio.gather(*(server.youth() for _ in range(60)))
    await asyncio.gather(*(v.ok("qa:join", {"session_id": session["id"]}) for v in viewers))
    _, watcher = await _host(server)
    await watcher.ok("qa:join", {"session_id": session["id"]})
    _, question = await _approved(server, host, session, "Hur blir man polis?")
    await host.ok("qa:answer", {"question_id": question["id"], "body": "Polisutbildningen, 2,5 år."})
    for v in [*viewers, watcher]:
        got = await v.wait_for("qa:answered", lambda d: d["question"]["id"] == question["id"])
        assert got["question"]["answer"]["body"] == "Polisutbildningen, 2,5 år."
    await asyncio.gather(*(barrier(v) for v in viewers))
    assert all(len(v.events["qa:answered"]) == 1 for v in viewers)
    left = viewers[0]
    await left.ok("qa:leave", {"session_id": session["id"]})
    await host.ok("qa:pin", {"question_id": question["id"], "pinned": True})
    await viewers[1].wait_for("qa:question", lambda d: d["question"]["pinned"])
    await barrier(left)
    assert not any(e["question"]["pinned"] for e in left.events["qa:question"])


async def test_sessions_are_announced_and_open_the_neighbourhood(server: Running) -> None:
    """An upcoming session is listed and in the calendar feed; while it is live and a host is on
    duty the neighbourhood is open, even outside every window."""
    deps = server.deps
    from server.services import neighbourhoods

    await neighbourhoods.add(deps, slug="closedville", name="Stängda byn", police_area="Östersund", region="Mitt")
    youth = await server.youth()
    await youth.ok("room:join", {"room": "closedville"})
    officer, host = await _host(server)
    upcoming = await _schedule(host, room="closedville", start=60, end=120)
    announced = await youth.wait_for("qa:session")
    assert announced["session"]["id"] == upcoming["id"]
    assert announced["session"]["status"] == "upcoming"
    assert "host_ids" not in announced["session"]
    listed = (await youth.ok("qa:list", {"room": "closedville"}))["sessions"]
    assert [s["id"] for s in listed] == [upcoming["id"]]
    url = f"{server.url}/api/neighbourhoods/closedville/calendar.ics"
    async with aiohttp.ClientSession() as http, http.get(url) as resp:
        cal = icalendar.Calendar.from_ical(await resp.read())
    summaries = [str(e["summary"]) for e in cal.walk("VEVENT")]
    assert any("Fråga polisen om fester" in s for s in summaries)

    avail = (await youth.ok("room:join", {"room": "closedville"}))["availability"]
    assert avail["open"] is False
    live = await _schedule(host, room="closedville", start=-1, end=30)
    assert (await youth.ok("room:join", {"room": "closedville"}))["availability"]["open"] is False
    await host.ok("duty:start", {"rooms": ["closedville"]})
    now_open = (await youth.ok("room:join", {"room": "closedville"}))["availability"]
    assert now_open["open"] is True and now_open["qa_live"] is True
    conv = await youth.ok("chat:open", {"room": "closedville"})
    assert conv["conversation"]["status"] == "waiting"
    assert live["id"] != upcoming["id"]
    assert officer.username


class TestRetention:
    @pytest.fixture
    def clock(self) -> FakeClock:
        return FakeClock(dt.datetime(2026, 11, 20, 18, 0, tzinfo=dt.UTC))

    async def test_purge_keeps_the_anonymised_qa_and_drops_what_young_people_wrote(
        self, server: Running, clock: FakeClock
    ) -> None:
        """After the Q&A period the asker's own wording and unpublished questions are gone, the
        approved wording stays readable; after the tips period the tips are gone."""
        _, host = await _host(server)
        start = isoformat(clock.now() - dt.timedelta(minutes=5))
        end = isoformat(clock.now() + dt.timedelta(minutes=55))
        payload = {"room": "ostersund", "title": "Fråga polisen", "starts_at": start, "ends_at": end}
        session = (await host.ok("qa:schedule", payload))["session"]
        youth = await server.youth()
        kept = await youth.ok(
            "qa:ask",
            {"session_id": session["id"], "client_id": cid(), "body": "Jag är Kim i 9A, får man filma polisen?"},
        )
        dropped = await youth.ok("qa:ask", {"session_id": session["id"], "client_id": cid(), "body": "Hallå?"})
        await host.ok(
            "qa:review",
            {"question_id": kept["question"]["id"], "decision": "approve", "body": "Får man filma polisen?"},
        )
        await host.ok(
            "qa:review", {"question_id": dropped["question"]["id"], "decision": "reject", "reason": "Ingen fråga"}
        )
        supervisor = await server.staff(await server.officer(role="supervisor"))
        notice = (await host.ok("notice:draft", {"room": "ostersund", "body": "Har du sett något? Ring 112."}))[
            "notice"
        ]
        await supervisor.ok("notice:approve", {"notice_id": notice["id"]})
        await youth.ok("notice:tip", {"notice_id": notice["id"], "client_id": cid(), "body": "Jag såg en bil"})

        clock.advance(32 * 86400)
        first = await retention.purge(server.deps, dry_run=False)
        assert first["qa_questions"] == 2
        assert first["notice_tips"] == 0
        async with server.deps.db.transaction() as tx:
            assert (await tx.qa.question(dropped["question"]["id"])) is None
            scrubbed = await tx.qa.question(kept["question"]["id"])
            assert scrubbed is not None and scrubbed.body == "" and scrubbed.public_body == "Får man filma polisen?"
            assert len(await tx.notices.tips(notice["id"])) == 1
        reader = await server.youth()
        shown = (await reader.ok("qa:join", {"session_id": session["id"]}))["questions"]
        assert [q["body"] for q in shown] == ["Får man filma polisen?"]

        clock.advance(60 * 86400)
        second = await retention.purge(server.deps, dry_run=False)
        assert second["notice_tips"] == 1 and second["qa_questions"] == 0
        async with server.deps.db.transaction() as tx:
            assert await tx.notices.tips(notice["id"]) == []
