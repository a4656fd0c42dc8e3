"""Idempotent demo data for a first look: neighbourhoods, one officer, one supervisor."""

from __future__ import annotations

from dataclasses import dataclass

from server.errors import Conflict
from server.services import accounts, neighbourhoods
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
