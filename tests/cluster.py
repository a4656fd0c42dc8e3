"""Machinery of the cluster tests: worker processes behind a real nginx (configured by
deploy/local-cluster from deploy/nginx.conf), private Redis and PostgreSQL instances that a
test may stop, and socket.io clients that reconnect and resync like the web client."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import pwd
import random
import shutil
import signal
import subprocess
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import aiohttp
import asyncpg
import pytest
import socketio

from server.clock import SystemClock
from server.config import Settings
from server.services import accounts
from server.services.deps import Deps
from server.services.emitter import NullEmitter
from server.storage.db import Database
from tests import services
from tests.clients import wait_for_event
from tests.conftest import SECRET, add_open_neighbourhoods, free_port
from tests.procs import ServerProcess, clean_environ

REPO = Path(__file__).resolve().parent.parent
LOCAL_CLUSTER = REPO / "deploy" / "local-cluster"
# How long a (re)connecting client waits for its namespace handshake. python-socketio's
# reconnect uses 1 s, which under a reconnect storm only turns slow handshakes into retries;
# the browser client (socket.io-client) waits 20 s.
NAMESPACE_WAIT_S = 15


def _missing(message: str) -> NoReturn:
    """Skip, or fail under KVARTER_REQUIRE_SERVICES=1 (as CI runs), like tests/services.py."""
    if services.required():
        pytest.fail(message + " and KVARTER_REQUIRE_SERVICES=1")
    pytest.skip(message)


def _binary(name: str, *fallbacks: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    return next((f for f in fallbacks if os.access(f, os.X_OK)), None)


def need_nginx() -> str:
    """The nginx binary; skip (or fail under KVARTER_REQUIRE_SERVICES=1) without one."""
    found = _binary("nginx", "/usr/sbin/nginx")
    if found is None:
        _missing("nginx is not installed (apt-get install nginx)")
    return found


def need_redis_server() -> str:
    found = _binary("redis-server", "/usr/bin/redis-server", "/usr/sbin/redis-server")
    if found is None:
        _missing("redis-server is not installed")
    return found


def need_postgres_bin() -> Path:
    """The directory with initdb and pg_ctl (Debian keeps them out of PATH)."""
    candidates = [Path(p).parent for p in (shutil.which("initdb"), shutil.which("pg_ctl")) if p]
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for directory in candidates:
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            if os.geteuid() == 0 and not shutil.which("runuser"):
                _missing("runuser is not installed (a private PostgreSQL runs as the postgres user)")
            if os.geteuid() == 0:
                try:
                    pwd.getpwnam("postgres")
                except KeyError:
                    _missing("there is no postgres user to run a private PostgreSQL as (initdb refuses root)")
            return directory
    _missing("PostgreSQL's initdb and pg_ctl are not installed")


async def until(
    check: Callable[[], bool | Awaitable[bool]], timeout: float, what: str, interval: float = 0.05
) -> float:
    """Wait until check() holds; returns the seconds it took, fails naming `what` after timeout."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    while True:
        result = check()
        if not isinstance(result, bool):
            result = await result
        if result:
            return loop.time() - started
        if loop.time() - started > timeout:
            raise AssertionError(f"{what}: not within {timeout} s")
        await asyncio.sleep(interval)


async def metric(url: str, name: str) -> float:
    """One sample of a Prometheus metric (full name with labels) from a worker's /metrics."""
    async with aiohttp.ClientSession() as http, http.get(f"{url}/metrics") as resp:
        text = await resp.text()
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def http_status(url: str, timeout: float = 3) -> int | None:
    """The status of GET url, or None when nothing answers."""
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as http,
            http.get(url) as resp,
        ):
            await resp.read()
            return resp.status
    except (aiohttp.ClientError, TimeoutError):
        return None


async def run(*argv: str | Path, user: str | None = None) -> str:
    """Run a short command in a thread (so the loop stays free); its output, or a failure."""
    cmd = [str(a) for a in argv]
    if user is not None:
        cmd = ["runuser", "-u", user, "--", *cmd]
    done = await asyncio.to_thread(subprocess.run, cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def _stop_process(proc: subprocess.Popen[bytes] | None, sig: int = signal.SIGTERM) -> None:
    if proc is not None and proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


async def admin_sql(url: str, *statements: str) -> None:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        for sql in statements:
            await conn.execute(sql)
    finally:
        await conn.close()


def asyncpg_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+asyncpg://", 1)


class PrivatePostgres:
    """A PostgreSQL instance of the test's own (initdb into a temporary directory), so that a
    test may stop it; the machine's shared server is never touched."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = free_port()
        # initdb refuses to run as root: then the instance belongs to the postgres user.
        self.user = "postgres" if os.geteuid() == 0 else None
        self.dir = Path(tempfile.mkdtemp(prefix="kvarter-pg-"))
        self.data = self.dir / "data"
        self.url = f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/kvarter"
        self.admin_url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    async def init(self) -> None:
        if self.user is not None:
            shutil.chown(self.dir, self.user, self.user)
        await run(
            self.bindir / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync",
            user=self.user,
        )  # fmt: skip
        await self.start()
        await admin_sql(self.admin_url, "CREATE DATABASE kvarter")

    async def start(self) -> None:
        # fsync off: the machine does not crash in a test; a stopped server loses nothing anyway.
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
        await run(
            self.bindir / "pg_ctl", "-D", self.data, "-l", self.dir / "postgres.log", "-o", options, "-w", "-t", "30",
            "start", user=self.user,
        )  # fmt: skip

    async def stop(self) -> None:
        """A fast shutdown: sessions are cut, nothing committed is lost."""
        await run(self.bindir / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", "30", "stop", user=self.user)

    async def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(RuntimeError):
                await run(self.bindir / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop", user=self.user)
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRedis:
    """A redis-server of the test's own on a free port, which a test may kill and restart."""

    def __init__(self, binary: str, directory: Path) -> None:
        self.binary = binary
        self.dir = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        log = (self.dir / "redis.log").open("ab")
        self.proc = subprocess.Popen(  # noqa: ASYNC220 - a child process, started once
            [
                self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", str(self.dir),
            ],
            stdout=log, stderr=log,
        )  # fmt: skip
        log.close()
        await until(self.answers, 10, "private redis-server answers PING")

    async def answers(self) -> bool:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        except OSError:
            return False
        try:
            writer.write(b"PING\r\n")
            await writer.drain()
            return (await asyncio.wait_for(reader.readline(), 2)).startswith(b"+PONG")
        except (OSError, TimeoutError):
            return False
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    def kill(self) -> None:
        _stop_process(self.proc, signal.SIGKILL)


class Nginx:
    """nginx with the private config that deploy/local-cluster writes from deploy/nginx.conf."""

    def __init__(self, binary: str, directory: Path, upstreams: Iterable[str]) -> None:
        self.binary = binary
        self.dir = directory
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.upstreams = list(upstreams)
        self.proc: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        await run(LOCAL_CLUSTER, "nginx-conf", self.dir, str(self.port), *self.upstreams)
        log = (self.dir / "nginx.out").open("ab")
        self.proc = subprocess.Popen(  # noqa: ASYNC220 - a child process, started once
            [self.binary, "-p", str(self.dir), "-c", str(self.dir / "nginx.conf"), "-e", str(self.dir / "error.log")],
            stdout=log, stderr=log,
        )  # fmt: skip
        log.close()

        async def up() -> bool:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError("nginx exited: " + (self.dir / "nginx-error.log").read_text()[-2000:])
            return await http_status(f"{self.url}/healthz") == 200

        await until(up, 15, "nginx proxies /healthz")

    def stop(self) -> None:
        _stop_process(self.proc, signal.SIGQUIT)


@dataclass
class Cluster:
    """Worker processes behind nginx, sharing one database and one Redis."""

    settings: Settings
    url: str
    workers: list[ServerProcess] = field(default_factory=list)
    nginx: Nginx | None = None
    # Which worker nginx sends each local address to (hash $remote_addr consistent).
    placement: dict[str, int] = field(default_factory=dict)
    sessions: list[aiohttp.ClientSession] = field(default_factory=list)
    peers: list[Peer] = field(default_factory=list)

    async def worker_of(self, address: str) -> int:
        """The worker that nginx sends `address` to: open an Engine.IO session through nginx,
        then ask each worker directly which one holds it (closing it there)."""
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(address, 0))) as http:
            async with http.get(f"{self.url}/socket.io/?EIO=4&transport=polling") as resp:
                body = await resp.text()
            assert resp.status == 200, body
        sid = body[body.index('"sid":"') + 7 :].split('"', 1)[0]
        async with aiohttp.ClientSession() as http:
            for i, worker in enumerate(self.workers):
                url = f"{worker.url}/socket.io/?EIO=4&transport=polling&sid={sid}"
                async with http.post(url, data="1") as resp:
                    if resp.status == 200:
                        return i
        raise AssertionError(f"no worker holds Engine.IO session {sid}")

    async def place(self, per_worker: int, workers: Iterable[int] | None = None) -> dict[int, list[str]]:
        """Local addresses (127.0.0.x) that nginx sends to each wanted worker, `per_worker` each."""
        wanted = set(range(len(self.workers)) if workers is None else workers)
        out: dict[int, list[str]] = defaultdict(list)
        for last in range(2, 255):
            if all(len(out[w]) >= per_worker for w in wanted):
                break
            address = f"127.0.0.{last}"
            if address not in self.placement:
                self.placement[address] = await self.worker_of(address)
            worker = self.placement[address]
            if worker in wanted and len(out[worker]) < per_worker:
                out[worker].append(address)
        assert all(len(out[w]) >= per_worker for w in wanted), f"could not place clients on workers {wanted}"
        return dict(out)

    def http(self, address: str) -> aiohttp.ClientSession:
        """A session whose connections come from `address`, closed with the cluster."""
        session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(address, 0), limit=0))
        self.sessions.append(session)
        return session

    async def youth(self, address: str, http: aiohttp.ClientSession | None = None, **kwargs: Any) -> Peer:
        peer = Peer(self.url, "/youth", http=http or self.http(address), **kwargs)
        self.peers.append(peer)
        await peer.start()
        return peer

    async def staff(self, address: str, username: str, password: str, **kwargs: Any) -> Peer:
        http = self.http(address)
        cookie = await login(http, self.url, username, password)
        peer = Peer(self.url, "/staff", http=http, headers={"Cookie": cookie}, **kwargs)
        self.peers.append(peer)
        await peer.start()
        return peer

    async def close(self) -> None:
        await asyncio.gather(*(p.close() for p in self.peers), return_exceptions=True)
        for session in self.sessions:
            await session.close()
        if self.nginx is not None:
            self.nginx.stop()
        for worker in self.workers:
            worker.stop()


async def seed_neighbourhoods(settings: Settings) -> None:
    """The test neighbourhoods, open around the clock (open then means: an officer is on duty)."""
    deps = Deps(settings=settings, db=Database(settings.database_url), clock=SystemClock(), emitter=NullEmitter())
    try:
        await add_open_neighbourhoods(deps)
    finally:
        await deps.db.close()


async def start_cluster(
    settings: Settings, tmp: Path, n: int = 2, nginx_binary: str | None = None, seed: bool = True
) -> Cluster:
    """`n` workers (`python -m server serve`) and nginx in front, on an already migrated database."""
    nginx_binary = nginx_binary or need_nginx()
    if seed:
        await seed_neighbourhoods(settings)
    workers = [ServerProcess(settings, port=free_port(), log_path=tmp / f"worker-{i}.log") for i in range(n)]
    nginx = Nginx(nginx_binary, tmp / "nginx", [f"127.0.0.1:{w.port}" for w in workers])
    for w in workers:
        w.env["KVARTER_ALLOWED_ORIGINS"] = f"{nginx.url},{w.url}"
        # Every client reaches the workers through nginx on 127.0.0.1 (not a trusted proxy here),
        # so they all count as one source: the reconnect storm's 1,000 clients need no cap.
        w.env.setdefault("KVARTER_MAX_CONNECTIONS_PER_SOURCE", "0")
    cluster = Cluster(settings, nginx.url, workers, nginx)
    try:
        await asyncio.gather(*(w.start() for w in workers))
        await nginx.start()
    except BaseException:
        await cluster.close()
        raise
    return cluster


def cluster_settings(database_url: str, redis_url: str, prefix: str, tmp: Path) -> Settings:
    """What every worker of a test's cluster shares (ServerProcess passes it on as KVARTER_*)."""
    return Settings(
        secret_key=SECRET, database_url=database_url, redis_url=redis_url, redis_prefix=prefix, static_dir=tmp / "dist",
        # Every client of these tests is one source (nginx on 127.0.0.1) writing at machine speed.
        anonymous_burst=10_000, youth_chat_burst=10_000,
    )  # fmt: skip


async def officers(settings: Settings, n: int, region: str = "Nord") -> list[tuple[str, str]]:
    """`n` officer accounts (username, password), hashed concurrently."""
    db = Database(settings.database_url)
    deps = Deps(settings=settings, db=db, clock=SystemClock(), emitter=NullEmitter())
    try:
        made = await asyncio.gather(
            *(
                accounts.create_user(
                    deps,
                    username=f"polis{i}",
                    role="officer",
                    display_name=f"Polis {i}",
                    police_area="Umeå",
                    region=region,
                )
                for i in range(n)
            )
        )
    finally:
        await db.close()
    return [(user.username, password) for user, password in made]


async def login(http: aiohttp.ClientSession, base_url: str, username: str, password: str) -> str:
    """Log in over HTTP like the console does; the session cookie header."""
    async with http.get(f"{base_url}/api/auth/csrf") as resp:
        token = (await resp.json())["token"]
        csrf = resp.cookies["kvarter_csrf"].value
    async with http.post(
        f"{base_url}/api/auth/login",
        json={"username": username, "password": password},
        headers={"X-CSRF-Token": token, "Cookie": f"kvarter_csrf={csrf}"},
    ) as resp:
        assert resp.status == 200, await resp.text()
        return f"kvarter_session={resp.cookies['kvarter_session'].value}"


class ReconnectingClient(socketio.AsyncClient):  # type: ignore[misc]  # socketio ships no types
    """python-socketio's client, recording when each connection attempt starts (to see the
    reconnect jitter) and waiting for the namespace handshake as long as a browser would."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.attempts: list[float] = []

    async def connect(self, *args: Any, wait_timeout: float = NAMESPACE_WAIT_S, **kwargs: Any) -> None:
        self.attempts.append(time.monotonic())
        await super().connect(*args, wait_timeout=wait_timeout, **kwargs)


class Peer:
    """One socket.io client on one namespace, through nginx, websocket only, that reconnects
    by itself (with python-socketio's randomised backoff) and keeps every event it receives.
    Like the web client it resends a young person's token on every reconnect and, when given a
    `resync`, runs it after each reconnect before it counts as online again."""

    def __init__(
        self,
        url: str,
        namespace: str,
        *,
        http: aiohttp.ClientSession,
        headers: dict[str, str] | None = None,
        reconnect: bool = True,
        ack_timeout: float = 10,
    ) -> None:
        self.url = url
        self.namespace = namespace
        self.headers = headers or {}
        self.ack_timeout = ack_timeout
        self.sio = ReconnectingClient(reconnection=reconnect, http_session=http, handle_sigint=False)
        self.events: dict[str, list[Any]] = defaultdict(list)
        self.token: str | None = None
        self.readies: list[float] = []  # when the namespace became usable: `session` (youth), connect (staff)
        self.disconnects: list[tuple[float, str]] = []
        self.resync: Callable[[Peer], Awaitable[None]] | None = None
        self.resyncs = 0
        self.listeners: list[Callable[[str, Any], None]] = []  # told of every event as it arrives
        self.on_drop: list[Callable[[], None]] = []  # told when the connection drops
        self.online = asyncio.Event()
        self._arrived = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closing = False

        @self.sio.on("*", namespace=namespace)
        async def _any(event: str, data: Any) -> None:
            self.events[event].append(data)
            for listener in self.listeners:
                listener(event, data)
            if event == "session":
                self.token = data["token"]
                self._became_ready()
            self._arrived.set()

        @self.sio.on("connect", namespace=namespace)
        async def _connect() -> None:
            if namespace != "/youth":
                self._became_ready()

        @self.sio.on("disconnect", namespace=namespace)
        async def _disconnect(reason: Any = None) -> None:
            self.disconnects.append((time.monotonic(), str(reason)))
            self.online.clear()
            for dropped in self.on_drop:
                dropped()
            if reconnect and reason == self.sio.reason.SERVER_DISCONNECT and not self._closing:
                self._spawn(self._come_back())

    def _became_ready(self) -> None:
        self.readies.append(time.monotonic())
        if len(self.readies) == 1 or self.resync is None:
            self.online.set()
            return
        self._spawn(self._resync(self.resync))

    def _spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.get_running_loop().create_task(work)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _come_back(self) -> None:
        """python-socketio gives up when the server closes the connection itself (a graceful
        shutdown sends an Engine.IO close packet: "server disconnect"); socket.io-client in the
        browser sees "transport close" there and reconnects with its jittered backoff. Do the same."""
        delay = self.sio.reconnection_delay
        while not self._closing:
            await asyncio.sleep(delay + self.sio.randomization_factor * (2 * random.random() - 1))
            if self.sio.eio.state != "disconnected":
                continue  # still closing the old websocket
            # ValueError: python-socketio's own reconnect loop treats it as a failed attempt too.
            with contextlib.suppress(socketio.exceptions.ConnectionError, ValueError):
                await self._connect()
                return
            delay = min(delay * 2, self.sio.reconnection_delay_max)

    async def _resync(self, resync: Callable[[Peer], Awaitable[None]]) -> None:
        for _ in range(20):
            try:
                await resync(self)
            except (socketio.exceptions.SocketIOError, AssertionError):
                if not self.sio.connected:
                    return  # the next reconnect resyncs again
                await asyncio.sleep(0.5)
                continue
            self.resyncs += 1
            self.online.set()
            return

    def _auth(self) -> dict[str, Any]:
        return {"token": self.token} if self.token else {}

    async def _connect(self) -> None:
        await self.sio.connect(
            self.url,
            namespaces=[self.namespace],
            auth=self._auth if self.namespace == "/youth" else None,
            headers=dict(self.headers),
            transports=["websocket"],
            socketio_path="socket.io",
        )

    async def start(self) -> None:
        await self._connect()
        await asyncio.wait_for(self.online.wait(), NAMESPACE_WAIT_S)

    @property
    def is_online(self) -> bool:
        return self.online.is_set() and self.sio.connected

    async def call(self, event: str, data: Any, timeout: float | None = None) -> dict[str, Any]:
        result = await self.sio.call(event, data, namespace=self.namespace, timeout=timeout or self.ack_timeout)
        assert isinstance(result, dict), result
        return result

    async def ok(self, event: str, data: Any, timeout: float | None = None) -> dict[str, Any]:
        result = await self.call(event, data, timeout)
        assert result.get("ok") is True, (event, result)
        return result

    async def wait_for(self, event: str, predicate: Callable[[Any], bool] | None = None, timeout: float = 10) -> Any:
        """The first received `event` (past or future) for which predicate(data) holds."""
        return await wait_for_event(self.events[event], self._arrived, event, predicate, timeout)

    async def close(self) -> None:
        self._closing = True
        self.sio.reconnection = False
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.sio.shutdown()


async def sync_all(peer: Peer, event: str, ref: dict[str, Any], after: str | None) -> list[dict[str, Any]]:
    """Every message after `after` (or from the start), page by page, as a client resyncs."""
    out: list[dict[str, Any]] = []
    for _ in range(1000):
        page = await peer.ok(event, {**ref, **({"after": after} if after else {})})
        out += page["messages"]
        if not page["more"] or not page["messages"]:
            return out
        after = page["messages"][-1]["id"]
    raise AssertionError("sync did not end")


def cli_env(settings: Settings) -> dict[str, str]:
    """The environment of `python -m server …` commands for these settings."""
    return {
        **clean_environ(),
        "KVARTER_SECRET_KEY": settings.secret_key,
        "KVARTER_DATABASE_URL": settings.database_url,
        "KVARTER_REDIS_URL": settings.redis_url or "",
        "KVARTER_REDIS_PREFIX": settings.redis_prefix,
    }


def _key(message: dict[str, Any]) -> tuple[str, str, str]:
    return message["id"], message["client_id"], message["body"]


IN_FLIGHT_S = 2.0  # the web client's IN_FLIGHT_MS (webclient/src/shared/store/messages.ts)


class Arrivals:
    """When each message id first reached one view, and where its next resync starts — the web
    client's MessageStore cursor: held at a drop at the newest message that arrived IN_FLIGHT_S
    before it (an earlier id may still have been on its way), released once a resync completed."""

    def __init__(self) -> None:
        self.at: dict[str, float] = {}
        self.written: dict[str, dt.datetime] = {}  # each message's created_at (the server's clock)
        self.held: tuple[str | None] | None = None

    def note(self, messages: Iterable[dict[str, Any]]) -> None:
        now = time.monotonic()
        for m in messages:
            self.at.setdefault(m["id"], now)
            self.written[m["id"]] = dt.datetime.fromisoformat(m["created_at"])

    def hold_since(self, since: str) -> None:
        """`sync:needed {since}`: the server's Redis subscription was lost at `since`; resync
        from the newest message written IN_FLIGHT_S before that (the web client's holdSince)."""
        edge = dt.datetime.fromisoformat(since) - dt.timedelta(seconds=IN_FLIGHT_S)
        old = [i for i, t in self.written.items() if t <= edge]
        self.held = (max(old) if old else min(self.at, default=None),)

    def hold(self) -> None:
        if self.held is None:
            old = [i for i, t in self.at.items() if t <= time.monotonic() - IN_FLIGHT_S]
            self.held = (max(old) if old else min(self.at, default=None),)

    def cursor(self) -> str | None:
        return self.held[0] if self.held is not None else max(self.at, default=None)

    def release(self) -> None:
        self.held = None


class ChatSide:
    """One side of a private chat: sends numbered messages, retrying each with the same
    client_id until it is acknowledged, keeps what it has seen, and resyncs after a reconnect
    from the last id it saw — what the widget and the console do."""

    def __init__(self, peer: Peer, conversation_id: str, tag: str) -> None:
        self.peer = peer
        self.conversation_id = conversation_id
        self.tag = tag
        self.acked: dict[str, dict[str, Any]] = {}
        self.refused: list[tuple[float, str, str]] = []  # (when, client_id, code)
        self.synced: list[dict[str, Any]] = []
        self.ack_seconds: list[float] = []
        self.arrivals = Arrivals()
        self.resyncs = 0
        peer.resync = self.resync
        peer.listeners.append(self._heard)
        peer.on_drop.append(self.arrivals.hold)

    def _heard(self, event: str, data: Any) -> None:
        if event == "chat:message" and data.get("conversation_id") == self.conversation_id:
            self.arrivals.note([data])
        elif event == "sync:needed":  # the connection stayed up, but events may have been lost
            self.arrivals.hold_since(data["since"])
            self.peer._spawn(self.resync(self.peer))

    def seen(self) -> dict[str, dict[str, Any]]:
        """Every message this side knows, by id: live events, resyncs and its own acks."""
        live = [m for m in self.peer.events["chat:message"] if m.get("conversation_id") == self.conversation_id]
        return {m["id"]: m for m in [*live, *self.synced, *self.acked.values()]}

    async def resync(self, peer: Peer, after: str | None = None) -> None:
        ref = {"conversation_id": self.conversation_id}
        page = await sync_all(peer, "chat:sync", ref, after or self.arrivals.cursor())
        self.synced += page
        self.arrivals.note(page)
        self.arrivals.release()
        self.resyncs += 1

    async def send(self, i: int, deadline: float, *, give_up_on_unavailable: bool = False) -> dict[str, Any] | None:
        """Send message i until acknowledged; None when refused as unavailable and told to give up."""
        cid = f"{self.tag}{i}"
        loop = asyncio.get_running_loop()
        while loop.time() < deadline:
            if not self.peer.is_online:
                await asyncio.sleep(0.05)
                continue
            payload = {"conversation_id": self.conversation_id, "client_id": cid, "body": f"{self.tag} nummer {i}"}
            sent = loop.time()
            try:
                result = await self.peer.call("chat:send", payload, timeout=5)
            except socketio.exceptions.SocketIOError:
                await asyncio.sleep(0.1)  # no ack: the connection went; send again with the same client_id
                continue
            self.ack_seconds.append(loop.time() - sent)
            if result["ok"]:
                self.acked[cid] = result["message"]
                self.arrivals.note([result["message"]])
                return result["message"]
            code = result["error"]["code"]
            self.refused.append((loop.time(), cid, code))
            assert code == "unavailable", result
            if give_up_on_unavailable:
                return None
            await asyncio.sleep(0.25)
        raise AssertionError(f"{cid} was not acknowledged in time")

    async def talk(self, numbers: Iterable[int], deadline: float, pace: float = 0.02) -> None:
        for i in numbers:
            await self.send(i, deadline)
            await asyncio.sleep(pace)


def check_chat(sides: list[ChatSide], stored: list[dict[str, Any]]) -> None:
    """Every acknowledged message is stored once and known to every side; nothing is twice."""
    stored_ids = [m["id"] for m in stored]
    stored_cids = [m["client_id"] for m in stored]
    assert len(stored_ids) == len(set(stored_ids)), "a message id came back twice"
    assert len(stored_cids) == len(set(stored_cids)), "a client_id was stored twice"
    stored_keys = {_key(m) for m in stored}
    acked = {_key(m) for side in sides for m in side.acked.values()}
    assert acked <= stored_keys, f"acknowledged but not stored: {sorted(acked - stored_keys)[:5]}"
    for side in sides:
        seen = side.seen()
        missing = {k for k in acked if k[0] not in seen}
        assert not missing, f"{side.tag}: acknowledged messages never seen: {sorted(missing)[:5]}"
        by_cid: dict[str, set[str]] = defaultdict(set)
        for m in seen.values():
            by_cid[m["client_id"]].add(m["id"])
        assert all(len(ids) == 1 for ids in by_cid.values()), f"{side.tag}: one client_id under two ids"


class RoomView:
    """What one young person in a room has seen; after a reconnect it joins the room again and
    syncs from the last id it saw, like the widget."""

    def __init__(self, peer: Peer, room: str) -> None:
        self.peer = peer
        self.room = room
        self.synced: list[dict[str, Any]] = []
        self.arrivals = Arrivals()
        peer.resync = self.resync
        peer.listeners.append(self._heard)
        peer.on_drop.append(self.arrivals.hold)

    def _heard(self, event: str, data: Any) -> None:
        if event == "room:message" and data.get("room") == self.room:
            self.arrivals.note([data])

    def seen(self) -> dict[str, dict[str, Any]]:
        live = [m for m in self.peer.events["room:message"] if m.get("room") == self.room]
        return {m["id"]: m for m in [*live, *self.synced]}

    def delivered_twice(self) -> list[str]:
        """Ids delivered live more than once (`seen` folds repeats by id, so it cannot show them;
        a resync overlapping live deliveries is expected and not counted here)."""
        counts = Counter(m["id"] for m in self.peer.events["room:message"] if m.get("room") == self.room)
        return sorted(i for i, n in counts.items() if n > 1)

    async def join(self, peer: Peer | None = None) -> None:
        messages = (await (peer or self.peer).ok("room:join", {"room": self.room}))["messages"]
        self.synced += messages
        self.arrivals.note(messages)

    async def resync(self, peer: Peer) -> None:
        after = self.arrivals.cursor()
        await self.join(peer)
        page = await sync_all(peer, "room:sync", {"room": self.room}, after)
        self.synced += page
        self.arrivals.note(page)
        self.arrivals.release()
