"""Events leave on commit (issue #18): a transaction collects the events it causes
(`tx.on_commit`) and the database publishes them after its commit — never before it, never
when it rolls back; a group commit job's events only for the run that committed."""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from server.errors import Closed
from server.events import Audience, Event
from server.storage.db import Database
from server.storage.group_commit import GroupCommit
from server.storage.tx import Tx
from tests.recording import RecordingEmitter


def _event(name: str) -> Event:
    return Event(name, {}, Audience("/staff", "probe"))


# A table of this test run's own (the PostgreSQL test database is shared by the tests).
PROBE = f"probe_{secrets.token_hex(4)}"


async def _stored(url: str) -> list[str]:
    """What another connection reads in the probe table now."""
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        rows = (await conn.execute(text(f"SELECT name FROM {PROBE} ORDER BY name"))).scalars().all()
    await engine.dispose()
    return list(rows)


async def _probe(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text(f"DROP TABLE IF EXISTS {PROBE}"))
        await conn.execute(text(f"CREATE TABLE {PROBE} (name VARCHAR(20) NOT NULL)"))
    await engine.dispose()


async def _write(tx: Tx, name: str) -> None:
    await tx._session.execute(text(f"INSERT INTO {PROBE} (name) VALUES (:name)"), {"name": name})


async def test_events_are_published_after_the_commit_and_never_on_rollback(database_url: str) -> None:
    await _probe(database_url)
    recorder = RecordingEmitter(seen=lambda: _stored(database_url))
    db = Database(database_url, publish=recorder.emit)
    try:
        async with db.transaction() as tx:
            await _write(tx, "kept")
            tx.on_commit([_event("first"), _event("second")])
            assert recorder.calls == []  # nothing before the commit
        with pytest.raises(RuntimeError):
            await _refused_after_collecting(db)
        async with db.transaction() as tx:  # a later commit: the barrier for the absence above
            tx.on_commit([_event("later")])
        async with db.transaction():
            pass  # no events: no call
    finally:
        await db.close()
    assert recorder.names() == [["first", "second"], ["later"]]
    # When the events went out, their transaction's write could be read from elsewhere.
    assert recorder.observed == [["kept"], ["kept"]]


async def _refused_after_collecting(db: Database) -> None:
    async with db.transaction() as tx:
        await _write(tx, "lost")
        tx.on_commit([_event("rolled-back")])
        raise RuntimeError("refused after the events were collected")


async def test_group_commit_publishes_a_jobs_events_only_for_the_run_that_committed(database_url: str) -> None:
    """Three jobs share a batch; the second refuses, the batch rolls back, the other two run again
    and commit: each of their events goes out once, the refused job's never."""
    await _probe(database_url)
    recorder = RecordingEmitter()
    db = Database(database_url, publish=recorder.emit)
    group = GroupCommit(db.transaction, committers=1)
    gate = asyncio.Event()
    runs: list[str] = []

    def job(name: str, *, refuse: bool = False, wait: bool = False):  # type: ignore[no-untyped-def]
        async def run(tx: Tx) -> str:
            runs.append(name)
            await _write(tx, name)
            tx.on_commit([_event(name)])
            if wait:
                await gate.wait()
            if refuse:
                raise Closed(f"{name} refused")
            return name

        return run

    try:
        holding = asyncio.ensure_future(group.run(job("holder", wait=True), lock="a"))
        while runs != ["holder"]:
            await asyncio.sleep(0.01)
        queued = [
            asyncio.ensure_future(group.run(job("j1"), lock="b")),
            asyncio.ensure_future(group.run(job("j2", refuse=True), lock="c")),
            asyncio.ensure_future(group.run(job("j3"), lock="d")),
        ]
        await asyncio.sleep(0.05)  # all three queued behind the holder's batch
        gate.set()
        assert await holding == "holder"
        results = await asyncio.gather(*queued, return_exceptions=True)
        await group.close()
        stored = await _stored(database_url)
    finally:
        await db.close()
    assert results[0] == "j1" and isinstance(results[1], Closed) and results[2] == "j3"
    assert runs == ["holder", "j1", "j2", "j1", "j3"]  # j1 ran twice: its first run was rolled back
    assert stored == ["holder", "j1", "j3"]
    assert recorder.names() == [["holder"], ["j1", "j3"]]


def test_services_emit_only_through_their_transactions() -> None:
    """No service hands events to the emitter by hand: they go with a transaction's commit."""
    services = Path(__file__).resolve().parent.parent / "server" / "services"
    by_hand = [
        f"{path.name}:{n}"
        for path in sorted(services.glob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "emitter.emit(" in line
    ]
    assert by_hand == []
    on_commit = sum(p.read_text(encoding="utf-8").count("tx.on_commit(") for p in services.glob("*.py"))
    assert on_commit >= 30, "the scan no longer finds how services emit"
