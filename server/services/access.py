"""The one gate: every check that an actor may see or act on something goes through here.

"Not found" and "forbidden" look the same to a caller who may not see the thing, so ids
cannot be probed.
"""

from __future__ import annotations

from server.errors import Forbidden, NewIdentityRefused, NotFound, Unauthorized
from server.services.actors import PATROL_ROLES, StaffActor, YouthActor
from server.storage.records import (
    ConversationRec,
    DutyGrantRec,
    HandoffRec,
    NeighbourhoodRec,
    NoticeRec,
    QaQuestionRec,
    QaSessionRec,
    ReportRec,
    SavedReplyRec,
    StaffRec,
    YouthRec,
)
from server.storage.tx import Tx

NO_CONVERSATION = "no such conversation"


async def staff_member(tx: Tx, actor: StaffActor) -> StaffRec:
    """The acting staff member, re-read so that a disabled account stops at once."""
    staff = await tx.staff.by_id(actor.staff_id)
    if staff is None or not staff.is_active:
        raise Unauthorized("the staff session is no longer valid")
    return staff


async def patrol_staff(tx: Tx, actor: StaffActor) -> StaffRec:
    """A staff member who may patrol: officers and supervisors."""
    staff = await staff_member(tx, actor)
    if staff.role not in PATROL_ROLES:
        raise Forbidden("only officers and supervisors patrol")
    return staff


async def youth_member(tx: Tx, actor: YouthActor) -> YouthRec:
    """The young person's stored identity. One still pending (handed out on connect, never
    written with) is stored here, by the first action that needs it: the insert does nothing
    when the row is already there, so concurrent first actions store it exactly once. A source
    storing too many new identities at once gets `rate_limited` (NewIdentityRefused)."""
    youth = await tx.youth.by_id(actor.youth_id)
    if youth is None and (pending := actor.pending) is not None:
        if actor.admit is not None and (wait := await actor.admit()) > 0:
            raise NewIdentityRefused(wait)
        youth = await tx.youth.add_if_absent(
            youth_id=actor.youth_id,
            token_hash=pending.token_hash,
            nickname=pending.nickname,
            lang=pending.lang,
            now=pending.created_at,
        )
    if youth is None:
        raise Unauthorized("unknown youth identity")
    return youth


async def youth_visitor(tx: Tx, actor: YouthActor) -> None:
    """A young person who may read (rooms, Q&A, notices): checked like `youth_member`, except
    that an identity still pending was checked on connect and is not stored by reading."""
    if actor.pending is None:
        await youth_member(tx, actor)


async def neighbourhood(tx: Tx, slug: str, *, to_post: bool = False) -> NeighbourhoodRec:
    """The neighbourhood; `to_post` locks its row until the commit, which every new room message
    does before its INSERT (so ids within a room ascend in commit order)."""
    nb = await (tx.neighbourhoods.to_post(slug) if to_post else tx.neighbourhoods.by_slug(slug))
    if nb is None:
        raise NotFound(f"no neighbourhood {slug!r}")
    return nb


async def conversation_for_youth(tx: Tx, actor: YouthActor, conversation_id: str) -> ConversationRec:
    """A young person sees only their own conversations."""
    conv = await tx.conversations.get(conversation_id)
    if conv is None or conv.youth_id != actor.youth_id:
        raise NotFound(NO_CONVERSATION)
    return conv


async def own_conversation(tx: Tx, actor: YouthActor, conversation_id: str) -> ConversationRec:
    """`youth_member` and `conversation_for_youth` in one read: the conversation's row is read
    joined to its young person's, so finding it proves the identity exists. Only when it is not
    found is the identity looked up, so an unknown one still answers `unauthorized`."""
    conv = await tx.conversations.read(conversation_id)
    if conv is not None and conv.youth_id == actor.youth_id:
        return conv
    await youth_visitor(tx, actor)
    raise NotFound(NO_CONVERSATION)


async def conversation_for_staff(tx: Tx, staff: StaffRec, conversation_id: str) -> ConversationRec:
    """Staff see a conversation they hold, or a waiting one of a neighbourhood they are on duty for."""
    conv = await tx.conversations.get(conversation_id)
    if conv is None:
        raise NotFound(NO_CONVERSATION)
    if conv.officer is not None and conv.officer.id == staff.id:
        return conv
    if conv.status == "waiting" and await tx.duty.is_on_duty(staff.id, conv.neighbourhood_id):
        return conv
    raise NotFound(NO_CONVERSATION)


def require_holder(staff: StaffRec, conv: ConversationRec) -> None:
    """Only the officer who took a conversation writes in it."""
    if conv.officer is None or conv.officer.id != staff.id:
        raise Forbidden("take the conversation before writing in it")


async def conversation_to_take(tx: Tx, staff: StaffRec, conversation_id: str) -> ConversationRec:
    """Officers on duty for a neighbourhood may try to take its chats; losing a race is a
    `conflict`, not a `not_found`, since they were entitled to see it waiting."""
    conv = await tx.conversations.get(conversation_id)
    if conv is None:
        raise NotFound(NO_CONVERSATION)
    if conv.officer is not None and conv.officer.id == staff.id:
        return conv
    if await tx.duty.is_on_duty(staff.id, conv.neighbourhood_id):
        return conv
    raise NotFound(NO_CONVERSATION)


NO_REPORT = "no such report"


async def report_to_claim(tx: Tx, staff: StaffRec, report_id: str) -> ReportRec:
    """Officers on duty in the report's region may claim it or act on it; others get `not_found`.

    The queue shows a report to its police area first (overflow to the region), but anyone on
    duty in the region may take it: an officer of another region may not.
    """
    report = await tx.reports.get(report_id)
    if report is None:
        raise NotFound(NO_REPORT)
    if report.claimed_by is not None and report.claimed_by.id == staff.id:
        return report
    duties = await tx.duty.open_for_staff(staff.id)
    if report.region not in {d.region for d in duties}:
        raise NotFound(NO_REPORT)
    return report


async def report_for_supervisor(tx: Tx, staff: StaffRec, report_id: str) -> ReportRec:
    """Supervisors read the reports of their own region."""
    if staff.role != "supervisor":
        raise Forbidden("only supervisors read report histories")
    report = await tx.reports.get(report_id)
    if report is None or report.region != staff.region:
        raise NotFound(NO_REPORT)
    return report


async def handoff_for_youth(tx: Tx, actor: YouthActor, handoff_id: str) -> HandoffRec:
    """A young person's own handoffs; another's answers exactly like a made-up id."""
    handoff = await tx.handoffs.get(handoff_id)
    conv = await tx.conversations.get(handoff.conversation_id) if handoff is not None else None
    if handoff is None or conv is None or conv.youth_id != actor.youth_id:
        raise NotFound("no such handoff")
    return handoff


def other_region(staff: StaffRec, nb: NeighbourhoodRec) -> bool:
    """The neighbourhood belongs to a region other than the staff member's (an unset region,
    of either, is national)."""
    return bool(staff.region and nb.region and staff.region != nb.region)


def same_region(staff: StaffRec, nb: NeighbourhoodRec) -> None:
    """Staff act on the neighbourhoods of their own region."""
    if other_region(staff, nb):
        raise Forbidden("that neighbourhood belongs to another region")


def require_supervisor(staff: StaffRec) -> None:
    if staff.role != "supervisor":
        raise Forbidden("only supervisors do this")


async def regional_supervisor(tx: Tx, actor: StaffActor, what: str) -> StaffRec:
    """A supervisor with a region, for `what` a region's supervisors keep."""
    staff = await staff_member(tx, actor)
    require_supervisor(staff)
    if not staff.region:
        raise Forbidden(f"{what} belong to a region; your account has none")
    return staff


async def grant_keeper(tx: Tx, actor: StaffActor) -> StaffRec:
    """Leave to go on duty in a region is given by that region's supervisors."""
    return await regional_supervisor(tx, actor, "duty grants")


async def grant_of_region(tx: Tx, staff: StaffRec, grant_id: int) -> DutyGrantRec:
    """A duty grant for the supervisor's own region; another region's answers like a missing one."""
    grant = await tx.grants.get(grant_id)
    if grant is None or grant.region != staff.region:
        raise NotFound("no such duty grant")
    return grant


NO_REPLY = "no such saved reply"


async def reply_editor(tx: Tx, actor: StaffActor) -> StaffRec:
    """Saved replies are kept by the supervisors of a region."""
    return await regional_supervisor(tx, actor, "saved replies")


async def reply_of_region(tx: Tx, staff: StaffRec, reply_id: int) -> SavedReplyRec:
    """A reply of the supervisor's own region; another region's answers like a missing one."""
    reply = await tx.replies.get(reply_id)
    if reply is None or reply.region != staff.region:
        raise NotFound(NO_REPLY)
    return reply


NO_SESSION = "no such Q&A session"
NO_QUESTION = "no such question"


async def qa_session(tx: Tx, session_id: str) -> QaSessionRec:
    """Sessions are public (announced ahead); a cancelled one is gone."""
    session = await tx.qa.get_session(session_id)
    if session is None or session.cancelled_at is not None:
        raise NotFound(NO_SESSION)
    return session


def require_host(staff: StaffRec, session: QaSessionRec) -> None:
    """Only the session's hosts review and answer questions."""
    if staff.id not in session.host_ids:
        raise Forbidden("only the session's hosts do this")


async def question_for_host(tx: Tx, staff: StaffRec, question_id: str) -> tuple[QaQuestionRec, QaSessionRec]:
    question = await tx.qa.question(question_id)
    if question is None:
        raise NotFound(NO_QUESTION)
    session = await qa_session(tx, question.session_id)
    require_host(staff, session)
    return question, session


async def question_for_youth(tx: Tx, actor: YouthActor, question_id: str) -> tuple[QaQuestionRec, QaSessionRec]:
    """A young person sees approved questions and their own; others' pending or rejected
    questions do not exist for them."""
    question = await tx.qa.question(question_id)
    if question is None or (question.status in ("pending", "rejected") and question.youth_id != actor.youth_id):
        raise NotFound(NO_QUESTION)
    return question, await qa_session(tx, question.session_id)


NO_NOTICE = "no such notice"
PUBLIC_NOTICE = frozenset({"published", "followup_pending", "closed", "expired"})


async def notice_for_youth(tx: Tx, notice_id: str) -> NoticeRec:
    """Young people see a notice only once it has been published."""
    notice = await tx.notices.get(notice_id)
    if notice is None or notice.status not in PUBLIC_NOTICE:
        raise NotFound(NO_NOTICE)
    return notice


async def notice_for_reviewer(tx: Tx, staff: StaffRec, notice_id: str) -> NoticeRec:
    """A supervisor of the notice's region reviews it; never its own author."""
    require_supervisor(staff)
    notice = await tx.notices.get(notice_id)
    nb = await tx.neighbourhoods.by_slug(notice.room) if notice else None
    if notice is None or nb is None or (staff.region and nb.region and staff.region != nb.region):
        raise NotFound(NO_NOTICE)
    if notice.author_id == staff.id:
        raise Forbidden("a second person must approve: you wrote this notice")
    return notice


async def notice_of_author(tx: Tx, staff: StaffRec, notice_id: str) -> NoticeRec:
    """The officer in charge of a notice is its author: only they follow it up and read its tips."""
    notice = await tx.notices.get(notice_id)
    if notice is None or notice.author_id != staff.id:
        raise NotFound(NO_NOTICE)
    return notice


async def notice_for_supervisor(tx: Tx, staff: StaffRec, notice_id: str) -> NoticeRec:
    """Supervisors of the region see a notice's whole life."""
    require_supervisor(staff)
    notice = await tx.notices.get(notice_id)
    nb = await tx.neighbourhoods.by_slug(notice.room) if notice else None
    if notice is None or nb is None or (staff.region and nb.region and staff.region != nb.region):
        raise NotFound(NO_NOTICE)
    return notice
