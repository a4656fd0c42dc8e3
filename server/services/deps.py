"""What every service function is handed: the record, the clock and the one emitter."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from server.clock import Clock
from server.config import Settings
from server.services.availability import MAX_AGE_S, Cache
from server.services.chat_lines import ChatLines
from server.services.emitter import Emitter
from server.services.guidance import Guidance
from server.services.hooks import PiiSpans, RiskSignals, no_pii_spans, no_risk_signals
from server.services.ratelimit import Limiter, MemoryLimiter
from server.storage.db import Database

HASH_SLOTS = 2


@dataclass(frozen=True)
class Deps:
    settings: Settings
    db: Database
    clock: Clock
    emitter: Emitter
    guidance: Guidance = field(default_factory=Guidance.load)
    # What the young person is told when their chat changes hands (services/chat_lines.py).
    lines: ChatLines = field(default_factory=ChatLines.load)
    # The moderation library's risk signals for a text; see services/priority.py.
    risk_signals: RiskSignals = no_risk_signals
    # Personal-data spans (start, end, flag) in a text, for masking in review.
    pii_spans: PiiSpans = no_pii_spans
    limiter: Limiter = field(default_factory=MemoryLimiter)
    # Each room's availability, computed once for the joins that follow (services/availability.py).
    availability: Cache = field(default_factory=lambda: Cache(MAX_AGE_S))
    # Password hashes checked at once in this process: each argon2 check takes 64 MiB and a core
    # for a while, so a burst of logins queues here instead of growing memory without bound.
    hashing: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(HASH_SLOTS))
