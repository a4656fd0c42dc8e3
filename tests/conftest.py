"""Fixtures: a real database per run (SQLite always, PostgreSQL when it answers), a real
server on an ephemeral port, real socket.io clients."""

from __future__ import annotations

import asyncio
import secrets
import shutil
import socket
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from blockbuster import blockbuster_ctx
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from server import patches
from server.app import create_app
from server.clock import Clock, FakeClock
from server.config import Settings
from server.http import csrf
from server.http.keys import DEPS
from server.services import accounts, neighbourhoods, schedules
from server.services.deps import Deps
from server.services.hooks import PiiSpans, RiskSignals
from server.storage import migrate
from tests import services
from tests.clients import Client, csrf_pair, staff_cookie

# The test servers close peer-ended connections as `python -m server serve` does.
patches.install_process()

RUN_ID = secrets.token_hex(4)
SECRET = secrets.token_urlsafe(48)
TABLES = (
    "audit_log", "feedback", "quality_reviews", "handover_notes", "closures", "schedule_windows",
    "handoffs", "reports", "messages", "duty_sessions", "conversations", "staff_sessions", "youths",
    "staff_users", "neighbourhoods", "login_failures",
)  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test."""
    path = tmp_path_factory.mktemp("db") / "template.db"
    migrate.upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, migrated once, dropped at the end."""
    services.need_postgres()
    name = f"kvarter_test_{RUN_ID}"
    admin = services.PG_ADMIN_URL.replace("postgresql://", "postgresql+asyncpg://")

    async def admin_sql(sql: str) -> None:
        engine = create_async_engine(admin, isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text(sql))
        await engine.dispose()

    def run(sql: str) -> None:
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, admin_sql(sql)).result()

    run(f'CREATE DATABASE "{name}"')
    url = admin.rsplit("/", 1)[0] + f"/{name}"
    migrate.upgrade(url)
    yield url
    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, migrated database for one test."""
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "kvarter.db"
        shutil.copy(template, path)
        return f"sqlite+aiosqlite:///{path}"
    url = str(request.getfixturevalue("postgres_url"))
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        # The audit log refuses TRUNCATE by trigger; tests reset it as superuser, triggers off.
        await conn.execute(text("SET session_replication_role = replica"))
        await conn.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
    await engine.dispose()
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    port = free_port()
    return Settings(
        secret_key=SECRET,
        database_url=database_url,
        host="127.0.0.1",
        port=port,
        allowed_origins=(f"http://127.0.0.1:{port}",),
        static_dir=tmp_path / "dist",
        redis_prefix=f"kvarter-test-{RUN_ID}:",
        # Tests drive one connection at machine speed (a hundred events in a row) and open crowds of
        # clients from 127.0.0.1; the per-connection flood limit and the per-source connection cap
        # keep their defaults in the tests that are about them (test_websocket_security.py), and so
        # do the limits on anonymous reports, chats and messages (test_abuse_resistance.py).
        event_rate=10_000,
        event_burst=10_000,
        max_connections_per_source=10_000,
        anonymous_burst=10_000,
        youth_chat_burst=10_000,
    )


@dataclass
class Officer:
    username: str
    password: str
    id: int
    cookie: str


@dataclass
class Running:
    """A server running in the test's event loop, with helpers to reach it."""

    url: str
    settings: Settings
    app: web.Application
    clients: list[Client]

    @property
    def deps(self) -> Deps:
        return self.app[DEPS]

    async def count(self, model: type[Any]) -> int:
        """Rows of a table, read on a connection of its own (what is stored, not what a
        service answers)."""
        engine = create_async_engine(self.settings.database_url)
        async with engine.connect() as conn:
            n = await conn.scalar(select(func.count()).select_from(model))
        await engine.dispose()
        return int(n or 0)

    @property
    def origin(self) -> str:
        return self.url

    async def api(self, who: Officer, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """An HTTP call with the staff member's session, as their browser makes it (Origin, the
        session-bound CSRF pair): the status and the JSON answer."""
        token, csrf_cookie = csrf_pair(self.settings.secret_key, who.cookie)
        headers = {csrf.CSRF_HEADER: token, "Origin": self.origin, "Cookie": f"{csrf_cookie}; {who.cookie}"}
        async with (
            aiohttp.ClientSession() as http,
            http.request(method, self.url + path, json=body, headers=headers) as resp,
        ):
            return resp.status, await resp.json()

    async def youth(self, token: str | None = None, **auth: Any) -> Client:
        c = Client(self.url, "/youth")
        await c.connect(auth={"token": token, **auth} if token or auth else None)
        await c.wait_for("session")
        self.clients.append(c)
        return c

    async def officer(self, username: str | None = None, role: str = "officer", region: str = "Mitt") -> Officer:
        username = username or f"officer{secrets.token_hex(3)}"
        user, password = await accounts.create_user(
            self.deps, username=username, role=role, display_name=f"Test {username}",
            police_area="Östersund", region=region,
        )  # fmt: skip
        clock = self.deps.clock
        fake = (lambda: clock.now().timestamp()) if isinstance(clock, FakeClock) else None
        cookie = await staff_cookie(self.url, username, password, now=fake)
        return Officer(username, password, user.id, cookie)

    async def staff(self, officer: Officer) -> Client:
        c = Client(self.url, "/staff")
        await c.connect(headers={"Cookie": officer.cookie})
        self.clients.append(c)
        return c

    async def on_duty(self, *rooms: str, role: str = "officer") -> tuple[Officer, Client]:
        """A new officer of the rooms' region, on duty for them (duty in another region needs
        a grant: tests of that make their officers themselves)."""
        async with self.deps.db.transaction() as tx:
            regions = {nb.region for nb in await tx.neighbourhoods.by_slugs(list(rooms))}
        assert len(regions) <= 1, f"rooms of several regions: {rooms}"
        officer = await self.officer(role=role, region=regions.pop() if regions else "Mitt")
        client = await self.staff(officer)
        await client.ok("duty:start", {"rooms": list(rooms)})
        return officer, client


ALWAYS = [f"{day} 00:00-24:00" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")]


NEIGHBOURHOODS = (
    ("ostersund", "Östersund", "Östersund", "Mitt"),
    ("umea", "Umeå centrum", "Umeå", "Nord"),
    ("are", "Åre", "Åre", "Mitt"),
)


async def add_open_neighbourhoods(deps: Deps) -> None:
    """Test neighbourhoods, scheduled around the clock so that open means 'an officer is on duty'."""
    for slug, name, area, region in NEIGHBOURHOODS:
        await neighbourhoods.add(deps, slug=slug, name=name, police_area=area, region=region)
        for spec in ALWAYS:
            await schedules.add_weekly(deps, None, slug, spec)


async def start_server(
    settings: Settings,
    clock: Clock | None = None,
    risk_signals: RiskSignals | None = None,
    pii_spans: PiiSpans | None = None,
) -> tuple[web.AppRunner, web.Application]:
    app = create_app(settings, clock=clock, risk_signals=risk_signals, pii_spans=pii_spans)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.host, settings.port).start()
    return runner, app


@pytest.fixture
async def chromium() -> AsyncIterator[Any]:
    """The system Chromium, driven by Playwright (tests/test_browser.py says how it is found)."""
    from playwright.async_api import async_playwright

    from tests.test_browser import CHROMIUM_ARGS, chromium_path

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


@pytest.fixture
def clock() -> FakeClock | None:
    """The server's clock: the real one unless a test overrides this fixture with a FakeClock."""
    return None


@pytest.fixture
def risk_signals() -> RiskSignals | None:
    """The moderation hook the server uses: its default unless a test overrides this fixture."""
    return None


@pytest.fixture
def pii_spans() -> PiiSpans | None:
    """The personal-data finder the server masks with: its default unless a test overrides it."""
    return None


@pytest.fixture
async def server(
    settings: Settings, clock: FakeClock | None, risk_signals: RiskSignals | None, pii_spans: PiiSpans | None
) -> AsyncIterator[Running]:
    """A running server; once it is up, a blocking call from server code on the loop fails the test."""
    runner, app = await start_server(settings, clock, risk_signals, pii_spans)
    running = Running(f"http://127.0.0.1:{settings.port}", settings, app, [])
    await add_open_neighbourhoods(running.deps)
    try:
        with blockbuster_ctx(["server"]) as bb:
            # asyncpg looks for ~/.pgpass and ~/.postgresql certificates while it parses the
            # arguments of each new pooled connection: a library detail, not a per-request cost.
            for function in bb.functions.values():
                function.can_block_in("asyncpg/connect_utils.py", "_parse_connect_dsn_and_args")
            yield running
    finally:
        for c in running.clients:
            if c.sio.connected:
                await c.disconnect()
        await runner.cleanup()
