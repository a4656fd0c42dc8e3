"""Plain records the storage layer hands to services, so no ORM object leaves storage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NeighbourhoodRec:
    id: int
    slug: str
    name: str
    police_area: str
    region: str
    # Officers of every region may go on duty here without a grant.
    shared: bool = False


@dataclass(frozen=True, slots=True)
class StaffRec:
    id: int
    username: str
    display_name: str
    role: str
    police_area: str
    region: str
    is_active: bool
    password_hash: str


@dataclass(frozen=True, slots=True)
class YouthRec:
    id: str
    nickname: str
    lang: str
    muted_until: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class ConversationRec:
    id: str
    neighbourhood_id: int
    room: str
    youth_id: str
    youth_nickname: str
    status: str
    officer: StaffRec | None
    created_at: dt.datetime
    taken_at: dt.datetime | None
    closed_at: dt.datetime | None
    last_message_at: dt.datetime | None
    # Who held it before it went back to the queue or was transferred (staff see it), and
    # since when it waits (None while an officer holds it).
    previous_officer: StaffRec | None = None
    waiting_since: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class NoteRec:
    """A staff-only note on a conversation."""

    id: int
    conversation_id: str
    client_id: str
    author: StaffRec
    body: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class SavedReplyRec:
    id: int
    region: str
    title: str
    body: str
    lang: str
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class MessageRec:
    id: int
    neighbourhood_id: int | None
    room: str | None
    conversation_id: str | None
    client_id: str
    author_kind: str
    youth_id: str | None
    staff: StaffRec | None
    author_name: str
    body: str
    created_at: dt.datetime
    flags: tuple[str, ...] = ()
    hidden: bool = False
    flag_count: int = 0


@dataclass(frozen=True, slots=True)
class DutyRec:
    staff_id: int
    neighbourhood_id: int
    room: str
    started_at: dt.datetime
    police_area: str
    region: str
    planned_end: dt.datetime | None


@dataclass(frozen=True, slots=True)
class DutyGrantRec:
    """Leave for an officer (`staff_*`) to go on duty in `region`, from a supervisor of it."""

    id: int
    staff_id: int
    staff_username: str
    staff_name: str
    staff_region: str
    region: str
    reason: str
    granted_by_name: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class ReportRec:
    id: str
    neighbourhood_id: int
    room: str
    police_area: str
    region: str
    youth_id: str
    youth_nickname: str
    client_id: str
    category: str
    happening_now: bool
    location: str
    body: str
    priority: int
    reasons: tuple[str, ...]
    status: str
    created_at: dt.datetime
    claimed_by: StaffRec | None
    claimed_at: dt.datetime | None
    conversation_id: str | None
    escalated_at: dt.datetime | None
    outcome: str | None
    closed_at: dt.datetime | None
    source_hash: str | None = None
    text_hash: str | None = None


@dataclass(frozen=True, slots=True)
class HandoffRec:
    id: str
    conversation_id: str
    report_id: str | None
    officer_id: int
    kind: str
    created_at: dt.datetime
    opened_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class AuditRec:
    id: int
    at: dt.datetime
    actor_kind: str
    actor_id: str | None
    action: str
    target_kind: str | None
    target_id: str | None
    detail: str


@dataclass(frozen=True, slots=True)
class WindowRec:
    id: int
    neighbourhood_id: int
    weekday: int | None
    date: dt.date | None
    start_min: int
    end_min: int
    label: str


@dataclass(frozen=True, slots=True)
class ClosureRec:
    id: int
    neighbourhood_id: int
    date: dt.date
    reason: str


@dataclass(frozen=True, slots=True)
class HandoverRec:
    id: int
    room: str
    author: StaffRec
    body: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class RosterRec:
    """An officer on duty for a neighbourhood now."""

    staff: StaffRec
    room: str
    started_at: dt.datetime
    planned_end: dt.datetime | None


@dataclass(frozen=True, slots=True)
class QaSessionRec:
    id: str
    neighbourhood_id: int
    room: str
    title: str
    description: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    created_by: int
    cancelled_at: dt.datetime | None
    host_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class QaQuestionRec:
    id: str
    session_id: str
    youth_id: str
    client_id: str
    body: str
    public_body: str | None
    status: str
    reason: str
    flags: tuple[str, ...]
    votes: int
    pinned: bool
    answer: str | None
    answered_by_name: str | None
    answered_at: dt.datetime | None
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class NoticeRec:
    id: str
    neighbourhood_id: int
    room: str
    author_id: int
    author_name: str
    body: str
    status: str
    secrecy: tuple[str, ...]
    expires_at: dt.datetime
    review_comment: str
    approved_by: int | None
    published_at: dt.datetime | None
    followup: str | None
    followup_secrecy: tuple[str, ...]
    closed_at: dt.datetime | None
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class TipRec:
    id: str
    notice_id: str
    youth_id: str
    client_id: str
    body: str
    flags: tuple[str, ...]
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class StaffSessionRec:
    """A staff session; `id` is the SHA-256 of the cookie, `scope` "full" or "totp_setup"."""

    id: str
    user: StaffRec
    scope: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_seen_at: dt.datetime


@dataclass(frozen=True, slots=True)
class TotpState:
    """An account's second factor, sealed (services/secretbox.py); never shaped for a client."""

    secret: str | None
    pending: str | None
    last_counter: int | None
    recovery_codes: tuple[tuple[int, str], ...]  # (id, salted hash) of the unused ones
