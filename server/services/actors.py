"""Who is acting: an anonymous young person or a staff member (from the server-side session)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

ROLES = ("officer", "supervisor", "admin")
# Roles that work in the patrol console: rooms, duty and chats.
PATROL_ROLES = frozenset({"officer", "supervisor"})


@dataclass(frozen=True, slots=True)
class PendingYouth:
    """An identity handed out on connect but not stored yet: it is stored on the young
    person's first write (services/access.py `youth_member`), so a visitor who only reads
    leaves no row."""

    token_hash: str
    nickname: str
    lang: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class YouthActor:
    youth_id: str
    pending: PendingYouth | None = None
    # Where the connection comes from: a keyed hash of the client address (an IPv6 /64) that
    # changes every day (server/http/source.py), for the limits on anonymous work; never the address.
    source: str = ""
    # For a pending identity: takes a token from its source's bucket of new identities, 0.0 when
    # it may be stored now, else seconds to wait (services/admission.py `new_identity`).
    admit: Callable[[], Awaitable[float]] | None = field(default=None, compare=False, repr=False)

    @property
    def sender_key(self) -> str:
        return f"y:{self.youth_id}"


@dataclass(frozen=True, slots=True)
class StaffActor:
    staff_id: int

    @property
    def sender_key(self) -> str:
        return f"s:{self.staff_id}"


Actor = YouthActor | StaffActor
