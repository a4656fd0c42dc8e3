"""The moderation library wired into the service: rooms, private chats, nicknames, officer posts."""

from __future__ import annotations

import aiohttp
from stdnum import luhn
from stdnum.se import personnummer as stdnum_personnummer

from server.storage.models import Message
from tests.clients import cid
from tests.conftest import Running


def personnummer(base: str = "080101234") -> str:
    """A valid personnummer (YYMMDD-NNNC) for a 2008 birth date, with its Luhn check digit
    (checked with python-stdnum, so that the test cannot pass on a number that is none)."""
    number = f"{base[:6]}-{base[6:]}{luhn.calc_check_digit(base)}"
    assert stdnum_personnummer.is_valid(number), number
    return number


async def test_personal_data_in_a_room_is_refused_kindly(server: Running) -> None:
    """A personnummer or phone number in a public room → `blocked` with a kind reason, each by
    its own detector's flag; nothing stored."""
    youth = await server.youth()
    before = await server.count(Message)
    for body, flag in (
        (f"mitt personnummer är {personnummer()}", "pii.personnummer"),
        ("ring mig 070-123 45 67", "pii.phone"),
    ):
        result = await youth.call("room:send", {"room": "umea", "client_id": cid(), "body": body})
        assert result["error"]["code"] == "blocked", body
        assert result["error"]["message"]
        assert flag in result["error"]["details"]["flags"], (body, result["error"]["details"])
    assert await server.count(Message) == before


async def test_abuse_is_held_for_officers(server: Running) -> None:
    """An insult is stored held: the room does not see it, officers do, flagged and hidden."""
    _, officer = await server.on_duty("umea")
    await officer.ok("room:join", {"room": "umea"})
    writer, reader = await server.youth(), await server.youth()
    await reader.ok("room:join", {"room": "umea"})
    ack = await writer.ok("room:send", {"room": "umea", "client_id": cid(), "body": "du är en jävla idiot"})
    assert ack["held"] is True
    staff_copy = await officer.wait_for("room:message", lambda m: m["id"] == ack["message"]["id"])
    assert staff_copy["hidden"] is True
    assert "abuse.insult" in staff_copy["flags"]
    ok = await writer.ok("room:send", {"room": "umea", "client_id": cid(), "body": "förlåt"})
    await reader.wait_for("room:message", lambda m: m["id"] == ok["message"]["id"])
    assert all(m["id"] != ack["message"]["id"] for m in reader.events["room:message"])


async def test_a_risk_in_a_room_gives_guidance_and_reaches_the_officers(server: Running) -> None:
    """'He has a knife and threatens me now': shown, 112 guidance to the writer, a P1 report to officers."""
    _, officer = await server.on_duty("umea")
    writer, reader = await server.youth(), await server.youth()
    await reader.ok("room:join", {"room": "umea"})
    ack = await writer.ok("room:send", {"room": "umea", "client_id": cid(), "body": "han har en kniv och hotar mig nu"})
    assert ack["guidance"][0]["kind"] == "112"
    await reader.wait_for("room:message", lambda m: m["id"] == ack["message"]["id"])
    report = await officer.wait_for("triage:new")
    assert report["priority"] == "P1"
    assert "source:room" in report["reasons"]
    assert "risk:weapon" in report["reasons"]
    again = await writer.ok("room:send", {"room": "umea", "client_id": ack["message"]["client_id"], "body": "x"})
    assert again["message"]["id"] == ack["message"]["id"]


async def test_private_chat_allows_personal_data_but_flags_and_masks_it(server: Running) -> None:
    """A phone number in a private chat is delivered, flagged for the officer, masked in review."""
    _, officer = await server.on_duty("ostersund")
    youth = await server.youth()
    conv = (await youth.ok("chat:open", {"room": "ostersund"}))["conversation"]["id"]
    await officer.ok("chat:take", {"conversation_id": conv})
    sent = await youth.ok("chat:send", {"conversation_id": conv, "client_id": cid(), "body": "ring mig 070-123 45 67"})
    got = await officer.wait_for("chat:message", lambda m: m["id"] == sent["message"]["id"])
    assert got["body"] == "ring mig 070-123 45 67"
    assert "pii.phone" in got["flags"]
    risky = await youth.ok(
        "chat:send", {"conversation_id": conv, "client_id": cid(), "body": "jag vill inte leva längre"}
    )
    assert {c["kind"] for c in risky["guidance"]} >= {"mind"}
    supervisor = await server.officer(role="supervisor")
    async with (
        aiohttp.ClientSession(headers={"Cookie": supervisor.cookie}) as http,
        http.get(f"{server.url}/api/transcripts/{conv}?reason=quality_review") as resp,
    ):
        bodies = [m["body"] for m in (await resp.json())["messages"]]
    assert bodies[0] == "ring mig [telefonnummer]"


async def test_nicknames_are_screened(server: Running) -> None:
    """Nicknames that pass for police (with tricks) or carry abuse or personal data are refused."""
    youth = await server.youth()
    for nick in ("P 0 l i s", "Officer Anna", "jävla hora", "070-123 45 67"):
        result = await youth.call("profile:set", {"nickname": nick})
        assert result["error"]["code"] == "blocked", nick
    assert (await youth.ok("profile:set", {"nickname": "Ugglan"}))["youth"]["nickname"] == "Ugglan"


async def test_officer_posts_pass_the_secrecy_check_or_are_confirmed(server: Running) -> None:
    """An officer's public post with a case number is stopped with the spans; `confirm` posts it, audited."""
    _, officer = await server.on_duty("umea")
    body = "Ärendet 5000-K123456-24 är avslutat"
    client_id = cid()
    first = await officer.call("room:send", {"room": "umea", "client_id": client_id, "body": body})
    assert first["error"]["code"] == "blocked"
    assert first["error"]["message"].startswith("secrecy check")
    start, end, flag = first["error"]["details"]["spans"][0]
    assert body[start:end] == "5000-K123456-24"
    assert flag == "pii.case_number"
    posted = await officer.ok("room:send", {"room": "umea", "client_id": client_id, "body": body, "confirm": True})
    assert posted["message"]["body"] == body
    youth = await server.youth()
    refused = await youth.call("room:send", {"room": "umea", "client_id": cid(), "body": body, "confirm": True})
    assert refused["error"]["code"] == "blocked"
