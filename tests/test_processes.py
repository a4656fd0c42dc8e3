"""Real server processes: a crash loses nothing acknowledged; two processes share Redis."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
import socketio

from server.clock import SystemClock
from server.config import Settings
from server.services import accounts, neighbourhoods
from server.services.deps import Deps
from server.services.emitter import NullEmitter
from server.storage.db import Database
from tests import services
from tests.clients import Client, cid, staff_cookie
from tests.conftest import free_port
from tests.procs import ServerProcess

pytestmark = pytest.mark.multiprocess


@pytest.fixture
async def seeded(settings: Settings) -> tuple[Settings, str]:
    """The test database with a neighbourhood and an officer, set up without a server."""
    db = Database(settings.database_url)
    deps = Deps(settings=settings, db=db, clock=SystemClock(), emitter=NullEmitter())
    await neighbourhoods.add(deps, slug="umea", name="Umeå centrum", police_area="Umeå", region="Nord")
    _, password = await accounts.create_user(deps, username="anna", role="officer", display_name="Anna")
    await db.close()
    return settings, password


async def youth_client(url: str, token: str | None = None) -> Client:
    c = Client(url, "/youth")
    await c.connect(auth={"token": token} if token else None)
    await c.wait_for("session")
    return c


async def test_crash_loses_no_acknowledged_message(seeded: tuple[Settings, str], tmp_path: Path) -> None:
    """SIGKILL the server mid-conversation; after restart every acknowledged message is there, once."""
    settings, _ = seeded
    proc = ServerProcess(settings, port=free_port(), log_path=tmp_path / "server.log")
    await proc.start()
    try:
        youth = await youth_client(proc.url)
        token = youth.session["token"]
        conv = (await youth.ok("chat:open", {"room": "umea"}))["conversation"]["id"]
        acked: list[dict[str, object]] = []

        async def sender() -> None:
            for i in range(1000):
                # `ok`: an error answer is a failure of its own, not the connection dying.
                result = await youth.ok(
                    "chat:send", {"conversation_id": conv, "client_id": f"c{i}", "body": f"hemlig {i}"}
                )
                acked.append(result["message"])

        task = asyncio.create_task(sender())
        while len(acked) < 20:
            await asyncio.sleep(0.01)
        proc.kill()
        # The connection dies with the process: socket.io's client error (an ack that never
        # comes, or a namespace that is gone), and nothing else.
        with pytest.raises(socketio.exceptions.SocketIOError):
            await task
        assert len(acked) >= 20

        await proc.start()
        again = await youth_client(proc.url, token)
        stored: list[dict[str, object]] = []
        after = None
        while True:
            page = await again.ok("chat:sync", {"conversation_id": conv, **({"after": after} if after else {})})
            stored += page["messages"]
            if not page["more"]:
                break
            after = page["messages"][-1]["id"]
        stored_ids = [m["id"] for m in stored]
        assert len(stored_ids) == len(set(stored_ids))
        for message in acked:
            assert message in stored
        # Resending what may have been in flight with the same client_ids adds nothing twice.
        n = len(stored)
        for i in range(n - 1, n + 2):
            await again.ok("chat:send", {"conversation_id": conv, "client_id": f"c{i}", "body": f"hemlig {i}"})
        final = await again.ok("chat:sync", {"conversation_id": conv, "after": stored[-1]["id"]})
        assert [m["client_id"] for m in final["messages"]] == [f"c{n}", f"c{n + 1}"]
        await again.disconnect()
    finally:
        proc.stop()
    server_log = (tmp_path / "server.log").read_text()
    assert "Kvarter serving" in server_log
    assert "hemlig" not in server_log
    assert token not in server_log


async def test_two_processes_share_events_through_redis(seeded: tuple[Settings, str], tmp_path: Path) -> None:
    """A youth on one process and an officer on another talk in a room and a private chat."""
    services.need_redis()
    settings, password = seeded
    settings = replace(settings, redis_url=services.REDIS_URL)
    a = ServerProcess(settings, port=free_port(), log_path=tmp_path / "a.log")
    b = ServerProcess(settings, port=free_port(), log_path=tmp_path / "b.log")
    await asyncio.gather(a.start(), b.start())
    try:
        officer = Client(b.url, "/staff")
        await officer.connect(headers={"Cookie": await staff_cookie(b.url, "anna", password)})
        await officer.ok("duty:start", {"rooms": ["umea"]})
        await officer.ok("room:join", {"room": "umea"})
        youth = await youth_client(a.url)
        joined = await youth.ok("room:join", {"room": "umea"})
        assert joined["availability"]["officers_on_duty"] == 1

        said = await youth.ok("room:send", {"room": "umea", "client_id": cid(), "body": "hej från A"})
        await officer.wait_for("room:message", lambda m: m["id"] == said["message"]["id"])
        reply = await officer.ok("room:send", {"room": "umea", "client_id": cid(), "body": "hej från B"})
        await youth.wait_for("room:message", lambda m: m["id"] == reply["message"]["id"])

        conv = (await youth.ok("chat:open", {"room": "umea", "client_id": cid(), "body": "privat"}))["conversation"]
        await officer.wait_for("inbox:updated", lambda d: d["conversation"]["id"] == conv["id"])
        await officer.ok("chat:take", {"conversation_id": conv["id"]})
        await youth.wait_for("chat:updated", lambda c: c["status"] == "active")
        out = await officer.ok("chat:send", {"conversation_id": conv["id"], "client_id": cid(), "body": "svar"})
        await youth.wait_for("chat:message", lambda m: m["id"] == out["message"]["id"])
        back = await youth.ok("chat:send", {"conversation_id": conv["id"], "client_id": cid(), "body": "tack"})
        await officer.wait_for("chat:message", lambda m: m["id"] == back["message"]["id"])

        await officer.ok("duty:end", {})
        closed = await youth.wait_for("availability", lambda d: d["officers_on_duty"] == 0)
        assert closed["open"] is False
        await youth.disconnect()
        await officer.disconnect()
    finally:
        a.stop()
        b.stop()


async def test_sigterm_disconnects_clients_and_exits(seeded: tuple[Settings, str], tmp_path: Path) -> None:
    """A graceful stop closes open websockets and the process exits promptly."""
    settings, _ = seeded
    proc = ServerProcess(settings, port=free_port(), log_path=tmp_path / "server.log")
    await proc.start()
    youth = await youth_client(proc.url)
    assert proc.proc is not None
    proc.proc.terminate()
    loop = asyncio.get_running_loop()
    started = loop.time()
    while proc.proc.poll() is None and loop.time() - started < 20:
        await asyncio.sleep(0.1)
    assert proc.proc.poll() is not None, "the server did not exit within 20 s of SIGTERM"
    assert loop.time() - started < 10
    for _ in range(50):
        if not youth.sio.connected:
            break
        await asyncio.sleep(0.1)
    assert not youth.sio.connected


async def test_claims_on_two_processes_have_one_winner(seeded: tuple[Settings, str], tmp_path: Path) -> None:
    """Officers spread over two processes claim one report at once: exactly one wins."""
    services.need_redis()
    settings, _ = seeded
    settings = replace(settings, redis_url=services.REDIS_URL)
    db = Database(settings.database_url)
    deps = Deps(settings=settings, db=db, clock=SystemClock(), emitter=NullEmitter())
    passwords = [
        (await accounts.create_user(deps, username=f"polis{i}", role="officer", region="Nord"))[1] for i in range(10)
    ]
    await db.close()
    a = ServerProcess(settings, port=free_port(), log_path=tmp_path / "a.log")
    b = ServerProcess(settings, port=free_port(), log_path=tmp_path / "b.log")
    await asyncio.gather(a.start(), b.start())
    officers: list[Client] = []
    try:
        for i, password in enumerate(passwords):
            proc = a if i % 2 else b
            officer = Client(proc.url, "/staff")
            await officer.connect(headers={"Cookie": await staff_cookie(proc.url, f"polis{i}", password)})
            await officer.ok("duty:start", {"rooms": ["umea"]})
            officers.append(officer)
        youth = await youth_client(a.url)
        sent = await youth.ok(
            "report:submit",
            {"room": "umea", "client_id": cid(), "category": "violence", "happening_now": True, "body": "hjälp"},
        )
        rid = sent["report"]["id"]
        await asyncio.gather(*(o.wait_for("triage:new", lambda r: r["id"] == rid) for o in officers))
        results = await asyncio.gather(*(o.call("triage:claim", {"report_id": rid}) for o in officers))
        assert sum(r["ok"] for r in results) == 1
        assert sorted(r["error"]["code"] for r in results if not r["ok"]) == ["conflict"] * 9
        await youth.wait_for("report:updated", lambda r: r["status"] == "claimed")
        await youth.disconnect()
    finally:
        for o in officers:
            await o.disconnect()
        a.stop()
        b.stop()


async def test_a_shift_ends_across_two_processes(seeded: tuple[Settings, str], tmp_path: Path) -> None:
    """The officer on one process, the young person and a colleague on the other: the officer's
    duty end tells the young person there at once and puts the chat in the colleague's inbox; the
    colleague takes it and hands it back across the processes, and the young person sees who has it."""
    services.need_redis()
    settings, password = seeded
    settings = replace(settings, redis_url=services.REDIS_URL)
    db = Database(settings.database_url)
    deps = Deps(settings=settings, db=db, clock=SystemClock(), emitter=NullEmitter())
    _, other_password = await accounts.create_user(deps, username="erik", role="officer", display_name="Erik")
    await db.close()
    a = ServerProcess(settings, port=free_port(), log_path=tmp_path / "a.log")
    b = ServerProcess(settings, port=free_port(), log_path=tmp_path / "b.log")
    await asyncio.gather(a.start(), b.start())
    clients: list[Client] = []
    try:
        anna = Client(b.url, "/staff")
        await anna.connect(headers={"Cookie": await staff_cookie(b.url, "anna", password)})
        erik = Client(a.url, "/staff")
        await erik.connect(headers={"Cookie": await staff_cookie(a.url, "erik", other_password)})
        youth = await youth_client(a.url)
        clients += [anna, erik, youth]
        await anna.ok("duty:start", {"rooms": ["umea"]})
        await erik.ok("duty:start", {"rooms": ["umea"]})
        conv = (await youth.ok("chat:open", {"room": "umea", "client_id": cid(), "body": "Hej"}))["conversation"]["id"]
        await anna.wait_for("inbox:updated", lambda d: d["conversation"]["id"] == conv)
        await anna.ok("chat:take", {"conversation_id": conv})
        await youth.wait_for("chat:updated", lambda c: c["status"] == "active")

        await anna.ok("duty:end", {})
        await youth.wait_for("chat:updated", lambda c: c["status"] == "waiting", timeout=1)
        line = await youth.wait_for("chat:message", lambda m: m["author"]["kind"] == "system")
        assert line["body"].startswith("Anna har gått av sitt pass.")
        await erik.wait_for("inbox:updated", lambda d: d["conversation"]["status"] == "waiting")
        await erik.ok("chat:take", {"conversation_id": conv})
        await anna.ok("duty:start", {"rooms": ["umea"]})
        anna_id = next(
            o["id"] for r in (await erik.ok("duty:roster", {}))["rooms"] for o in r["officers"] if o["name"] == "Anna"
        )
        await erik.ok("chat:transfer", {"conversation_id": conv, "to": anna_id, "note": "Tillbaka till dig"})
        await youth.wait_for("chat:updated", lambda c: c["officer"] is not None and c["officer"]["name"] == "Anna")
        note = await anna.wait_for("chat:note", lambda n: n["note"]["conversation_id"] == conv)
        assert note["note"]["body"] == "Tillbaka till dig"
        history = (await anna.ok("chat:sync", {"conversation_id": conv}))["messages"]
        assert [m["author"]["kind"] for m in history] == ["youth", "system", "system"]
    finally:
        for c in clients:
            if c.sio.connected:
                await c.disconnect()
        a.stop()
        b.stop()
