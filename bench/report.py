"""Tables (Markdown) and the latency plot (PNG) from bench.run's JSON results.

    .venv/bin/python -m bench.report bench/results/latest.json [--plot docs/benchmarks-fanout.png]

Needs matplotlib for the plot (the `bench` extra: pip install -e '.[bench]').
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

NODE = "node-socket.io"


def fmt(x: Any, digits: int = 1) -> str:
    if not isinstance(x, (int, float)) or math.isnan(x):
        return "–"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}"


def fanout_table(s1: dict[str, Any]) -> str:
    sizes = sorted({int(n) for r in s1.values() for n in r}, key=int)
    node = s1.get(NODE, {})
    lines = [
        "| server | N | CPU µs / delivery | × Node | fan-out part µs / delivery | × Node "
        "| post without fan-out, CPU ms | delivery p50 / p99 ms | last delivery p50 / p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, by_n in s1.items():
        for n in sizes:
            r = by_n.get(str(n))
            if r is None:
                continue
            base = node.get(str(n), {})

            def ratio(key: str, r: dict[str, Any] = r, base: dict[str, Any] = base) -> str:
                b = base.get(key) or base.get("cpu_us_per_delivery")
                return fmt(r[key] / b, 2) if b and key in r else "–"

            lines.append(
                f"| {name} | {n:,} | {fmt(r['cpu_us_per_delivery'])} | {ratio('cpu_us_per_delivery')} | "
                f"{fmt(r.get('fanout_us_per_delivery'))} | {ratio('fanout_us_per_delivery')} | "
                f"{fmt(r.get('post_cpu_ms'), 2)} | "
                f"{fmt(r['delivery_p50_ms'])} / {fmt(r['delivery_p99_ms'])} | "
                f"{fmt(r['last_p50_ms'])} / {fmt(r['last_p99_ms'])} |"
            )
    return "\n".join(lines)


def flat_table(rows: dict[str, Any], columns: list[tuple[str, str]]) -> str:
    head = "| | " + " | ".join(title for _, title in columns) + " |"
    lines = [head, "|---|" + "---:|" * len(columns)]
    for name, r in rows.items():
        lines.append(f"| {name} | " + " | ".join(fmt(r.get(key)) for key, _ in columns) + " |")
    return "\n".join(lines)


TABLES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "2": (
        "Private chat at 500 messages/s, 5,000 idle connections, persisted",
        [("per_second", "msgs/s"), ("ack_p50_ms", "ack p50 ms"), ("ack_p99_ms", "ack p99 ms"),
         ("delivery_p50_ms", "to officer p50 ms"), ("delivery_p99_ms", "to officer p99 ms"),
         ("cpu_us_per_message", "CPU µs / msg")],
    ),
    "3": (
        "Idle connections (5,000): memory and heartbeat CPU",
        [("kib_per_connection", "KiB / connection"), ("rss_mib", "RSS MiB"), ("idle_cpu_pct", "idle CPU %")],
    ),
    "5": (
        "Join storm and mass disconnect (5,000)",
        [("connects_per_second", "connect+join / s"), ("joins_retried", "joins retried"),
         ("disconnect_ms", "all gone after ms"),
         ("disconnect_cpu_ms", "disconnect CPU ms"), ("longest_stall_ms", "longest stall ms")],
    ),
    "6": (
        "Persisted private messages, closed loop (50 chats)",
        [("per_second", "msgs/s"), ("ack_p50_ms", "commit+ack p50 ms"), ("ack_p99_ms", "commit+ack p99 ms"),
         ("cpu_us_per_message", "CPU µs / msg")],
    ),
    "7": (
        "Two workers with Redis, private chat at 100/s (officer and young people on the same or different workers)",
        [("delivery_p50_ms", "to officer p50 ms"), ("delivery_p99_ms", "to officer p99 ms"),
         ("ack_p50_ms", "ack p50 ms"), ("cpu_us_per_message", "CPU µs / msg (both workers)")],
    ),
}  # fmt: skip


def markdown(results: dict[str, Any]) -> str:
    out = []
    sc = results["scenarios"]
    if "1" in sc:
        out += ["### Room fan-out", "", fanout_table(sc["1"]), ""]
    for key, (title, cols) in TABLES.items():
        if key in sc:
            out += [f"### {title}", "", flat_table(sc[key], cols), ""]
    return "\n".join(out)


def plot(s1: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for name, by_n in s1.items():
        sizes = sorted(int(n) for n in by_n)
        left.plot(sizes, [by_n[str(n)]["last_p50_ms"] for n in sizes], marker="o", label=name)
        right.plot(sizes, [by_n[str(n)]["cpu_us_per_delivery"] for n in sizes], marker="o", label=name)
    left.set(xlabel="young people in the room", ylabel="ms", title="Post → last delivery (p50)")
    right.set(xlabel="young people in the room", ylabel="µs", title="Server CPU per delivery")
    right.set_yscale("log")
    for ax in (left, right):
        ax.grid(alpha=0.3)
    left.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv: list[str]) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("results", nargs="+", help="JSON files from bench.run; later ones add to earlier ones")
    p.add_argument("--plot", help="write the fan-out plot here (PNG)")
    args = p.parse_args(argv)
    merged: dict[str, Any] = {"scenarios": {}}
    for f in args.results:
        data = json.loads(Path(f).read_text())
        for key, rows in data["scenarios"].items():
            merged["scenarios"].setdefault(key, {}).update(rows)
    print(markdown(merged))
    if args.plot and "1" in merged["scenarios"]:
        plot(merged["scenarios"]["1"], Path(args.plot))
        print(f"\n(plot written to {args.plot})", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
