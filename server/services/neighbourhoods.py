"""Creating and listing neighbourhoods."""

from __future__ import annotations

import re
from typing import Any

from server.errors import Conflict, Invalid, NotFound
from server.services import access, audit, availability, shapes
from server.services.deps import Deps
from server.storage.db import Duplicate
from server.storage.records import NeighbourhoodRec

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


async def add(deps: Deps, *, slug: str, name: str, police_area: str = "", region: str = "") -> NeighbourhoodRec:
    if not SLUG_RE.match(slug):
        raise Invalid("slug: 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit")
    if not name.strip():
        raise Invalid("name is empty")
    now = deps.clock.now()
    try:
        async with deps.db.transaction() as tx:
            nb = await tx.neighbourhoods.add(
                slug=slug, name=name.strip()[:120], police_area=police_area.strip()[:120],
                region=region.strip()[:120], now=now,
            )  # fmt: skip
            await audit.record(
                tx, at=now, actor=None, action="neighbourhood.create",
                target_kind="neighbourhood", target_id=slug,
            )  # fmt: skip
    except Duplicate:
        raise Conflict(f"the neighbourhood {slug!r} exists") from None
    return nb


async def set_shared(deps: Deps, slug: str, shared: bool) -> None:
    """Shared: officers of every region may go on duty here without a grant. Unsharing ends the
    duties of officers of other regions who hold no grant at the running servers' next tick
    (duty.sweep), and their chats here go back to the queue."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        if not await tx.neighbourhoods.set_shared(slug, shared):
            raise NotFound(f"no neighbourhood {slug!r}")
        await audit.record(
            tx, at=now, actor=None, action="neighbourhood.share" if shared else "neighbourhood.unshare",
            target_kind="neighbourhood", target_id=slug,
        )  # fmt: skip


async def listing(deps: Deps) -> dict[str, Any]:
    async with deps.db.transaction() as tx:
        nbs = await tx.neighbourhoods.all()
        avail = await availability.of_all(tx, nbs, deps.clock.now(), deps.settings.tz)
    return {"neighbourhoods": [{**shapes.neighbourhood(nb), "availability": avail[nb.slug]} for nb in nbs]}


async def availability_of(deps: Deps, slug: str) -> dict[str, Any]:
    async with deps.db.transaction() as tx:
        nb = await access.neighbourhood(tx, slug)
        return await availability.of(tx, nb, deps.clock.now(), deps.settings.tz)
