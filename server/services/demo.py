"""Idempotent demo data for a first look: neighbourhoods, one officer, one supervisor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from server.errors import Conflict
from server.services import accounts, neighbourhoods, schedules
from server.services.deps import Deps

NEIGHBOURHOODS = (
    ("ostersund", "Östersund", "Östersund", "Mitt"),
    ("umea", "Umeå centrum", "Umeå", "Nord"),
    ("malmo", "Malmö", "Malmö", "Syd"),
)
ACCOUNTS = (
    ("officer", "officer", "Anna Lindqvist", "Östersund", "Mitt"),
    ("supervisor", "supervisor", "Erik Nilsson", "Östersund", "Mitt"),
)


# Östersund is scheduled around the clock so that the demo works at any hour; the others show
# real-looking windows (and so the closed state) — Umeå with an extra window on Valborg.
WEEKLY = {
    "ostersund": [f"{day} 00:00-24:00" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
    "umea": ["fri 18:00-02:00", "sat 18:00-02:00"],
    "malmo": ["fri 20:00-02:00", "sat 20:00-02:00"],
}


@dataclass(frozen=True)
class DemoResult:
    created_neighbourhoods: list[str]
    # (username, generated password) for accounts created now; shown once, stored hashed.
    created_accounts: list[tuple[str, str]]
    existing_accounts: list[str]


async def seed(deps: Deps) -> DemoResult:
    created_nbs: list[str] = []
    for slug, name, area, region in NEIGHBOURHOODS:
        try:
            await neighbourhoods.add(deps, slug=slug, name=name, police_area=area, region=region)
            created_nbs.append(slug)
        except Conflict:
            pass
    for slug in created_nbs:
        for spec in WEEKLY[slug]:
            await schedules.add_weekly(deps, None, slug, spec)
        if slug == "umea":
            today = deps.clock.now().astimezone(deps.settings.tz).date()
            valborg = dt.date(today.year if today <= dt.date(today.year, 4, 30) else today.year + 1, 4, 30)
            await schedules.add_dated(deps, None, slug, valborg.isoformat(), "18:00", "03:00", "Valborg")
    created: list[tuple[str, str]] = []
    existing: list[str] = []
    for username, role, display, area, region in ACCOUNTS:
        try:
            _, password = await accounts.create_user(
                deps, username=username, role=role, display_name=display,
                police_area=area, region=region,
            )  # fmt: skip
            created.append((username, password))
        except Conflict:
            existing.append(username)
    return DemoResult(created_nbs, created, existing)
