"""Figures that tell whether the service builds trust: volumes, response times, handoffs,
demand outside staffed hours, and the young people's own "do you feel safer?" score."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from server.errors import Forbidden, Invalid
from server.services import availability, inputs, schedule
from server.services.deps import Deps
from server.storage.records import StaffRec

MAX_DAYS = 366


def _range(q: dict[str, str], now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    until_day = inputs.day(q["to"], "to") if q.get("to") else now.date()
    since_day = inputs.day(q["from"], "from") if q.get("from") else until_day - dt.timedelta(days=29)
    if since_day > until_day:
        raise Invalid("from is after to")
    if (until_day - since_day).days > MAX_DAYS:
        raise Invalid(f"at most {MAX_DAYS} days at a time")
    start = dt.datetime.combine(since_day, dt.time(), tzinfo=dt.UTC)
    return start, dt.datetime.combine(until_day + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)


def _summary(seconds: list[float]) -> dict[str, Any]:
    if not seconds:
        return {"count": 0, "median_s": None, "p90_s": None}
    ordered = sorted(seconds)
    return {
        "count": len(ordered),
        "median_s": round(statistics.median(ordered), 1),
        "p90_s": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))], 1),
    }


def _in_window(at: dt.datetime, windows: list[schedule.Window], closed: set[dt.date], tz: ZoneInfo) -> bool:
    current, _ = schedule.current_and_next(windows, closed, tz, at)
    return current is not None


async def figures(deps: Deps, staff: StaffRec, q: dict[str, str]) -> dict[str, Any]:
    if staff.role != "supervisor":
        raise Forbidden("only supervisors see the dashboards")
    unknown = set(q) - {"from", "to"}
    if unknown:
        raise Invalid(f"unknown parameter {sorted(unknown)[0]!r}")
    since, until = _range(q, deps.clock.now())
    regions = [staff.region]
    tz = deps.settings.tz
    async with deps.db.transaction() as tx:
        convs = await tx.dashboard.conversations_per_room(regions, since, until)
        reports = await tx.dashboard.reports_per_room(regions, since, until)
        times = await tx.dashboard.conversation_times(regions, since, until)
        claims = await tx.dashboard.claim_times(regions, since, until)
        handoffs = await tx.dashboard.handoffs_by_kind(regions, since, until)
        scores = await tx.dashboard.feedback(regions, since, until)
        nbs = [nb for nb in await tx.neighbourhoods.all() if nb.region in regions]
        scheds = await availability.windows_by_room(tx, nbs)
    by_slug = {nb.slug: scheds[nb.id] for nb in nbs}
    demand: dict[str, dict[str, int]] = defaultdict(lambda: {"in_window": 0, "outside": 0})
    for slug, created, _ in times:
        windows, closed = by_slug.get(slug, ([], set()))
        demand[slug]["in_window" if _in_window(created, windows, closed, tz) else "outside"] += 1
    per_priority: dict[str, list[float]] = defaultdict(list)
    for prio, created, claimed, _ in claims:
        if claimed is not None:
            per_priority[f"P{prio}"].append((claimed - created).total_seconds())
    weekly: dict[str, list[int]] = defaultdict(list)
    for at, score in scores:
        year, week, _ = at.astimezone(tz).isocalendar()
        weekly[f"{year}-W{week:02d}"].append(score)
    return {
        "from": since.date().isoformat(),
        "to": (until - dt.timedelta(days=1)).date().isoformat(),
        "volume": [
            {
                "room": nb.slug,
                "name": nb.name,
                "conversations": convs.get(nb.slug, 0),
                "reports": reports.get(nb.slug, 0),
            }
            for nb in nbs
        ],
        "first_reply": _summary([(first - created).total_seconds() for _, created, first in times if first]),
        "time_to_claim": {p: _summary(per_priority.get(p, [])) for p in ("P1", "P2", "P3", "P4")},
        "unclaimed_reports": sum(1 for _, _, claimed, _ in claims if claimed is None),
        "handoffs": dict(sorted(handoffs.items())),
        "demand": [{"room": slug, **counts} for slug, counts in sorted(demand.items())],
        "reports_while_unstaffed": sum(1 for *_, unstaffed in claims if unstaffed),
        "safety": [
            {"week": week, "responses": len(s), "average": round(sum(s) / len(s), 2)}
            for week, s in sorted(weekly.items())
        ],
    }
