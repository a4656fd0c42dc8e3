"""Persisted private messages through the service layer (no socket.io): how many messages a
second one process stores, and how long each waits for its commit, with and without group
commit, on SQLite and PostgreSQL. Not part of the test run.

    .venv/bin/python -m bench.persist_bench [--pg] [--writers 50] [--seconds 10]

Each of `writers` young people has an open chat and sends one message after another, each
awaiting its acknowledgement (closed loop), the way `chat:send` does minus the socket: the
screening, the access read, the row lock, the INSERT and the commit. "one transaction each"
replaces the group committer by one that never batches (a transaction per message, as before
group commit).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import secrets
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import servers
from server.clock import SystemClock
from server.config import Settings, normalise_database_url
from server.events import ChatOpen, ChatSend
from server.services import conversations, neighbourhoods
from server.services.actors import PendingYouth, YouthActor
from server.services.deps import Deps
from server.services.emitter import NullEmitter
from server.storage import migrate
from server.storage.db import Database
from server.storage.group_commit import GroupCommit


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else float("nan")


async def chats(deps: Deps, n: int) -> list[tuple[YouthActor, str]]:
    await neighbourhoods.add(deps, slug="ostersund", name="Östersund", police_area="Östersund", region="Mitt")
    out = []
    for _ in range(n):
        pending = PendingYouth(
            token_hash=secrets.token_hex(32), nickname="Bench", lang="sv", created_at=deps.clock.now()
        )
        actor = YouthActor(youth_id=secrets.token_hex(12), pending=pending)
        opened = await conversations.open_chat(deps, actor, ChatOpen(room="ostersund"))
        out.append((actor, opened["conversation"]["id"]))
    return out


async def load(deps: Deps, pairs: list[tuple[YouthActor, str]], seconds: float) -> dict[str, Any]:
    waits: list[float] = []
    stop = time.perf_counter() + seconds
    cpu0 = time.process_time()

    async def writer(actor: YouthActor, conv: str) -> None:
        n = 0
        while time.perf_counter() < stop:
            n += 1
            p = ChatSend(conversation_id=conv, client_id=secrets.token_hex(8), body=f"Hej, det här är meddelande {n}")
            started = time.perf_counter()
            await conversations.send(deps, actor, p)
            waits.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(writer(a, c) for a, c in pairs))
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu0
    group = deps.db.group
    return {
        "msgs_per_s": round(len(waits) / wall),
        "ack_p50_ms": round(statistics.median(waits) * 1000, 1),
        "ack_p99_ms": round(pct(waits, 99) * 1000, 1),
        "cpu_us_per_msg": round(cpu / len(waits) * 1e6),
        "jobs_per_commit": round(group.jobs / group.batches, 1) if group.batches else None,
    }


async def one(url: str, *, grouped: bool, writers: int, seconds: float) -> dict[str, Any]:
    migrate.upgrade(url)
    db = Database(url)
    if not grouped:
        db.group = GroupCommit(db.transaction, committers=1_000_000, max_jobs=1)
    deps = Deps(
        settings=Settings(secret_key="b" * 40, database_url=url), db=db, clock=SystemClock(), emitter=NullEmitter()
    )
    try:
        pairs = await chats(deps, writers)
        await load(deps, pairs, 1.0)  # warm up
        db.group.batches = db.group.jobs = 0
        return await load(deps, pairs, seconds)
    finally:
        await db.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", action="store_true", help="a new PostgreSQL database (default: a new SQLite file)")
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--out")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {1})  # the load and the server share one core; PostgreSQL gets the other
    results: dict[str, Any] = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "writers": args.writers}
    for grouped in (False, True):
        name = "group commit" if grouped else "one transaction each"
        with tempfile.TemporaryDirectory() as tmp:
            created = await servers.pg_create() if args.pg else None
            if args.pg and created is None:
                raise SystemExit("PostgreSQL does not answer")
            url = normalise_database_url(created) if created else f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
            try:
                results[name] = await one(url, grouped=grouped, writers=args.writers, seconds=args.seconds)
            finally:
                if created:
                    await servers.pg_drop(created)
        print(name, json.dumps(results[name]), flush=True)
    if args.out:
        await asyncio.to_thread(Path(args.out).write_text, json.dumps(results, indent=1))


if __name__ == "__main__":
    asyncio.run(main())
