"""Nothing a person wrote or holds reaches a log line, and no address or bearer secret reaches the
database: a server process at DEBUG, every byte of its output kept, fed canaries in every place
content enters (room and private messages, nicknames, reports and their locations, handover notes,
notices and tips, Q&A questions, moderation reasons, review notes, failed logins' usernames and
passwords, a forged youth token), from a client address and an X-Forwarded-For of its own.

tests/test_privacy.py checks the same for the loggers of an in-process server; this one also sees
what libraries print, the access log and start-up, and looks in the database.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import String, Text, select
from sqlalchemy.ext.asyncio import create_async_engine

from server.clock import SystemClock
from server.config import Settings
from server.http import csrf
from server.services import accounts, neighbourhoods, schedules
from server.services.deps import Deps
from server.services.emitter import NullEmitter
from server.storage.db import Database
from server.storage.models import Base
from tests.clients import Client, cid, staff_cookie
from tests.conftest import ALWAYS, free_port
from tests.procs import ServerProcess

pytestmark = [pytest.mark.multiprocess, pytest.mark.parametrize("backend", ["sqlite"])]

CLIENT_ADDRESS = "127.0.0.77"  # the clients' own address; the server listens on 127.0.0.1
FORWARDED = "203.0.113.77"  # what a client claims in X-Forwarded-For
RUN = secrets.token_hex(3)
CANARY = {
    kind: f"kanarie{kind}{RUN}"
    for kind in (
        "room", "nick", "chat", "reply", "report", "place", "note", "notice", "tip", "question", "mute",
        "review", "hold", "password", "username", "token", "long", "unknown", "answer", "staffpw",
    )
}  # fmt: skip


class Local:
    """HTTP and socket.io clients whose connections come from CLIENT_ADDRESS."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sessions: list[aiohttp.ClientSession] = []
        self.clients: list[Client] = []

    def http(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(local_addr=(CLIENT_ADDRESS, 0))
        session = aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.sessions.append(session)
        return session

    async def socket(self, namespace: str, **connect: Any) -> Client:
        client = Client(self.url, namespace)
        client.sio.eio.http = self.http()
        headers = {"X-Forwarded-For": FORWARDED, **connect.pop("headers", {})}
        await client.connect(headers=headers, **connect)
        self.clients.append(client)
        return client

    async def login(self, username: str, password: str, totp: str | None = None) -> tuple[int, str | None]:
        http = self.http()
        async with http.get(f"{self.url}/api/auth/csrf") as resp:
            token = (await resp.json())["token"]
        creds = {"username": username, "password": password, **({"totp": totp} if totp else {})}
        headers = {csrf.CSRF_HEADER: token, "X-Forwarded-For": FORWARDED}
        async with http.post(f"{self.url}/api/auth/login", json=creds, headers=headers) as resp:
            session = resp.cookies.get("kvarter_session")
            return resp.status, session.value if session else None

    async def close(self) -> None:
        for client in self.clients:
            if client.sio.connected:
                await client.disconnect()
        for session in self.sessions:
            await session.close()


@pytest.fixture
async def seeded(settings: Settings) -> dict[str, str]:
    """Umeå open round the clock, an officer and a supervisor (passwords generated)."""
    db = Database(settings.database_url)
    deps = Deps(settings=settings, db=db, clock=SystemClock(), emitter=NullEmitter())
    await neighbourhoods.add(deps, slug="umea", name="Umeå centrum", police_area="Umeå", region="Nord")
    for spec in ALWAYS:
        await schedules.add_weekly(deps, None, "umea", spec)
    _, officer = await accounts.create_user(deps, username="anna", role="officer", display_name="Anna", region="Nord")
    _, boss = await accounts.create_user(deps, username="bo", role="supervisor", display_name="Bo", region="Nord")
    await db.close()
    return {"officer": officer, "supervisor": boss}


@pytest.fixture
async def process(settings: Settings, seeded: dict[str, str], tmp_path: Path) -> AsyncIterator[ServerProcess]:
    proc = ServerProcess(settings, port=free_port(), log_path=tmp_path / "server.log")
    proc.env["KVARTER_LOG_LEVEL"] = "DEBUG"
    await proc.start()
    try:
        yield proc
    finally:
        proc.stop()


async def stored_text(database_url: str) -> str:
    """Every text value in every table, as one string."""
    engine = create_async_engine(database_url)
    out: list[str] = []
    async with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text)]
            if columns:
                for found in await conn.execute(select(*columns)):
                    out.extend(str(v) for v in found if v is not None)
    await engine.dispose()
    return "\n".join(out)


@pytest.mark.timeout(180)
async def test_no_content_secret_or_address_in_logs_or_database(
    process: ServerProcess, seeded: dict[str, str], settings: Settings
) -> None:
    """A whole evening of activity with a canary in every place content enters; afterwards the
    process's complete output at DEBUG holds none of them, nor a token, a session cookie, a
    password or a client address, and the database holds no address and no bearer secret."""
    local = Local(process.url)
    secrets_seen: list[str] = []
    try:
        # Staff: failed logins first (a canary as password, and as username), then real ones.
        assert (await local.login("anna", CANARY["password"]))[0] == 401
        assert (await local.login(CANARY["username"], CANARY["password"]))[0] == 401
        status, officer_session = await local.login("anna", seeded["officer"])
        assert status == 200 and officer_session
        secrets_seen.append(officer_session)
        officer = await local.socket("/staff", headers={"Cookie": f"kvarter_session={officer_session}"})
        await officer.ok("duty:start", {"rooms": ["umea"]})
        boss_cookie = await staff_cookie(process.url, "bo", seeded["supervisor"])
        secrets_seen.append(boss_cookie.split("=", 1)[1])
        boss = await local.socket("/staff", headers={"Cookie": boss_cookie})

        # A young person with a forged token gets a new identity; the real token is a secret too.
        youth = await local.socket("/youth", auth={"token": CANARY["token"]})
        session = await youth.wait_for("session")
        secrets_seen.append(session["token"])
        await youth.ok("profile:set", {"nickname": CANARY["nick"]})
        await youth.call("profile:set", {"nickname": "Polisen " + CANARY["nick"]})  # blocked
        await youth.ok("room:join", {"room": "umea"})
        await youth.ok("room:send", {"room": "umea", "client_id": cid(), "body": CANARY["room"]})
        await youth.call("room:send", {"room": "umea", "client_id": cid(), "body": CANARY["long"] * 200})
        await youth.call("room:send", {"room": "umea", "client_id": cid(), "body": "x", CANARY["unknown"]: 1})
        opened = await youth.ok("chat:open", {"room": "umea", "client_id": cid(), "body": CANARY["chat"]})
        conv = opened["conversation"]["id"]
        await officer.ok("chat:take", {"conversation_id": conv})
        await officer.ok("chat:send", {"conversation_id": conv, "client_id": cid(), "body": CANARY["reply"]})
        await youth.ok(
            "report:submit",
            {"room": "umea", "client_id": cid(), "category": "unsafe", "happening_now": False,
             "body": CANARY["report"], "location": CANARY["place"]},
        )  # fmt: skip
        await officer.ok("handover:write", {"room": "umea", "body": CANARY["note"]})
        notice = (await officer.ok("notice:draft", {"room": "umea", "body": f"Vi söker vittnen {CANARY['notice']}"}))[
            "notice"
        ]["id"]
        await boss.ok("notice:approve", {"notice_id": notice})
        await youth.ok("notice:tip", {"notice_id": notice, "client_id": cid(), "body": CANARY["tip"]})
        now = dt.datetime.now(dt.UTC)
        qa = await officer.ok(
            "qa:schedule",
            {"room": "umea", "title": "Fråga polisen", "starts_at": (now - dt.timedelta(minutes=1)).isoformat(),
             "ends_at": (now + dt.timedelta(hours=1)).isoformat()},
        )  # fmt: skip
        asked = await youth.ok(
            "qa:ask", {"session_id": qa["session"]["id"], "client_id": cid(), "body": CANARY["question"]}
        )
        await officer.ok("qa:review", {"question_id": asked["question"]["id"], "decision": "approve"})
        await officer.ok("qa:answer", {"question_id": asked["question"]["id"], "body": CANARY["answer"]})
        assert session["youth"]["id"]
        await officer.ok(
            "moderation:mute", {"youth_id": session["youth"]["id"], "minutes": 1, "reason": CANARY["mute"]}
        )
        await officer.ok("chat:close", {"conversation_id": conv})

        # The supervisor reviews the chat over HTTP.
        http = local.http()
        async with http.get(f"{process.url}/api/auth/csrf", headers={"Cookie": boss_cookie}) as resp:
            token = (await resp.json())["token"]  # bound to the supervisor's session
        headers = {"Cookie": f"{boss_cookie}; {csrf.CSRF_COOKIE}={token}", csrf.CSRF_HEADER: token}
        review = {"answered_in_time": True, "right_handoff": True, "good_tone": True, "secrecy_kept": True,
                  "notes": CANARY["review"]}  # fmt: skip
        async with http.post(f"{process.url}/api/transcripts/{conv}/review", json=review, headers=headers) as resp:
            assert resp.status == 201, await resp.text()
        hold = {"hold": True, "reason": CANARY["hold"]}
        async with http.post(f"{process.url}/api/transcripts/{conv}/hold", json=hold, headers=headers) as resp:
            assert resp.status == 200, await resp.text()
        # A right password with a wrong second factor.
        assert (await local.login("bo", seeded["supervisor"], totp="000000"))[0] == 401
    finally:
        await local.close()
        process.stop()

    log = process.log_path.read_text(encoding="utf-8", errors="replace")
    assert " DEBUG " in log, "the server did not log at DEBUG"
    assert "event=room:send" in log, "the server logged no events"
    leaks = {kind: value for kind, value in CANARY.items() if value in log}
    leaks |= {f"secret {s[:6]}…": s for s in secrets_seen if s in log}
    for password in seeded.values():
        if password in log:
            leaks["a staff password"] = password
    for address in (CLIENT_ADDRESS, FORWARDED):
        if address in log:
            leaks[f"address {address}"] = address
    assert not leaks, f"in the log: {sorted(leaks)}"

    stored = await stored_text(settings.database_url)
    assert CANARY["room"] in stored, "the database scan found nothing; is it the right database?"
    for value in (CLIENT_ADDRESS, FORWARDED, CANARY["token"], CANARY["password"], CANARY["username"],
                  *secrets_seen, *seeded.values()):  # fmt: skip
        assert value not in stored, f"{value[:12]}… is stored"
