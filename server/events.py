"""Event names, the typed inbound payloads of the socket.io protocol, and the outbound `Event`.

The web client keeps a copy of the names in webclient/src/shared/protocol/events.ts;
a test checks that both lists agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Final, Literal, TypeVar

import msgspec

from server.errors import Invalid

# Client -> server, and server -> client where the same name is used both ways.
SESSION: Final = "session"
SESSION_FORGET: Final = "session:forget"
PROFILE_SET: Final = "profile:set"
ROOM_JOIN: Final = "room:join"
ROOM_LEAVE: Final = "room:leave"
ROOM_SEND: Final = "room:send"
ROOM_SYNC: Final = "room:sync"
ROOM_MESSAGE: Final = "room:message"
CHAT_OPEN: Final = "chat:open"
CHAT_SEND: Final = "chat:send"
CHAT_SYNC: Final = "chat:sync"
CHAT_TYPING: Final = "chat:typing"
CHAT_CLOSE: Final = "chat:close"
CHAT_TAKE: Final = "chat:take"
CHAT_MESSAGE: Final = "chat:message"
CHAT_UPDATED: Final = "chat:updated"
CHAT_TRANSFER: Final = "chat:transfer"
CHAT_NOTE: Final = "chat:note"
CHAT_ALERT: Final = "chat:alert"
REPLIES_LIST: Final = "replies:list"
AVAILABILITY: Final = "availability"
DUTY_START: Final = "duty:start"
DUTY_END: Final = "duty:end"
DUTY_UPDATED: Final = "duty:updated"
INBOX_LIST: Final = "inbox:list"
INBOX_UPDATED: Final = "inbox:updated"
REPORT_SUBMIT: Final = "report:submit"
REPORT_UPDATED: Final = "report:updated"
HANDOFF: Final = "handoff"
HANDOFF_GIVE: Final = "handoff:give"
HANDOFF_OPENED: Final = "handoff:opened"
TRIAGE_LIST: Final = "triage:list"
TRIAGE_CLAIM: Final = "triage:claim"
TRIAGE_CLOSE: Final = "triage:close"
TRIAGE_NEW: Final = "triage:new"
TRIAGE_UPDATED: Final = "triage:updated"
TRIAGE_ALERT: Final = "triage:alert"
FEEDBACK_SUBMIT: Final = "feedback:submit"
MODERATION_HIDE: Final = "moderation:hide"
MODERATION_MUTE: Final = "moderation:mute"
MODERATION_MUTED: Final = "moderation:muted"
MODERATION_FLAGS: Final = "moderation:flags"
MODERATION_FLAGGED: Final = "moderation:flagged"
MODERATION_SLOWMODE: Final = "moderation:slowmode"
MESSAGE_FLAG: Final = "message:flag"
MESSAGE_HIDDEN: Final = "message:hidden"
ROOM_SETTINGS: Final = "room:settings"
DUTY_ROSTER: Final = "duty:roster"
DUTY_HANDOVER: Final = "duty:handover"
HANDOVER_WRITE: Final = "handover:write"
QA_SCHEDULE: Final = "qa:schedule"
QA_LIST: Final = "qa:list"
QA_JOIN: Final = "qa:join"
QA_LEAVE: Final = "qa:leave"
QA_ASK: Final = "qa:ask"
QA_REVIEW: Final = "qa:review"
QA_VOTE: Final = "qa:vote"
QA_ANSWER: Final = "qa:answer"
QA_PIN: Final = "qa:pin"
QA_COHOST: Final = "qa:cohost"
QA_SESSION: Final = "qa:session"
QA_QUESTION: Final = "qa:question"
QA_ANSWERED: Final = "qa:answered"
QA_PENDING: Final = "qa:pending"
NOTICE_DRAFT: Final = "notice:draft"
NOTICE_APPROVE: Final = "notice:approve"
NOTICE_REJECT: Final = "notice:reject"
NOTICE_TIP: Final = "notice:tip"
NOTICE_FOLLOWUP: Final = "notice:followup"
NOTICE_LIST: Final = "notice:list"
NOTICE_QUEUE: Final = "notice:queue"
NOTICE_TIPS: Final = "notice:tips"
NOTICE_HISTORY: Final = "notice:history"
NOTICE_PUBLISHED: Final = "notice:published"
NOTICE_CLOSED: Final = "notice:closed"
NOTICE_PENDING: Final = "notice:pending"
NOTICE_UPDATED: Final = "notice:updated"
SYNC_NEEDED: Final = "sync:needed"

# Outbound events: what a committed change tells whom (services/emitter.py builds audiences).

Namespace = Literal["/youth", "/staff"]


@dataclass(frozen=True, slots=True)
class Audience:
    """A socket.io room in a namespace, and perhaps more (`also`): each connection in any of
    them gets the event once, as socket.io delivers to the union of a list of rooms."""

    namespace: Namespace
    room: str
    also: tuple[str, ...] = ()

    @property
    def rooms(self) -> str | list[str]:
        return [self.room, *self.also] if self.also else self.room


@dataclass(frozen=True, slots=True)
class Event:
    name: str
    data: dict[str, Any]
    to: Audience


ALL_EVENTS: Final = frozenset(
    {
        SESSION, SESSION_FORGET, PROFILE_SET, ROOM_JOIN, ROOM_LEAVE, ROOM_SEND, ROOM_SYNC, ROOM_MESSAGE,
        CHAT_OPEN, CHAT_SEND, CHAT_SYNC, CHAT_TYPING, CHAT_CLOSE, CHAT_TAKE, CHAT_MESSAGE,
        CHAT_UPDATED, CHAT_TRANSFER, CHAT_NOTE, CHAT_ALERT, REPLIES_LIST,
        AVAILABILITY, DUTY_START, DUTY_END, DUTY_UPDATED, INBOX_LIST,
        INBOX_UPDATED, REPORT_SUBMIT, REPORT_UPDATED, HANDOFF, HANDOFF_GIVE, HANDOFF_OPENED,
        TRIAGE_LIST, TRIAGE_CLAIM, TRIAGE_CLOSE, TRIAGE_NEW, TRIAGE_UPDATED, TRIAGE_ALERT,
        DUTY_ROSTER, DUTY_HANDOVER, HANDOVER_WRITE, FEEDBACK_SUBMIT, MODERATION_HIDE, MODERATION_MUTE,
        MODERATION_MUTED, MODERATION_FLAGS, MODERATION_FLAGGED, MODERATION_SLOWMODE, MESSAGE_FLAG,
        MESSAGE_HIDDEN, ROOM_SETTINGS, QA_SCHEDULE, QA_LIST, QA_JOIN, QA_LEAVE, QA_ASK, QA_REVIEW,
        QA_VOTE, QA_ANSWER, QA_PIN, QA_COHOST, QA_SESSION, QA_QUESTION, QA_ANSWERED, QA_PENDING,
        NOTICE_DRAFT, NOTICE_APPROVE, NOTICE_REJECT, NOTICE_TIP, NOTICE_FOLLOWUP, NOTICE_LIST,
        NOTICE_QUEUE, NOTICE_TIPS, NOTICE_HISTORY, NOTICE_PUBLISHED, NOTICE_CLOSED, NOTICE_PENDING,
        NOTICE_UPDATED, SYNC_NEEDED,
    }
)  # fmt: skip

MAX_BODY_CHARS: Final = 2000

Slug = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
ClientId = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
ObjectId = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
# At most 18 digits: every such id is within the database's 64-bit integers.
MessageId = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{1,18}$")]
Nickname = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
# Bodies are checked for length by the service, so that an over-long body gets
# `too_long` rather than the schema's `invalid`.
Body = str


class Payload(msgspec.Struct, forbid_unknown_fields=True):
    """Base of inbound payloads: unknown fields are an error."""


class Empty(Payload):
    pass


class ProfileSet(Payload):
    nickname: Nickname


class RoomRef(Payload):
    room: Slug


class RoomSend(Payload):
    room: Slug
    client_id: ClientId
    body: Body
    # Staff only: post despite the secrecy check's warning (audited).
    confirm: bool = False


class RoomSync(Payload):
    room: Slug
    after: MessageId | None = None


class ChatOpen(Payload):
    room: Slug
    client_id: ClientId | None = None
    body: Body | None = None


class ChatRef(Payload):
    conversation_id: ObjectId


class ChatSend(Payload):
    conversation_id: ObjectId
    client_id: ClientId
    body: Body


class ChatSync(Payload):
    conversation_id: ObjectId
    after: MessageId | None = None


class ChatTyping(Payload):
    conversation_id: ObjectId
    typing: bool


# Staff ids are the database's integers, as digits, within its integer range.
StaffId = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{1,9}$")]


class ChatTransfer(Payload):
    conversation_id: ObjectId
    to: StaffId
    note: Body | None = None


class ChatNote(Payload):
    conversation_id: ObjectId
    client_id: ClientId
    body: Body


class DutyStart(Payload):
    rooms: Annotated[list[Slug], msgspec.Meta(min_length=1, max_length=50)]
    until: dt.datetime | None = None


class HandoverWrite(Payload):
    room: Slug
    body: Body


Category = Literal["party", "violence", "hurt", "online_crime", "unsafe", "other"]
Outcome = Literal["advice", "handoff_112", "handoff_11414", "referred_support", "no_action", "abusive"]


class ReportSubmit(Payload):
    room: Slug
    client_id: ClientId
    category: Category
    happening_now: bool
    body: Body
    location: Annotated[str, msgspec.Meta(max_length=1000)] | None = None


class ReportRef(Payload):
    report_id: ObjectId


class TriageClose(Payload):
    report_id: ObjectId
    outcome: Outcome


class HandoffGive(Payload):
    conversation_id: ObjectId
    kind: Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9_]{1,32}$")]


class HandoffOpened(Payload):
    handoff_id: ObjectId


class FeedbackSubmit(Payload):
    conversation_id: ObjectId
    score: Annotated[int, msgspec.Meta(ge=1, le=5)]


Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class ModerationHide(Payload):
    message_id: MessageId
    reason: Reason


class ModerationMute(Payload):
    youth_id: ObjectId
    minutes: Annotated[int, msgspec.Meta(ge=1, le=10080)]
    reason: Reason


class MessageFlag(Payload):
    message_id: MessageId
    reason: Annotated[str, msgspec.Meta(max_length=200)] = ""


class SlowMode(Payload):
    room: Slug
    seconds: Annotated[int, msgspec.Meta(ge=0, le=600)]


Instant = Annotated[dt.datetime, msgspec.Meta(tz=True)]
Username = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class QaSchedule(Payload):
    room: Slug
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
    starts_at: Instant
    ends_at: Instant
    description: Annotated[str, msgspec.Meta(max_length=1000)] = ""
    # Usernames of the other hosting officers; the one who schedules always hosts.
    hosts: Annotated[list[Username], msgspec.Meta(max_length=10)] = []


class QaSessionRef(Payload):
    session_id: ObjectId


class QaAsk(Payload):
    session_id: ObjectId
    client_id: ClientId
    body: Body


class QaReview(Payload):
    question_id: ObjectId
    decision: Literal["approve", "reject"]
    body: Body | None = None
    reason: Annotated[str, msgspec.Meta(max_length=200)] | None = None


class QaQuestionRef(Payload):
    question_id: ObjectId


class QaAnswer(Payload):
    question_id: ObjectId
    body: Body
    # Post despite the secrecy check's warning (audited), as for room:send.
    confirm: bool = False


class QaPin(Payload):
    question_id: ObjectId
    pinned: bool


class NoticeDraft(Payload):
    room: Slug
    body: Body
    expires_at: Instant | None = None


class NoticeDecision(Payload):
    notice_id: ObjectId
    comment: Annotated[str, msgspec.Meta(max_length=500)] = ""


class NoticeTip(Payload):
    notice_id: ObjectId
    client_id: ClientId
    body: Body


class NoticeFollowup(Payload):
    notice_id: ObjectId
    body: Body


class NoticeRef(Payload):
    notice_id: ObjectId


P = TypeVar("P", bound=Payload)


def parse(payload: Any, schema: type[P]) -> P:
    """Validate an inbound payload; raise Invalid with msgspec's description of the fault."""
    if payload is None and not schema.__struct_fields__:
        payload = {}
    try:
        parsed = msgspec.convert(payload, type=schema, strict=True)
        # JSON may carry a lone surrogate ("\ud800"), which no database or client can take.
        msgspec.json.encode(parsed)
    except msgspec.ValidationError as exc:
        raise Invalid(str(exc)) from None
    except UnicodeEncodeError:
        raise Invalid("text must be valid Unicode (a lone surrogate is not)") from None
    return parsed


class LoginBody(Payload):
    """POST /api/auth/login."""

    username: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]
    totp: Annotated[str, msgspec.Meta(max_length=16)] | None = None
