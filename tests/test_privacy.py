"""Logs carry ids and event names, never message text, nicknames, passwords, tokens or addresses."""

from __future__ import annotations

import logging

import pytest

from tests.clients import cid
from tests.conftest import Running

SECRET_BODY = "hemligt-kanarie-7731"
SECRET_NICK = "Kanarie 9912"


async def test_a_whole_conversation_leaves_no_content_in_logs(
    server: Running, caplog: pytest.LogCaptureFixture
) -> None:
    """Run a chat, errors included, with every logger at DEBUG; no canary shows up in a log line."""
    caplog.set_level(logging.DEBUG)
    officer, staff = await server.on_duty("umea")
    youth = await server.youth()
    await youth.ok("profile:set", {"nickname": SECRET_NICK})
    await youth.ok("room:join", {"room": "umea"})
    await youth.ok("room:send", {"room": "umea", "client_id": cid(), "body": SECRET_BODY})
    conv = (await youth.ok("chat:open", {"room": "umea", "client_id": cid(), "body": SECRET_BODY}))["conversation"]
    await staff.ok("chat:take", {"conversation_id": conv["id"]})
    await staff.ok("chat:send", {"conversation_id": conv["id"], "client_id": cid(), "body": SECRET_BODY})
    await youth.call("chat:send", {"conversation_id": conv["id"], "client_id": cid(), "body": SECRET_BODY * 200})
    await youth.call("room:send", {"room": "umea", "client_id": 5, "body": SECRET_BODY})
    await youth.call("profile:set", {"nickname": "Polis " + SECRET_NICK})
    text = "\n".join(r.getMessage() + " " + str(r.args) for r in caplog.records)
    assert caplog.records, "expected the server to log something at DEBUG"
    for canary in (SECRET_BODY, SECRET_NICK, youth.session["token"], officer.password, "127.0.0.1"):
        assert canary not in text
