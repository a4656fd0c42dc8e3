"""Who is acting: an anonymous young person or a staff member (from the server-side session)."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("officer", "supervisor", "admin")
# Roles that work in the patrol console: rooms, duty and chats.
PATROL_ROLES = frozenset({"officer", "supervisor"})


@dataclass(frozen=True, slots=True)
class YouthActor:
    youth_id: str

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
