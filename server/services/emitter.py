"""Outbound events leave through one emitter, only after the commit that they describe.

A service adds the events its change causes to the transaction (`tx.on_commit`); the database
hands them to the emitter right after that transaction commits, and drops them when it rolls
back (storage/db.py). This module names the audiences."""

from __future__ import annotations

from typing import Protocol

from server.events import Audience, Event, Namespace
from server.storage.records import DutyRec


def either(first: Audience, *more: Audience) -> Audience:
    """Everyone in any of these audiences (of one namespace), each connection once — a
    supervisor on duty in the region is in both the region's room and the supervisors'."""
    if any(a.namespace != first.namespace for a in more):
        raise ValueError("audiences of one namespace only")
    rooms = dict.fromkeys(r for a in (first, *more) for r in (a.room, *a.also))
    rooms.pop(first.room)
    return Audience(first.namespace, first.room, tuple(rooms))


def youth_room(slug: str) -> Audience:
    """Young people who joined a neighbourhood room."""
    return Audience("/youth", f"room:{slug}")


def staff_room(slug: str) -> Audience:
    """Staff who joined a neighbourhood room."""
    return Audience("/staff", f"room:{slug}")


def youth(youth_id: str) -> Audience:
    """Every connection of one young person."""
    return Audience("/youth", f"youth:{youth_id}")


def staff(staff_id: int) -> Audience:
    """Every connection of one staff member."""
    return Audience("/staff", f"staff:{staff_id}")


def on_duty(slug: str) -> Audience:
    """Officers on duty for a neighbourhood (their inbox)."""
    return Audience("/staff", f"duty:{slug}")


def area(police_area: str) -> Audience:
    """Officers on duty for any neighbourhood of a police area (its triage queue)."""
    return Audience("/staff", f"area:{police_area}")


def region(name: str) -> Audience:
    """Officers on duty anywhere in a region (overflow and alerts)."""
    return Audience("/staff", f"region:{name}")


def supervisors() -> Audience:
    """Every connected supervisor."""
    return Audience("/staff", "supervisors")


def region_supervisors(name: str) -> Audience:
    """The connected supervisors of one region."""
    return Audience("/staff", f"supervisors:{name}")


def qa_viewers(session_id: str) -> list[Audience]:
    """Everyone who joined a Q&A session, young people and staff."""
    return [Audience("/youth", f"qa:{session_id}"), Audience("/staff", f"qa:{session_id}")]


def rooms_of(slug: str) -> list[Audience]:
    """Everyone in a neighbourhood room, young people and staff."""
    return [youth_room(slug), staff_room(slug)]


def duty_rooms(duties: list[DutyRec]) -> list[str]:
    """The socket.io rooms a staff connection belongs in while on these duties."""
    rooms = {on_duty(d.room).room for d in duties}
    rooms |= {area(d.police_area).room for d in duties}
    rooms |= {region(d.region).room for d in duties}
    return sorted(rooms)


class Emitter(Protocol):
    async def emit(self, events: list[Event]) -> None:
        """Deliver committed events; a delivery fault is logged, never raised."""
        ...


class NullEmitter:
    """For work done outside a server (the CLI): connected clients learn of it by syncing."""

    async def emit(self, events: list[Event]) -> None:
        return None


__all__ = ["Audience", "Emitter", "Event", "Namespace", "NullEmitter"]
