"""Officers hide, mute and slow down; young people flag; flood control spaces out posts."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import replace

import pytest

from server.clock import FakeClock
from server.config import Settings
from tests.clients import cid
from tests.conftest import Running


async def test_hide_removes_a_message_for_young_people_and_is_audited(server: Running) -> None:
    """The room sees the message removed; a later join or sync shows it empty and marked hidden."""
    _, officer = await server.on_duty("umea")
    await officer.ok("room:join", {"room": "umea"})
    writer, reader = await server.youth(), await server.youth()
    await reader.ok("room:join", {"room": "umea"})
    msg = (await writer.ok("room:send", {"room": "umea", "client_id": cid(), "body": "något elakt"}))["message"]
    assert (await officer.call("moderation:hide", {"message_id": msg["id"]}))["error"]["code"] == "invalid"
    await officer.ok("moderation:hide", {"message_id": msg["id"], "reason": "kränkande"})
    gone = await reader.wait_for("message:hidden")
    assert gone == {"id": msg["id"], "room": "umea"}
    synced = (await reader.ok("room:sync", {"room": "umea"}))["messages"]
    assert synced[0]["hidden"] is True
    assert synced[0]["body"] == ""
    staff_view = (await officer.ok("room:sync", {"room": "umea"}))["messages"][0]
    assert staff_view["body"] == "något elakt"
    assert staff_view["hidden"] is True
    assert (await officer.call("moderation:hide", {"message_id": "9" * 16, "reason": "x"}))["error"][
        "code"
    ] == "not_found"
    assert (await writer.call("moderation:hide", {"message_id": msg["id"], "reason": "x"}))["error"][
        "code"
    ] == "invalid"


async def test_mute_stops_room_posts_but_not_private_chat(server: Running) -> None:
    """A muted young person is told until when, gets `blocked` in rooms, and can still chat privately."""
    _, officer = await server.on_duty("umea")
    youth = await server.youth()
    youth_id = youth.session["youth"]["id"]
    # Officers know a young person by what they wrote (an identity is stored on its first write).
    await youth.ok("room:send", {"room": "umea", "client_id": cid(), "body": "köp billigt här"})
    muted = await officer.ok("moderation:mute", {"youth_id": youth_id, "minutes": 10, "reason": "spam"})
    told = await youth.wait_for("moderation:muted")
    assert told["until"] == muted["until"]
    assert told["minutes"] == 10
    refused = await youth.call("room:send", {"room": "umea", "client_id": cid(), "body": "hej"})
    assert refused["error"]["code"] == "blocked"
    assert muted["until"] in refused["error"]["message"]
    conv = (await youth.ok("chat:open", {"room": "umea"}))["conversation"]["id"]
    await youth.ok("chat:send", {"conversation_id": conv, "client_id": cid(), "body": "förlåt"})
    bad = await officer.call("moderation:mute", {"youth_id": youth_id, "minutes": 0, "reason": "x"})
    assert bad["error"]["code"] == "invalid"


async def test_flagged_messages_reach_officers(server: Running) -> None:
    """A young person flags a room message once; officers in the room see it live and in the list."""
    _, officer = await server.on_duty("umea")
    await officer.ok("room:join", {"room": "umea"})
    writer, flagger = await server.youth(), await server.youth()
    msg = (await writer.ok("room:send", {"room": "umea", "client_id": cid(), "body": "köp billigt här"}))["message"]
    await flagger.ok("message:flag", {"message_id": msg["id"], "reason": "reklam"})
    live = await officer.wait_for("moderation:flagged")
    assert live["message"]["id"] == msg["id"]
    assert live["message"]["flag_count"] == 1
    assert (await flagger.call("message:flag", {"message_id": msg["id"]}))["error"]["code"] == "conflict"
    assert (await writer.call("message:flag", {"message_id": msg["id"]}))["error"]["code"] == "forbidden"
    listed = (await officer.ok("moderation:flags", {"room": "umea"}))["messages"]
    assert [m["id"] for m in listed] == [msg["id"]]


class TestFlood:
    @pytest.fixture
    def clock(self) -> FakeClock:
        return FakeClock(dt.datetime(2026, 11, 20, 20, 0, tzinfo=dt.UTC))

    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return replace(settings, tick_seconds=60)

    async def test_a_burst_is_allowed_then_spaced(self, server: Running, clock: FakeClock) -> None:
        """Five quick posts pass, the sixth is `rate_limited` with a retry time; after a pause it passes."""
        youth = await server.youth()
        results = [
            await youth.call("room:send", {"room": "umea", "client_id": cid(), "body": f"{i}"}) for i in range(6)
        ]
        assert [r["ok"] for r in results] == [True] * 5 + [False]
        assert results[5]["error"]["code"] == "rate_limited"
        assert "try again in 2 s" in results[5]["error"]["message"]
        clock.advance(2)
        assert (await youth.call("room:send", {"room": "umea", "client_id": cid(), "body": "igen"}))["ok"] is True

    async def test_slow_mode(self, server: Running, clock: FakeClock) -> None:
        """With slow mode at 30 s a young person posts once per 30 s; officers are not slowed."""
        _, officer = await server.on_duty("umea")
        youth = await server.youth()
        await youth.ok("room:join", {"room": "umea"})
        await officer.ok("moderation:slowmode", {"room": "umea", "seconds": 30})
        assert (await youth.wait_for("room:settings"))["slow_mode_seconds"] == 30
        await youth.ok("room:send", {"room": "umea", "client_id": cid(), "body": "ett"})
        slowed = await youth.call("room:send", {"room": "umea", "client_id": cid(), "body": "två"})
        assert slowed["error"]["code"] == "rate_limited"
        assert "30 s" in slowed["error"]["message"]
        await officer.ok("room:send", {"room": "umea", "client_id": cid(), "body": "polisen"})
        await officer.ok("room:send", {"room": "umea", "client_id": cid(), "body": "igen"})
        clock.advance(31)
        await youth.ok("room:send", {"room": "umea", "client_id": cid(), "body": "tre"})
        await asyncio.sleep(0)
