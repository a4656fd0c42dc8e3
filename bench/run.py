"""Run Kvarter's benchmarks: `make bench` (all scenarios, repeated) or `make bench-quick`.

    .venv/bin/python -m bench.run [--quick] [--scenarios 1,3] [--repeat 3]
        [--kvarter-tree PATH --kvarter-name NAME]... [--out bench/results/run.json]

The server runs pinned to core 0, this load generator to core 1 (where there are two cores).
Results are written as JSON; `python -m bench.report` turns them into the tables and plot of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bench import scenarios, servers

RESULTS = servers.BENCH / "results"


def _loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


async def _with(server: servers.Server, work: Callable[[servers.Server], Awaitable[Any]]) -> Any:
    await server.start()
    try:
        return await work(server)
    finally:
        server.stop()


def fanout_servers(args: argparse.Namespace) -> list[Callable[[], servers.Server]]:
    made: list[Callable[[], servers.Server]] = [
        lambda tree=tree, name=name: servers.Kvarter(name, tree=Path(tree)) for tree, name in args.kvarter
    ]
    made += [servers.pysio, servers.node, servers.raw_ws]
    return made


async def scenario_1(args: argparse.Namespace) -> dict[str, Any]:
    sizes = [int(s) for s in args.sizes.split(",")]
    posts = 7 if args.quick else 30
    out: dict[str, Any] = {}
    for make in fanout_servers(args):
        runs = []
        for _ in range(args.repeat):
            server = make()
            print(f"  fan-out: {server.name} N={sizes}", flush=True)
            runs.append(await _with(server, lambda s: scenarios.fanout(s, sizes, posts)))
        out[server.name] = scenarios.median_of(runs)
    return out


def kvarters(args: argparse.Namespace, **kw: Any) -> list[Callable[[], servers.Kvarter]]:
    return [lambda tree=tree, name=name: servers.Kvarter(name, tree=Path(tree), **kw) for tree, name in args.kvarter]


async def repeated(args: argparse.Namespace, make: Callable[[], servers.Server], label: str,
                   work: Callable[[servers.Server], Awaitable[dict[str, Any]]]) -> dict[str, Any]:  # fmt: skip
    runs = []
    for _ in range(args.repeat_other):
        server = make()
        print(f"  {label}: {server.name}", flush=True)
        runs.append(await _with(server, work))
    return scenarios.median_of(runs)


async def scenario_2(args: argparse.Namespace) -> dict[str, Any]:
    out = {}
    for make in kvarters(args):
        out[make().name] = await repeated(
            args, make, "private chat at 500/s", lambda s: scenarios.private_chat(s, 5000, 50, 500, 10)
        )
    out["node-socket.io (echo)"] = await repeated(
        args, servers.node, "echo at 500/s", lambda s: scenarios.echo_chat(s, 5000, 50, 500, 10)
    )
    return out


async def scenario_3_4(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    makers: list[tuple[str, Callable[[], servers.Server]]] = [(m().name, m) for m in kvarters(args)]
    # KVARTER_WS_DEFLATE=1 (the stock behaviour, for comparison) for the last tree given only:
    # trees from before the setting existed always negotiate deflate.
    makers += [(m().name + " (deflate on)", m) for m in kvarters(args, extra_env={"KVARTER_WS_DEFLATE": "1"})[-1:]]
    makers += [("python-socketio", servers.pysio), ("node-socket.io", servers.node)]
    for name, make in makers:
        for deflate in (False, True):
            idle_s = 0 if deflate else 26  # one heartbeat interval (25 s) and a little
            out[f"{name} / client {'offers' if deflate else 'without'} deflate"] = await repeated(
                args, make, f"idle, deflate offered={deflate}",
                lambda s, d=deflate, i=idle_s: scenarios.idle_connections(s, 5000, deflate=d, idle_seconds=i),
            )  # fmt: skip
    return out


async def scenario_5(args: argparse.Namespace) -> dict[str, Any]:
    out = {}
    for make in [*kvarters(args), servers.pysio, servers.node]:
        out[make().name] = await repeated(args, make, "join storm", lambda s: scenarios.storm(s, 5000))
    return out


async def scenario_6(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for tree, name in args.kvarter:
        sqlite = []
        pg = []
        for _ in range(args.repeat_other):
            print(f"  persisted, SQLite: {name}", flush=True)
            sqlite.append(await _with(servers.Kvarter(name, tree=Path(tree)), lambda s: scenarios.persisted(s, 50, 10)))
            url = await servers.pg_create()
            if url is None:
                print("  PostgreSQL not reachable: skipped", flush=True)
                continue
            print(f"  persisted, PostgreSQL: {name}", flush=True)
            try:
                server = servers.Kvarter(name, tree=Path(tree), database_url=url)
                pg.append(await _with(server, lambda s: scenarios.persisted(s, 50, 10)))
            finally:
                await servers.pg_drop(url)
        out[f"{name} / SQLite"] = scenarios.median_of(sqlite)
        if pg:
            out[f"{name} / PostgreSQL"] = scenarios.median_of(pg)
    return out


async def scenario_7(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    redis = os.environ.get("KVARTER_BENCH_REDIS", "redis://127.0.0.1:6379/0")
    for tree, name in args.kvarter:
        for case in ("same process", "across processes"):
            runs = []
            for _ in range(args.repeat_other):
                print(f"  two workers, {case}: {name}", flush=True)
                a = servers.Kvarter(name, tree=Path(tree), redis_url=redis, redis_prefix="kvarter-bench-x:")
                await a.start()
                b = servers.Kvarter(name, tree=Path(tree), redis_url=redis, redis_prefix="kvarter-bench-x:",
                                    database_url=a.database_url, setup=False)  # fmt: skip
                try:
                    await b.start()
                    off, pairs, seen = await scenarios.chat_pairs(
                        b, 20, officer_port=a.port if case != "same process" else b.port
                    )
                    runs.append(
                        await scenarios.chat_load(pairs, seen, rate=100, seconds=10, server_pids=[a.pid, b.pid])
                    )
                    for c in [off, *(y for y, _ in pairs)]:
                        c.close()
                finally:
                    b.stop()
                    a.stop()
            out[f"{name} / {case}"] = scenarios.median_of(runs)
    return out


SCENARIOS: dict[str, Callable[[argparse.Namespace], Awaitable[dict[str, Any]]]] = {
    "1": scenario_1,
    "2": scenario_2,
    "3": scenario_3_4,
    "5": scenario_5,
    "6": scenario_6,
    "7": scenario_7,
}


async def main(args: argparse.Namespace) -> None:
    servers.pin(1)
    results: dict[str, Any] = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "quick": args.quick,
        "repeat": args.repeat,
        "repeat_other": args.repeat_other,
        "scenarios": {},
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    for key in args.scenarios.split(","):
        started = time.perf_counter()
        print(f"scenario {key}", flush=True)
        try:
            results["scenarios"][key] = await SCENARIOS[key](args)
        except Exception as exc:  # noqa: BLE001 - one failed scenario must not lose the others
            print(f"scenario {key} failed: {exc!r}", flush=True)
            results.setdefault("failed", {})[key] = repr(exc)
            continue
        print(f"scenario {key} done in {time.perf_counter() - started:.0f} s", flush=True)
        print(json.dumps(results["scenarios"][key], indent=1), flush=True)
        await asyncio.to_thread(out.write_text, json.dumps(results, indent=1))  # after each scenario
    await asyncio.to_thread(out.write_text, json.dumps(results, indent=1))
    print(f"wrote {out}")


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="scenario 1 only, smaller rooms, fewer posts, one run")
    p.add_argument("--scenarios", default=None)
    p.add_argument("--repeat", type=int, default=None, help="runs of scenario 1 (median); default 3, quick 1")
    p.add_argument("--repeat-other", type=int, default=1, help="runs of the other scenarios (median)")
    p.add_argument(
        "--sizes", default=None, help="room sizes for scenario 1, at most 4 (default 1000,5000; quick 1000,2000)"
    )
    p.add_argument("--kvarter-tree", action="append", default=[], help="a source tree to measure (default: this one)")
    p.add_argument("--kvarter-name", action="append", default=[], help="its name in the results")
    p.add_argument("--out", default=str(RESULTS / "latest.json"))
    args = p.parse_args(argv)
    args.scenarios = args.scenarios or ("1" if args.quick else ",".join(SCENARIOS))
    args.repeat = args.repeat or (1 if args.quick else 3)
    args.sizes = args.sizes or ("1000,2000" if args.quick else "1000,5000")
    args.kvarter = [
        (tree, args.kvarter_name[i] if i < len(args.kvarter_name) else f"kvarter-{i + 1}")
        for i, tree in enumerate(args.kvarter_tree)
    ] or [(str(servers.REPO), "kvarter")]
    return args


if __name__ == "__main__":
    asyncio.set_event_loop(_loop())
    asyncio.get_event_loop().run_until_complete(main(parse(sys.argv[1:])))
