"""Youth and officers talking, in a neighbourhood room and in a private chat."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.clients import cid
from tests.conftest import Running


async def test_room_messages_reach_both_sides(server: Running) -> None:
    """A youth's room message reaches an officer in the room, and the officer's reply reaches the youth."""
    _, officer = await server.on_duty("ostersund")
    youth = await server.youth()
    joined = await youth.ok("room:join", {"room": "ostersund"})
    assert joined["neighbourhood"]["name"] == "Östersund"
    assert joined["availability"]["open"] is True
    assert joined["availability"]["officers_on_duty"] == 1
    await officer.ok("room:join", {"room": "ostersund"})

    sent = await youth.ok("room:send", {"room": "ostersund", "client_id": cid(), "body": "Hej polisen!"})
    got = await officer.wait_for("room:message", lambda m: m["id"] == sent["message"]["id"])
    assert got["body"] == "Hej polisen!"
    assert got["author"]["kind"] == "youth"
    assert got["author"]["id"] == youth.session["youth"]["id"]  # staff see who wrote
    assert "id" not in sent["message"]["author"]  # young people never see ids

    reply = await officer.ok("room:send", {"room": "ostersund", "client_id": cid(), "body": "Hej!"})
    seen = await youth.wait_for("room:message", lambda m: m["id"] == reply["message"]["id"])
    assert seen["author"]["kind"] == "officer"
    assert seen["author"]["badge"]["police_area"] == "Östersund"
    assert "flags" not in seen
    assert reply["message"]["id"] > sent["message"]["id"]


async def test_a_message_posted_while_a_young_person_joins_is_never_missed(
    server: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An officer's post that commits after the join has read the room's latest messages, but
    before the join is answered, reaches the joining young person live."""
    _, officer = await server.on_duty("ostersund")
    await officer.ok("room:join", {"room": "ostersund"})
    youth = await server.youth()
    availability = server.deps.availability
    original = availability.of
    posted: list[dict[str, Any]] = []

    async def post_during_the_join(*args: Any, **kwargs: Any) -> Any:
        # The join has read the latest messages; the post commits and is emitted now.
        if not posted:
            body = {"room": "ostersund", "client_id": cid(), "body": "Under tiden"}
            posted.append((await officer.ok("room:send", body))["message"])
        return await original(*args, **kwargs)

    monkeypatch.setattr(availability, "of", post_during_the_join)
    joined = await youth.ok("room:join", {"room": "ostersund"})
    assert posted, "the join did not pass through the availability step"
    assert posted[0]["id"] not in {m["id"] for m in joined["messages"]}
    live = await youth.wait_for("room:message", lambda m: m["id"] == posted[0]["id"])
    assert live["body"] == "Under tiden"


async def test_private_chat_from_inbox_to_reply(server: Running) -> None:
    """A chat a youth opens shows up in the on-duty officer's inbox; after taking it they talk both ways."""
    _, officer = await server.on_duty("ostersund")
    youth = await server.youth()
    opened = await youth.ok("chat:open", {"room": "ostersund", "client_id": cid(), "body": "Jag behöver hjälp"})
    conv = opened["conversation"]
    assert conv["status"] == "waiting"

    update = await officer.wait_for("inbox:updated", lambda d: d["conversation"]["id"] == conv["id"])
    assert update["conversation"]["youth"]["id"] == youth.session["youth"]["id"]
    inbox = await officer.ok("inbox:list", {})
    assert [c["id"] for c in inbox["conversations"]] == [conv["id"]]
    history = await officer.ok("chat:sync", {"conversation_id": conv["id"]})
    assert [m["body"] for m in history["messages"]] == ["Jag behöver hjälp"]

    taken = await officer.ok("chat:take", {"conversation_id": conv["id"]})
    assert taken["conversation"]["status"] == "active"
    told = await youth.wait_for("chat:updated", lambda c: c["status"] == "active")
    assert told["officer"]["badge"]["name"].startswith("Test ")

    out = await officer.ok("chat:send", {"conversation_id": conv["id"], "client_id": cid(), "body": "Vad hände?"})
    got = await youth.wait_for("chat:message", lambda m: m["id"] == out["message"]["id"])
    assert got["body"] == "Vad hände?"
    back = await youth.ok("chat:send", {"conversation_id": conv["id"], "client_id": cid(), "body": "En fest"})
    got = await officer.wait_for("chat:message", lambda m: m["id"] == back["message"]["id"])
    assert got["body"] == "En fest"

    await youth.ok("chat:typing", {"conversation_id": conv["id"], "typing": True})
    typing = await officer.wait_for("chat:typing")
    assert typing == {
        "conversation_id": conv["id"],
        "typing": True,
        "author": {"kind": "youth", "name": youth.session["youth"]["nickname"]},
    }

    closed = await officer.ok("chat:close", {"conversation_id": conv["id"]})
    assert closed["conversation"]["status"] == "closed"
    await youth.wait_for("chat:updated", lambda c: c["status"] == "closed")
    refused = await youth.call("chat:send", {"conversation_id": conv["id"], "client_id": cid(), "body": "hallå?"})
    assert refused["error"]["code"] == "closed"


async def test_chat_open_returns_the_open_conversation(server: Running) -> None:
    """Opening a chat twice, even at once, gives the one open conversation."""
    youth = await server.youth()
    results = await asyncio.gather(*(youth.ok("chat:open", {"room": "umea"}) for _ in range(5)))
    assert len({r["conversation"]["id"] for r in results}) == 1


async def test_reconnect_with_token_syncs_exactly_the_missed_messages(server: Running) -> None:
    """A youth who comes back with the token keeps the identity and gets exactly what was missed."""
    _, officer = await server.on_duty("ostersund")
    youth = await server.youth()
    token, me = youth.session["token"], youth.session["youth"]
    conv = (await youth.ok("chat:open", {"room": "ostersund"}))["conversation"]
    await officer.ok("chat:take", {"conversation_id": conv["id"]})
    first = await officer.ok("chat:send", {"conversation_id": conv["id"], "client_id": cid(), "body": "ett"})
    await youth.wait_for("chat:message", lambda m: m["id"] == first["message"]["id"])
    await youth.disconnect()

    missed = []
    for body in ("två", "tre", "fyra"):
        missed.append(
            (await officer.ok("chat:send", {"conversation_id": conv["id"], "client_id": cid(), "body": body}))[
                "message"
            ]
        )

    again = await server.youth(token=token)
    assert again.session["youth"] == me
    assert [c["id"] for c in again.session["conversations"]] == [conv["id"]]
    synced = await again.ok("chat:sync", {"conversation_id": conv["id"], "after": first["message"]["id"]})
    assert synced["messages"] == [{k: v for k, v in m.items() if k not in ("flags", "flag_count")} for m in missed]
    assert synced["more"] is False


async def test_unknown_token_gets_a_new_identity(server: Running) -> None:
    """A made-up token gives a fresh identity and a new token, never someone else's."""
    first = await server.youth()
    other = await server.youth(token="not-a-real-token")
    assert other.session["youth"]["id"] != first.session["youth"]["id"]
    assert other.session["token"] != "not-a-real-token"
    assert len(other.session["token"]) >= 40


async def test_same_client_id_twice_stores_one_message(server: Running) -> None:
    """A retry with the same client_id returns the stored message and adds nothing, in rooms and chats."""
    youth = await server.youth()
    room_cid = cid()
    a = await youth.ok("room:send", {"room": "umea", "client_id": room_cid, "body": "hej"})
    b = await youth.ok("room:send", {"room": "umea", "client_id": room_cid, "body": "hej"})
    assert a["message"] == b["message"]
    conc = cid()
    both = await asyncio.gather(
        *(youth.ok("room:send", {"room": "umea", "client_id": conc, "body": "x"}) for _ in range(4))
    )
    assert len({r["message"]["id"] for r in both}) == 1
    synced = await youth.ok("room:sync", {"room": "umea"})
    assert [m["client_id"] for m in synced["messages"]] == [room_cid, conc]

    conv = (await youth.ok("chat:open", {"room": "umea"}))["conversation"]
    chat_cid = cid()
    c1 = await youth.ok("chat:send", {"conversation_id": conv["id"], "client_id": chat_cid, "body": "a"})
    c2 = await youth.ok("chat:send", {"conversation_id": conv["id"], "client_id": chat_cid, "body": "a"})
    assert c1["message"]["id"] == c2["message"]["id"]
    history = await youth.ok("chat:sync", {"conversation_id": conv["id"]})
    assert len(history["messages"]) == 1


async def test_two_officers_taking_one_chat_exactly_one_wins(server: Running) -> None:
    """Concurrent chat:take by several officers: one gets the chat, the others `conflict`."""
    officers = [await server.on_duty("ostersund") for _ in range(4)]
    youth = await server.youth()
    conv = (await youth.ok("chat:open", {"room": "ostersund"}))["conversation"]
    results = await asyncio.gather(
        *(client.call("chat:take", {"conversation_id": conv["id"]}) for _, client in officers)
    )
    winners = [r for r in results if r["ok"]]
    assert len(winners) == 1
    assert sorted(r["error"]["code"] for r in results if not r["ok"]) == ["conflict"] * 3
    holder = winners[0]["conversation"]["officer_id"]
    assert holder in {str(o.id) for o, _ in officers}


async def test_sync_pages_through_long_history(server: Running) -> None:
    """room:sync pages 100 at a time with `more`, in id order, without gaps or repeats."""
    _, officer = await server.on_duty("umea")
    youth = await server.youth()
    sent = [
        (await officer.ok("room:send", {"room": "umea", "client_id": cid(), "body": f"meddelande {i}"}))["message"][
            "id"
        ]
        for i in range(130)
    ]
    page1 = await youth.ok("room:sync", {"room": "umea"})
    assert page1["more"] is True and len(page1["messages"]) == 100
    page2 = await youth.ok("room:sync", {"room": "umea", "after": page1["messages"][-1]["id"]})
    assert page2["more"] is False
    assert [m["id"] for m in page1["messages"] + page2["messages"]] == sent
    assert sent == sorted(sent)


async def test_console_learns_its_duty_on_connect(server: Running) -> None:
    """A staff connection opened while on duty is told its rooms, and gets that room's inbox events."""
    officer, _ = await server.on_duty("umea")
    second = await server.staff(officer)
    told = await second.wait_for("duty:updated")
    assert told["duty"]["rooms"] == ["umea"]
    youth = await server.youth()
    conv = (await youth.ok("chat:open", {"room": "umea"}))["conversation"]
    await second.wait_for("inbox:updated", lambda d: d["conversation"]["id"] == conv["id"])
