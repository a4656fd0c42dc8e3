"""Whether a neighbourhood is staffed now.

Until scheduled windows exist, a neighbourhood is open exactly when an officer is on duty.
"""

from __future__ import annotations

from typing import Any

from server.storage.records import NeighbourhoodRec
from server.storage.tx import Tx


def shape(slug: str, officers_on_duty: int) -> dict[str, Any]:
    return {
        "room": slug,
        "open": officers_on_duty > 0,
        "officers_on_duty": officers_on_duty,
        "current_window": None,
        "next_window": None,
    }


async def of(tx: Tx, nb: NeighbourhoodRec) -> dict[str, Any]:
    counts = await tx.duty.counts()
    return shape(nb.slug, counts.get(nb.id, 0))


async def of_all(tx: Tx, nbs: list[NeighbourhoodRec]) -> dict[str, dict[str, Any]]:
    counts = await tx.duty.counts()
    return {nb.slug: shape(nb.slug, counts.get(nb.id, 0)) for nb in nbs}
