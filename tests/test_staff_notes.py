"""chat:note: staff-only notes on a conversation — for the staff who can see the chat, in staff
chat:sync and supervisor transcripts, never for the young person; idempotent, audited, purged."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import aiohttp
import pytest

from server.clock import FakeClock
from server.config import Settings
from server.services import retention
from tests.clients import cid
from tests.conftest import Running


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2026, 12, 4, 19, 0, tzinfo=dt.UTC))


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, tick_seconds=60, retention_days={"chat": 1, "no_action": 1})


async def test_a_note_reaches_staff_only_once_per_client_id(server: Running) -> None:
    """The holder's note is stored once for a repeated client_id, reaches the holder's other console
    (positive control) and never the young person: after the officer's next message has reached
    them (the barrier), no note event and no note text is among what they received."""
    officer, console = await server.on_duty("ostersund")
    second_console = await server.staff(officer)
    youth = await server.youth()
    conv = (await youth.ok("chat:open", {"room": "ostersund"}))["conversation"]["id"]
    await console.ok("chat:take", {"conversation_id": conv})
    body = {"conversation_id": conv, "client_id": cid(), "body": "Ring soc, orosanmälan: mamma dricker"}
    first = await console.ok("chat:note", body)
    again = await console.ok("chat:note", body)
    assert first["note"]["id"] == again["note"]["id"]
    await second_console.wait_for("chat:note", lambda n: n["note"]["id"] == first["note"]["id"])
    barrier = await console.ok("chat:send", {"conversation_id": conv, "client_id": cid(), "body": "Hej igen"})
    await youth.wait_for("chat:message", lambda m: m["id"] == barrier["message"]["id"])
    assert "chat:note" not in youth.events
    assert "orosanmälan" not in repr(dict(youth.events))
    youth_view = await youth.ok("chat:sync", {"conversation_id": conv})
    assert "notes" not in youth_view and "orosanmälan" not in repr(youth_view)
    staff_view = await console.ok("chat:sync", {"conversation_id": conv})
    assert [n["id"] for n in staff_view["notes"]] == [first["note"]["id"]]


async def test_a_waiting_chat_takes_notes_from_everyone_on_duty(server: Running) -> None:
    """While a chat waits, any officer on duty for its room may note on it, and the others see it;
    an officer of another room may not (not_found, as for a made-up id)."""
    _, writer = await server.on_duty("ostersund")
    _, reader = await server.on_duty("ostersund")
    _, stranger = await server.on_duty("are")
    youth = await server.youth()
    conv = (await youth.ok("chat:open", {"room": "ostersund"}))["conversation"]["id"]
    note = await writer.ok("chat:note", {"conversation_id": conv, "client_id": cid(), "body": "Har skrivit förut"})
    await reader.wait_for("chat:note", lambda n: n["note"]["id"] == note["note"]["id"])
    refused = await stranger.call("chat:note", {"conversation_id": conv, "client_id": cid(), "body": "x"})
    made_up = await stranger.call("chat:note", {"conversation_id": "f" * 32, "client_id": cid(), "body": "x"})
    assert refused["error"] == made_up["error"] and refused["error"]["code"] == "not_found"


async def test_bad_notes_are_refused_and_store_nothing(server: Running) -> None:
    """Empty, 5,000 characters, no client_id, an unknown field: each refused with its code."""
    _, console = await server.on_duty("ostersund")
    youth = await server.youth()
    conv = (await youth.ok("chat:open", {"room": "ostersund"}))["conversation"]["id"]
    cases = [
        ({"client_id": cid(), "body": "   "}, "invalid"),
        ({"client_id": cid(), "body": "x" * 5000}, "too_long"),
        ({"body": "utan id"}, "invalid"),
        ({"client_id": cid(), "body": "ok", "secret": True}, "invalid"),
        ({"client_id": "c" * 65, "body": "ok"}, "invalid"),
    ]
    for extra, code in cases:
        result = await console.call("chat:note", {"conversation_id": conv, **extra})
        assert result["error"]["code"] == code, (extra, result)
    assert (await console.ok("chat:sync", {"conversation_id": conv}))["notes"] == []


async def test_notes_are_in_the_transcript_masked_audited_and_purged(server: Running, clock: FakeClock) -> None:
    """A supervisor's transcript shows the note among the messages, personal data masked; writing it
    was audited without its text; retention deletes it with the messages."""
    officer, console = await server.on_duty("ostersund")
    youth = await server.youth()
    conv = (await youth.ok("chat:open", {"room": "ostersund", "client_id": cid(), "body": "Hej"}))["conversation"]["id"]
    await console.ok("chat:take", {"conversation_id": conv})
    text = "Hon gav numret 070-123 45 67, ringer imorgon"
    await console.ok("chat:note", {"conversation_id": conv, "client_id": cid(), "body": text})
    await console.ok("chat:close", {"conversation_id": conv})
    supervisor = await server.officer(role="supervisor")
    async with aiohttp.ClientSession(headers={"Cookie": supervisor.cookie}) as http:
        async with http.get(f"{server.url}/api/transcripts/{conv}?reason=quality_review") as resp:
            assert resp.status == 200
            transcript = await resp.json()
        async with http.get(f"{server.url}/api/audit?target={conv}") as resp:
            entries = (await resp.json())["entries"]
    [note] = transcript["notes"]
    assert note["body"] == "Hon gav numret [telefonnummer], ringer imorgon"
    assert note["author"]["name"] == f"Test {officer.username}"
    noted = [e for e in entries if e["action"] == "chat.note"]
    # Without its text: none of its words, nor the number (ids are random hex, which may well
    # contain "070" — so the check is on the number as written and on the words).
    assert len(noted) == 1
    assert all(part not in repr(noted) for part in ("070-123 45 67", "numret", "ringer imorgon")), noted

    clock.advance(3 * 86400)
    counts = await retention.purge(server.deps, dry_run=False)
    assert counts["conversations"] == 1
    async with server.deps.db.transaction() as tx:
        assert await tx.notes.of_conversation(conv) == []
