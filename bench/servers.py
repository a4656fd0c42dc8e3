"""The servers under test, each started as its own process pinned to one core: Kvarter (any
source tree, for before/after), a minimal stock python-socketio server, Node socket.io 4.x and a
bare aiohttp websocket broadcast."""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import aiohttp

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PYTHON = sys.executable
SECRET = secrets.token_urlsafe(48)
OFFICER = ("benchofficer", "bench-password-" + secrets.token_hex(8))
ROOMS = (("ostersund", "Östersund"), ("umea", "Umeå centrum"), ("are", "Åre"), ("krokom", "Krokom"), ("berg", "Berg"))
EMPTY_ROOM = "berg"  # nobody joins it: a post there costs what a post costs without its fan-out
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TEMPLATES: dict[str, Path] = {}  # a seeded SQLite file per source tree


def pin(cpu: int | None) -> None:
    if cpu is not None and hasattr(os, "sched_setaffinity") and cpu < (os.cpu_count() or 1):
        os.sched_setaffinity(0, {cpu})


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """CPU time of every thread of a process, in seconds (ns resolution from schedstat)."""
    total = 0
    for path in glob.glob(f"/proc/{pid}/task/*/schedstat"):
        with contextlib.suppress(OSError), open(path) as f:
            total += int(f.read().split()[0])
    if total:
        return total / 1e9
    with open(f"/proc/{pid}/stat") as f:  # fallback: clock ticks
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


PG_ADMIN = os.environ.get("KVARTER_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


async def pg_create() -> str | None:
    """A new, empty PostgreSQL database for one run, or None when PostgreSQL does not answer."""
    import asyncpg

    name = f"kvarter_bench_{secrets.token_hex(4)}"
    try:
        conn = await asyncpg.connect(PG_ADMIN, timeout=3)
    except (OSError, asyncpg.PostgresError):
        return None
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


async def pg_drop(url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN, timeout=3)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await conn.close()


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


class Server:
    """A server process on 127.0.0.1:port."""

    kind = "server"

    def __init__(self, name: str, cmd: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
                 cpu: int | None = 0, port: int | None = None) -> None:  # fmt: skip
        self.name = name
        self.port = port or free_port()
        self.cmd = [c.replace("{port}", str(self.port)) for c in cmd]
        self.env = {**os.environ, **(env or {})}
        self.cwd = cwd
        self.cpu = cpu
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = Path(tempfile.gettempdir()) / f"kvarter-bench-{name}-{self.port}.log"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    async def start(self) -> None:
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(  # noqa: ASYNC220 - started once per scenario
                self.cmd, env=self.env, cwd=self.cwd, stdout=log, stderr=subprocess.STDOUT,
                preexec_fn=lambda: pin(self.cpu),  # affinity only; the child has no threads yet
            )  # fmt: skip
        deadline = asyncio.get_running_loop().time() + 60
        async with aiohttp.ClientSession() as http:
            while asyncio.get_running_loop().time() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"{self.name} exited: {self.log.read_text()[-2000:]}")
                with contextlib.suppress(aiohttp.ClientError):
                    async with http.get(f"http://127.0.0.1:{self.port}/readyz") as resp:
                        if resp.status == 200:
                            return
                await asyncio.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} did not become ready")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def cpu_time(self) -> float:
        return cpu_seconds(self.pid)

    def rss(self) -> int:
        return rss_bytes(self.pid)

    async def officer_cookie(self) -> str | None:
        return None


def pysio(cpu: int | None = 0, uvloop: bool = False) -> Server:
    cmd = [PYTHON, str(BENCH / "baselines" / "pysio_server.py"), "{port}"] + (["--uvloop"] if uvloop else [])
    return Server("python-socketio", cmd, cpu=cpu)


def raw_ws(cpu: int | None = 0) -> Server:
    return Server("aiohttp-ws", [PYTHON, str(BENCH / "baselines" / "raw_ws_server.py"), "{port}", "--uvloop"], cpu=cpu)


def node(cpu: int | None = 0) -> Server:
    exe = shutil.which("node") or "node"
    return Server("node-socket.io", [exe, str(BENCH / "node" / "server.js"), "{port}"], cpu=cpu)


class Kvarter(Server):
    """`python -m server serve` from a source tree, on its own SQLite file (or a given URL),
    with two always-open neighbourhoods and one officer."""

    def __init__(
        self, name: str = "kvarter", *, tree: Path = REPO, database_url: str | None = None,
        redis_url: str | None = None, redis_prefix: str | None = None, cpu: int | None = 0,
        port: int | None = None, extra_env: dict[str, str] | None = None, setup: bool = True,
    ) -> None:  # fmt: skip
        self.tmp = Path(tempfile.mkdtemp(prefix="kvarter-bench-"))
        self.database_url = database_url or f"sqlite:///{self.tmp / 'kvarter.db'}"
        port = port or free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("KVARTER_")}
        env.update({
            "PYTHONPATH": str(tree),
            "KVARTER_SECRET_KEY": SECRET,
            "KVARTER_DATABASE_URL": self.database_url,
            "KVARTER_HOST": "127.0.0.1",
            "KVARTER_PORT": str(port),
            "KVARTER_ALLOWED_ORIGINS": f"http://127.0.0.1:{port}",
            "KVARTER_STATIC_DIR": str(self.tmp / "dist"),
            "KVARTER_LOG_LEVEL": "WARNING",
            # Every load-generator connection comes from 127.0.0.1: keep the per-source cap (and
            # its cost) but far above the crowds measured here.
            "KVARTER_MAX_CONNECTIONS_PER_SOURCE": "100000",
            # The closed loops send as fast as acks come back, past a young person's 20 events a
            # second: measure the server's capacity, not the per-connection limit.
            "KVARTER_EVENT_RATE": "10000",
            "KVARTER_EVENT_BURST": "100000",
            "KVARTER_ANONYMOUS_BURST": "100000",
            "KVARTER_YOUTH_CHAT_BURST": "100000",
        })  # fmt: skip
        if redis_url:
            env["KVARTER_REDIS_URL"] = redis_url
            env["KVARTER_REDIS_PREFIX"] = redis_prefix or f"kvarter-bench-{secrets.token_hex(3)}:"
        env.update(extra_env or {})
        super().__init__(name, [PYTHON, "-m", "server", "serve"], env=env, cwd=tree, cpu=cpu, port=port)
        self.env = env
        self.tree = tree
        self.needs_setup = setup

    def cli(self, *args: str, stdin: str | None = None) -> None:
        subprocess.run(
            [PYTHON, "-m", "server", *args], env=self.env, cwd=self.tree, check=True, input=stdin,
            text=True, capture_output=True,
        )  # fmt: skip

    async def start(self) -> None:
        (self.tmp / "dist").mkdir(exist_ok=True)
        if self.needs_setup:
            await asyncio.to_thread(self.setup)
        await super().start()

    def setup(self) -> None:
        """Schema, rooms and officer; on SQLite done once per source tree and copied after."""
        sqlite = self.database_url.startswith("sqlite:///")
        template = TEMPLATES.get(str(self.tree)) if sqlite else None
        if template is not None:
            shutil.copy(template, self.database_url.removeprefix("sqlite:///"))
            return
        self.seed()
        if sqlite:
            TEMPLATES[str(self.tree)] = kept = Path(tempfile.mkdtemp(prefix="kvarter-template-")) / "kvarter.db"
            shutil.copy(self.database_url.removeprefix("sqlite:///"), kept)

    def seed(self) -> None:
        self.cli("migrate")
        for slug, name in ROOMS:
            self.cli("neighbourhood", "add", "--slug", slug, "--name", name, "--police-area", "Östersund",
                     "--region", "Mitt")  # fmt: skip
        for day in DAYS:  # private chats open in the first room at any time
            self.cli("window", "add", "--room", ROOMS[0][0], "--weekly", f"{day} 00:00-24:00")
        self.cli(
            "user", "add", "--username", OFFICER[0], "--role", "officer", "--display-name", "Polisen Östersund",
            "--police-area", "Östersund", "--region", "Mitt", "--password-stdin", stdin=OFFICER[1] + "\n",
        )  # fmt: skip

    async def officer_cookie(self) -> str | None:
        base = f"http://127.0.0.1:{self.port}"
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            async with http.get(f"{base}/api/auth/csrf") as resp:
                token = (await resp.json())["token"]
            async with http.post(
                f"{base}/api/auth/login",
                json={"username": OFFICER[0], "password": OFFICER[1]},
                headers={"X-CSRF-Token": token, "Origin": base},
            ) as resp:
                assert resp.status == 200, await resp.text()
                return f"kvarter_session={resp.cookies['kvarter_session'].value}"

    def stop(self) -> None:
        super().stop()
        shutil.rmtree(self.tmp, ignore_errors=True)
