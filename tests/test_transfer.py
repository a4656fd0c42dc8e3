"""chat:transfer: an active chat moves to a colleague on duty for its room, with a note; the
young person is told who has it now; the database decides between racing moves."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.clients import Client, cid
from tests.conftest import Officer, Running


async def held(server: Running) -> tuple[Officer, Client, Client, str]:
    """An officer holding a chat in Östersund, the young person, and the conversation id."""
    officer, console = await server.on_duty("ostersund")
    youth = await server.youth()
    conv = (await youth.ok("chat:open", {"room": "ostersund", "client_id": cid(), "body": "Hej"}))["conversation"]["id"]
    await console.ok("chat:take", {"conversation_id": conv})
    await youth.wait_for("chat:updated", lambda c: c["status"] == "active")
    return officer, console, youth, conv


async def test_a_transfer_is_seen_from_every_side(server: Running) -> None:
    """The colleague gets the chat with its history and the note; the young person is told the new
    officer's name and that they have read the conversation; the former officer loses it."""
    anna, anna_console, youth, conv = await held(server)
    answer = await anna_console.ok("chat:send", {"conversation_id": conv, "client_id": cid(), "body": "Berätta"})
    erik, erik_console = await server.on_duty("ostersund")
    moved = await anna_console.ok(
        "chat:transfer", {"conversation_id": conv, "to": str(erik.id), "note": "Festen på Storgatan, ingen skadad"}
    )
    assert moved["conversation"]["officer_id"] == str(erik.id)

    told = await youth.wait_for(
        "chat:updated", lambda c: c["officer"] and c["officer"]["name"] == f"Test {erik.username}"
    )
    assert told["status"] == "active" and "officer_id" not in told and "handed_over_from" not in told
    line = await youth.wait_for("chat:message", lambda m: m["author"]["kind"] == "system")
    assert line["body"].startswith(f"Du chattar nu med Test {erik.username}, polis i Östersund.")

    given = await erik_console.wait_for("chat:updated", lambda c: c["id"] == conv)
    assert given["officer_id"] == str(erik.id)
    assert given["handed_over_from"] == {"id": str(anna.id), "name": f"Test {anna.username}"}
    note = await erik_console.wait_for("chat:note", lambda n: n["note"]["conversation_id"] == conv)
    assert note["note"]["body"] == "Festen på Storgatan, ingen skadad"
    assert note["note"]["author"]["name"] == f"Test {anna.username}"
    synced = await erik_console.ok("chat:sync", {"conversation_id": conv})
    assert [m["id"] for m in synced["messages"]][1:] == [answer["message"]["id"], line["id"]]
    assert [n["body"] for n in synced["notes"]] == ["Festen på Storgatan, ingen skadad"]
    reply = await erik_console.ok("chat:send", {"conversation_id": conv, "client_id": cid(), "body": "Hej, Erik här"})
    await youth.wait_for("chat:message", lambda m: m["id"] == reply["message"]["id"])

    gone = await anna_console.wait_for("chat:updated", lambda c: c["id"] == conv and c["officer_id"] == str(erik.id))
    assert gone["status"] == "active"
    refused = await anna_console.call("chat:send", {"conversation_id": conv, "client_id": cid(), "body": "Hallå"})
    assert refused["error"]["code"] == "not_found"
    again = await anna_console.ok("chat:transfer", {"conversation_id": conv, "to": str(erik.id)})
    assert again["conversation"]["officer_id"] == str(erik.id)  # a retry answers as the first call
    youth_sync = await youth.ok("chat:sync", {"conversation_id": conv})
    assert "notes" not in youth_sync
    assert not youth.events.get("chat:note")


async def test_bad_transfers_are_refused_and_change_nothing(server: Running) -> None:
    """To oneself, to an unknown id, to an officer not on duty for the room, of a closed chat, with
    a 5,000-character note or a `to` that is not an id: each refused with its code; the chat stays."""
    anna, console, _youth, conv = await held(server)
    off_duty = await server.officer()
    other_room, _ = await server.on_duty("are")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"to": str(anna.id)}, "invalid"),
        ({"to": "999999"}, "not_found"),
        ({"to": str(off_duty.id)}, "not_found"),
        ({"to": str(other_room.id)}, "not_found"),
        ({"to": "abc"}, "invalid"),
        ({"to": "1" * 30}, "invalid"),
        ({"to": str(other_room.id), "note": "x" * 5000}, "too_long"),
        ({"to": str(other_room.id), "extra": 1}, "invalid"),
    ]
    for extra, code in cases:
        result = await console.call("chat:transfer", {"conversation_id": conv, **extra})
        assert result["error"]["code"] == code, (extra, result)
    state = await console.ok("chat:sync", {"conversation_id": conv})
    assert state["conversation"]["officer_id"] == str(anna.id)
    assert state["notes"] == []
    await console.ok("chat:close", {"conversation_id": conv})
    colleague, _ = await server.on_duty("ostersund")
    closed = await console.call("chat:transfer", {"conversation_id": conv, "to": str(colleague.id)})
    assert closed["error"]["code"] == "closed"


async def test_twenty_takes_and_transfers_of_one_chat_have_exactly_one_winner(server: Running) -> None:
    """Twenty-one officers take one waiting chat at once: one wins. Then its holder sends it to ten
    colleagues at once while ten others try to take it: of these twenty attempts exactly one
    transfer wins, the other 19 are refused, and the chat is with the one it named."""
    youth = await server.youth()
    conv = (await youth.ok("chat:open", {"room": "ostersund"}))["conversation"]["id"]
    crew = [await server.on_duty("ostersund") for _ in range(21)]
    takes = await asyncio.gather(*(c.call("chat:take", {"conversation_id": conv}) for _, c in crew))
    assert sum(r["ok"] for r in takes) == 1
    assert sorted(r["error"]["code"] for r in takes if not r["ok"]) == ["conflict"] * 20
    winner = next(i for i, r in enumerate(takes) if r["ok"])
    holder_console = crew[winner][1]
    others = [o for i, o in enumerate(crew) if i != winner]
    targets, takers = others[:10], others[10:]
    calls = [holder_console.call("chat:transfer", {"conversation_id": conv, "to": str(o.id)}) for o, _ in targets]
    calls += [c.call("chat:take", {"conversation_id": conv}) for _, c in takers]
    results = await asyncio.gather(*calls)
    assert sum(r["ok"] for r in results) == 1
    won = next(i for i, r in enumerate(results) if r["ok"])
    assert won < 10, "a take won over an active chat"
    refused = sorted(r["error"]["code"] for r in results if not r["ok"])
    assert len(results) == 20 and len(refused) == 19
    assert set(refused) <= {"conflict", "not_found", "forbidden"}
    state = await targets[won][1].ok("chat:sync", {"conversation_id": conv})
    assert state["conversation"]["officer_id"] == str(targets[won][0].id)


async def test_a_transfer_racing_the_colleagues_duty_end_never_leaves_the_chat_with_them(server: Running) -> None:
    """Twelve rounds of a transfer to a colleague while that colleague goes off duty: the chat ends
    with the first officer (the transfer lost) or back in the queue (it won, then the duty end
    released it) — never with a colleague who is off duty."""
    anna, console, _youth, conv = await held(server)
    for _ in range(12):
        colleague, other = await server.on_duty("ostersund")
        await asyncio.gather(
            console.call("chat:transfer", {"conversation_id": conv, "to": str(colleague.id)}),
            other.call("duty:end", {}),
        )
        state = await console.call("chat:sync", {"conversation_id": conv})
        if not state["ok"]:  # no longer Anna's: it must be waiting, visible to her on duty
            raise AssertionError(state)
        conversation = state["conversation"]
        assert conversation["officer_id"] in (str(anna.id), None), conversation
        assert conversation["status"] == ("active" if conversation["officer_id"] else "waiting")
        if conversation["status"] == "waiting":
            await console.ok("chat:take", {"conversation_id": conv})
