"""What an outside red-team found (issue #24), each pinned through the public interface."""

from __future__ import annotations

from tests.clients import cid
from tests.conftest import Running


async def test_a_client_id_reused_in_another_chat_is_refused_and_delivered_nowhere(server: Running) -> None:
    """An officer's message to young person A, retried with the same client_id into C's chat, is
    refused (`conflict`) and never reaches C: after a later message to C has arrived (the
    barrier), C has received nothing of A's. The same client_id in a room is refused too; a retry
    into the right chat still answers the stored message (the positive control)."""
    _, console = await server.on_duty("ostersund")
    a, c = await server.youth(), await server.youth()
    chat_a = (await a.ok("chat:open", {"room": "ostersund"}))["conversation"]["id"]
    chat_c = (await c.ok("chat:open", {"room": "ostersund"}))["conversation"]["id"]
    for conv in (chat_a, chat_c):
        await console.ok("chat:take", {"conversation_id": conv})
    reused = cid()
    secret = "Alice, om din adress på Storgatan 5 …"
    first = await console.ok("chat:send", {"conversation_id": chat_a, "client_id": reused, "body": secret})
    again = await console.ok("chat:send", {"conversation_id": chat_a, "client_id": reused, "body": secret})
    assert again["message"]["id"] == first["message"]["id"]
    wrong = await console.call("chat:send", {"conversation_id": chat_c, "client_id": reused, "body": secret})
    assert wrong["error"]["code"] == "conflict"
    in_room = await console.call("room:send", {"room": "ostersund", "client_id": reused, "body": "Hej rummet"})
    assert in_room["error"]["code"] == "conflict"
    barrier = await console.ok("chat:send", {"conversation_id": chat_c, "client_id": cid(), "body": "Hej C"})
    await c.wait_for("chat:message", lambda m: m["id"] == barrier["message"]["id"])
    assert [m["body"] for m in c.events["chat:message"]] == ["Hej C"]
    synced = (await c.ok("chat:sync", {"conversation_id": chat_c}))["messages"]
    assert secret not in [m["body"] for m in synced]
    await a.wait_for("chat:message", lambda m: m["id"] == first["message"]["id"])
