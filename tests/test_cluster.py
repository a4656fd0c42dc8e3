"""Several worker processes behind a real nginx on PostgreSQL and Redis, and what survives
faults: a killed worker, a drained worker, a restarted Redis, a stopped PostgreSQL, a reconnect
storm of 1,000 clients; and deploy/local-cluster itself."""

from __future__ import annotations

import asyncio
import itertools
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import asyncpg
import pytest
import socketio

from server.storage import migrate
from tests import services
from tests.cluster import (
    LOCAL_CLUSTER,
    ChatSide,
    Cluster,
    PrivatePostgres,
    PrivateRedis,
    RoomView,
    admin_sql,
    asyncpg_url,
    check_chat,
    cli_env,
    cluster_settings,
    http_status,
    metric,
    need_nginx,
    need_postgres_bin,
    need_redis_server,
    officers,
    seed_neighbourhoods,
    start_cluster,
    sync_all,
    until,
)
from tests.conftest import RUN_ID, free_port

pytestmark = pytest.mark.multiprocess

_databases = itertools.count()


@pytest.fixture(scope="session")
def cluster_template() -> Iterator[str]:
    """A migrated PostgreSQL database that each test's database is copied from."""
    services.need_postgres()
    name = f"kvarter_cluster_tpl_{RUN_ID}"

    def sql(statement: str) -> None:
        # A thread of its own: this may be set up while another test's event loop is current.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, admin_sql(services.PG_ADMIN_URL, statement)).result()

    sql(f'CREATE DATABASE "{name}"')
    migrate.upgrade(asyncpg_url(services.PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"))
    yield name
    sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def pg_url(cluster_template: str) -> AsyncIterator[str]:
    """This test's own database on the shared PostgreSQL."""
    name = f"kvarter_cluster_{RUN_ID}_{next(_databases)}"
    await admin_sql(services.PG_ADMIN_URL, f'CREATE DATABASE "{name}" TEMPLATE "{cluster_template}"')
    yield asyncpg_url(services.PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    await admin_sql(services.PG_ADMIN_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def prefix() -> str:
    """This test's own Redis key and channel prefix."""
    return f"kvarter-cluster-{RUN_ID}-{secrets.token_hex(3)}:"


@pytest.fixture
def n_workers() -> int:
    return 2


@pytest.fixture
async def cluster(pg_url: str, prefix: str, tmp_path: Path, n_workers: int) -> AsyncIterator[Cluster]:
    """Workers on the shared PostgreSQL (own database) and Redis (own prefix), behind nginx."""
    nginx = need_nginx()
    services.need_redis()
    settings = cluster_settings(pg_url, services.REDIS_URL, prefix, tmp_path)
    running = await start_cluster(settings, tmp_path, n=n_workers, nginx_binary=nginx)
    yield running
    await running.close()


async def open_chat(cluster: Cluster, youth_address: str, officer_address: str) -> tuple[ChatSide, ChatSide]:
    """A young person and an officer in a taken private chat, each with a ChatSide."""
    (username, password), *_ = await officers(cluster.settings, 1)
    officer = await cluster.staff(officer_address, username, password, ack_timeout=5)
    await officer.ok("duty:start", {"rooms": ["umea"]})
    youth = await cluster.youth(youth_address, ack_timeout=5)
    opened = await youth.ok("chat:open", {"room": "umea", "client_id": "first", "body": "hej"})
    conv = opened["conversation"]["id"]
    await officer.wait_for("inbox:updated", lambda d: d["conversation"]["id"] == conv)
    await officer.ok("chat:take", {"conversation_id": conv})
    await youth.wait_for("chat:updated", lambda c: c["status"] == "active")
    return ChatSide(youth, conv, "y"), ChatSide(officer, conv, "o")


async def test_youth_and_officer_on_different_workers_talk_through_nginx(cluster: Cluster) -> None:
    """A youth on one worker and an officer on another, both through nginx: room and private chat both ways."""
    placed = await cluster.place(1)
    (username, password), *_ = await officers(cluster.settings, 1)
    officer = await cluster.staff(placed[1][0], username, password)
    await officer.ok("duty:start", {"rooms": ["umea"]})
    await officer.ok("room:join", {"room": "umea"})
    youth = await cluster.youth(placed[0][0])
    assert await metric(cluster.workers[0].url, 'kvarter_connections{namespace="/youth"}') == 1
    assert await metric(cluster.workers[1].url, 'kvarter_connections{namespace="/staff"}') == 1
    joined = await youth.ok("room:join", {"room": "umea"})
    assert joined["availability"]["officers_on_duty"] == 1

    said = await youth.ok("room:send", {"room": "umea", "client_id": "r1", "body": "hej från A"})
    await officer.wait_for("room:message", lambda m: m["id"] == said["message"]["id"])
    reply = await officer.ok("room:send", {"room": "umea", "client_id": "r2", "body": "hej från B"})
    await youth.wait_for("room:message", lambda m: m["id"] == reply["message"]["id"])

    opened = await youth.ok("chat:open", {"room": "umea", "client_id": "c1", "body": "privat"})
    conv = opened["conversation"]["id"]
    await officer.wait_for("inbox:updated", lambda d: d["conversation"]["id"] == conv)
    await officer.ok("chat:take", {"conversation_id": conv})
    await youth.wait_for("chat:updated", lambda c: c["status"] == "active")
    out = await officer.ok("chat:send", {"conversation_id": conv, "client_id": "c2", "body": "svar"})
    await youth.wait_for("chat:message", lambda m: m["id"] == out["message"]["id"])
    back = await youth.ok("chat:send", {"conversation_id": conv, "client_id": "c3", "body": "tack"})
    await officer.wait_for("chat:message", lambda m: m["id"] == back["message"]["id"])

    await officer.ok("duty:end", {})
    closed = await youth.wait_for("availability", lambda d: d["officers_on_duty"] == 0)
    assert closed["open"] is False


@pytest.mark.parametrize("n_workers", [3])
async def test_twenty_officers_on_three_workers_claim_one_report(cluster: Cluster) -> None:
    """A report claimed by 20 officers spread over three workers at the same moment has one winner."""
    accounts = await officers(cluster.settings, 20)
    placed = await cluster.place(7)
    addresses = [placed[i % 3][i // 3] for i in range(20)]
    staff = await asyncio.gather(*(cluster.staff(a, u, p) for a, (u, p) in zip(addresses, accounts, strict=True)))
    await asyncio.gather(*(o.ok("duty:start", {"rooms": ["umea"]}) for o in staff))
    for worker in cluster.workers:
        assert await metric(worker.url, 'kvarter_connections{namespace="/staff"}') >= 6
    youth = await cluster.youth(placed[0][0])
    sent = await youth.ok(
        "report:submit",
        {"room": "umea", "client_id": "rep", "category": "violence", "happening_now": True, "body": "hjälp"},
    )
    rid = sent["report"]["id"]
    await asyncio.gather(*(o.wait_for("triage:new", lambda r: r["id"] == rid) for o in staff))
    results = await asyncio.gather(*(o.call("triage:claim", {"report_id": rid}) for o in staff))
    assert sum(r["ok"] for r in results) == 1
    assert sorted(r["error"]["code"] for r in results if not r["ok"]) == ["conflict"] * 19
    claimed = await youth.wait_for("report:updated", lambda r: r["status"] == "claimed")
    assert claimed["id"] == rid


async def test_sigkill_a_worker_mid_conversation_loses_nothing(cluster: Cluster) -> None:
    """SIGKILL the youth's worker while both sides write: the youth reconnects through nginx to the
    other worker, resyncs, and every acknowledged message is stored once and seen by both."""
    placed = await cluster.place(1)
    youth, officer = await open_chat(cluster, placed[0][0], placed[1][0])
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60
    talking = [
        asyncio.create_task(youth.talk(range(80), deadline)),
        asyncio.create_task(officer.talk(range(80), deadline)),
    ]
    await until(lambda: len(youth.acked) >= 20, 20, "the youth has 20 messages acknowledged")
    cluster.workers[0].kill()
    await asyncio.gather(*talking)

    assert youth.peer.disconnects, "the youth's connection did not drop with its worker"
    assert youth.peer.resyncs >= 1, "the youth did not resync after reconnecting"
    assert youth.peer.readies[-1] - youth.peer.disconnects[0][0] < 10, "the youth took long to come back"
    assert await metric(cluster.workers[1].url, 'kvarter_connections{namespace="/youth"}') == 1
    # Both resync once more, as a client does when it comes back to the foreground.
    await youth.resync(youth.peer)
    await officer.resync(officer.peer)
    stored = await sync_all(officer.peer, "chat:sync", {"conversation_id": youth.conversation_id}, None)
    check_chat([youth, officer], stored)
    assert len(youth.acked) == len(officer.acked) == 80


async def test_sigterm_drains_a_worker_to_the_others(cluster: Cluster) -> None:
    """SIGTERM (a rolling restart) the youth's worker mid-conversation: it closes its websockets and
    exits, nginx sends the reconnect to the other worker, and nothing acknowledged is lost."""
    placed = await cluster.place(1)
    youth, officer = await open_chat(cluster, placed[0][0], placed[1][0])
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60
    talking = [
        asyncio.create_task(youth.talk(range(60), deadline)),
        asyncio.create_task(officer.talk(range(60), deadline)),
    ]
    await until(lambda: len(youth.acked) >= 15, 20, "the youth has 15 messages acknowledged")
    drained = cluster.workers[0].proc
    assert drained is not None
    drained.terminate()
    stopped = await until(lambda: drained.poll() is not None, 15, "the worker exits after SIGTERM")
    await asyncio.gather(*talking)

    assert stopped < 10
    assert [reason for _, reason in youth.peer.disconnects] == ["server disconnect"]
    assert youth.peer.readies[-1] - youth.peer.disconnects[0][0] < 10, "the youth took long to come back"
    assert await metric(cluster.workers[1].url, 'kvarter_connections{namespace="/youth"}') == 1
    await youth.resync(youth.peer)
    await officer.resync(officer.peer)
    stored = await sync_all(officer.peer, "chat:sync", {"conversation_id": youth.conversation_id}, None)
    check_chat([youth, officer], stored)
    assert len(youth.acked) == len(officer.acked) == 60


async def test_redis_restart_mid_conversation(pg_url: str, prefix: str, tmp_path: Path) -> None:
    """Restart (SIGKILL, start) a private Redis while both sides write: sends keep being acknowledged,
    live delivery between the workers resumes by itself, and each worker tells its clients
    `sync:needed`, whose resync fills the gap — no client reconnects."""
    nginx = need_nginx()
    redis = PrivateRedis(need_redis_server(), tmp_path)
    await redis.start()
    cluster = await start_cluster(cluster_settings(pg_url, redis.url, prefix, tmp_path), tmp_path, nginx_binary=nginx)
    try:
        placed = await cluster.place(1)
        youth, officer = await open_chat(cluster, placed[0][0], placed[1][0])
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        await youth.talk(range(10), deadline)
        await officer.talk(range(10), deadline)

        redis.kill()
        await until(lambda: readyz_all(cluster, 503), 10, "every worker and nginx say 503 on /readyz")
        outage = [
            asyncio.create_task(youth.talk(range(10, 20), deadline)),
            asyncio.create_task(officer.talk(range(10, 20), deadline)),
        ]
        await asyncio.sleep(2)
        await redis.start()
        await asyncio.gather(*outage)
        await until(lambda: readyz_all(cluster, 200), 15, "every worker ready again after Redis came back")

        # Live delivery comes back without any reconnect: keep talking until a fresh message
        # from each side arrives at the other as an event.
        async def delivered(n: int) -> bool:
            y = await youth.send(n, deadline)
            o = await officer.send(n, deadline)
            await asyncio.sleep(0.2)
            got = {m["id"] for m in officer.peer.events["chat:message"]}
            got_y = {m["id"] for m in youth.peer.events["chat:message"]}
            return y is not None and o is not None and y["id"] in got and o["id"] in got_y

        for n in itertools.count(20):
            if await delivered(n):
                break
            assert loop.time() < deadline, "live delivery did not resume after Redis restarted"
        assert not youth.peer.disconnects and not officer.peer.disconnects, "clients were disconnected"

        # What was emitted while Redis was down never arrived live; each worker, once subscribed
        # again, told its clients to resync, and that resync (from the newest message written
        # 2 s before the outage, as the web client does) brought it.
        live = {m["id"] for m in youth.peer.events["chat:message"]}
        assert any(m["id"] not in live for m in officer.acked.values()), "nothing was missed while Redis was down"
        await until(lambda: youth.resyncs >= 1 and officer.resyncs >= 1, 15, "both sides resynced on sync:needed")
        assert len(youth.peer.events["sync:needed"]) == len(officer.peer.events["sync:needed"]) == 1
        assert not youth.peer.disconnects and not officer.peer.disconnects, "clients were disconnected"
        stored = await sync_all(officer.peer, "chat:sync", {"conversation_id": youth.conversation_id}, None)
        check_chat([youth, officer], stored)
    finally:
        await cluster.close()
        redis.kill()


@pytest.mark.timeout(180)
async def test_postgres_outage_refuses_then_stores_once(prefix: str, tmp_path: Path) -> None:
    """Stop a private PostgreSQL for 12 s: sends are refused as `unavailable` (never acknowledged, never
    stored), /readyz says 503 and then 200, and retries with the same client_id store each message once."""
    nginx = need_nginx()
    services.need_redis()
    pg = PrivatePostgres(need_postgres_bin())
    try:
        await pg.init()
        await asyncio.to_thread(migrate.upgrade, pg.url)
        settings = cluster_settings(pg.url, services.REDIS_URL, prefix, tmp_path)
        cluster = await start_cluster(settings, tmp_path, nginx_binary=nginx)
    except BaseException:
        await pg.destroy()
        raise
    try:
        placed = await cluster.place(1)
        youth, officer = await open_chat(cluster, placed[0][0], placed[1][0])
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 90
        await youth.talk(range(5), deadline)
        await officer.talk(range(5), deadline)

        await pg.stop()
        stopped = loop.time()
        await until(lambda: readyz_all(cluster, 503), 10, "every worker and nginx say 503 on /readyz")
        refused_youth: list[int] = []
        refused_officer: list[int] = []
        n = 5
        while loop.time() - stopped < 12:
            assert await youth.send(n, deadline, give_up_on_unavailable=True) is None
            assert await officer.send(n, deadline, give_up_on_unavailable=True) is None
            refused_youth.append(n)
            refused_officer.append(n)
            n += 1
            await asyncio.sleep(1)
        assert youth.peer.is_online and officer.peer.is_online, "the outage dropped socket connections"

        await pg.start()
        await until(lambda: readyz_all(cluster, 200), 20, "every worker and nginx say 200 on /readyz again")
        conn = await asyncpg.connect(pg.url.replace("+asyncpg", ""))
        try:
            refused = [f"y{i}" for i in refused_youth] + [f"o{i}" for i in refused_officer]
            rows = await conn.fetch("SELECT client_id FROM messages WHERE client_id = ANY($1::text[])", refused)
        finally:
            await conn.close()
        assert rows == [], "a refused message was stored"

        for i in refused_youth:
            first = await youth.send(i, deadline)
            again = await youth.send(i, deadline)
            assert first is not None and again is not None and first["id"] == again["id"]
        for i in refused_officer:
            await officer.send(i, deadline)
        await officer.peer.wait_for("chat:message", lambda m: m["client_id"] == f"y{refused_youth[-1]}")
        stored = await sync_all(officer.peer, "chat:sync", {"conversation_id": youth.conversation_id}, None)
        check_chat([youth, officer], stored)
        assert {f"y{i}" for i in refused_youth} <= {m["client_id"] for m in stored}
    finally:
        await cluster.close()
        await pg.destroy()


async def readyz_all(cluster: Cluster, status: int) -> bool:
    urls = [w.url for w in cluster.workers] + [cluster.url]
    return all([await http_status(f"{u}/readyz") == status for u in urls])


async def test_local_cluster_script_serves_and_stops(pg_url: str, prefix: str, tmp_path: Path) -> None:
    """deploy/local-cluster migrates, starts two workers and nginx, serves a chat through nginx, and
    stops all of them (and removes its directory) on SIGTERM."""
    need_nginx()
    services.need_redis()
    settings = cluster_settings(pg_url, services.REDIS_URL, prefix, tmp_path)
    port = free_port()
    env = {**cli_env(settings), "TMPDIR": str(tmp_path), "PYTHON": sys.executable}
    log = tmp_path / "cluster.out"
    with log.open("wb") as out:
        proc = subprocess.Popen(  # noqa: ASYNC220 - the script under test, started once
            [str(LOCAL_CLUSTER), "--workers", "2", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        await until(lambda: "ready at" in log.read_text() or proc.poll() is not None, 60, "the cluster is ready")
        text = log.read_text()
        assert proc.poll() is None, text
        assert f"ready at http://127.0.0.1:{port}" in text
        pids = [int(line.split(" pid ")[1].split()[0]) for line in text.splitlines() if " pid " in line]
        assert len(pids) == 3, text  # two workers and nginx
        workdir = Path(text.split(" config ")[1].split()[0]).parent
        assert workdir.is_dir()

        await seed_neighbourhoods(settings)
        cluster = Cluster(settings, f"http://127.0.0.1:{port}")
        try:
            (username, password), *_ = await officers(settings, 1)
            officer = await cluster.staff("127.0.0.1", username, password)
            await officer.ok("duty:start", {"rooms": ["umea"]})
            youth = await cluster.youth("127.0.0.1")
            opened = await youth.ok("chat:open", {"room": "umea", "client_id": "c1", "body": "hej"})
            conv = opened["conversation"]["id"]
            await officer.wait_for("inbox:updated", lambda d: d["conversation"]["id"] == conv)
        finally:
            await cluster.close()

        proc.send_signal(signal.SIGTERM)
        await until(lambda: proc.poll() is not None, 20, "the script exits after SIGTERM")
        assert not [pid for pid in pids if alive(pid)], "the script left processes running"
        assert not workdir.exists(), "the script left its temporary directory behind"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


# About 30-45 s on two cores; KVARTER_STORM_CLIENTS=5000 on a bigger machine.
STORM_CLIENTS = int(os.environ.get("KVARTER_STORM_CLIENTS", "1000"))


@pytest.mark.timeout(300)
async def test_reconnect_storm_after_a_worker_restart(cluster: Cluster) -> None:
    """1,000 young people in a room, half on each worker; SIGKILL and restart one worker while an
    officer keeps writing: its clients come back through nginx within a bounded time, none before
    python-socketio's backoff, and every client has every message exactly once."""
    loop = asyncio.get_running_loop()
    placed = await cluster.place(8)
    (username, password), *_ = await officers(cluster.settings, 1)
    officer = await cluster.staff(placed[1][0], username, password)
    await officer.ok("duty:start", {"rooms": ["umea"]})
    sessions = {a: cluster.http(a) for w in (0, 1) for a in placed[w]}
    addresses = [placed[i % 2][(i // 2) % 8] for i in range(STORM_CLIENTS)]
    gate = asyncio.Semaphore(40)

    async def arrive(address: str) -> RoomView:
        async with gate:
            peer = await cluster.youth(address, http=sessions[address], ack_timeout=20)
            view = RoomView(peer, "umea")
            await view.join()
            return view

    started = loop.time()
    views = await asyncio.gather(*(arrive(a) for a in addresses))
    connected_s = loop.time() - started
    on_restarted = [v for v, a in zip(views, addresses, strict=True) if cluster.placement[a] == 0]
    for worker, expected in ((0, len(on_restarted)), (1, STORM_CLIENTS - len(on_restarted))):
        assert await metric(cluster.workers[worker].url, 'kvarter_connections{namespace="/youth"}') == expected

    acked: list[dict[str, object]] = []
    ack_seconds: list[float] = []

    async def say(i: int) -> None:
        """Like the console: an ack that does not come in time is sent again with the same client_id."""
        for _ in range(6):
            sent = loop.time()
            try:
                result = await officer.call("room:send", {"room": "umea", "client_id": f"s{i}", "body": f"nr {i}"})
            except socketio.exceptions.TimeoutError:
                continue
            assert result["ok"], result
            ack_seconds.append(loop.time() - sent)
            acked.append(result["message"])
            return
        raise AssertionError(f"s{i} was never acknowledged")

    def everyone_has(n: int) -> bool:
        return all(len(v.seen()) >= n for v in views)

    for i in range(5):
        await say(i)
    await until(lambda: everyone_has(5), 60, "every client has the first 5 messages", interval=0.2)

    cluster.workers[0].kill()
    killed = loop.time()
    restart = asyncio.create_task(cluster.workers[0].start())
    i = 5
    while not all(v.peer.is_online and v.peer.resyncs for v in on_restarted) and loop.time() - killed < 150:
        await say(i)
        i += 1
        await asyncio.sleep(0.25)
    back_s = loop.time() - killed
    assert back_s < 150, f"only {sum(v.peer.is_online for v in on_restarted)} of {len(on_restarted)} came back"
    await restart
    for _ in range(3):
        await say(i)
        i += 1
    await until(lambda: everyone_has(len(acked)), 60, "every client has every message", interval=0.2)

    assert all(len(v.peer.disconnects) == 0 for v in views if v not in on_restarted)
    # python-socketio waits reconnection_delay (1 s) ± randomization_factor (0.5 s) before the first
    # attempt: no client knocks before that backoff. How wide the attempts spread is printed, not
    # asserted: on a loaded machine the test's own loop (a thousand clients) fires the timers late
    # and together, which says nothing about the service.
    first = sorted(v.peer.sio.attempts[1] - v.peer.disconnects[0][0] for v in on_restarted)
    p10, p90 = first[len(first) // 10], first[len(first) * 9 // 10]
    assert first[0] >= 0.45, f"a client retried after {first[0]:.2f} s, before any backoff"
    ready = sorted(v.peer.readies[-1] - killed for v in on_restarted)
    attempts = [len(v.peer.sio.attempts) - 1 for v in on_restarted]

    stored = await sync_all(officer, "room:sync", {"room": "umea"}, None)
    assert len({m["client_id"] for m in stored}) == len(stored) == len(acked)
    want = {m["id"] for m in acked}
    for view in views:
        seen = view.seen()
        assert want <= set(seen), f"a client lacks {sorted(want - set(seen))[:3]}"
        # Young people are not shown others' client_id; every body is unique ("nr i"), so a
        # message seen twice under two ids would show here.
        assert len({m["body"] for m in seen.values()}) == len(seen)
        assert not view.delivered_twice(), f"delivered live twice: {view.delivered_twice()[:3]}"
    print(
        f"\nstorm: {STORM_CLIENTS} clients connected in {connected_s:.1f} s; {len(on_restarted)} reconnected, "
        f"all back and resynced {back_s:.1f} s after the kill (first back {ready[0]:.2f} s, median "
        f"{ready[len(ready) // 2]:.2f} s); first attempt after {first[0]:.2f}-{first[-1]:.2f} s "
        f"(p10 {p10:.2f}, p90 {p90:.2f}); attempts per client max {max(attempts)}; {len(acked)} messages, "
        f"officer's slowest ack {max(ack_seconds):.2f} s"
    )
