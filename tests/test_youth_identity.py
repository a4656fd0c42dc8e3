"""Anonymous identities: handed out on connect, stored on the first write, resumed by token."""

from __future__ import annotations

import asyncio

from tests.clients import cid
from tests.conftest import Running


async def stored(server: Running, youth_id: str) -> bool:
    async with server.deps.db.transaction() as tx:
        return await tx.youth.by_id(youth_id) is not None


async def test_a_reader_leaves_no_row(server: Running) -> None:
    """A young person who connects, reads a room, its Q&A and notices, and leaves stores nothing."""
    youth = await server.youth()
    me = youth.session["youth"]
    joined = await youth.ok("room:join", {"room": "ostersund"})
    assert joined["neighbourhood"]["slug"] == "ostersund"
    await youth.ok("room:sync", {"room": "ostersund", "after": None})
    await youth.ok("qa:list", {"room": "ostersund"})
    await youth.ok("notice:list", {"room": "ostersund"})
    assert (await youth.call("chat:sync", {"conversation_id": "0" * 32, "after": None}))["error"]["code"] == (
        "not_found"
    )
    await youth.ok("room:leave", {"room": "ostersund"})
    await youth.disconnect()
    assert not await stored(server, me["id"])


async def test_reconnect_before_the_first_write_keeps_the_identity(server: Running) -> None:
    """The token resumes the same id and nickname whether or not anything was written yet; the
    first write stores it, and later reconnects find the stored identity."""
    first = await server.youth()
    token, me = first.session["token"], first.session["youth"]
    await first.disconnect()
    again = await server.youth(token=token)
    assert again.session["token"] == token
    assert again.session["youth"] == me
    said = await again.ok("room:send", {"room": "ostersund", "client_id": cid(), "body": "hej"})
    assert said["message"]["author"]["name"] == me["nickname"]
    assert await stored(server, me["id"])
    renamed = await again.ok("profile:set", {"nickname": "Stjärnan"})
    assert renamed["youth"]["id"] == me["id"]
    await again.disconnect()
    third = await server.youth(token=token)
    assert third.session["youth"]["id"] == me["id"]
    assert third.session["youth"]["nickname"] == "Stjärnan"


async def test_first_writes_at_once_store_the_identity_once(server: Running) -> None:
    """Two tabs with the same new token writing at the same moment both succeed, as one identity."""
    first = await server.youth()
    token, me = first.session["token"], first.session["youth"]
    second = await server.youth(token=token)
    sends = [
        tab.call("room:send", {"room": "ostersund", "client_id": cid(), "body": f"hej {i}"})
        for i in range(2)  # the flood limit allows five posts at once
        for tab in (first, second)
    ]
    results = await asyncio.gather(*sends, first.call("chat:open", {"room": "ostersund"}))
    assert all(r["ok"] for r in results), results
    assert {r["message"]["author"]["name"] for r in results[:-1]} == {me["nickname"]}
    async with server.deps.db.transaction() as tx:
        found = await tx.youth.by_id(me["id"])
    assert found is not None and found.nickname == me["nickname"]
    opened = await first.ok("chat:open", {"room": "ostersund"})
    assert opened["conversation"]["id"] == results[-1]["conversation"]["id"]


async def test_a_token_this_server_did_not_issue_is_not_an_identity(server: Running) -> None:
    """A token in the issued shape with a wrong signature gets a fresh identity and token."""
    real = await server.youth()
    token = real.session["token"]
    raw, _, mac = token.partition(".")
    forged_token = f"{raw}.{'A' if mac[0] != 'A' else 'B'}{mac[1:]}"
    forged = await server.youth(token=forged_token)
    assert forged.session["token"] not in (token, forged_token)
    assert forged.session["youth"]["id"] != real.session["youth"]["id"]
    odd = await server.youth(token=f"{raw}.åäö-✓")
    assert odd.session["youth"]["id"] != real.session["youth"]["id"]


async def test_a_scrubbed_identity_is_not_resumed(server: Running) -> None:
    """Once retention has scrubbed a stored identity, its token starts afresh instead of reviving it."""
    youth = await server.youth()
    token, me = youth.session["token"], youth.session["youth"]
    await youth.ok("room:send", {"room": "ostersund", "client_id": cid(), "body": "hej"})
    await youth.disconnect()
    async with server.deps.db.transaction() as tx:
        await tx.retention.scrub_youths([me["id"]])
    back = await server.youth(token=token)
    assert back.session["youth"]["id"] != me["id"]
    assert back.session["token"] != token
