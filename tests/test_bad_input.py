"""Bad input on every event gets the documented error code, keeps the connection, stores nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from server.storage.models import Conversation, Message, Youth
from tests.clients import Client, cid
from tests.conftest import Running

WRONG_TYPES: dict[type, list[Any]] = {
    str: [123, True, None, ["x"], {"x": 1}],
    bool: ["yes", 1, None],
    list: ["ostersund", {"a": 1}, None],
}


def youth_events(room: str, conv: str) -> dict[str, dict[str, Any]]:
    """A valid payload for each /youth event."""
    return {
        "profile:set": {"nickname": "Lo-42"},
        "room:join": {"room": room},
        "room:leave": {"room": room},
        "room:send": {"room": room, "client_id": cid(), "body": "hej"},
        "room:sync": {"room": room},
        "chat:open": {"room": room},
        "chat:send": {"conversation_id": conv, "client_id": cid(), "body": "hej"},
        "chat:sync": {"conversation_id": conv},
        "chat:typing": {"conversation_id": conv, "typing": True},
        "chat:close": {"conversation_id": conv},
    }


def bad_variants(valid: dict[str, Any]) -> list[tuple[str, Any]]:
    """Payloads that must fail the schema: not objects, unknown, missing and mistyped fields."""
    cases: list[tuple[str, Any]] = [
        ("string", "hello"), ("number", 42), ("array", [valid]), ("null", None),
        ("unknown field", {**valid, "admin": True}),
    ]  # fmt: skip
    for key, value in valid.items():
        cases.append((f"missing {key}", {k: v for k, v in valid.items() if k != key}))
        for wrong in WRONG_TYPES[type(value)]:
            cases.append((f"{key}={wrong!r}", {**valid, key: wrong}))
    return cases


async def counts(server: Running) -> tuple[int, int, int]:
    engine = create_async_engine(server.settings.database_url)
    async with engine.connect() as conn:
        result = (
            await conn.scalar(select(func.count()).select_from(Message)),
            await conn.scalar(select(func.count()).select_from(Conversation)),
            await conn.scalar(select(func.count()).select_from(Youth)),
        )
    await engine.dispose()
    return result  # type: ignore[return-value]


async def still_alive(client: Client) -> None:
    assert (await client.call("room:sync", {"room": "umea"}))["ok"] is True


async def test_every_youth_event_rejects_malformed_payloads(server: Running) -> None:
    """Non-objects, unknown/missing/mistyped fields → `invalid` on every /youth event, nothing stored."""
    youth = await server.youth()
    conv = (await youth.ok("chat:open", {"room": "umea"}))["conversation"]["id"]
    before = await counts(server)
    checked = 0
    for event, valid in youth_events("umea", conv).items():
        for label, payload in bad_variants(valid):
            result = await youth.call(event, payload)
            assert result["ok"] is False, (event, label, result)
            assert result["error"]["code"] == "invalid", (event, label, result)
            assert result["error"]["message"]
            checked += 1
    await still_alive(youth)
    assert await counts(server) == before
    assert checked > 80


async def test_extra_arguments_and_unknown_events_are_invalid(server: Running) -> None:
    """Two arguments or an unknown event name → `invalid`, and the connection lives on."""
    youth = await server.youth()
    two = await youth.call("room:sync", {"room": "umea"}, {"room": "umea"})
    assert two["error"]["code"] == "invalid"
    unknown = await youth.call("triage:claim", {"report_id": "1"})
    assert unknown["error"]["code"] == "invalid"
    await still_alive(youth)


@pytest.mark.parametrize("event", ["room:send", "chat:send", "chat:open"])
async def test_body_over_the_limit_is_too_long(server: Running, event: str) -> None:
    """A 2,001-character body → `too_long`; 2,000 characters is accepted."""
    youth = await server.youth()
    conv = (await youth.ok("chat:open", {"room": "umea"}))["conversation"]["id"]
    before = await counts(server)
    target = {"conversation_id": conv} if event == "chat:send" else {"room": "umea"}
    result = await youth.call(event, {**target, "client_id": cid(), "body": "å" * 2001})
    assert result["error"]["code"] == "too_long"
    assert await counts(server) == before
    ok = await youth.call(event, {**target, "client_id": cid(), "body": "å" * 2000})
    assert ok["ok"] is True


async def test_empty_body_is_invalid(server: Running) -> None:
    """A body of only white space is `invalid` and not stored."""
    youth = await server.youth()
    before = await counts(server)
    result = await youth.call("room:send", {"room": "umea", "client_id": cid(), "body": " \n\t "})
    assert result["error"]["code"] == "invalid"
    assert await counts(server) == before


async def test_unknown_and_foreign_conversations_look_the_same(server: Running) -> None:
    """Another youth's conversation id and a made-up id both give `not_found`, for every chat event."""
    owner = await server.youth()
    conv = (await owner.ok("chat:open", {"room": "umea"}))["conversation"]["id"]
    await owner.ok("chat:send", {"conversation_id": conv, "client_id": cid(), "body": "privat"})
    intruder = await server.youth()
    before = await counts(server)
    for target in (conv, "0" * 32, "nope"):
        for event, payload in youth_events("umea", target).items():
            if not event.startswith("chat:") or event == "chat:open":
                continue
            result = await intruder.call(event, payload)
            assert result["error"] == {"code": "not_found", "message": "no such conversation"}, (
                event,
                target,
            )
    assert await counts(server) == before
    assert not intruder.events.get("chat:message")


async def test_unknown_room_is_not_found(server: Running) -> None:
    """A well-formed but unknown neighbourhood → `not_found`; a malformed slug → `invalid`."""
    youth = await server.youth()
    for event in ("room:join", "room:sync", "chat:open"):
        assert (await youth.call(event, {"room": "atlantis"}))["error"]["code"] == "not_found"
        assert (await youth.call(event, {"room": "../etc"}))["error"]["code"] == "invalid"
    sent = await youth.call("room:send", {"room": "atlantis", "client_id": cid(), "body": "x"})
    assert sent["error"]["code"] == "not_found"


async def test_over_long_client_id_is_invalid(server: Running) -> None:
    """client_id is at most 64 characters."""
    youth = await server.youth()
    result = await youth.call("room:send", {"room": "umea", "client_id": "x" * 65, "body": "hej"})
    assert result["error"]["code"] == "invalid"


async def test_staff_events_reject_bad_input(server: Running) -> None:
    """Officer events validate too: wrong types, unknown rooms, writing before taking."""
    _, officer = await server.on_duty("umea")
    cases: list[tuple[str, Any, str]] = [
        ("duty:start", {"rooms": []}, "invalid"),
        ("duty:start", {"rooms": "umea"}, "invalid"),
        ("duty:start", {"rooms": ["atlantis"]}, "not_found"),
        ("duty:end", {"now": True}, "invalid"),
        ("inbox:list", [], "invalid"),
        ("chat:take", {"conversation_id": 7}, "invalid"),
        ("chat:take", {"conversation_id": "missing"}, "not_found"),
        ("room:send", {"room": "umea", "client_id": cid(), "body": "x" * 2001}, "too_long"),
    ]
    for event, payload, code in cases:
        result = await officer.call(event, payload)
        assert result.get("error", {}).get("code") == code, (event, payload, result)
    youth = await server.youth()
    conv = (await youth.ok("chat:open", {"room": "umea"}))["conversation"]["id"]
    early = await officer.call("chat:send", {"conversation_id": conv, "client_id": cid(), "body": "x"})
    assert early["error"]["code"] == "forbidden"
    assert (await officer.call("inbox:list", {}))["ok"] is True


async def test_nickname_rules(server: Running) -> None:
    """Nicknames: 2-32 visible characters, and nothing that passes for police."""
    youth = await server.youth()
    assert (await youth.call("profile:set", {"nickname": "x"}))["error"]["code"] == "invalid"
    assert (await youth.call("profile:set", {"nickname": "a" * 33}))["error"]["code"] == "invalid"
    assert (await youth.call("profile:set", {"nickname": "Polisen Anna"}))["error"]["code"] == "blocked"
    assert (await youth.call("profile:set", {"nickname": "a\u200bb"}))["error"]["code"] == "invalid"
    ok = await youth.ok("profile:set", {"nickname": "  Lo   42 "})
    assert ok["youth"]["nickname"] == "Lo 42"
