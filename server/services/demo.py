"""Idempotent demo data for a first look: neighbourhoods, two officers, one supervisor, saved replies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from server.errors import Conflict
from server.events import NoticeDraft, QaSchedule
from server.services import accounts, neighbourhoods, notices, qa, replies, schedules
from server.services.actors import StaffActor
from server.services.deps import Deps

NEIGHBOURHOODS = (
    ("ostersund", "Östersund", "Östersund", "Mitt"),
    ("umea", "Umeå centrum", "Umeå", "Nord"),
    ("malmo", "Malmö", "Malmö", "Syd"),
)
ACCOUNTS = (
    ("officer", "officer", "Anna Lindqvist", "Östersund", "Mitt"),
    # A colleague to hand chats to at the end of a shift.
    ("officer2", "officer", "Sara Berg", "Östersund", "Mitt"),
    ("supervisor", "supervisor", "Erik Nilsson", "Östersund", "Mitt"),
)
# Region Mitt's saved replies (title, body, language): inserted into the chat, sent by the officer.
SAVED_REPLIES = (
    ("Välkommen", "Hej! Du chattar med polisen. Berätta gärna vad som har hänt – du behöver inte säga vem du är. "
     "Är någon i fara just nu: ring 112.", "sv"),
    ("Var är du?", "Kan du berätta ungefär var du är? En adress, en skola, en affär eller en busshållplats i "
     "närheten räcker.", "sv"),
    ("Spara bevis", "Radera inget. Ta skärmdumpar där användarnamn, datum och tid syns, och spara länkarna. "
     "Blockera först när du har sparat. Betala aldrig om någon hotar att sprida bilder på dig.", "sv"),
    ("Orolig för någon", "Tack för att du hör av dig. Om någon kan skada sig själv just nu: ring 112. Du kan också "
     "prata med BRIS på 116 111 eller Självmordslinjen på 90101.", "sv"),
    ("Welcome", "Hi! You are chatting with the police. Tell us what has happened – you do not need to say who "
     "you are. If someone is in danger right now: call 112.", "en"),
    ("Where are you?", "Can you tell us roughly where you are? An address, a school, a shop or a bus stop nearby "
     "is enough.", "en"),
    ("Save evidence", "Do not delete anything. Take screenshots that show usernames, dates and times, and save the "
     "links. Block only after you have saved them. Never pay if someone threatens to share pictures of you.", "en"),
)  # fmt: skip


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
    await _saved_replies(deps)
    return DemoResult(created_nbs, created, existing)


async def _saved_replies(deps: Deps) -> None:
    """Region Mitt's saved replies, unless it has some already."""
    async with deps.db.transaction() as tx:
        supervisor = await tx.staff.by_username("supervisor")
        have = await tx.replies.of_region("Mitt")
    if supervisor is None or have:
        return
    for title, body, lang in SAVED_REPLIES:
        await replies.create(deps, StaffActor(supervisor.id), title, body, lang)


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
