"""What every service function is handed: the record, the clock and the one emitter."""

from __future__ import annotations

from dataclasses import dataclass, field

from server.clock import Clock
from server.config import Settings
from server.services.emitter import Emitter
from server.services.throttle import Throttle
from server.storage.db import Database


@dataclass(frozen=True)
class Deps:
    settings: Settings
    db: Database
    clock: Clock
    emitter: Emitter
    login_throttle: Throttle = field(default_factory=lambda: Throttle(limit=5, window_s=900))
