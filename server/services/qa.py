"""Q&A sessions (frågestund): scheduled, announced, pre-moderated question hours.

A young person's question is screened by the moderation library and then waits for a host,
who approves it (possibly edited for anonymity) or rejects it with a reason the asker sees.
Approved questions are public in the session, without any trace of who asked; others upvote
them, one vote each. Hosts answer live; the answer reaches every viewer at once.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from server.clock import isoformat
from server.errors import Blocked, Closed, Conflict, Forbidden, Invalid, RateLimited
from server.events import QaAsk, QaReview, QaSchedule
from server.services import access, audit, messages, ratelimit, screening
from server.services import emitter as aud
from server.services.actors import Actor, StaffActor, YouthActor
from server.services.deps import Deps
from server.services.emitter import Event
from server.storage.db import Duplicate
from server.storage.records import QaQuestionRec, QaSessionRec, StaffRec
from server.storage.tx import Tx

QUESTION_CHARS = 500
MAX_PENDING_PER_YOUTH = 5
MAX_SESSION = dt.timedelta(hours=8)
MAX_AHEAD = dt.timedelta(days=180)
PAST_SESSIONS = 10
# Young people may send a burst of 3 questions, then one a minute.
QUESTIONS = ratelimit.Bucket(capacity=3, per_second=1 / 60)


def status(session: QaSessionRec, now: dt.datetime) -> str:
    if session.cancelled_at is not None:
        return "cancelled"
    if now < session.starts_at:
        return "upcoming"
    if now < session.ends_at:
        return "live"
    return "ended"


async def _host_names(tx: Tx, session: QaSessionRec) -> list[dict[str, str]]:
    out = []
    for staff_id in session.host_ids:
        staff = await tx.staff.by_id(staff_id)
        if staff is not None:
            out.append({"name": staff.display_name, "role": staff.role, "police_area": staff.police_area})
    return out


async def session_shape(tx: Tx, session: QaSessionRec, now: dt.datetime, *, for_staff: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": session.id,
        "room": session.room,
        "title": session.title,
        "description": session.description,
        "starts_at": isoformat(session.starts_at),
        "ends_at": isoformat(session.ends_at),
        "status": status(session, now),
        "hosts": await _host_names(tx, session),
    }
    if for_staff:
        out["host_ids"] = [str(i) for i in session.host_ids]
    return out


def question_shape(q: QaQuestionRec, *, view: str, voted: bool = False) -> dict[str, Any]:
    """`public`: what every viewer sees (no asker, the approved wording); `asker`: the asker's own
    question with its status and a rejection's reason; `host`: the original too, and flags."""
    out: dict[str, Any] = {
        "id": q.id,
        "session_id": q.session_id,
        "status": q.status,
        "body": q.public_body if q.public_body is not None else q.body,
        "votes": q.votes,
        "pinned": q.pinned,
        "created_at": isoformat(q.created_at),
        "answer": None,
    }
    if q.answer is not None and q.answered_at is not None:
        out["answer"] = {"body": q.answer, "by": q.answered_by_name or "", "at": isoformat(q.answered_at)}
    if view == "public":
        out["voted"] = voted
    if view in ("asker", "host"):
        out["original"] = q.body
        out["reason"] = q.reason
    if view == "asker":
        out["mine"] = True
    if view == "host":
        out["flags"] = list(q.flags)
    return out


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime, now: dt.datetime) -> None:
    if ends_at <= starts_at:
        raise Invalid("ends_at must be after starts_at")
    if ends_at - starts_at > MAX_SESSION:
        raise Invalid("a session lasts at most 8 hours")
    if ends_at <= now:
        raise Invalid("the session would already be over")
    if starts_at - now > MAX_AHEAD:
        raise Invalid("schedule at most 180 days ahead")


async def schedule(deps: Deps, actor: StaffActor, p: QaSchedule) -> dict[str, Any]:
    """An officer or supervisor of the region schedules a session and hosts it (with colleagues)."""
    now = deps.clock.now()
    _check_times(p.starts_at, p.ends_at, now)
    async with deps.db.transaction() as tx:
        staff = await access.patrol_staff(tx, actor)
        nb = await access.neighbourhood(tx, p.room)
        access.same_region(staff, nb)
        hosts = [staff.id]
        for username in p.hosts:
            host = await tx.staff.by_username(username)
            if host is None or not host.is_active or host.role not in ("officer", "supervisor"):
                raise Invalid(f"no officer or supervisor called {username!r} can host")
            hosts.append(host.id)
        session_id = secrets.token_hex(16)
        await tx.qa.add_session(
            session_id=session_id, neighbourhood_id=nb.id, title=p.title.strip(), description=p.description.strip(),
            starts_at=p.starts_at, ends_at=p.ends_at, created_by=staff.id, host_ids=hosts, now=now,
        )  # fmt: skip
        await audit.record(
            tx, at=now, actor=actor, action="qa.schedule", target_kind="qa_session", target_id=session_id,
            detail={"room": nb.slug, "hosts": sorted(set(hosts))},
        )  # fmt: skip
        session = await access.qa_session(tx, session_id)
        for_youth = await session_shape(tx, session, now, for_staff=False)
        for_staff = await session_shape(tx, session, now, for_staff=True)
        tx.on_commit(
            [
                Event("qa:session", {"session": for_youth}, aud.youth_room(nb.slug)),
                Event("qa:session", {"session": for_staff}, aud.staff_room(nb.slug)),
            ]
        )
    return {"session": for_staff}


async def _check_actor(tx: Tx, actor: Actor) -> StaffRec | None:
    if isinstance(actor, StaffActor):
        return await access.patrol_staff(tx, actor)
    await access.youth_visitor(tx, actor)
    return None


async def listing(deps: Deps, actor: Actor, slug: str) -> dict[str, Any]:
    """Upcoming and live sessions of a neighbourhood, and the latest ended ones (still readable)."""
    now = deps.clock.now()
    for_staff = isinstance(actor, StaffActor)
    async with deps.db.transaction() as tx:
        await _check_actor(tx, actor)
        nb = await access.neighbourhood(tx, slug)
        coming = await tx.qa.sessions_ending_after([nb.id], now)
        past = await tx.qa.sessions_ended(nb.id, now, PAST_SESSIONS)
        return {
            "sessions": [await session_shape(tx, s, now, for_staff=for_staff) for s in coming],
            "past": [await session_shape(tx, s, now, for_staff=for_staff) for s in past],
        }


async def join(
    deps: Deps, actor: Actor, session_id: str, admitted: Callable[[], Awaitable[None]] | None = None
) -> dict[str, Any]:
    """What a viewer needs on entering a session; hosts also get the review queue. `admitted`
    runs before anything is read (the caller joins the live audience there, as `rooms.join`)."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        staff = await _check_actor(tx, actor)
        session = await access.qa_session(tx, session_id)
        if admitted is not None:
            await admitted()
        public = await tx.qa.public_questions(session.id)
        result: dict[str, Any] = {"session": await session_shape(tx, session, now, for_staff=staff is not None)}
        if isinstance(actor, YouthActor):
            voted = await tx.qa.voted(session.id, actor.youth_id)
            result["questions"] = [question_shape(q, view="public", voted=q.id in voted) for q in public]
            mine = await tx.qa.questions_of_youth(session.id, actor.youth_id)
            result["mine"] = [question_shape(q, view="asker") for q in mine]
        else:
            result["questions"] = [question_shape(q, view="public") for q in public]
            if staff is not None and staff.id in session.host_ids:
                pending = await tx.qa.pending_questions(session.id)
                result["pending"] = [question_shape(q, view="host") for q in pending]
                result["host"] = True
    return result


async def cohost(deps: Deps, actor: StaffActor, session_id: str) -> dict[str, Any]:
    """A supervisor of the region joins a session as co-host."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        staff = await access.patrol_staff(tx, actor)
        access.require_supervisor(staff)
        session = await access.qa_session(tx, session_id)
        nb = await access.neighbourhood(tx, session.room)
        access.same_region(staff, nb)
        if status(session, now) == "ended":
            raise Closed("the session is over")
        if await tx.qa.add_host(session.id, staff.id, now):
            await audit.record(
                tx, at=now, actor=actor, action="qa.cohost", target_kind="qa_session", target_id=session.id
            )
        session = await access.qa_session(tx, session_id)
        shaped = await session_shape(tx, session, now, for_staff=True)
    deps.availability.invalidate()  # a host on duty can open the room; nothing else announces it
    return {"session": shaped}


async def ask(deps: Deps, actor: YouthActor, p: QaAsk) -> dict[str, Any]:
    """Submit a question before or during a session; it waits for a host. A retry with the same
    client_id returns the stored question."""
    body = messages.check_body(p.body, QUESTION_CHARS)
    verdict = screening.screen(body, "youth_public")
    if screening.blocked(verdict):
        raise Blocked(screening.explain(verdict), screening.details(verdict))
    now = deps.clock.now()
    try:
        async with deps.db.transaction() as tx:
            youth = await access.youth_member(tx, actor)
            session = await access.qa_session(tx, p.session_id)
            found = await tx.qa.question_by_client_id(youth.id, p.client_id)
            if found is not None:
                return {"question": question_shape(found, view="asker")}
            if status(session, now) == "ended":
                raise Closed("the session is over; questions are closed")
            if youth.muted_until is not None and youth.muted_until > now:
                raise Blocked(f"a moderator has paused your posting until {isoformat(youth.muted_until)}")
            if await tx.qa.count_pending_of_youth(session.id, youth.id) >= MAX_PENDING_PER_YOUTH:
                raise RateLimited("wait until the hosts have read your earlier questions")
            await ratelimit.check(deps.limiter, f"qa:{youth.id}", QUESTIONS, now, "you are asking very fast")
            question = await tx.qa.add_question(
                question_id=secrets.token_hex(16), session_id=session.id, youth_id=youth.id,
                client_id=p.client_id, body=body, flags=sorted(verdict.flags), now=now,
            )  # fmt: skip
            await audit.record(
                tx, at=now, actor=actor, action="qa.ask", target_kind="qa_question", target_id=question.id,
                detail={"session": session.id, "flags": sorted(verdict.flags)},
            )  # fmt: skip
            tx.on_commit(_to_hosts(session, question))
    except Duplicate:
        async with deps.db.transaction() as tx:
            again = await tx.qa.question_by_client_id(actor.youth_id, p.client_id)
        if again is None:
            raise
        return {"question": question_shape(again, view="asker")}
    return {"question": question_shape(question, view="asker")}


def _to_hosts(session: QaSessionRec, question: QaQuestionRec) -> list[Event]:
    data = {"question": question_shape(question, view="host")}
    return [Event("qa:pending", data, aud.staff(h)) for h in session.host_ids]


async def review(deps: Deps, actor: StaffActor, p: QaReview) -> dict[str, Any]:
    """A host approves (optionally rewording it for anonymity) or rejects with a reason."""
    edited = None if p.body is None else messages.check_body(p.body, QUESTION_CHARS)
    reason = (p.reason or "").strip()
    if p.decision == "reject" and not reason:
        raise Invalid("a rejection needs a reason the asker will see")
    if edited is not None:
        verdict = screening.screen(edited, "youth_public")
        if screening.blocked(verdict):
            raise Blocked("the edited question still identifies someone: " + screening.explain(verdict))
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        staff = await access.patrol_staff(tx, actor)
        question, session = await access.question_for_host(tx, staff, p.question_id)
        if status(session, now) == "ended":
            raise Closed("the session is over")
        if question.status != "pending":
            raise Conflict(f"the question is already {question.status}")
        original = question.body
        if p.decision == "approve" and edited is None:
            verdict = screening.screen(original, "youth_public")
            if screening.blocked(verdict) or screening.held(verdict):
                raise Blocked("edit the question before approving it: " + screening.explain(verdict))
        changed = await tx.qa.review(
            question.id, status="approved" if p.decision == "approve" else "rejected",
            public_body=(edited or original) if p.decision == "approve" else None,
            reason=reason if p.decision == "reject" else "", reviewer=staff.id, now=now,
        )  # fmt: skip
        if not changed:
            raise Conflict("another host decided this question first")
        await audit.record(
            tx, at=now, actor=actor, action=f"qa.{p.decision}", target_kind="qa_question", target_id=question.id,
            detail={"session": session.id, "edited": edited is not None and edited != original},
        )  # fmt: skip
        updated = await tx.qa.question(question.id)
        assert updated is not None
        asker = {"question": question_shape(updated, view="asker")}
        tx.on_commit([Event("qa:question", asker, aud.youth(updated.youth_id)), *_to_hosts(session, updated)])
        if updated.status == "approved":
            public = {"question": question_shape(updated, view="public")}
            tx.on_commit([Event("qa:question", public, a) for a in aud.qa_viewers(session.id)])
    return {"question": question_shape(updated, view="host")}


async def vote(deps: Deps, actor: YouthActor, question_id: str) -> dict[str, Any]:
    """One vote per young person and approved question; a second vote is a `conflict`."""
    now = deps.clock.now()
    try:
        async with deps.db.transaction() as tx:
            await access.youth_member(tx, actor)
            question, session = await access.question_for_youth(tx, actor, question_id)
            if question.status != "approved":
                raise Conflict(f"only approved, unanswered questions take votes; this one is {question.status}")
            if question.youth_id == actor.youth_id:
                raise Forbidden("you cannot vote for your own question")
            if status(session, now) == "ended":
                raise Closed("the session is over")
            await tx.qa.add_vote(question.id, actor.youth_id, now)
            updated = await tx.qa.question(question.id)
            assert updated is not None
            public = {"question": question_shape(updated, view="public")}
            tx.on_commit([Event("qa:question", public, a) for a in aud.qa_viewers(session.id)])
    except Duplicate:
        raise Conflict("you have already voted for this question") from None
    return {"question": question_shape(updated, view="public", voted=True)}


async def answer(deps: Deps, actor: StaffActor, question_id: str, body: str, confirm: bool) -> dict[str, Any]:
    """A host answers an approved question live; every viewer gets it at once. The secrecy check
    warns first, as for an officer's room post."""
    body = messages.check_body(body)
    verdict = screening.screen(body, "staff_public")
    if verdict.action == "warn" and not confirm:
        raise Blocked("secrecy check: " + screening.explain(verdict), screening.details(verdict))
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        staff = await access.patrol_staff(tx, actor)
        question, session = await access.question_for_host(tx, staff, question_id)
        if status(session, now) == "upcoming":
            raise Closed("answers are given once the session has started")
        if not await tx.qa.answer(question.id, body=body, staff_id=staff.id, now=now):
            raise Conflict(f"only approved questions are answered; this one is {question.status}")
        await audit.record(
            tx, at=now, actor=actor, action="qa.answer", target_kind="qa_question", target_id=question.id,
            detail={"session": session.id, "secrecy_override": verdict.action == "warn"},
        )  # fmt: skip
        updated = await tx.qa.question(question.id)
        assert updated is not None
        public = {"question": question_shape(updated, view="public")}
        tx.on_commit([Event("qa:answered", public, a) for a in aud.qa_viewers(session.id)])
    return {"question": question_shape(updated, view="host")}


async def pin(deps: Deps, actor: StaffActor, question_id: str, pinned: bool) -> dict[str, Any]:
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        staff = await access.patrol_staff(tx, actor)
        question, session = await access.question_for_host(tx, staff, question_id)
        if question.status not in ("approved", "answered"):
            raise Conflict("only approved questions are pinned")
        await tx.qa.set_pinned(question.id, pinned)
        await audit.record(
            tx, at=now, actor=actor, action="qa.pin" if pinned else "qa.unpin", target_kind="qa_question",
            target_id=question.id,
        )  # fmt: skip
        updated = await tx.qa.question(question.id)
        assert updated is not None
        public = {"question": question_shape(updated, view="public")}
        tx.on_commit([Event("qa:question", public, a) for a in aud.qa_viewers(session.id)])
    return {"question": question_shape(updated, view="host")}


__all__ = ["answer", "ask", "cohost", "join", "listing", "pin", "review", "schedule", "vote"]
