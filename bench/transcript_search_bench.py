"""Transcript search on 100,000 conversations: seed a SQLite (or PostgreSQL) database, then time
the supervisor's searches through the service layer. Not part of the test run.

    .venv/bin/python bench/transcript_search_bench.py [--url postgresql://…] [--n 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import secrets
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from server.clock import SystemClock
from server.config import Settings, normalise_database_url
from server.services import accounts, neighbourhoods, transcripts
from server.services.deps import Deps
from server.services.emitter import NullEmitter
from server.storage import migrate
from server.storage.db import Database
from server.storage.models import Conversation, Handoff, Message, Report, Youth

ROOMS = [("ostersund", "Östersund", "Mitt"), ("are", "Åre", "Mitt"), ("umea", "Umeå", "Nord")]


async def seed(deps: Deps, n: int) -> tuple[int, str]:
    ids = {}
    for slug, name, region in ROOMS:
        ids[slug] = (await neighbourhoods.add(deps, slug=slug, name=name, police_area=name, region=region)).id
    officer, _ = await accounts.create_user(deps, username="bench.officer", role="officer", region="Mitt")
    supervisor, _ = await accounts.create_user(deps, username="bench.sup", role="supervisor", region="Mitt")
    rng = random.Random(7)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    engine = deps.db.engine
    batch = 5000
    for offset in range(0, n, batch):
        youths, convs, msgs, reports, handoffs = [], [], [], [], []
        for i in range(offset, min(n, offset + batch)):
            yid, cid = f"y{i:08d}", f"c{i:031d}"
            at = start + dt.timedelta(minutes=5 * i)
            youths.append(
                {
                    "id": yid,
                    "token_hash": secrets.token_hex(32),
                    "nickname": "x",
                    "lang": "sv",
                    "created_at": at,
                    "last_seen_at": at,
                }
            )
            convs.append(
                {
                    "id": cid,
                    "neighbourhood_id": ids[rng.choice(ROOMS)[0]],
                    "youth_id": yid,
                    "status": "closed",
                    "officer_id": officer.id,
                    "created_at": at,
                    "closed_at": at + dt.timedelta(minutes=20),
                    "legal_hold": False,
                }
            )
            for k in range(3):
                msgs.append(
                    {
                        "conversation_id": cid,
                        "sender_key": f"y:{yid}",
                        "client_id": f"{k}",
                        "author_kind": "youth",
                        "youth_id": yid,
                        "author_name": "x",
                        "body": "hej",
                        "created_at": at,
                        "flags": json.dumps(["pii.phone"] if k == 0 and i % 10 == 0 else []),
                    }
                )
            if i % 4 == 0:
                reports.append(
                    {
                        "id": f"r{i:031d}",
                        "neighbourhood_id": convs[-1]["neighbourhood_id"],
                        "youth_id": yid,
                        "client_id": "r",
                        "category": rng.choice(["party", "violence", "other"]),
                        "happening_now": True,
                        "location": "",
                        "body": "x",
                        "priority": rng.randint(1, 4),
                        "reasons": "[]",
                        "status": "closed",
                        "created_at": at,
                        "conversation_id": cid,
                    }
                )
            if i % 7 == 0:
                handoffs.append(
                    {
                        "id": f"h{i:031d}",
                        "conversation_id": cid,
                        "officer_id": officer.id,
                        "kind": rng.choice(["112", "11414", "bris"]),
                        "created_at": at,
                    }
                )
        async with engine.begin() as conn:
            await conn.execute(insert(Youth), youths)
            await conn.execute(insert(Conversation), convs)
            await conn.execute(insert(Message), msgs)
            if reports:
                await conn.execute(insert(Report), reports)
            if handoffs:
                await conn.execute(insert(Handoff), handoffs)
    return supervisor.id, "ok"


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url")
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    url = normalise_database_url(args.url) if args.url else f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
    migrate.upgrade(url)
    db = Database(url)
    deps = Deps(
        settings=Settings(secret_key="b" * 40, database_url=url), db=db, clock=SystemClock(), emitter=NullEmitter()
    )
    t0 = time.perf_counter()
    await seed(deps, args.n)
    print(f"seeded {args.n} conversations in {time.perf_counter() - t0:.1f} s ({db.engine.dialect.name})")
    async with db.transaction() as tx:
        sup = await tx.staff.by_username("bench.sup")
    assert sup is not None
    queries = {
        "newest page": {},
        "room": {"room": "are"},
        "category": {"category": "violence"},
        "priority P1": {"priority": "P1"},
        "handoff 112": {"handoff": "112"},
        "flag pii.phone": {"flag": "pii.phone"},
        "date range": {"from": "2026-03-01", "to": "2026-03-31"},
        "not reviewed": {"reviewed": "false"},
    }
    for name, q in queries.items():
        times = []
        for _ in range(5):
            t = time.perf_counter()
            result = await transcripts.search(deps, sup, q)
            times.append((time.perf_counter() - t) * 1000)
        print(f"{name:<16} median {statistics.median(times):7.1f} ms  ({len(result['conversations'])} rows)")
    await db.close()


if __name__ == "__main__":
    asyncio.run(main())
