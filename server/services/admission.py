"""Admission of anonymous work that reaches officers: new identities, reports and private chats.

Anyone can be a new young person (a connection without a token is one), so limits per young
person alone let one sender flood the triage queue with fresh identities. These token buckets
count per source — a keyed hash of the client address, an IPv6 /64, changing daily — per
neighbourhood and per region, in Redis when configured (shared by every process). They bound
the *rate* generously: a school's pupils share one address, and ten young people at one party
may all report it at once (`KVARTER_ANONYMOUS_BURST`, 20, at once from one source).
"""

from __future__ import annotations

from typing import Literal

from server.services import ratelimit
from server.services.deps import Deps
from server.services.ratelimit import Bucket
from server.storage.records import NeighbourhoodRec

Work = Literal["report", "chat"]
# After the burst: reports 10 a minute from one source, new chats 20 a minute.
PER_MINUTE: dict[Work, float] = {"report": 10, "chat": 20}
# A neighbourhood takes this many times a source's burst and a room's rate per second; a region more.
ROOM_FACTOR, ROOM_RATE = 3, 1.0
REGION_FACTOR, REGION_RATE = 8, 2.0


def buckets(deps: Deps, work: Work) -> tuple[Bucket, Bucket, Bucket]:
    burst = deps.settings.anonymous_burst
    return (
        Bucket(capacity=burst, per_second=PER_MINUTE[work] / 60),
        Bucket(capacity=burst * ROOM_FACTOR, per_second=ROOM_RATE * (1 if work == "report" else 2)),
        Bucket(capacity=burst * REGION_FACTOR, per_second=REGION_RATE * (1 if work == "report" else 2)),
    )


async def wait(deps: Deps, work: Work, source: str, nb: NeighbourhoodRec) -> float:
    """0 when this piece of work may go ahead (a token is taken from each bucket), else how many
    seconds to wait. A source over its own limit takes nothing from the room's or the region's."""
    now = deps.clock.now()
    by_source, by_room, by_region = buckets(deps, work)
    for key, bucket in (
        (f"admit:{work}:source:{source}", by_source),
        (f"admit:{work}:room:{nb.id}", by_room),
        (f"admit:{work}:region:{nb.region}", by_region),
    ):
        if (seconds := await deps.limiter.take(key, bucket, now)) > 0:
            return seconds
    return 0.0


# New identities (a fresh token's first write) from one source: five bursts at once, then one a
# second — a school's pupils all writing after an assembly get in within minutes, while one
# sender cycling identities (to shake off a mute or a per-person limit) is held to that rate.
IDENTITY_FACTOR, IDENTITY_RATE = 5, 1.0


async def new_identity(deps: Deps, source: str) -> float:
    """0 when a new identity from `source` may be stored now, else seconds to wait."""
    if not source:
        return 0.0
    bucket = Bucket(capacity=deps.settings.anonymous_burst * IDENTITY_FACTOR, per_second=IDENTITY_RATE)
    return await deps.limiter.take(f"admit:identity:source:{source}", bucket, deps.clock.now())


def youth_chat_bucket(deps: Deps) -> Bucket:
    """Private messages of one young person (every connection of theirs together)."""
    return Bucket(capacity=deps.settings.youth_chat_burst, per_second=1.0)


async def youth_chat_message(deps: Deps, youth_id: str) -> None:
    await ratelimit.check(
        deps.limiter, f"youth-chat:{youth_id}", youth_chat_bucket(deps), deps.clock.now(), "you are writing very fast"
    )
