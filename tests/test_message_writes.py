"""The message write path under load: one row per client_id, acks only for durable rows, order."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from server.clock import FakeClock
from tests.clients import Client, cid
from tests.conftest import Running


async def _active_chat(server: Running, room: str = "ostersund") -> tuple[Client, Client, str]:
    """A young person and the officer who took their chat, and the conversation's id."""
    _, officer = await server.on_duty(room)
    youth = await server.youth()
    conv = (await youth.ok("chat:open", {"room": room}))["conversation"]["id"]
    await officer.ok("chat:take", {"conversation_id": conv})
    return youth, officer, conv


async def test_concurrent_sends_with_retries_store_one_row_each(server: Running) -> None:
    """Many chat:sends at once, each client_id sent three times by both sides: one row and one id per client_id."""
    youth, officer, conv = await _active_chat(server)
    ids = [cid() for _ in range(40)]

    async def send(client: Client, client_id: str, body: str) -> dict[str, Any]:
        return await client.ok("chat:send", {"conversation_id": conv, "client_id": client_id, "body": body})

    calls = [send(youth if i % 2 else officer, c, f"meddelande {i}") for i, c in enumerate(ids) for _ in range(3)]
    acks = await asyncio.gather(*calls)
    by_cid: dict[str, set[str]] = {}
    for ack in acks:
        by_cid.setdefault(ack["message"]["client_id"], set()).add(ack["message"]["id"])
    assert sorted(by_cid) == sorted(ids)
    assert all(len(v) == 1 for v in by_cid.values())

    # A later retry, after everything is committed, returns the same stored message.
    again = await send(youth, ids[1], "meddelande 1")
    assert {again["message"]["id"]} == by_cid[ids[1]]

    history = await youth.ok("chat:sync", {"conversation_id": conv})
    assert history["more"] is False
    assert sorted(m["client_id"] for m in history["messages"]) == sorted(ids)
    assert {m["id"] for m in history["messages"]} == set().union(*by_cid.values())


async def test_every_ack_is_durable_and_one_senders_order_is_kept(server: Running) -> None:
    """An acknowledged message is readable at once by another connection; a sender's messages keep their order."""
    youth, officer, conv = await _active_chat(server)
    reader = await server.youth(token=youth.session["token"])  # another tab of the same young person

    async def writer(client: Client, tag: str) -> list[str]:
        sent = []
        for i in range(15):
            ack = await client.ok("chat:send", {"conversation_id": conv, "client_id": cid(), "body": f"{tag} {i}"})
            since = {"after": sent[-1]} if sent else {}
            seen = await reader.ok("chat:sync", {"conversation_id": conv, **since})
            assert ack["message"]["id"] in [m["id"] for m in seen["messages"]]
            sent.append(ack["message"]["id"])
        return sent

    youth_ids, officer_ids = await asyncio.gather(writer(youth, "ung"), writer(officer, "polis"))
    for sent in (youth_ids, officer_ids):
        assert sent == sorted(sent, key=int)
    # Each side receives the other's messages in the order they were sent.
    await youth.wait_for("chat:message", lambda m: m["id"] == officer_ids[-1])
    got = [m["id"] for m in youth.events["chat:message"] if m["id"] in set(officer_ids)]
    assert got == officer_ids
    await officer.wait_for("chat:message", lambda m: m["id"] == youth_ids[-1])
    got = [m["id"] for m in officer.events["chat:message"] if m["id"] in set(youth_ids)]
    assert got == youth_ids


async def test_concurrent_room_posts_with_retries_store_one_row_each(server: Running) -> None:
    """room:send from several young people and an officer at once, with retries: one row per client_id."""
    _, officer = await server.on_duty("umea")
    youths = [await server.youth() for _ in range(3)]
    posts = [(c, cid()) for c in [officer, *youths] for _ in range(4)]
    acks = await asyncio.gather(
        *(c.ok("room:send", {"room": "umea", "client_id": k, "body": "hej rummet"}) for c, k in posts for _ in range(2))
    )
    ids: dict[str, set[str]] = {}
    for ack in acks:
        ids.setdefault(ack["message"]["client_id"], set()).add(ack["message"]["id"])
    assert len(ids) == len(posts) and all(len(v) == 1 for v in ids.values())
    synced = await officer.ok("room:sync", {"room": "umea"})
    assert sorted(m["client_id"] for m in synced["messages"]) == sorted(k for _, k in posts)


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_connections_killed_under_the_server_lose_nothing(server: Running) -> None:
    """PostgreSQL drops every connection of the server: at most one send answers `unavailable`, and a
    retry with the same client_id stores the message exactly once."""
    youth, officer, conv = await _active_chat(server)
    await youth.ok("chat:send", {"conversation_id": conv, "client_id": cid(), "body": "före"})
    admin = create_async_engine(server.settings.database_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        killed = await conn.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    await admin.dispose()
    assert killed >= 1
    unavailable = 0
    for i in range(5):
        client_id = cid()
        for _ in range(3):
            reply = await youth.call(
                "chat:send", {"conversation_id": conv, "client_id": client_id, "body": f"efter {i}"}
            )
            if reply["ok"]:
                break
            assert reply["error"]["code"] == "unavailable", reply
            unavailable += 1
        assert reply["ok"], reply
    assert unavailable <= 1
    history = await officer.ok("chat:sync", {"conversation_id": conv})
    assert [m["body"] for m in history["messages"]] == ["före"] + [f"efter {i}" for i in range(5)]


class TestSlowModeAndRetries:
    @pytest.fixture
    def clock(self) -> FakeClock:
        return FakeClock(dt.datetime(2026, 11, 20, 20, 0, tzinfo=dt.UTC))

    async def test_retry_of_a_stored_post_is_not_slowed_and_a_refused_post_is_not_stored(self, server: Running) -> None:
        """Under slow mode a retry returns the stored post, while a new post is refused and leaves no row."""
        _, officer = await server.on_duty("umea")
        youth = await server.youth()
        await officer.ok("moderation:slowmode", {"room": "umea", "seconds": 30})
        first = cid()
        stored = await youth.ok("room:send", {"room": "umea", "client_id": first, "body": "ett"})
        retried = await youth.ok("room:send", {"room": "umea", "client_id": first, "body": "ett"})
        assert retried["message"] == stored["message"]
        refused_cid = cid()
        slowed = await youth.call("room:send", {"room": "umea", "client_id": refused_cid, "body": "två"})
        assert slowed["error"]["code"] == "rate_limited"
        synced = await officer.ok("room:sync", {"room": "umea"})
        assert [m["client_id"] for m in synced["messages"]] == [first]
