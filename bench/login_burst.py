"""Server memory under a burst of logins: N wrong passwords at once, each from its own address
(behind a trusted proxy, so the per-source throttle does not stop them) and for its own
username (so the per-account one does not either) — every one of them reaches the argon2
check. Reports the server's RSS before and at its peak, and how the logins were answered.
Not part of the test run.

    .venv/bin/python -m bench.login_burst [--logins 200] [--tree PATH]

`--tree` runs the server of another checkout (e.g. a `git worktree` of an older commit) with
this one's client, for a baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_server(tree: Path) -> tuple[subprocess.Popen[bytes], int]:
    """`python -m server serve` of `tree` on a fresh SQLite database, behind a trusted "proxy"."""
    port = 18000 + secrets.randbelow(2000)
    tmp = Path(tempfile.mkdtemp())
    env = {k: v for k, v in os.environ.items() if not k.startswith("KVARTER_")}
    env |= {
        "KVARTER_SECRET_KEY": secrets.token_urlsafe(48),
        "KVARTER_DATABASE_URL": f"sqlite:///{tmp}/k.db",
        "KVARTER_PORT": str(port),
        "KVARTER_TRUSTED_PROXIES": "127.0.0.1",
        "KVARTER_STATIC_DIR": str(tmp),
        "PYTHONPATH": str(tree),
    }
    python = sys.executable
    subprocess.run([python, "-m", "server", "migrate"], cwd=tree, env=env, check=True, capture_output=True)
    proc = subprocess.Popen(
        [python, "-m", "server", "serve"], cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return proc, port


async def run(proc: subprocess.Popen[bytes], port: int, logins: int) -> dict[str, object]:
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            for _ in range(600):
                try:
                    async with http.get(f"{url}/readyz") as resp:
                        if resp.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
            async with http.get(f"{url}/api/auth/csrf") as resp:
                token = (await resp.json())["token"]
            before = rss_mib(proc.pid)
            peak = before
            done = asyncio.Event()

            async def sample() -> None:
                nonlocal peak
                while not done.is_set():
                    peak = max(peak, rss_mib(proc.pid))
                    await asyncio.sleep(0.02)

            async def login(i: int) -> int:
                headers = {"X-CSRF-Token": token, "X-Forwarded-For": f"10.1.{i // 250}.{i % 250 + 1}"}
                body = {"username": f"user{i}", "password": "fel-losenord-1"}
                async with http.post(f"{url}/api/auth/login", json=body, headers=headers) as resp:
                    return resp.status

            sampler = asyncio.create_task(sample())
            started = time.perf_counter()
            statuses = await asyncio.gather(*(login(i) for i in range(logins)))
            took = time.perf_counter() - started
            done.set()
            await sampler
    finally:
        proc.terminate()
        proc.wait(10)
    return {
        "logins": logins,
        "answers": dict(Counter(statuses)),
        "seconds": round(took, 1),
        "rss_before_mib": round(before),
        "rss_peak_mib": round(peak),
        "growth_mib": round(peak - before),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logins", type=int, default=200)
    parser.add_argument("--tree", type=Path, default=ROOT)
    args = parser.parse_args()
    proc, port = start_server(args.tree.resolve())
    print(json.dumps({"tree": str(args.tree), **asyncio.run(run(proc, port, args.logins))}))


if __name__ == "__main__":
    main()
