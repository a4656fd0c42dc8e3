"""Group commit: jobs queued together share one transaction; each still answers as if alone."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, ClassVar, cast

import pytest
from sqlalchemy import text

from server.errors import Closed, Unavailable
from server.storage.db import Database
from server.storage.group_commit import GroupCommit
from server.storage.messages_repo import MessageRepo
from server.storage.tx import Tx
from tests.clients import Client, cid
from tests.conftest import Running


class FakeStore:
    """A transaction factory whose transactions keep their writes only when they commit."""

    def __init__(self) -> None:
        self.committed: list[str] = []
        self.transactions: list[list[str]] = []  # the writes of every transaction, committed or not
        self.fail_commit = False
        self.commit_delay = 0.0
        self.gate: asyncio.Future[None] | None = None  # when set, commits wait for it

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        writes: list[str] = []
        self.transactions.append(writes)
        yield cast(Tx, writes)
        await asyncio.sleep(self.commit_delay)
        if self.gate is not None:
            await self.gate
        if self.fail_commit:
            raise Unavailable("storage is unavailable")
        self.committed += writes


def writer(name: str, *, fail: bool = False) -> Any:
    async def job(tx: Tx) -> str:
        writes = cast(list[str], tx)
        writes.append(name)
        await asyncio.sleep(0)
        if fail:
            raise Closed(f"{name} refused")
        return f"{name} stored"

    return job


async def committing(first_lock: str) -> tuple[FakeStore, GroupCommit, asyncio.Future[str]]:
    """One committer whose first job ("first", under `first_lock`) is committing, so that the
    jobs queued next wait for it and go in the next batch together."""
    store = FakeStore()
    store.commit_delay = 0.01
    group = GroupCommit(store.transaction, committers=1)
    first = asyncio.ensure_future(group.run(writer("first"), lock=first_lock))
    await asyncio.sleep(0.001)
    return store, group, first


async def test_a_lone_job_starts_at_once_in_its_own_transaction() -> None:
    store = FakeStore()
    store.commit_delay = 0.01
    group = GroupCommit(store.transaction, committers=1)
    assert await group.run(writer("a"), lock="c1") == "a stored"
    assert store.committed == ["a"]  # answered only once committed
    assert (group.batches, group.jobs) == (1, 1)


async def test_jobs_queued_while_a_batch_commits_share_the_next_transaction() -> None:
    store, group, first = await committing("c")
    results = await asyncio.gather(first, *(group.run(writer(f"m{i}"), lock=f"c{i}") for i in range(29)))
    assert results == ["first stored"] + [f"m{i} stored" for i in range(29)]
    assert sorted(store.committed) == sorted(["first"] + [f"m{i}" for i in range(29)])
    # The first job started alone; the other 29 queued behind it and went in one transaction.
    assert group.batches == 2
    assert [len(t) for t in store.transactions] == [1, 29]


async def test_a_job_queued_as_the_last_committer_stops_is_still_committed() -> None:
    """The committer finds the queue empty and stops; a job queued in that same loop turn,
    before the stopped task's done-callbacks ran, starts a new committer."""
    store = FakeStore()
    loop = asyncio.get_running_loop()
    store.gate = loop.create_future()
    group = GroupCommit(store.transaction, committers=1)
    first = asyncio.ensure_future(group.run(writer("first"), lock="c"))
    go: asyncio.Future[None] = loop.create_future()

    async def later() -> str:
        await go
        return await group.run(writer("second"), lock="c")

    second = asyncio.ensure_future(later())
    await asyncio.sleep(0.01)  # "first" is committing, "later" waits for go
    store.gate.set_result(None)  # the committer resumes in the next turn, finishes, stops...
    go.set_result(None)  # ...and "later" queues its job right after, in the same turn
    assert await asyncio.wait_for(second, 2) == "second stored"
    assert await first == "first stored"
    assert store.committed == ["first", "second"]


async def test_a_batch_is_at_most_max_jobs() -> None:
    store = FakeStore()
    store.commit_delay = 0.01
    group = GroupCommit(store.transaction, committers=1, max_jobs=10)
    await asyncio.gather(*(group.run(writer(f"m{i}"), lock="c") for i in range(31)))
    assert max(len(t) for t in store.transactions) == 10
    assert len(store.committed) == 31


async def test_a_batch_runs_in_lock_order_keeping_each_locks_queue_order() -> None:
    store, group, first = await committing("z")
    queued = [("y", "y1"), ("x", "x1"), ("y", "y2"), ("x", "x2"), ("w", "w1")]
    await asyncio.gather(first, *(group.run(writer(name), lock=lock) for lock, name in queued))
    assert store.transactions[1] == ["w1", "x1", "x2", "y1", "y2"]


async def test_a_failing_job_gets_its_error_and_the_others_commit_without_its_writes() -> None:
    store, group, first = await committing("a")
    jobs = [
        group.run(writer("b1"), lock="b"),
        group.run(writer("c1", fail=True), lock="c"),
        group.run(writer("d1"), lock="d"),
    ]
    results = await asyncio.gather(first, *jobs, return_exceptions=True)
    assert results[0] == "first stored" and results[1] == "b1 stored" and results[3] == "d1 stored"
    assert isinstance(results[2], Closed)
    assert sorted(store.committed) == ["b1", "d1", "first"]
    # The batch ran b1, c1 (which raised; rolled back), then b1 and d1 again.
    assert store.transactions[1:] == [["b1", "c1"], ["b1", "d1"]]


async def test_a_failed_commit_fails_every_job_of_the_batch_and_stores_nothing() -> None:
    store = FakeStore()
    store.fail_commit = True
    group = GroupCommit(store.transaction, committers=1)
    results = await asyncio.gather(*(group.run(writer(f"m{i}"), lock="c") for i in range(5)), return_exceptions=True)
    assert all(isinstance(r, Unavailable) for r in results)
    assert store.committed == []


async def test_a_job_whose_caller_stopped_waiting_is_still_committed() -> None:
    store = FakeStore()
    store.commit_delay = 0.05
    group = GroupCommit(store.transaction, committers=1)
    waiting = asyncio.ensure_future(group.run(writer("gone"), lock="c"))
    await asyncio.sleep(0.01)
    waiting.cancel()
    await group.close()
    assert store.committed == ["gone"]


class Kind:
    """Jobs that may be written together: each call of `together` is recorded."""

    calls: ClassVar[list[list[str]]] = []

    def __init__(self, name: str, *, fail: bool = False) -> None:
        self.name, self.fail = name, fail

    async def __call__(self, tx: Tx) -> str:
        return str(await writer(self.name, fail=self.fail)(tx))

    @staticmethod
    async def together(tx: Tx, jobs: list[Kind]) -> list[str]:
        Kind.calls.append([j.name for j in jobs])
        cast(list[str], tx).extend(j.name for j in jobs)
        if any(j.fail for j in jobs):
            raise Closed("one of them refused")
        return [f"{j.name} stored together" for j in jobs]


async def test_jobs_of_one_kind_are_written_together_in_one_call() -> None:
    Kind.calls = []
    store, group, first = await committing("a")
    queued = [("c", "c1"), ("b", "b1"), ("c", "c2")]
    results = await asyncio.gather(first, *(group.run(Kind(name), lock=lock) for lock, name in queued))
    assert results == ["first stored", "c1 stored together", "b1 stored together", "c2 stored together"]
    assert Kind.calls == [["b1", "c1", "c2"]]  # one call, in lock order
    assert store.transactions[1] == ["b1", "c1", "c2"]


async def test_when_the_call_for_all_fails_each_job_runs_alone_and_only_the_failing_one_fails() -> None:
    Kind.calls = []
    store, group, first = await committing("a")
    jobs = [
        group.run(Kind("b1"), lock="b"),
        group.run(Kind("c1", fail=True), lock="c"),
        group.run(Kind("d1"), lock="d"),
    ]
    results = await asyncio.gather(first, *jobs, return_exceptions=True)
    assert results[1] == "b1 stored" and results[3] == "d1 stored"
    assert isinstance(results[2], Closed)
    assert sorted(store.committed) == ["b1", "d1", "first"]
    assert Kind.calls == [["b1", "c1", "d1"]]  # the failed call; then one at a time
    assert store.transactions[1:] == [["b1", "c1", "d1"], ["b1", "c1"], ["b1", "d1"]]


async def test_a_batch_of_mixed_kinds_runs_its_jobs_one_at_a_time() -> None:
    Kind.calls = []
    store, group, first = await committing("a")
    results = await asyncio.gather(first, group.run(Kind("b1"), lock="b"), group.run(writer("c1"), lock="c"))
    assert results == ["first stored", "b1 stored", "c1 stored"]
    assert Kind.calls == []
    assert store.transactions[1] == ["b1", "c1"]


async def _chats(server: Running, n: int) -> list[tuple[Client, Client, str]]:
    _, officer = await server.on_duty("ostersund")
    chats = []
    for _ in range(n):
        youth = await server.youth()
        conv = (await youth.ok("chat:open", {"room": "ostersund"}))["conversation"]["id"]
        await officer.ok("chat:take", {"conversation_id": conv})
        chats.append((youth, officer, conv))
    return chats


async def test_concurrent_private_messages_share_commits_and_each_is_stored_once(server: Running) -> None:
    """Many young people write at once, each message sent twice: every one is acknowledged with one
    id, stored once, readable at once, and fewer commits than messages were made."""
    chats = await _chats(server, 12)
    group = server.deps.db.group
    before = (group.batches, group.jobs)

    async def send(youth: Client, conv: str, i: int) -> tuple[str, str]:
        payload = {"conversation_id": conv, "client_id": cid(), "body": f"hej {i}"}
        first, again = await asyncio.gather(youth.ok("chat:send", payload), youth.ok("chat:send", payload))
        assert first["message"]["id"] == again["message"]["id"]
        return conv, first["message"]["id"]

    sent = await asyncio.gather(*(send(y, c, i) for i in range(5) for y, _, c in chats))
    officer = chats[0][1]
    for _, _, conv in chats:
        stored = (await officer.ok("chat:sync", {"conversation_id": conv}))["messages"]
        assert sorted(m["id"] for m in stored) == sorted(i for c, i in sent if c == conv)
    batches, jobs = group.batches - before[0], group.jobs - before[1]
    assert jobs == 2 * len(sent)
    assert batches < jobs, (batches, jobs)


async def test_a_message_to_a_closed_chat_is_refused_and_the_rest_are_batched(server: Running) -> None:
    """Sends to a closed chat among many at once get `closed` each, before they reach a batch;
    the others are stored, written in batches (fewer commits than jobs, and exactly one job per
    accepted send). (A job that fails inside a batch is covered where a batch can be made to
    fail: test_when_the_call_for_all_fails_each_job_runs_alone_and_only_the_failing_one_fails.)"""
    chats = await _chats(server, 6)
    closed_youth, _, closed_conv = chats[0]
    await closed_youth.ok("chat:close", {"conversation_id": closed_conv})
    group = server.deps.db.group
    before = (group.batches, group.jobs)
    replies = await asyncio.gather(
        *(
            youth.call("chat:send", {"conversation_id": conv, "client_id": cid(), "body": f"hej {n}"})
            for n in range(4)
            for youth, _, conv in chats
        )
    )
    for reply, (_, _, conv) in zip(replies, [c for _ in range(4) for c in chats], strict=True):
        if conv == closed_conv:
            assert reply["error"]["code"] == "closed", reply
        else:
            assert reply["ok"], reply
    officer = chats[1][1]
    for _, _, conv in chats[1:]:
        assert len((await officer.ok("chat:sync", {"conversation_id": conv}))["messages"]) == 4
    assert (await officer.ok("chat:sync", {"conversation_id": closed_conv}))["messages"] == []
    batches, jobs = group.batches - before[0], group.jobs - before[1]
    assert jobs == sum(1 for r in replies if r["ok"]) and batches < jobs, (batches, jobs)


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_crossed_writes_of_two_workers_do_not_deadlock(server: Running) -> None:
    """Two group committers (as two workers would have) commit batches that touch the same
    conversations in opposite queue orders at once; lock order makes them wait, not deadlock."""
    chats = await _chats(server, 2)
    other = Database(server.settings.database_url)
    try:
        conv_a, conv_b = chats[0][2], chats[1][2]

        def toucher(conv: str) -> Any:
            async def job(tx: Tx) -> None:
                await tx.conversations.touch(conv, server.deps.clock.now())
                await asyncio.sleep(0.05)  # hold the row lock while the other batch starts

            return job

        # One committer each, so each side's two jobs go in one batch.
        mine = GroupCommit(server.deps.db.transaction, committers=1)
        theirs = GroupCommit(other.transaction, committers=1)
        done = await asyncio.wait_for(
            asyncio.gather(
                *(mine.run(toucher(c), lock=c) for c in (conv_a, conv_b)),
                *(theirs.run(toucher(c), lock=c) for c in (conv_b, conv_a)),
            ),
            timeout=5,
        )
        assert done == [None] * 4
    finally:
        await other.close()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_a_transaction_postgresql_aborted_to_break_a_deadlock_answers_unavailable(database_url: str) -> None:
    """The client retries with its client_id, as after an outage: nothing of it was stored."""
    db = Database(database_url)
    try:
        with pytest.raises(Unavailable):
            async with db.transaction() as tx:
                await tx._session.execute(text("DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '40P01'; END $$"))
    finally:
        await db.close()


async def test_messages_written_together_are_answered_as_if_written_alone(
    server: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Young people and their officer write at once, with repeats in the same moment and a
    stranger writing into someone else's chat: multi-row writes happen, and each send gets what
    it would get alone — one id per client_id, the stranger `not_found`, authors as they are."""
    sizes: list[int] = []
    insert_many = MessageRepo.insert_many

    async def spy(self: MessageRepo, drafts: Any) -> Any:
        sizes.append(len(drafts))
        return await insert_many(self, drafts)

    monkeypatch.setattr(MessageRepo, "insert_many", spy)
    chats = await _chats(server, 5)
    officer = chats[0][1]
    stranger = await server.youth()
    await stranger.ok("chat:open", {"room": "umea"})
    sends = [(youth, conv, cid()) for youth, _, conv in chats for _ in range(3)]
    sends += [(officer, conv, cid()) for _, _, conv in chats for _ in range(2)]
    calls = [
        c.call("chat:send", {"conversation_id": v, "client_id": k, "body": "hi"}) for c, v, k in sends for _ in range(2)
    ]
    intruding = stranger.call("chat:send", {"conversation_id": chats[0][2], "client_id": cid(), "body": "hej"})
    *replies, intruded = await asyncio.gather(*calls, intruding)
    assert intruded["error"]["code"] == "not_found", intruded
    assert all(r["ok"] for r in replies), [r for r in replies if not r["ok"]]
    ids: dict[str, set[str]] = {}
    for (client, _, k), reply in zip([s for s in sends for _ in range(2)], replies, strict=True):
        ids.setdefault(k, set()).add(reply["message"]["id"])
        assert reply["message"]["author"]["kind"] == ("officer" if client is officer else "youth")
    assert all(len(v) == 1 for v in ids.values()) and len(ids) == len(sends)
    for _, _, conv in chats:
        stored = (await officer.ok("chat:sync", {"conversation_id": conv}))["messages"]
        assert sorted(m["client_id"] for m in stored) == sorted(k for _, v, k in sends if v == conv)
    assert max(sizes) > 1, sizes
