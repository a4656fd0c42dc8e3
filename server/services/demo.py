"""Idempotent demo data for a first look: neighbourhoods, one officer, one supervisor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from server.errors import Conflict
from server.events import NoticeDraft, QaSchedule
from server.services import accounts, neighbourhoods, notices, qa, schedules
from server.services.actors import StaffActor
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
    await _dialogue(deps)
    return DemoResult(created_nbs, created, existing)


async def _dialogue(deps: Deps) -> None:
    """A Q&A session open now and one next Thursday evening, and a published notice in Östersund,
    unless there already are some."""
    async with deps.db.transaction() as tx:
        officer = await tx.staff.by_username("officer")
        supervisor = await tx.staff.by_username("supervisor")
        nb = await tx.neighbourhoods.by_slug("ostersund")
        if officer is None or supervisor is None or nb is None:
            return
        now = deps.clock.now()
        coming = await tx.qa.sessions_ending_after([nb.id], now)
        active = await tx.notices.in_rooms([nb.id], ("published",))
    host, boss = StaffActor(officer.id), StaffActor(supervisor.id)
    if not coming:
        local = now.astimezone(deps.settings.tz)
        thursday = (local + dt.timedelta(days=(3 - local.weekday()) % 7 or 7)).replace(
            hour=19, minute=0, second=0, microsecond=0
        )
        for title, start, end in (
            ("Öppen frågestund: fråga polisen vad du vill", now, now + dt.timedelta(hours=8)),
            ("Fråga polisen om fester och helgen", thursday, thursday + dt.timedelta(hours=1)),
        ):
            await qa.schedule(deps, host, QaSchedule(room="ostersund", title=title, starts_at=start, ends_at=end))
    if not [n for n in active if n.expires_at > now]:
        body = "Pågående händelse vid resecentrum i kväll – har du sett något? Tipsa oss här, ring 112 om det är akut."
        draft = await notices.draft(deps, host, NoticeDraft(room="ostersund", body=body))
        await notices.approve(deps, boss, draft["notice"]["id"], "Demo")
