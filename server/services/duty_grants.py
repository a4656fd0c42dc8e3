"""Duty grants: a region's supervisor lets an officer of another region go on duty in the
region's neighbourhoods for a few hours (help on a busy evening), with a stated reason, audited.

The grant ends by itself (the duty's planned end is capped at it, services/duty.py) or when a
supervisor revokes it: the officer's duty there ends at once and their chats there go back to
the queue. Neighbourhoods marked shared (`kvarter neighbourhood share`) need no grant."""

from __future__ import annotations

import datetime as dt
from typing import Any

from server.clock import isoformat
from server.errors import Invalid, NotFound, TooLong
from server.services import access, audit, duty
from server.services.actors import PATROL_ROLES, StaffActor
from server.services.deps import Deps
from server.storage.records import DutyGrantRec

MAX_HOURS = int(duty.MAX_SHIFT.total_seconds() // 3600)
MAX_REASON = 500


def shape(g: DutyGrantRec) -> dict[str, Any]:
    return {
        "id": str(g.id),
        "staff": {"id": str(g.staff_id), "username": g.staff_username, "name": g.staff_name, "region": g.staff_region},
        "region": g.region,
        "reason": g.reason,
        "granted_by": {"name": g.granted_by_name},
        "created_at": isoformat(g.created_at),
        "expires_at": isoformat(g.expires_at),
        "revoked_at": isoformat(g.revoked_at) if g.revoked_at else None,
    }


async def listing(deps: Deps, actor: StaffActor) -> dict[str, Any]:
    """The grants for the supervisor's region that are in force now."""
    async with deps.db.transaction() as tx:
        staff = await access.grant_keeper(tx, actor)
        grants = await tx.grants.in_force(staff.region, deps.clock.now())
    return {"grants": [shape(g) for g in grants]}


async def give(deps: Deps, actor: StaffActor, username: str, hours: int, reason: str) -> dict[str, Any]:
    """Let `username`, an officer or supervisor of another region, go on duty in the
    supervisor's region for `hours` from now."""
    reason = reason.strip()
    if not reason:
        raise Invalid("say why the grant is needed")
    if len(reason) > MAX_REASON:
        raise TooLong(f"a reason is at most {MAX_REASON} characters")
    if not 1 <= hours <= MAX_HOURS:
        raise Invalid(f"hours must be from 1 to {MAX_HOURS}")
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        staff = await access.grant_keeper(tx, actor)
        grantee = await tx.staff.by_username(username.strip())
        if grantee is None or not grantee.is_active or grantee.role not in PATROL_ROLES:
            raise NotFound("no active officer or supervisor with that username")
        if not grantee.region or grantee.region == staff.region:
            raise Invalid(f"{grantee.display_name} may already go on duty in region {staff.region}")
        expires = now + dt.timedelta(hours=hours)
        grant_id = await tx.grants.add(
            staff_id=grantee.id, region=staff.region, reason=reason, granted_by=staff.id, now=now, expires_at=expires
        )
        await audit.record(
            tx, at=now, actor=actor, action="duty.grant", target_kind="duty_grant", target_id=str(grant_id),
            detail={"staff": str(grantee.id), "region": staff.region, "until": isoformat(expires), "reason": reason},
        )  # fmt: skip
        grant = await tx.grants.get(grant_id)
    assert grant is not None
    return {"grant": shape(grant)}


async def revoke(deps: Deps, actor: StaffActor, grant_id: int) -> dict[str, Any]:
    """End a grant now. The officer's duty in the region ends in the same step (unless another
    grant still holds), and the chats they held there go back to the queue."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        staff = await access.grant_keeper(tx, actor)
        grant = await access.grant_of_region(tx, staff, grant_id)
        if await tx.grants.revoke(grant_id, staff.id, now):
            await audit.record(
                tx, at=now, actor=actor, action="duty.grant_revoke", target_kind="duty_grant",
                target_id=str(grant_id), detail={"staff": str(grant.staff_id), "region": grant.region},
            )  # fmt: skip
        after = await tx.grants.get(grant_id)
    assert after is not None
    await duty.sweep(deps, [], only=[after.staff_id])
    return {"grant": shape(after)}
