"""Who may do what: every client→server socket.io event and every HTTP endpoint, for eight kinds of
caller, as one table. Each cell is the outcome intended for that caller; the test runs every cell
against a real server and prints the table of mismatches.

Callers: an anonymous young person (a /youth connection with no history; on /staff an anonymous
connection is refused outright, see test_websocket_security.py), young people A and B (A owns the
chats, reports, questions), an officer on duty in the area (Umeå, region Nord), an officer of another
region (Mitt, on duty in Östersund), a supervisor of Nord on duty in Umeå, a supervisor of Mitt on
duty in Östersund, and an admin. Over HTTP the young people send their bearer token as a cookie,
which must count for nothing.

Where a caller may not see a thing, "not found" must be indistinguishable from a made-up id: every
`not_found` cell is called again with fresh random ids and must get the identical error.

New events and routes must get rows: the test fails for a handled event or a route without one.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from server import events as ev
from server.http import csrf
from server.realtime.keys import SIO
from tests.clients import ENROLLED, Client, cid, csrf_pair, next_totp
from tests.conftest import Officer, Running

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])

ANON, A, B, OFFICER, OTHER, SUP, SUP_OTHER, ADMIN = (
    "anonymous", "youth A", "youth B", "officer", "other-region officer", "supervisor",
    "other-region supervisor", "admin",
)  # fmt: skip
ACTORS = (ANON, A, B, OFFICER, OTHER, SUP, SUP_OTHER, ADMIN)
YOUTH = (ANON, A, B)
STAFF = (OFFICER, OTHER, SUP, SUP_OTHER, ADMIN)
OK, NF, FB, INV, UNAUTH, CONFLICT = "ok", "not_found", "forbidden", "invalid", "unauthorized", "conflict"
STATUS = {OK: (200, 201), NF: (404,), FB: (403,), INV: (400,), UNAUTH: (401,), CONFLICT: (409,)}
# Server → client only: no caller sends these, so they have no row.
SERVER_TO_CLIENT = frozenset({
    ev.SESSION, ev.ROOM_MESSAGE, ev.CHAT_MESSAGE, ev.CHAT_UPDATED, ev.AVAILABILITY, ev.DUTY_UPDATED,
    ev.INBOX_UPDATED, ev.REPORT_UPDATED, ev.HANDOFF, ev.TRIAGE_NEW, ev.TRIAGE_UPDATED, ev.TRIAGE_ALERT,
    ev.DUTY_HANDOVER, ev.MODERATION_MUTED, ev.MODERATION_FLAGGED, ev.MESSAGE_HIDDEN, ev.ROOM_SETTINGS,
    ev.QA_SESSION, ev.QA_QUESTION, ev.QA_ANSWERED, ev.QA_PENDING, ev.NOTICE_PUBLISHED, ev.NOTICE_CLOSED,
    ev.NOTICE_PENDING, ev.NOTICE_UPDATED, ev.CHAT_ALERT, ev.SYNC_NEEDED,
})  # fmt: skip


def row(*outcomes: str) -> dict[str, str]:
    assert len(outcomes) == len(ACTORS)
    return dict(zip(ACTORS, outcomes, strict=True))


def youth_only(anon: str, a: str, b: str) -> dict[str, str]:
    """A /youth event: on /staff it is unknown (`invalid`)."""
    return row(anon, a, b, INV, INV, INV, INV, INV)


def staff_only(officer: str, other: str, sup: str, sup_other: str, admin: str) -> dict[str, str]:
    """A /staff event: on /youth it is unknown (`invalid`)."""
    return row(INV, INV, INV, officer, other, sup, sup_other, admin)


PATROL = (OK, OK, OK, OK, FB)  # officers and supervisors anywhere; an admin does not patrol


# --- the world: callers and fresh targets ---------------------------------------------------------


@dataclass
class World:
    server: Running
    sockets: dict[str, Client]
    staff: dict[str, Officer]
    duty_rooms: dict[str, list[str]]
    a_open: str | None = None
    days: itertools.count[int] = field(default_factory=lambda: itertools.count(10))

    async def helper_youth(self) -> Client:
        """A young person who is none of the callers (disconnected again by `done`)."""
        return await self.server.youth()

    async def done(self, client: Client) -> None:
        await client.disconnect()
        self.server.clients.remove(client)

    async def a_chat(self, *, held: bool = False, closed: bool = False) -> str:
        """A fresh private chat of youth A in Umeå, waiting, held by the officer, or closed."""
        youth = self.sockets[A]
        if self.a_open:
            await youth.call("chat:close", {"conversation_id": self.a_open})
        conv = (await youth.ok("chat:open", {"room": "umea"}))["conversation"]["id"]
        self.a_open = conv
        if held or closed:
            await self.sockets[OFFICER].ok("chat:take", {"conversation_id": conv})
        if closed:
            await self.sockets[OFFICER].ok("chat:close", {"conversation_id": conv})
            self.a_open = None
        return str(conv)

    async def report(self, *, claimed: bool = False) -> str:
        youth = await self.helper_youth()
        body = {"room": "umea", "client_id": cid(), "category": "other", "happening_now": False, "body": "Bråk"}
        report = (await youth.ok("report:submit", body))["report"]["id"]
        await self.done(youth)
        if claimed:
            await self.sockets[OFFICER].ok("triage:claim", {"report_id": report})
        return str(report)

    async def room_message(self) -> tuple[str, str]:
        """A room message in Umeå by a young person who is none of the callers, and their id."""
        youth = await self.helper_youth()
        await youth.ok("room:join", {"room": "umea"})
        sent = await youth.ok("room:send", {"room": "umea", "client_id": cid(), "body": "Hej alla i rummet"})
        assert youth.session is not None
        await self.done(youth)
        return str(sent["message"]["id"]), str(youth.session["youth"]["id"])

    async def handoff(self) -> str:
        conv = await self.a_chat(held=True)
        given = await self.sockets[OFFICER].ok("handoff:give", {"conversation_id": conv, "kind": "112"})
        return str(given["handoff"]["id"])

    async def qa_session(self) -> str:
        now = dt.datetime.now(dt.UTC)
        session = await self.sockets[OFFICER].ok(
            "qa:schedule",
            {
                "room": "umea", "title": "Fråga polisen",
                "starts_at": (now - dt.timedelta(minutes=1)).isoformat(),
                "ends_at": (now + dt.timedelta(hours=1)).isoformat(),
            },
        )  # fmt: skip
        return str(session["session"]["id"])

    async def question(self, *, approved: bool, by_a: bool = False) -> str:
        """A question in a live session, by youth A or by a young person who is none of the callers."""
        session = await self.qa_session()
        body = {"session_id": session, "client_id": cid(), "body": "Hur blir man polis?"}
        asker = self.sockets[A] if by_a else await self.helper_youth()
        question = (await asker.ok("qa:ask", body))["question"]["id"]
        if not by_a:
            await self.done(asker)
        if approved:
            await self.sockets[OFFICER].ok("qa:review", {"question_id": question, "decision": "approve"})
        return str(question)

    async def notice(self, *, published: bool) -> str:
        draft = {"room": "umea", "body": "Vi söker vittnen till en cykelstöld vid biblioteket i går kväll."}
        notice = (await self.sockets[OFFICER].ok("notice:draft", draft))["notice"]["id"]
        if published:
            await self.sockets[SUP].ok("notice:approve", {"notice_id": notice})
        return str(notice)

    def future_date(self) -> str:
        return (dt.date.today() + dt.timedelta(days=next(self.days))).isoformat()


Setup = Callable[[World, str], Awaitable[dict[str, Any]]]


async def nothing(_w: World, _actor: str) -> dict[str, Any]:
    return {}


def fake(targets: dict[str, Any]) -> dict[str, Any]:
    """The same targets with made-up ids of the same shape."""
    out: dict[str, Any] = {}
    for key, value in targets.items():
        if key in ("message", "date", "room"):
            out[key] = str(secrets.randbelow(10**15)).zfill(16) if key == "message" else value
        elif isinstance(value, str) and re.fullmatch(r"[0-9a-f]{32}", value):
            out[key] = secrets.token_hex(16)
        elif isinstance(value, int):
            out[key] = 900_000 + secrets.randbelow(1000)
        else:
            out[key] = value
    return out


@dataclass(frozen=True)
class EventRow:
    event: str
    expect: dict[str, str]
    payload: Callable[[dict[str, Any], str], dict[str, Any]]
    setup: Setup = nothing
    label: str = ""
    note: str = ""
    once: bool = False  # one target for the whole row (when per-caller targets would hit a limit)


def p(template: dict[str, Any]) -> Callable[[dict[str, Any], str], dict[str, Any]]:
    """A payload whose "{name}" strings are filled from the targets (and a fresh client_id)."""

    def build(targets: dict[str, Any], _actor: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in template.items():
            if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
                out[key] = targets[value[1:-1]]
            elif value is CID:
                out[key] = cid()
            else:
                out[key] = value
        return out

    return build


CID = object()


async def held_chat(w: World, _a: str) -> dict[str, Any]:
    return {"conv": await w.a_chat(held=True)}


async def waiting_chat(w: World, _a: str) -> dict[str, Any]:
    return {"conv": await w.a_chat()}


async def closed_chat(w: World, _a: str) -> dict[str, Any]:
    return {"conv": await w.a_chat(closed=True)}


async def new_report(w: World, _a: str) -> dict[str, Any]:
    return {"report": await w.report()}


async def claimed_report(w: World, _a: str) -> dict[str, Any]:
    return {"report": await w.report(claimed=True)}


async def room_message(w: World, _a: str) -> dict[str, Any]:
    message, youth = await w.room_message()
    return {"message": message, "youth": youth}


async def handoff(w: World, _a: str) -> dict[str, Any]:
    return {"handoff": await w.handoff()}


async def qa_session(w: World, _a: str) -> dict[str, Any]:
    return {"session": await w.qa_session()}


async def pending_question(w: World, _a: str) -> dict[str, Any]:
    return {"question": await w.question(approved=False)}


async def approved_question(w: World, _a: str) -> dict[str, Any]:
    return {"question": await w.question(approved=True)}


async def a_pending_question(w: World, _a: str) -> dict[str, Any]:
    return {"question": await w.question(approved=False, by_a=True)}


async def a_approved_question(w: World, _a: str) -> dict[str, Any]:
    return {"question": await w.question(approved=True, by_a=True)}


async def pending_notice(w: World, _a: str) -> dict[str, Any]:
    return {"notice": await w.notice(published=False)}


async def published_notice(w: World, _a: str) -> dict[str, Any]:
    return {"notice": await w.notice(published=True)}


def own_rooms(_targets: dict[str, Any], actor: str) -> dict[str, Any]:
    return {"rooms": {OTHER: ["ostersund"], SUP_OTHER: ["ostersund"]}.get(actor, ["umea"])}


def own_nickname(_targets: dict[str, Any], actor: str) -> dict[str, Any]:
    """A nickname of each caller's own: in a room, one young person's nickname is not another's."""
    return {"nickname": f"Lo-{ACTORS.index(actor) + 40}"}


def other_region_rooms(_targets: dict[str, Any], actor: str) -> dict[str, Any]:
    """A room of the other region: duty there needs a grant from one of its supervisors."""
    return {"rooms": {OTHER: ["umea"], SUP_OTHER: ["umea"]}.get(actor, ["ostersund"])}


def schedule_payload(_targets: dict[str, Any], _actor: str) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC)
    return {
        "room": "umea",
        "title": "Fråga polisen",
        "starts_at": (now + dt.timedelta(hours=1)).isoformat(),
        "ends_at": (now + dt.timedelta(hours=2)).isoformat(),
    }


def transfer_payload(targets: dict[str, Any], actor: str) -> dict[str, Any]:
    """To the supervisor on duty in Umeå (or, for that supervisor, to the officer: not oneself)."""
    return {"conversation_id": targets["conv"], "to": targets["officer_id" if actor == SUP else "sup_id"]}


async def held_chat_and_colleagues(w: World, a: str) -> dict[str, Any]:
    return {**await held_chat(w, a), "sup_id": str(w.staff[SUP].id), "officer_id": str(w.staff[OFFICER].id)}


BODY = "Hej, jag undrar en sak"
CHAT = {"conversation_id": "{conv}"}
IN_CHAT = row(NF, OK, NF, OK, NF, NF, NF, FB)  # a chat A owns and the officer holds

EVENT_ROWS: list[EventRow] = [
    # -- rooms: public, for every young person and every patrolling officer --
    EventRow(ev.PROFILE_SET, youth_only(OK, OK, OK), own_nickname),
    EventRow(ev.ROOM_JOIN, row(OK, OK, OK, *PATROL), p({"room": "umea"})),
    EventRow(
        ev.ROOM_LEAVE,
        row(OK, OK, OK, OK, OK, OK, OK, OK),
        p({"room": "umea"}),
        note="leaving a socket.io room grants nothing, so it checks no one",
    ),
    EventRow(ev.ROOM_SEND, row(OK, OK, OK, *PATROL), p({"room": "umea", "client_id": CID, "body": BODY})),
    EventRow(ev.ROOM_SYNC, row(OK, OK, OK, *PATROL), p({"room": "umea"})),
    # -- private chats: the young person who opened it, the officer holding it --
    EventRow(ev.CHAT_OPEN, youth_only(OK, OK, OK), p({"room": "umea"})),
    EventRow(ev.CHAT_SEND, IN_CHAT, p({**CHAT, "client_id": CID, "body": BODY}), held_chat),
    EventRow(ev.CHAT_SYNC, IN_CHAT, p(CHAT), held_chat),
    EventRow(
        ev.CHAT_SYNC,
        row(NF, OK, NF, OK, NF, OK, NF, FB),
        p(CHAT),
        waiting_chat,
        "waiting",
        "a waiting chat is visible to everyone on duty for its room",
    ),
    EventRow(
        ev.CHAT_SEND,
        row(NF, OK, NF, FB, NF, FB, NF, FB),
        p({**CHAT, "client_id": CID, "body": BODY}),
        waiting_chat,
        "waiting",
        "officers on duty see it but must take it before writing",
    ),
    EventRow(ev.CHAT_TYPING, IN_CHAT, p({**CHAT, "typing": True}), held_chat),
    EventRow(ev.CHAT_CLOSE, IN_CHAT, p(CHAT), held_chat),
    EventRow(ev.CHAT_TAKE, staff_only(OK, NF, OK, NF, FB), p(CHAT), waiting_chat),
    EventRow(
        ev.CHAT_TAKE,
        staff_only(OK, NF, CONFLICT, NF, FB),
        p(CHAT),
        held_chat,
        "held",
        "the holder gets it back; others on duty lose the race (conflict); the rest cannot see it",
    ),
    EventRow(
        ev.CHAT_TRANSFER,
        staff_only(OK, NF, NF, NF, FB),
        transfer_payload,
        held_chat_and_colleagues,
        note="the holder, to a colleague on duty for the room",
    ),
    EventRow(ev.CHAT_NOTE, staff_only(OK, NF, NF, NF, FB), p({**CHAT, "client_id": CID, "body": BODY}), held_chat),
    EventRow(
        ev.CHAT_NOTE,
        staff_only(OK, NF, OK, NF, FB),
        p({**CHAT, "client_id": CID, "body": BODY}),
        waiting_chat,
        "waiting",
        "staff who can see the chat: while it waits, everyone on duty for its room",
    ),
    EventRow(ev.REPLIES_LIST, staff_only(OK, OK, OK, OK, OK), p({}), note="each sees their region's"),
    EventRow(ev.FEEDBACK_SUBMIT, youth_only(NF, OK, NF), p({**CHAT, "score": 4}), closed_chat),
    EventRow(ev.HANDOFF_GIVE, staff_only(OK, NF, NF, NF, FB), p({**CHAT, "kind": "112"}), held_chat),
    EventRow(ev.HANDOFF_OPENED, youth_only(NF, OK, NF), p({"handoff_id": "{handoff}"}), handoff),
    # -- reports and triage: the region's officers on duty --
    EventRow(
        ev.REPORT_SUBMIT,
        youth_only(OK, OK, OK),
        p({"room": "umea", "client_id": CID, "category": "other", "happening_now": False, "body": BODY}),
    ),
    EventRow(ev.TRIAGE_LIST, staff_only(*PATROL), p({})),
    EventRow(ev.TRIAGE_CLAIM, staff_only(OK, NF, OK, NF, FB), p({"report_id": "{report}"}), new_report),
    EventRow(
        ev.TRIAGE_CLOSE,
        staff_only(OK, NF, OK, NF, FB),
        p({"report_id": "{report}", "outcome": "advice"}),
        claimed_report,
        note="the claiming officer, or a supervisor on duty in the region",
    ),
    # -- duty --
    EventRow(ev.DUTY_START, staff_only(*PATROL), own_rooms),
    EventRow(
        ev.DUTY_START,
        staff_only(FB, FB, FB, FB, FB),
        other_region_rooms,
        label="another region",
        note="only with a grant from that region's supervisors, or in a shared neighbourhood",
    ),
    EventRow(ev.DUTY_END, staff_only(OK, OK, OK, OK, OK), p({}), note="an admin has no duty to end"),
    EventRow(ev.DUTY_ROSTER, staff_only(*PATROL), p({})),
    EventRow(
        ev.HANDOVER_WRITE,
        staff_only(OK, FB, OK, FB, FB),
        p({"room": "umea", "body": "Lugnt i kväll."}),
        note="only while on duty for the room",
    ),
    EventRow(ev.INBOX_LIST, staff_only(*PATROL), p({})),
    # -- moderation: public rooms are moderated by any patrolling officer --
    EventRow(ev.MESSAGE_FLAG, youth_only(OK, OK, OK), p({"message_id": "{message}"}), room_message),
    EventRow(ev.MODERATION_HIDE, staff_only(*PATROL), p({"message_id": "{message}", "reason": "spam"}), room_message),
    EventRow(
        ev.MODERATION_MUTE,
        staff_only(*PATROL),
        p({"youth_id": "{youth}", "minutes": 5, "reason": "spam"}),
        room_message,
    ),
    EventRow(ev.MODERATION_FLAGS, staff_only(*PATROL), p({"room": "umea"})),
    EventRow(ev.MODERATION_SLOWMODE, staff_only(*PATROL), p({"room": "umea", "seconds": 0})),
    # -- Q&A sessions: public sessions, hosts review and answer, supervisors of the region co-host --
    EventRow(
        ev.QA_SCHEDULE,
        staff_only(OK, FB, OK, FB, FB),
        schedule_payload,
        note="officers and supervisors of the room's region",
    ),
    EventRow(ev.QA_LIST, row(OK, OK, OK, *PATROL), p({"room": "umea"})),
    EventRow(ev.QA_JOIN, row(OK, OK, OK, *PATROL), p({"session_id": "{session}"}), qa_session),
    EventRow(
        ev.QA_LEAVE,
        row(OK, OK, OK, OK, OK, OK, OK, OK),
        p({"session_id": "{session}"}),
        qa_session,
        note="leaving a socket.io room grants nothing",
    ),
    EventRow(
        ev.QA_ASK, youth_only(OK, OK, OK), p({"session_id": "{session}", "client_id": CID, "body": BODY}), qa_session
    ),
    EventRow(
        ev.QA_REVIEW,
        staff_only(OK, FB, FB, FB, FB),
        p({"question_id": "{question}", "decision": "approve"}),
        pending_question,
        note="only the session's hosts",
    ),
    EventRow(
        ev.QA_VOTE,
        youth_only(OK, FB, OK),
        p({"question_id": "{question}"}),
        a_approved_question,
        note="not for one's own question",
        once=True,
    ),
    EventRow(
        ev.QA_VOTE,
        youth_only(NF, CONFLICT, NF),
        p({"question_id": "{question}"}),
        a_pending_question,
        "pending",
        "another young person's pending question does not exist for them",
        once=True,
    ),
    EventRow(
        ev.QA_ANSWER,
        staff_only(OK, FB, FB, FB, FB),
        p({"question_id": "{question}", "body": "Via polisutbildningen."}),
        approved_question,
    ),
    EventRow(
        ev.QA_PIN, staff_only(OK, FB, FB, FB, FB), p({"question_id": "{question}", "pinned": True}), approved_question
    ),
    EventRow(
        ev.QA_COHOST,
        staff_only(FB, FB, OK, FB, FB),
        p({"session_id": "{session}"}),
        qa_session,
        note="supervisors of the region",
    ),
    # -- notices: drafted by the region's officers, approved by another person, a supervisor --
    EventRow(
        ev.NOTICE_DRAFT,
        staff_only(OK, FB, OK, FB, FB),
        p({"room": "umea", "body": "Vi söker vittnen till en brand vid skolan i natt."}),
    ),
    EventRow(ev.NOTICE_APPROVE, staff_only(FB, FB, OK, NF, FB), p({"notice_id": "{notice}"}), pending_notice),
    EventRow(
        ev.NOTICE_REJECT,
        staff_only(FB, FB, OK, NF, FB),
        p({"notice_id": "{notice}", "comment": "Skriv om"}),
        pending_notice,
    ),
    EventRow(
        ev.NOTICE_FOLLOWUP,
        staff_only(OK, NF, NF, NF, NF),
        p({"notice_id": "{notice}", "body": "Tack för tipsen!"}),
        published_notice,
        note="only its author",
    ),
    EventRow(
        ev.NOTICE_TIPS,
        staff_only(OK, NF, NF, NF, NF),
        p({"notice_id": "{notice}"}),
        published_notice,
        note="tips reach only the officer in charge",
    ),
    EventRow(ev.NOTICE_HISTORY, staff_only(FB, FB, OK, NF, FB), p({"notice_id": "{notice}"}), published_notice),
    EventRow(ev.NOTICE_QUEUE, staff_only(FB, FB, OK, OK, FB), p({})),
    EventRow(ev.NOTICE_LIST, row(OK, OK, OK, *PATROL), p({"room": "umea"})),
    EventRow(
        ev.NOTICE_TIP,
        youth_only(OK, OK, OK),
        p({"notice_id": "{notice}", "client_id": CID, "body": BODY}),
        published_notice,
    ),
    EventRow(
        ev.NOTICE_TIP,
        youth_only(NF, NF, NF),
        p({"notice_id": "{notice}", "client_id": CID, "body": BODY}),
        pending_notice,
        "pending",
        "an unpublished notice does not exist for young people",
    ),
    # Last of the youth rows: it revokes the caller's identity (its token opens nothing after).
    EventRow(ev.SESSION_FORGET, youth_only(OK, OK, OK), p({}), note="every young person may forget themselves"),
    # Add rows for new events here (a handled event without a row fails test_every_event_has_a_row).
]


# --- HTTP ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HttpRow:
    method: str
    path: str  # the route's canonical path; {names} filled from the targets
    expect: dict[str, str]
    setup: Setup = nothing
    query: str = ""
    body: dict[str, Any] | None = None
    fresh_session: bool = False  # the call ends the session: use a second one
    login: bool = False  # no session cookie; the caller's credentials fill {username} {password} {totp}
    note: str = ""


def everyone(outcome: str = OK) -> dict[str, str]:
    return row(*(outcome,) * len(ACTORS))


def staff_http(officer: str, other: str, sup: str, sup_other: str, admin: str) -> dict[str, str]:
    """Young people have no HTTP session: like anonymous callers, they are `unauthorized`."""
    return row(UNAUTH, UNAUTH, UNAUTH, officer, other, sup, sup_other, admin)


SUPERVISOR_READ = staff_http(FB, FB, OK, NF, FB)  # a record of Nord: its supervisors only
SUPERVISORS = staff_http(FB, FB, OK, OK, FB)
EDITORS = staff_http(FB, FB, OK, OK, OK)
REASON = "reason=quality_review"


async def transcript(w: World, _a: str) -> dict[str, Any]:
    return {"conversation_id": await w.a_chat(closed=True)}


async def report_target(w: World, _a: str) -> dict[str, Any]:
    return {"report_id": await w.report(claimed=True)}


async def window(w: World, _a: str) -> dict[str, Any]:
    from server.services import schedules

    added = await schedules.add_dated(w.server.deps, None, "umea", w.future_date(), "10:00", "11:00")
    return {"window_id": added["window"]["id"]}


async def closure(w: World, _a: str) -> dict[str, Any]:
    from server.services import schedules

    added = await schedules.add_closure(w.server.deps, None, "umea", w.future_date())
    return {"closure_id": added["closure"]["id"]}


async def a_date(w: World, _a: str) -> dict[str, Any]:
    return {"date": w.future_date()}


async def nord_reply(w: World, _a: str) -> dict[str, Any]:
    from server.services import replies
    from server.services.actors import StaffActor

    made = await replies.create(w.server.deps, StaffActor(w.staff[SUP].id), "Hej", "Hej! Vad har hänt?", "sv")
    return {"reply_id": int(made["reply"]["id"])}


REPLY = {"title": "Hej", "body": "Hej! Berätta vad som har hänt.", "lang": "sv"}


async def mitt_officer(w: World, _a: str) -> dict[str, Any]:
    """A fresh officer of Mitt, so that no grant given by one cell lets another cell's officer in."""
    return {"grantee": (await w.server.officer(region="Mitt")).username}


async def nord_grant(w: World, _a: str) -> dict[str, Any]:
    from server.services import duty_grants
    from server.services.actors import StaffActor

    grantee = (await w.server.officer(region="Mitt")).username
    made = await duty_grants.give(w.server.deps, StaffActor(w.staff[SUP].id), grantee, 2, "Förstärkning i kväll")
    return {"grant_id": int(made["grant"]["id"])}


GRANT = {"username": "{grantee}", "hours": 2, "reason": "Förstärkning i kväll"}


HTTP_ROWS: list[HttpRow] = [
    HttpRow("GET", "/api/auth/csrf", everyone()),
    HttpRow("GET", "/api/auth/me", staff_http(OK, OK, OK, OK, OK)),
    HttpRow("POST", "/api/auth/logout", staff_http(OK, OK, OK, OK, OK), fresh_session=True),
    HttpRow("POST", "/api/auth/totp/setup", staff_http(OK, OK, CONFLICT, CONFLICT, CONFLICT),
            note="enrolment of one's own second factor; supervisors and admins have one already"),
    HttpRow("POST", "/api/auth/totp/confirm", staff_http(INV, INV, CONFLICT, CONFLICT, CONFLICT),
            body={"code": "000000"}, note="one's own pending enrolment only (here a wrong code)"),
    HttpRow("GET", "/api/neighbourhoods", everyone()),
    HttpRow("GET", "/api/neighbourhoods/{slug}/availability", everyone()),
    HttpRow("GET", "/api/neighbourhoods/{slug}/schedule", everyone()),
    HttpRow("GET", "/api/neighbourhoods/{slug}/calendar.ics", everyone()),
    HttpRow("POST", "/api/neighbourhoods/{slug}/windows", EDITORS, a_date,
            body={"date": "{date}", "start": "18:00", "end": "22:00"}, note="schedules are national"),
    HttpRow("DELETE", "/api/windows/{window_id}", EDITORS, window),
    HttpRow("POST", "/api/neighbourhoods/{slug}/closures", EDITORS, a_date, body={"date": "{date}"}),
    HttpRow("DELETE", "/api/closures/{closure_id}", EDITORS, closure),
    HttpRow("GET", "/api/duty", EDITORS),
    HttpRow("GET", "/api/duty/grants", SUPERVISORS, note="each supervisor sees the grants for their region"),
    HttpRow("POST", "/api/duty/grants", staff_http(FB, FB, OK, INV, FB), mitt_officer, body=GRANT,
            note="a supervisor lets an officer of another region in; Mitt's own officer needs none"),
    HttpRow("DELETE", "/api/duty/grants/{grant_id}", SUPERVISOR_READ, nord_grant),
    HttpRow("GET", "/api/replies", staff_http(OK, OK, OK, OK, OK), note="each sees their region's saved replies"),
    HttpRow("POST", "/api/replies", SUPERVISORS, body=REPLY, note="a supervisor adds to their own region's"),
    HttpRow("PUT", "/api/replies/{reply_id}", SUPERVISOR_READ, nord_reply, body=REPLY),
    HttpRow("DELETE", "/api/replies/{reply_id}", SUPERVISOR_READ, nord_reply),
    HttpRow("GET", "/api/reports/{report_id}", SUPERVISOR_READ, report_target, query=REASON),
    HttpRow("GET", "/api/transcripts", SUPERVISORS, note="each supervisor searches their own region"),
    HttpRow("GET", "/api/transcripts/{conversation_id}", SUPERVISOR_READ, transcript, query=REASON),
    HttpRow("POST", "/api/transcripts/{conversation_id}/review", SUPERVISOR_READ, transcript,
            body={"answered_in_time": True, "right_handoff": True, "good_tone": True, "secrecy_kept": True}),
    HttpRow("POST", "/api/transcripts/{conversation_id}/hold", SUPERVISOR_READ, transcript,
            body={"hold": True, "reason": "begäran"}),
    HttpRow("GET", "/api/transcripts/{conversation_id}/export.json", SUPERVISOR_READ, transcript, query=REASON),
    HttpRow("GET", "/api/transcripts/{conversation_id}/export.pdf", SUPERVISOR_READ, transcript, query=REASON),
    HttpRow("GET", "/api/dashboard", SUPERVISORS),
    HttpRow("GET", "/api/my/reviews", staff_http(OK, OK, OK, OK, OK)),
    HttpRow("GET", "/api/audit", EDITORS, note="each supervisor reads their own region's entries; admins all"),
    HttpRow("GET", "/api/audit.csv", EDITORS),
    HttpRow("GET", "/api/audit/{tail}", everyone(FB), note="the audit log is append-only: no method changes it"),
    HttpRow("GET", "/healthz", everyone()),
    HttpRow("GET", "/readyz", everyone()),
    HttpRow("GET", "/metrics", everyone(), note="counts only; restricted to operators at the proxy"),
    *(HttpRow("GET", path, everyone()) for path in ("/", "/widget", "/widget/", "/console", "/console/",
      "/supervisor", "/supervisor/", "/demo", "/demo/", "/widget.js")),
    HttpRow("POST", "/api/auth/login", staff_http(OK, OK, OK, OK, OK), login=True,
            body={"username": "{username}", "password": "{password}", "totp": "{totp}"},
            note="staff with their own credentials; young people (no account) get 401"),
    HttpRow("POST", "/api/auth/password", staff_http(INV, INV, INV, INV, INV),
            body={"current_password": "{password}", "new_password": "kort"},
            note="one's own account, with its current password (here refused: the new one is too short)"),
    # Add rows for new routes here (a route without a row fails test_every_route_has_a_row).
]  # fmt: skip
NOT_IN_MATRIX = {"/socket.io/", "/assets"}  # Engine.IO (test_websocket_security.py); static files


# --- running it -----------------------------------------------------------------------------------


async def build_world(server: Running) -> World:
    sockets = {ANON: await server.youth(), A: await server.youth(), B: await server.youth()}
    specs = {
        OFFICER: ("officer", "Nord", ["umea"]),
        OTHER: ("officer", "Mitt", ["ostersund"]),
        SUP: ("supervisor", "Nord", ["umea"]),
        SUP_OTHER: ("supervisor", "Mitt", ["ostersund"]),
        ADMIN: ("admin", "Nord", []),
    }
    staff: dict[str, Officer] = {}
    duty_rooms: dict[str, list[str]] = {}
    for actor, (role, region, rooms) in specs.items():
        staff[actor] = await server.officer(role=role, region=region)
        sockets[actor] = await server.staff(staff[actor])
        duty_rooms[actor] = rooms
        if rooms:
            await sockets[actor].ok("duty:start", {"rooms": rooms})
    return World(server, sockets, staff, duty_rooms)


def describe(result: dict[str, Any]) -> str:
    return OK if result.get("ok") else str(result.get("error", {}).get("code"))


async def run_event_cell(w: World, r: EventRow, actor: str, shared: dict[str, Any] | None) -> list[str]:
    problems = []
    targets = shared if shared is not None else await r.setup(w, actor)
    result = await w.sockets[actor].call(r.event, r.payload(targets, actor))
    got = describe(result)
    name = f"{r.event}{f' ({r.label})' if r.label else ''}"
    if got != r.expect[actor]:
        problems.append(f"{name:34} {actor:24} expected {r.expect[actor]:12} got {got}: {result.get('error')}")
    elif got == NF and targets:
        probe = await w.sockets[actor].call(r.event, r.payload(fake(targets), actor))
        if probe.get("error") != result.get("error"):
            problems.append(f"{name:34} {actor:24} not_found differs from a made-up id: {result} vs {probe}")
    if r.event == ev.DUTY_END and actor in STAFF and w.duty_rooms[actor]:
        await w.sockets[actor].ok("duty:start", {"rooms": w.duty_rooms[actor]})
    return problems


async def credentials(w: World, actor: str) -> dict[str, str]:
    """What the caller would type at the login: a young person has no account."""
    if actor not in STAFF:
        return {"username": "nobody", "password": "not-a-password", "totp": ""}
    officer = w.staff[actor]
    enrolled = (w.server.url, officer.username) in ENROLLED
    totp = await next_totp(w.server.url, officer.username) if enrolled else ""
    return {"username": officer.username, "password": officer.password, "totp": totp}


def fill(text: str, targets: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(targets.get(m.group(1), "umea" if m.group(1) == "slug" else "1")), text)


async def http_call(w: World, r: HttpRow, actor: str, targets: dict[str, Any]) -> tuple[int, Any]:
    headers = {"Origin": w.server.origin}
    cookies: list[str] = []
    if actor in (A, B):
        session = w.sockets[actor].session
        assert session is not None
        cookies.append(f"kvarter_session={session['token']}")  # a youth token is no staff session
        headers["Authorization"] = f"Bearer {session['token']}"
    elif actor in STAFF:
        officer = w.staff[actor]
        targets = {**targets, "password": officer.password}
        if r.fresh_session:
            from tests.clients import staff_cookie

            cookies.append(await staff_cookie(w.server.url, officer.username, officer.password))
        else:
            cookies.append(officer.cookie)
    if r.login:
        cookies = []
        targets = {**targets, **await credentials(w, actor)}
    # The CSRF token is bound to the session cookie the request carries (a young person's token
    # sent as one too: the request must get past CSRF to be refused for what it is).
    session = next((c for c in cookies if c.startswith("kvarter_session=")), None)
    token, csrf_cookie = csrf_pair(w.server.settings.secret_key, session)
    headers[csrf.CSRF_HEADER] = token
    cookies.insert(0, csrf_cookie)
    headers["Cookie"] = "; ".join(cookies)
    url = w.server.url + fill(r.path, targets) + (f"?{r.query}" if r.query else "")
    body = None if r.body is None else {k: fill(v, targets) if isinstance(v, str) else v for k, v in r.body.items()}
    if body is not None and body.get("totp") == "":
        del body["totp"]
    async with aiohttp.ClientSession() as http, http.request(r.method, url, json=body, headers=headers) as resp:
        data = await resp.json() if resp.content_type == "application/json" else await resp.read()
        return resp.status, data


async def run_http_cell(w: World, r: HttpRow, actor: str) -> list[str]:
    targets = await r.setup(w, actor)
    status, data = await http_call(w, r, actor, targets)
    want = r.expect[actor]
    name = f"{r.method} {r.path}"
    if status not in STATUS[want] or (want != OK and isinstance(data, dict) and data["error"]["code"] != want):
        return [f"{name:52} {actor:24} expected {want:12} got {status} {data if isinstance(data, dict) else ''}"]
    if want == NF and targets:
        probe_status, probe = await http_call(w, r, actor, fake(targets))
        if (probe_status, probe) != (status, data):
            return [f"{name:52} {actor:24} not_found differs from a made-up id: {data} vs {probe}"]
    return []


def page_dist(server: Running) -> None:
    dist: Path = server.settings.static_dir
    for app in ("widget", "console", "supervisor", "demo"):
        (dist / app).mkdir(parents=True, exist_ok=True)
        (dist / app / "index.html").write_text("<!doctype html><title>x</title>")
    (dist / "widget.js").write_text("void 0;")


def handled_events(server: Running) -> dict[str, set[str]]:
    sio = server.app[SIO]
    return {ns: set(handler.handlers) for ns, handler in sio.namespace_handlers.items()}


@pytest.mark.timeout(300)
async def test_access_matrix(server: Running) -> None:
    """Every socket.io event and every HTTP endpoint, for each of eight callers, has exactly the
    outcome intended for that caller; `not_found` never differs from a made-up id's."""
    page_dist(server)
    w = await build_world(server)
    problems: list[str] = []
    cells = 0
    for r in EVENT_ROWS:
        shared = await r.setup(w, ADMIN) if r.once else None
        for actor in ACTORS:
            problems += await run_event_cell(w, r, actor, shared)
            cells += 1
    for h in HTTP_ROWS:
        for actor in ACTORS:
            problems += await run_http_cell(w, h, actor)
            cells += 1
    print(f"\naccess matrix: {len(EVENT_ROWS)} event rows, {len(HTTP_ROWS)} HTTP rows, {cells} cells")
    assert not problems, "\n" + "\n".join(problems)


async def test_every_event_has_a_row(server: Running) -> None:
    """A client→server event without a row in the matrix fails here, and so does a name in
    server.events.ALL_EVENTS that is neither handled nor declared server→client only."""
    handled = handled_events(server)
    client_events = handled["/youth"] | handled["/staff"]
    rows = {r.event for r in EVENT_ROWS}
    assert client_events - rows == set(), f"add matrix rows for {sorted(client_events - rows)}"
    assert rows - client_events == set(), f"rows for events nobody handles: {sorted(rows - client_events)}"
    unclassified = set(ev.ALL_EVENTS) - client_events - SERVER_TO_CLIENT
    assert not unclassified, f"classify {sorted(unclassified)}: a matrix row, or SERVER_TO_CLIENT"
    for r in EVENT_ROWS:
        for namespace, actors in (("/youth", YOUTH), ("/staff", STAFF)):
            if r.event not in handled[namespace]:
                assert {r.expect[a] for a in actors} == {INV}, f"{r.event} is unknown on {namespace}"


async def test_every_route_has_a_row(server: Running) -> None:
    """An HTTP route without a row in the matrix fails here."""
    covered = {(h.method, h.path) for h in HTTP_ROWS}
    missing = []
    for route in server.app.router.routes():
        if route.method in ("HEAD", "OPTIONS") or route.resource is None:
            continue
        path = route.resource.canonical
        if path in NOT_IN_MATRIX:
            continue
        method = "GET" if route.method == "*" else route.method
        if (method, path) not in covered:
            missing.append(f"{route.method} {path}")
    assert not missing, f"add matrix rows for {missing}"
