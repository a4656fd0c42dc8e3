"""The benchmark scenarios. Each takes a started server and returns plain figures (a dict)."""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.eioclient import Conn, connect, connect_many
from bench.servers import EMPTY_ROOM, ROOMS, Server

HOST = "127.0.0.1"
BODY = "Hej! Vi är ute i centrum ikväll, kom gärna förbi och säg hej till oss vid torget."
ROOM_MESSAGE = b'42/youth,["room:message"'
RETRIES = [0]  # joins answered `unavailable` and retried


def pct(values: Sequence[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))
    return s[k]


class Arrivals:
    """Counts room messages as they arrive at any receiver, with their arrival times."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.expect = 0
        self.done: asyncio.Future[None] | None = None

    def arm(self, expect: int) -> asyncio.Future[None]:
        self.times = []
        self.expect = expect
        self.done = asyncio.get_running_loop().create_future()
        return self.done

    def __call__(self, conn: Conn, payload: bytes, now: float) -> None:
        if payload.startswith(ROOM_MESSAGE):
            self.times.append(now)
            if len(self.times) >= self.expect and self.done is not None and not self.done.done():
                self.done.set_result(None)


async def join_all(conns: Sequence[Conn], room: str, concurrency: int = 100) -> None:
    sem = asyncio.Semaphore(concurrency)

    async def one(c: Conn) -> None:
        async with sem:
            for attempt in range(10):
                (reply, _t) = await asyncio.wait_for(c.call("room:join", {"room": room}), 60)
                if reply[0].get("ok"):
                    return
                # A storm can exhaust the database pool: the server answers `unavailable` and
                # the client retries, as the web client does.
                assert reply[0]["error"]["code"] == "unavailable" and attempt < 9, reply
                RETRIES[0] += 1
                await asyncio.sleep(0.2 * (attempt + 1))

    await asyncio.gather(*(one(c) for c in conns))


async def idle_rate(server: Server, seconds: float) -> float:
    """Server CPU seconds per wall second while nothing is asked of it."""
    c0, t0 = server.cpu_time(), time.perf_counter()
    await asyncio.sleep(seconds)
    return (server.cpu_time() - c0) / (time.perf_counter() - t0)


async def youths(server: Server, n: int, **kw: Any) -> list[Conn]:
    return await connect_many(HOST, server.port, "/youth", n, **kw)


async def officer(server: Server) -> Conn:
    return await connect(HOST, server.port, "/staff", cookie=await server.officer_cookie())


async def post(off: Conn, room: str) -> tuple[Any, float]:
    payload = {"room": room, "client_id": uuid.uuid4().hex, "body": BODY}
    return await asyncio.wait_for(off.call("room:send", payload), 60)


async def fanout(server: Server, sizes: Sequence[int], posts: int, warmup: int = 3) -> dict[str, Any]:
    """Scenario 1: one officer posts to a room of N connected young people, N in `sizes` (at
    most four; each smaller room is a subset of the larger ones). For each post, the server's
    CPU time less its idle rate; the median over the posts, divided by N, is the CPU per
    delivery. A post to an empty room gives the part that is not fan-out (for Kvarter:
    moderation, the database commit, the ack). Latency from the post to each delivery and to
    the last one."""
    sizes = sorted(sizes)
    arrivals = Arrivals()
    conns = await youths(server, sizes[-1], on_event=arrivals)
    rooms = [slug for slug, _ in ROOMS][: len(sizes)]
    assert EMPTY_ROOM not in rooms
    for size, room in zip(sizes, rooms, strict=True):
        await join_all(conns[:size], room)
    off = await officer(server)
    idle = await idle_rate(server, 3)

    async def measured(room: str, size: int) -> tuple[float, float, list[float], float]:
        done = arrivals.arm(size)
        c0 = server.cpu_time()
        t0 = time.perf_counter()
        (reply, t_ack) = await post(off, room)
        assert reply[0].get("ok"), reply
        if size:
            await asyncio.wait_for(done, 60)
        else:
            await asyncio.sleep(0.01)
        cpu = server.cpu_time() - c0 - idle * (time.perf_counter() - t0)
        return cpu, t_ack - t0, [t - t0 for t in arrivals.times], t0

    for _ in range(warmup):
        await measured(EMPTY_ROOM, 0)
    empty = statistics.median([(await measured(EMPTY_ROOM, 0))[0] for _ in range(posts)])
    out: dict[str, Any] = {}
    for size, room in zip(sizes, rooms, strict=True):
        for _ in range(warmup):
            await measured(room, size)
        cpus: list[float] = []
        per_delivery: list[float] = []
        last: list[float] = []
        acks: list[float] = []
        for _ in range(posts):
            cpu, ack, times, _t0 = await measured(room, size)
            cpus.append(cpu)
            per_delivery += times
            last.append(max(times))
            acks.append(ack)
        per_post = statistics.median(cpus)
        out[str(size)] = {
            "cpu_us_per_delivery": per_post / size * 1e6,
            "fanout_us_per_delivery": (per_post - empty) / size * 1e6,
            "post_cpu_ms": empty * 1e3,
            "delivery_p50_ms": pct(per_delivery, 50) * 1e3,
            "delivery_p99_ms": pct(per_delivery, 99) * 1e3,
            "last_p50_ms": pct(last, 50) * 1e3,
            "last_p99_ms": pct(last, 99) * 1e3,
            "ack_p50_ms": pct(acks, 50) * 1e3,
            "idle_cpu_pct": idle * 100,
        }
    for c in [*conns, off]:
        c.close()
    await asyncio.sleep(0.5)
    return out


async def ok(conn: Conn, event: str, data: Any) -> dict[str, Any]:
    (reply, _t) = await asyncio.wait_for(conn.call(event, data), 60)
    assert reply[0].get("ok"), (event, reply)
    return dict(reply[0])


class ChatDeliveries:
    """Times at which chat messages reach the officer, by client_id."""

    def __init__(self) -> None:
        self.at: dict[str, float] = {}

    def __call__(self, conn: Conn, payload: bytes, now: float) -> None:
        if payload.startswith(b'42/staff,["chat:message"'):
            _, data = json.loads(payload[len(b"42/staff,") :])
            self.at[data["client_id"]] = now


async def chat_pairs(
    server: Server, n: int, officer_port: int | None = None
) -> tuple[Conn, list[tuple[Conn, str]], ChatDeliveries]:
    """An officer on duty with n taken private chats; the young people are on `server`, the
    officer on `officer_port` (another worker) when given."""
    seen = ChatDeliveries()
    cookie = await server.officer_cookie()
    off = await connect(HOST, officer_port or server.port, "/staff", cookie=cookie, on_event=seen)
    await ok(off, "duty:start", {"rooms": [ROOMS[0][0]]})
    youth = await youths(server, n, concurrency=50)
    pairs = []
    for y in youth:
        opened = await ok(
            y, "chat:open", {"room": ROOMS[0][0], "client_id": uuid.uuid4().hex, "body": "Hej, kan jag fråga en sak?"}
        )
        conv = opened["conversation"]["id"]
        await ok(off, "chat:take", {"conversation_id": conv})
        pairs.append((y, conv))
    return off, pairs, seen


async def chat_load(pairs: list[tuple[Conn, str]], seen: ChatDeliveries, *, rate: float | None, seconds: float,
                    server_pids: Sequence[int] = ()) -> dict[str, Any]:  # fmt: skip
    """Young people send private messages: at `rate` a second in all (open loop), or each as
    soon as its last was acknowledged (closed loop, rate None). Ack and delivery latency."""
    from bench.servers import cpu_seconds

    sent: dict[str, float] = {}
    acks: list[float] = []
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    cpu0 = sum(cpu_seconds(p) for p in server_pids)

    async def send(y: Conn, conv: str) -> None:
        client_id = uuid.uuid4().hex
        t0 = time.perf_counter()
        sent[client_id] = t0
        (reply, t_ack) = await asyncio.wait_for(
            y.call("chat:send", {"conversation_id": conv, "client_id": client_id, "body": BODY}), 60
        )
        assert reply[0].get("ok"), reply
        acks.append(t_ack - t0)

    async def sender(y: Conn, conv: str, offset: float) -> None:
        if rate is None:
            while loop.time() < end:
                await send(y, conv)
            return
        interval = len(pairs) / rate
        await asyncio.sleep(offset * interval)
        tasks = []
        nxt = loop.time()
        while nxt < end:
            tasks.append(asyncio.create_task(send(y, conv)))
            nxt += interval
            await asyncio.sleep(max(0, nxt - loop.time()))
        await asyncio.gather(*tasks)

    started = time.perf_counter()
    await asyncio.gather(*(sender(y, c, i / len(pairs)) for i, (y, c) in enumerate(pairs)))
    elapsed = time.perf_counter() - started
    await asyncio.sleep(0.5)
    cpu = sum(cpu_seconds(p) for p in server_pids) - cpu0
    delivered = [seen.at[k] - t for k, t in sent.items() if k in seen.at]
    return {
        "messages": len(acks),
        "per_second": len(acks) / elapsed,
        "ack_p50_ms": pct(acks, 50) * 1e3,
        "ack_p99_ms": pct(acks, 99) * 1e3,
        "delivery_p50_ms": pct(delivered, 50) * 1e3,
        "delivery_p99_ms": pct(delivered, 99) * 1e3,
        "delivered_pct": 100 * len(delivered) / max(1, len(sent)),
        "cpu_us_per_message": cpu / max(1, len(acks)) * 1e6 if server_pids else float("nan"),
    }


async def private_chat(server: Server, idle: int, pairs_n: int, rate: float, seconds: float) -> dict[str, Any]:
    """Scenario 2: private chat messages at `rate`/s while `idle` other connections sit idle."""
    idle_conns = await youths(server, idle)
    off, pairs, seen = await chat_pairs(server, pairs_n)
    out = await chat_load(pairs, seen, rate=rate, seconds=seconds, server_pids=[server.pid])
    for c in [*idle_conns, off, *(y for y, _ in pairs)]:
        c.close()
    return out


async def echo_chat(server: Server, idle: int, pairs_n: int, rate: float, seconds: float) -> dict[str, Any]:
    """Scenario 2's baseline: the same load on a server that only acknowledges `chat:send`
    (bench/node/server.js: no storage, no officer, nothing delivered)."""
    idle_conns = await youths(server, idle)
    pairs = [(y, f"c{i}") for i, y in enumerate(await youths(server, pairs_n, concurrency=50))]
    out = await chat_load(pairs, ChatDeliveries(), rate=rate, seconds=seconds, server_pids=[server.pid])
    for c in [*idle_conns, *(y for y, _ in pairs)]:
        c.close()
    return out


async def persisted(server: Server, pairs_n: int, seconds: float) -> dict[str, Any]:
    """Scenario 6: closed-loop private messages, as many as the database commits."""
    off, pairs, seen = await chat_pairs(server, pairs_n)
    out = await chat_load(pairs, seen, rate=None, seconds=seconds, server_pids=[server.pid])
    for c in [off, *(y for y, _ in pairs)]:
        c.close()
    return out


async def idle_connections(server: Server, n: int, *, deflate: bool, idle_seconds: float) -> dict[str, Any]:
    """Scenarios 3 and 4: server memory per idle connection (with or without the browser's
    permessage-deflate offer) and the CPU the idle connections cost (heartbeats)."""
    warm = await youths(server, 50, deflate=deflate)
    await asyncio.sleep(1)
    rss0 = server.rss()
    conns = await youths(server, n, deflate=deflate)
    await asyncio.sleep(2)
    rss1 = server.rss()
    out: dict[str, Any] = {"rss_mib": rss1 / 2**20, "kib_per_connection": (rss1 - rss0) / n / 1024}
    if idle_seconds:
        c0, t0 = server.cpu_time(), time.perf_counter()
        await asyncio.sleep(idle_seconds)
        out["idle_cpu_pct"] = (server.cpu_time() - c0) / (time.perf_counter() - t0) * 100
    for c in [*warm, *conns]:
        c.close()
    return out


async def storm(server: Server, n: int) -> dict[str, Any]:
    """Scenario 5: n young people connect and join a room at once (connections a second); then
    all drop at the same moment while a probe measures the longest stall of the server's loop."""
    started = time.perf_counter()
    RETRIES[0] = 0
    conns = await youths(server, n, concurrency=500)
    await join_all(conns, ROOMS[0][0], concurrency=500)
    join_rate = n / (time.perf_counter() - started)
    retried = RETRIES[0]
    # The probe runs in a process of its own (bench/probe.py): in this one, closing 5,000
    # sockets and handling their ends would delay its answers and count as the server's stall.
    probe = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.probe", str(server.port), ROOMS[1][0],
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, cwd=Path(__file__).parent.parent,
    )  # fmt: skip
    assert probe.stdin is not None and probe.stdout is not None
    assert (await asyncio.wait_for(probe.stdout.readline(), 30)).strip() == b"ready"
    await asyncio.sleep(1)
    idle = await idle_rate(server, 2)  # with the probe running: what "nothing more to do" costs
    c0, t0 = server.cpu_time(), time.perf_counter()
    closing = time.monotonic()
    for c in conns:
        c.close()
    await asyncio.gather(*(c.closed for c in conns))
    # The server is done when the CPU it spends per 100 ms falls back to its idle rate.
    last, done_at = server.cpu_time(), time.perf_counter()
    while time.perf_counter() - t0 < 60:
        await asyncio.sleep(0.1)
        now = server.cpu_time()
        if now - last < idle * 0.1 * 1.5 + 0.002:
            break
        last, done_at = now, time.perf_counter()
    done = closing + (done_at - t0)
    probe.stdin.write(b"stop\n")
    await probe.stdin.drain()
    samples = json.loads(await asyncio.wait_for(probe.stdout.readline(), 120))
    await probe.wait()
    baseline = max((rtt for sent, rtt in samples if sent + rtt < closing), default=0.0)
    during = [rtt for sent, rtt in samples if sent + rtt >= closing and sent <= done]
    return {
        "connects_per_second": join_rate,
        "joins_retried": retried,
        "disconnect_cpu_ms": (last - c0 - idle * (done_at - t0)) * 1e3,
        "disconnect_ms": (done_at - t0) * 1e3,
        "longest_stall_ms": max(during) * 1e3 if during else float("nan"),
        "probe_baseline_ms": baseline * 1e3,
    }


def median_of(runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Medians, key by key, of runs with the same (nested) shape."""
    first = runs[0]
    if isinstance(first, dict):
        return {k: median_of([r[k] for r in runs if k in r]) for k in first}
    if isinstance(first, (int, float)):
        return statistics.median(runs)  # type: ignore[return-value]
    return first
