"""Neighbourhood notices: secrecy check, a second person's approval, private tips, follow-up."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from server.clock import FakeClock, isoformat
from server.config import Settings
from tests.clients import Client, cid
from tests.conftest import Officer, Running

BODY = "Pågående händelse i centrum — har du sett något? Ring 112."


async def _people(server: Running) -> tuple[Officer, Client, Client]:
    author = await server.officer()
    writer = await server.staff(author)
    supervisor = await server.staff(await server.officer(role="supervisor"))
    return author, writer, supervisor


async def test_a_notice_is_published_only_after_a_second_person_approves(server: Running) -> None:
    author, writer, supervisor = await _people(server)
    youth = await server.youth()
    await youth.ok("room:join", {"room": "ostersund"})
    drafted = await writer.ok("notice:draft", {"room": "ostersund", "body": BODY})
    notice = drafted["notice"]
    assert notice["status"] == "pending"
    assert drafted["secrecy"]["action"] == "allow"
    assert (await youth.ok("notice:list", {"room": "ostersund"}))["notices"] == []
    assert (await youth.call("notice:tip", {"notice_id": notice["id"], "client_id": cid(), "body": "x"}))["error"][
        "code"
    ] == "not_found"

    # The author cannot approve their own notice, even as a supervisor; officers cannot approve at all.
    own = await writer.call("notice:approve", {"notice_id": notice["id"]})
    assert own["error"]["code"] == "forbidden"
    boss = await server.officer(role="supervisor")
    boss_client = await server.staff(boss)
    self_drafted = (await boss_client.ok("notice:draft", {"room": "ostersund", "body": BODY}))["notice"]
    refused = await boss_client.call("notice:approve", {"notice_id": self_drafted["id"]})
    assert refused["error"]["code"] == "forbidden"
    assert "second person" in refused["error"]["message"]

    queue = (await supervisor.ok("notice:queue", {}))["notices"]
    assert {n["id"] for n in queue} == {notice["id"], self_drafted["id"]}
    await supervisor.wait_for("notice:pending", lambda d: d["notice"]["id"] == notice["id"])
    approved = await supervisor.ok("notice:approve", {"notice_id": notice["id"], "comment": "OK"})
    assert approved["notice"]["status"] == "published"
    published = await youth.wait_for("notice:published")
    assert published["notice"]["body"] == BODY
    assert published["notice"]["pinned"] is True
    assert "secrecy" not in published["notice"] and "author_id" not in published["notice"]
    told = await writer.wait_for("notice:updated", lambda d: d["notice"]["status"] == "published")
    assert told["notice"]["id"] == notice["id"]
    listed = (await youth.ok("notice:list", {"room": "ostersund"}))["notices"]
    assert [n["id"] for n in listed] == [notice["id"]]
    twice = await supervisor.call("notice:approve", {"notice_id": notice["id"]})
    assert twice["error"]["code"] == "conflict"
    # Staff see who wrote it (the young person's copy, above, does not say).
    assert told["notice"]["author_id"] == notice["author_id"] == str(author.id)


async def test_secrecy_check_warns_on_personnummer_and_case_numbers(server: Running) -> None:
    _, writer, supervisor = await _people(server)
    drafted = await writer.ok(
        "notice:draft",
        {"room": "ostersund", "body": "Gäller ärende 5000-K123456-24, den misstänkte är 20010101-2383. Ring 112."},
    )
    secrecy = drafted["secrecy"]
    assert secrecy["action"] == "warn"
    assert "pii.personnummer" in secrecy["flags"]
    assert "pii.case_number" in secrecy["flags"]
    assert secrecy["spans"]
    queued = (await supervisor.ok("notice:queue", {}))["notices"]
    assert "pii.personnummer" in queued[0]["secrecy"]
    sent_back = await supervisor.ok("notice:reject", {"notice_id": drafted["notice"]["id"], "comment": "Ta bort pnr"})
    assert sent_back["notice"]["status"] == "returned"
    told = await writer.wait_for("notice:updated")
    assert told["notice"]["review_comment"] == "Ta bort pnr"
    no_comment = await supervisor.call("notice:reject", {"notice_id": drafted["notice"]["id"]})
    assert no_comment["error"]["code"] == "invalid"


async def test_tips_reach_only_the_officer_in_charge(server: Running) -> None:
    author, writer, supervisor = await _people(server)
    _, colleague = await server.on_duty("ostersund")
    await colleague.ok("room:join", {"room": "ostersund"})
    notice = (await writer.ok("notice:draft", {"room": "ostersund", "body": BODY}))["notice"]
    await supervisor.ok("notice:approve", {"notice_id": notice["id"]})
    youth = await server.youth()
    client_id = cid()
    tip = {"notice_id": notice["id"], "client_id": client_id, "body": "Jag såg en röd bil vid torget, 070-1234567"}
    first = await youth.ok("notice:tip", tip)
    again = await youth.ok("notice:tip", tip)
    assert first["tip"]["id"] == again["tip"]["id"]
    got = await writer.wait_for("notice:tip")
    assert got["notice_id"] == notice["id"]
    assert got["tip"]["body"] == tip["body"]
    assert "pii.phone" in got["tip"]["flags"]  # the positive control: the author got it
    # Barrier: an answer on each other connection comes after anything sent to it before.
    await colleague.ok("inbox:list", {})
    await supervisor.ok("notice:queue", {})
    assert not colleague.events["notice:tip"] and not supervisor.events["notice:tip"]
    assert all(tip["body"] not in str(m) for m in colleague.events["room:message"])
    listed = await writer.ok("notice:tips", {"notice_id": notice["id"]})
    assert [t["id"] for t in listed["tips"]] == [first["tip"]["id"]]
    for other in (colleague, supervisor):
        refused = await other.call("notice:tips", {"notice_id": notice["id"]})
        assert refused["error"]["code"] == "not_found"
    too_long = await youth.call("notice:tip", {"notice_id": notice["id"], "client_id": cid(), "body": "a" * 2001})
    assert too_long["error"]["code"] == "too_long"
    assert len((await writer.ok("notice:tips", {"notice_id": notice["id"]}))["tips"]) == 1
    assert notice["author_id"] == str(author.id)  # the officer in charge, who alone got the tip


async def test_follow_up_is_approved_then_closes_and_unpins(server: Running) -> None:
    _, writer, supervisor = await _people(server)
    youth = await server.youth()
    await youth.ok("room:join", {"room": "ostersund"})
    notice = (await writer.ok("notice:draft", {"room": "ostersund", "body": BODY}))["notice"]
    early = await writer.call("notice:followup", {"notice_id": notice["id"], "body": "Klart"})
    assert early["error"]["code"] == "conflict"
    await supervisor.ok("notice:approve", {"notice_id": notice["id"]})
    other = await server.staff(await server.officer())
    not_author = await other.call("notice:followup", {"notice_id": notice["id"], "body": "Klart"})
    assert not_author["error"]["code"] == "not_found"
    result = "Händelsen är avslutad, tack för tipsen."
    pending = await writer.ok("notice:followup", {"notice_id": notice["id"], "body": result})
    assert pending["notice"]["status"] == "followup_pending"
    still = (await youth.ok("notice:list", {"room": "ostersund"}))["notices"][0]
    assert still["pinned"] is True and still["followup"] is None
    await supervisor.ok("notice:approve", {"notice_id": notice["id"]})
    closed = await youth.wait_for("notice:closed")
    assert closed["notice"]["followup"] == result
    assert closed["notice"]["pinned"] is False
    late_tip = await youth.call("notice:tip", {"notice_id": notice["id"], "client_id": cid(), "body": "en sak till"})
    assert late_tip["error"]["code"] == "closed"
    history = await supervisor.ok("notice:history", {"notice_id": notice["id"]})
    actions = [s["action"] for s in history["steps"]]
    assert actions == ["notice.draft", "notice.approve", "notice.followup", "notice.approve_followup"]
    assert (await writer.call("notice:history", {"notice_id": notice["id"]}))["error"]["code"] == "forbidden"


async def test_publishing_needs_a_supervisor_of_the_region(server: Running) -> None:
    _, writer, _ = await _people(server)
    notice = (await writer.ok("notice:draft", {"room": "ostersund", "body": BODY}))["notice"]
    far = await server.staff(await server.officer(role="supervisor", region="Syd"))
    assert (await far.call("notice:approve", {"notice_id": notice["id"]}))["error"]["code"] == "not_found"
    assert (await far.call("notice:approve", {"notice_id": "f" * 32}))["error"]["code"] == "not_found"
    youth = await server.youth()
    assert (await youth.call("notice:approve", {"notice_id": notice["id"]}))["error"]["code"] == "invalid"
    assert (await youth.call("notice:draft", {"room": "ostersund", "body": BODY}))["error"]["code"] == "invalid"
    stranger = await server.staff(await server.officer(region="Syd"))
    refused = await stranger.call("notice:draft", {"room": "ostersund", "body": BODY})
    assert refused["error"]["code"] == "forbidden"


class TestExpiry:
    @pytest.fixture
    def clock(self) -> FakeClock:
        return FakeClock(dt.datetime(2026, 11, 20, 18, 0, tzinfo=dt.UTC))

    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return replace(settings, tick_seconds=0.2)

    async def test_tips_to_an_expired_notice_are_refused_and_it_is_unpinned(
        self, server: Running, clock: FakeClock
    ) -> None:
        _, writer, supervisor = await _people(server)
        youth = await server.youth()
        await youth.ok("room:join", {"room": "ostersund"})
        expires = isoformat(clock.now() + dt.timedelta(hours=1))
        bad = await writer.call(
            "notice:draft", {"room": "ostersund", "body": BODY, "expires_at": isoformat(clock.now())}
        )
        assert bad["error"]["code"] == "invalid"
        notice = (await writer.ok("notice:draft", {"room": "ostersund", "body": BODY, "expires_at": expires}))["notice"]
        await supervisor.ok("notice:approve", {"notice_id": notice["id"]})
        await youth.ok("notice:tip", {"notice_id": notice["id"], "client_id": cid(), "body": "Jag såg något"})
        clock.advance(3660)
        refused = await youth.call("notice:tip", {"notice_id": notice["id"], "client_id": cid(), "body": "Och mer"})
        assert refused["error"]["code"] == "closed"
        closed = await youth.wait_for("notice:closed", timeout=10)
        assert closed["notice"]["status"] == "expired"
        assert (await youth.ok("notice:list", {"room": "ostersund"}))["notices"] == []
        assert len((await writer.ok("notice:tips", {"notice_id": notice["id"]}))["tips"]) == 1
