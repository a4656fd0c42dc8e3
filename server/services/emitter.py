"""Outbound events leave through one emitter, only after the commit that they describe."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

Namespace = Literal["/youth", "/staff"]


@dataclass(frozen=True, slots=True)
class Audience:
    """A socket.io room in a namespace."""

    namespace: Namespace
    room: str


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


@dataclass(frozen=True, slots=True)
class Event:
    name: str
    data: dict[str, Any]
    to: Audience


class Emitter(Protocol):
    async def emit(self, events: list[Event]) -> None:
        """Deliver committed events; a delivery fault is logged, never raised."""
        ...


class NullEmitter:
    """For work done outside a server (the CLI): connected clients learn of it by syncing."""

    async def emit(self, events: list[Event]) -> None:
        return None
