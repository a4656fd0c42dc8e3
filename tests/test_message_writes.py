"""The message write path under load: one row per client_id, acks only for durable rows, order."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from server.clock import FakeClock
from server.storage.messages_repo import MessageRepo
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


@pytest.mark.parametrize("backend", ["postgresql"])
@pytest.mark.parametrize("stream", ["room", "chat"])
async def test_a_sync_never_skips_a_message_that_commits_late(
    server: Running, monkeypatch: pytest.MonkeyPatch, stream: str
) -> None:
    """One message is held between its INSERT and its commit while another is written to the same
    room or chat: the later one waits for the earlier one, so a sync run in that instant cannot
    move a reader's cursor past a message that commits after it (PostgreSQL: SQLite has one
    writer at a time)."""
    if stream == "room":
        _, officer = await server.on_duty("umea")
        early_writer, late_writer = await server.youth(), await server.youth()
        where: dict[str, Any] = {"room": "umea"}
        reader, sync = officer, "room:sync"
    else:
        early_writer, late_writer, conv = await _active_chat(server)
        where = {"conversation_id": conv}
        reader, sync = await server.youth(token=early_writer.session["token"]), "chat:sync"
    start = await late_writer.ok(f"{stream}:send", {**where, "client_id": cid(), "body": "välkomna"})
    cursor = start["message"]["id"]

    insert_many = MessageRepo.insert_many
    inserted, release = asyncio.Event(), asyncio.Event()

    async def held(repo: MessageRepo, drafts: Any) -> Any:
        stored = await insert_many(repo, drafts)
        if any(m.body == "först" for _, m in drafts) and not release.is_set():
            inserted.set()  # the first message's row is inserted, its transaction still open
            await release.wait()
        return stored

    monkeypatch.setattr(MessageRepo, "insert_many", held)
    early = asyncio.create_task(early_writer.ok(f"{stream}:send", {**where, "client_id": cid(), "body": "först"}))
    await asyncio.wait_for(inserted.wait(), 5)
    late = asyncio.create_task(late_writer.ok(f"{stream}:send", {**where, "client_id": cid(), "body": "sedan"}))
    # The later message either commits (what a room did before) or waits for the earlier one's lock.
    await _acked_or_waiting(server, late)

    # A reader syncs now and moves its cursor to the newest message it was given, as clients do.
    seen = (await reader.ok(sync, {**where, "after": cursor}))["messages"]
    cursor = seen[-1]["id"] if seen else cursor
    release.set()
    sent = [(await early)["message"]["id"], (await late)["message"]["id"]]
    assert sent == sorted(sent), "the message that began first has the lower id"
    seen += (await reader.ok(sync, {**where, "after": cursor}))["messages"]
    assert [m["id"] for m in seen] == sent, "a sync skipped a message that committed after a later one"


async def _acked_or_waiting(server: Running, task: asyncio.Task[Any]) -> None:
    """Until the task is done or another backend of this database waits for a row lock."""
    engine = create_async_engine(server.settings.database_url)
    try:
        for _ in range(100):
            if task.done():
                return
            async with engine.connect() as conn:
                waiting = await conn.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        " AND wait_event_type = 'Lock'"
                    )
                )
            if waiting:
                return
            await asyncio.sleep(0.05)
        raise AssertionError("the later message neither finished nor waited for a lock")
    finally:
        await engine.dispose()
