"""Reading the audit log (supervisors). The log itself is append-only in the database."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from server.clock import isoformat
from server.errors import Forbidden, Invalid
from server.services import audit, inputs
from server.services.actors import StaffActor
from server.services.deps import Deps
from server.storage.records import AuditRec, StaffRec

PAGE = 100
EXPORT_LIMIT = 50_000
FILTERS = {"action", "actor", "target", "from", "to", "before"}


def _scope(staff: StaffRec) -> str | None:
    """Supervisors read their own region's entries; admins everything (None: no limit)."""
    if staff.role == "admin":
        return None
    if staff.role != "supervisor":
        raise Forbidden("only supervisors and admins read the audit log")
    return staff.region


def _day(value: str | None, name: str) -> dt.datetime | None:
    if not value:
        return None
    return dt.datetime.combine(inputs.day(value, name), dt.time(), tzinfo=dt.UTC)


def _args(q: dict[str, str]) -> dict[str, Any]:
    unknown = set(q) - FILTERS
    if unknown:
        raise Invalid(f"unknown filter {sorted(unknown)[0]!r}")
    before = q.get("before")
    until = _day(q.get("to"), "to")
    return {
        "action": q.get("action"),
        "actor_id": q.get("actor"),
        "target_id": q.get("target"),
        "since": _day(q.get("from"), "from"),
        "until": until + dt.timedelta(days=1) if until else None,
        "before": inputs.bigint_id(before, "before") if before else None,
    }


def entry(e: AuditRec) -> dict[str, Any]:
    return {
        "id": str(e.id),
        "at": isoformat(e.at),
        "actor": {"kind": e.actor_kind, "id": e.actor_id},
        "action": e.action,
        "target": {"kind": e.target_kind, "id": e.target_id},
        "detail": json.loads(e.detail),
    }


async def listing(deps: Deps, staff: StaffRec, q: dict[str, str]) -> dict[str, Any]:
    region = _scope(staff)
    async with deps.db.transaction() as tx:
        rows = await tx.review.audit(limit=PAGE + 1, region=region, **_args(q))
    return {"entries": [entry(e) for e in rows[:PAGE]], "next": str(rows[PAGE - 1].id) if len(rows) > PAGE else None}


async def export(deps: Deps, staff: StaffRec, q: dict[str, str]) -> list[AuditRec]:
    """All matching entries for a CSV export; the export itself is audited."""
    region = _scope(staff)
    args = _args(q)
    async with deps.db.transaction() as tx:
        rows = await tx.review.audit(limit=EXPORT_LIMIT, region=region, **args)
        await audit.record(
            tx, at=deps.clock.now(), actor=StaffActor(staff.id), action="audit.export",
            detail={"filters": dict(q), "rows": len(rows)},
        )  # fmt: skip
    return rows
