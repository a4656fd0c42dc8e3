"""Tables. Times are stored in UTC; the migration in server/migrations mirrors this file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# SQLite only autoincrements an INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes on every backend (SQLite hands back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Neighbourhood(Base):
    __tablename__ = "neighbourhoods"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    police_area: Mapped[str] = mapped_column(String(120), default="")
    region: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # Officers of any region may go on duty here (a room several regions staff together);
    # otherwise an officer of another region needs a grant from one of its supervisors.
    shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))


class StaffUser(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    police_area: Mapped[str] = mapped_column(String(120), default="")
    region: Mapped[str] = mapped_column(String(120), default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # TOTP second factor (services/totp.py): the secret encrypted with a key derived from
    # KVARTER_SECRET_KEY (services/secretbox.py); `totp_pending` while enrolment awaits its first
    # code; the last accepted time step, so that a code is never accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(Text)
    totp_pending: Mapped[str | None] = mapped_column(Text)
    totp_last_counter: Mapped[int | None] = mapped_column(BigInteger)
    totp_enabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class StaffSession(Base):
    __tablename__ = "staff_sessions"

    # SHA-256 of the cookie value; the cookie itself is never stored.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # Absolute end (KVARTER_STAFF_SESSION_HOURS) and the last use, for the idle timeout.
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # "full", or "totp_setup": a supervisor or admin without a second factor may only enrol.
    scope: Mapped[str] = mapped_column(String(16), default="full", server_default="full")


class StaffRecoveryCode(Base):
    """A one-time recovery code for a lost authenticator, stored salted and hashed."""

    __tablename__ = "staff_recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class LoginFailure(Base):
    """A failed login, counted per account and per source for throttling. The key is a keyed hash
    (of the username, or of the day and the address), never the name or address itself."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)


class Youth(Base):
    __tablename__ = "youths"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # SHA-256 of the bearer token; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    nickname: Mapped[str] = mapped_column(String(32))
    lang: Mapped[str] = mapped_column(String(2), default="sv")
    muted_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        # At most one open conversation per young person and neighbourhood, decided
        # by the database so that two concurrent chat:open calls cannot both create one.
        Index(
            "uq_conversations_open_per_youth",
            "youth_id",
            "neighbourhood_id",
            unique=True,
            sqlite_where=text("status != 'closed'"),
            postgresql_where=text("status != 'closed'"),
        ),
        Index("ix_conversations_neighbourhood_status", "neighbourhood_id", "status"),
        # Transcript search pages newest first.
        Index("ix_conversations_created", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"))
    youth_id: Mapped[str] = mapped_column(ForeignKey("youths.id"))
    status: Mapped[str] = mapped_column(String(16))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    taken_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_message_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # A legal hold exempts the conversation from retention; purged_at marks content deleted.
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    purged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # The officer who held the chat before it went back to the queue or was transferred (staff
    # only), and since when it waits: the queue's alerts run from then, once each (alerted_at:
    # the officers on duty were told; escalated_at: the region's supervisors were).
    handed_over_from: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    waiting_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    alerted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    escalated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class ConversationNote(Base):
    """A staff-only note on a conversation: never shown to the young person."""

    __tablename__ = "conversation_notes"
    __table_args__ = (
        # A retried note (same author, conversation and client_id) finds the stored one.
        UniqueConstraint("conversation_id", "author_id", "client_id", name="uq_conversation_notes_client"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    client_id: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class SavedReply(Base):
    """A region's saved reply: officers insert it into a chat and still press send themselves."""

    __tablename__ = "saved_replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(120), index=True)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(8))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        # A retry with the same client_id finds the stored message instead of adding one.
        UniqueConstraint("sender_key", "client_id", name="uq_messages_sender_client"),
        Index("ix_messages_room_id", "neighbourhood_id", "id"),
        Index("ix_messages_conversation_id", "conversation_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    neighbourhood_id: Mapped[int | None] = mapped_column(ForeignKey("neighbourhoods.id"))
    conversation_id: Mapped[str | None] = mapped_column(ForeignKey("conversations.id"))
    sender_key: Mapped[str] = mapped_column(String(48))
    client_id: Mapped[str] = mapped_column(String(64))
    author_kind: Mapped[str] = mapped_column(String(8))
    youth_id: Mapped[str | None] = mapped_column(ForeignKey("youths.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    author_name: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # Moderation flags (JSON list of dotted strings) for staff and review; never shown to youth.
    flags: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    # A moderator removed it from view (kept for review); the reason is in the audit log.
    hidden_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # How many young people flagged it as not OK.
    flag_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class DutySession(Base):
    __tablename__ = "duty_sessions"
    __table_args__ = (Index("ix_duty_sessions_open", "neighbourhood_id", "ended_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # The end of the planned shift, and the last time a console of the officer was connected:
    # a duty ends by itself at the first of the two to pass, so "online" never lies.
    planned_end: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    end_reason: Mapped[str | None] = mapped_column(String(16))


class RoomNickname(Base):
    """Who writes under a nickname in a room: its confusable skeleton (services/nicknames.py
    `room_key`) belongs to one young person there while they keep posting, so that another
    cannot pass for them."""

    __tablename__ = "room_nicknames"

    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), primary_key=True)
    skeleton: Mapped[str] = mapped_column(String(255), primary_key=True)
    # No foreign key: retention forgets identities, and a claim ends by itself (ROOM_NICK_HOURS).
    youth_id: Mapped[str] = mapped_column(String(32))
    last_used_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class DutyGrant(Base):
    """A supervisor's leave for an officer of another region to go on duty in the supervisor's
    region, until `expires_at` (at most a shift) unless revoked before."""

    __tablename__ = "duty_grants"
    __table_args__ = (Index("ix_duty_grants_staff_region", "staff_id", "region"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    region: Mapped[str] = mapped_column(String(120), index=True)
    reason: Mapped[str] = mapped_column(Text)
    granted_by: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))


class AuditEntry(Base):
    """Who did what to which record. Never message text, nicknames, tokens or addresses."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_kind: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="{}")
    # The region the entry is about (its target's, else its staff actor's), so that supervisors
    # read their own region's log only; None for what belongs to no region.
    region: Mapped[str | None] = mapped_column(String(120), index=True)


class Report(Base):
    """An urgent report from a young person, waiting in the triage queue until claimed."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("youth_id", "client_id", name="uq_reports_youth_client"),
        Index("ix_reports_queue", "status", "priority", "created_at"),
        Index("ix_reports_youth_created", "youth_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"))
    youth_id: Mapped[str] = mapped_column(ForeignKey("youths.id"))
    client_id: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(16))
    happening_now: Mapped[bool] = mapped_column(Boolean)
    location: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    # 1 (most urgent) to 4, with the reasons that made it so (JSON list of codes).
    priority: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[str] = mapped_column(Text, default="[]")
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    conversation_id: Mapped[str | None] = mapped_column(ForeignKey("conversations.id"), index=True)
    escalated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(32))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # For telling a burst apart in the queue: the sender's source (the daily keyed hash of the
    # address, never the address) and a fingerprint of the text as people copy it.
    source_hash: Mapped[str | None] = mapped_column(String(32))
    text_hash: Mapped[str | None] = mapped_column(String(16))


class Handoff(Base):
    """A card an officer sent: call 112, call 114 14, a support line…"""

    __tablename__ = "handoffs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    report_id: Mapped[str | None] = mapped_column(ForeignKey("reports.id"))
    officer_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    kind: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    opened_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class ScheduleWindow(Base):
    """A staffed window: weekly on a weekday, or on one date; local wall-clock minutes."""

    __tablename__ = "schedule_windows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    weekday: Mapped[int | None] = mapped_column(Integer)
    date: Mapped[dt.date | None] = mapped_column(Date)
    start_min: Mapped[int] = mapped_column(Integer)
    end_min: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Closure(Base):
    """A date on which no window opens (a holiday)."""

    __tablename__ = "closures"
    __table_args__ = (UniqueConstraint("neighbourhood_id", "date", name="uq_closures_neighbourhood_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class HandoverNote(Base):
    """A note from one shift to the next for a neighbourhood (no personal data by policy)."""

    __tablename__ = "handover_notes"
    __table_args__ = (Index("ix_handover_notes_room", "neighbourhood_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class QualityReview(Base):
    """A supervisor's rating of how a conversation was handled."""

    __tablename__ = "quality_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    answered_in_time: Mapped[bool] = mapped_column(Boolean)
    right_handoff: Mapped[bool] = mapped_column(Boolean)
    good_tone: Mapped[bool] = mapped_column(Boolean)
    secrecy_kept: Mapped[bool] = mapped_column(Boolean)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Feedback(Base):
    """The young person's answer to "Do you feel safer now?" (1-5); reported only in aggregate."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), unique=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"))
    score: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)


class MessageFlag(Base):
    """A young person flagged a room message; one flag per person and message."""

    __tablename__ = "message_flags"
    __table_args__ = (UniqueConstraint("message_id", "youth_id", name="uq_message_flags_message_youth"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(BigId, ForeignKey("messages.id", ondelete="CASCADE"))
    youth_id: Mapped[str] = mapped_column(ForeignKey("youths.id"))
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class RoomSetting(Base):
    """Per-room moderation settings (slow mode)."""

    __tablename__ = "room_settings"

    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), primary_key=True)
    slow_mode_seconds: Mapped[int] = mapped_column(Integer, default=0)


class QaSession(Base):
    """A scheduled question hour (frågestund) in a neighbourhood."""

    __tablename__ = "qa_sessions"
    __table_args__ = (Index("ix_qa_sessions_room_starts", "neighbourhood_id", "starts_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class QaHost(Base):
    """An officer or supervisor hosting a session."""

    __tablename__ = "qa_hosts"

    session_id: Mapped[str] = mapped_column(ForeignKey("qa_sessions.id", ondelete="CASCADE"), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), primary_key=True)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class QaQuestion(Base):
    """A young person's question: pending until a host approves (possibly edited) or rejects it."""

    __tablename__ = "qa_questions"
    __table_args__ = (
        UniqueConstraint("youth_id", "client_id", name="uq_qa_questions_youth_client"),
        Index("ix_qa_questions_session_status", "session_id", "status"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("qa_sessions.id", ondelete="CASCADE"))
    youth_id: Mapped[str] = mapped_column(ForeignKey("youths.id"))
    client_id: Mapped[str] = mapped_column(String(64))
    # What the young person wrote; shown only to hosts and the asker.
    body: Mapped[str] = mapped_column(Text)
    # What everyone sees once approved (a host may edit it for anonymity).
    public_body: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(200), default="")
    flags: Mapped[str] = mapped_column(Text, default="[]")
    votes: Mapped[int] = mapped_column(Integer, default=0)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class QaVote(Base):
    """One vote per young person and question, decided by the database."""

    __tablename__ = "qa_votes"

    question_id: Mapped[str] = mapped_column(ForeignKey("qa_questions.id", ondelete="CASCADE"), primary_key=True)
    youth_id: Mapped[str] = mapped_column(ForeignKey("youths.id"), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Notice(Base):
    """A neighbourhood notice about an incident: drafted, approved by a second person,
    published (pinned) until it expires or a follow-up, also approved, closes it."""

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_room_status", "neighbourhood_id", "status"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    body: Mapped[str] = mapped_column(Text)
    # pending, returned, published, followup_pending, closed, expired
    status: Mapped[str] = mapped_column(String(20))
    secrecy: Mapped[str] = mapped_column(Text, default="[]")
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    review_comment: Mapped[str] = mapped_column(String(500), default="")
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    followup: Mapped[str | None] = mapped_column(Text)
    followup_secrecy: Mapped[str] = mapped_column(Text, default="[]")
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class NoticeTip(Base):
    """A young person's private answer to a notice, for the officer in charge of it."""

    __tablename__ = "notice_tips"
    __table_args__ = (
        UniqueConstraint("youth_id", "client_id", name="uq_notice_tips_youth_client"),
        Index("ix_notice_tips_notice", "notice_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    notice_id: Mapped[str] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"))
    youth_id: Mapped[str] = mapped_column(ForeignKey("youths.id"))
    client_id: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    flags: Mapped[str] = mapped_column(Text, default="[]")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
