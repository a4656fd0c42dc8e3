"""What the audit log records: who did what to which record, never content."""

from __future__ import annotations

import datetime as dt

from server.services.actors import Actor, StaffActor, YouthActor
from server.storage.tx import Tx


async def record(
    tx: Tx,
    *,
    at: dt.datetime,
    actor: Actor | None,
    action: str,
    target_kind: str | None = None,
    target_id: str | None = None,
    detail: dict[str, object] | None = None,
) -> None:
    """Append an entry inside the caller's transaction, so it commits with the action."""
    if isinstance(actor, StaffActor):
        kind, actor_id = "staff", str(actor.staff_id)
    elif isinstance(actor, YouthActor):
        kind, actor_id = "youth", actor.youth_id
    else:
        kind, actor_id = "system", None
    await tx.audit.add(
        at=at,
        actor_kind=kind,
        actor_id=actor_id,
        action=action,
        target_kind=target_kind,
        target_id=target_id,
        detail=detail,
    )
