"""How long a login must wait after failures, per account and per source.

Failures are rows in the database (shared by every process), each under a keyed hash: of the
username for the account, and for the source the daily keyed hash of the client address that
the HTTP edge makes (server/http/source.py). So neither a username someone mistyped (perhaps
their password) nor an address is ever stored, and source keys change every day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Sequence

# Five failures of one account within the window are free; then each further attempt waits an
# exponentially growing delay after the last failure: 30 s, 1 min, 2 min, … at most 15 min.
FREE_FAILURES = 5
# A source is often shared — a police station or a school behind one address, where twenty
# officers log in at the start of a shift — so it has more free failures before its delays start;
# it stops one address guessing across many accounts, the account's own five stop guessing at one.
SOURCE_FREE_FAILURES = 20
WINDOW = dt.timedelta(minutes=15)
FIRST_DELAY = dt.timedelta(seconds=30)
MAX_DELAY = dt.timedelta(minutes=15)
# A hard cap whatever the delays: at most this many failures per key in any hour.
HOURLY_CAP = 100
HOUR = dt.timedelta(hours=1)


def account_key(secret_key: str, username: str) -> str:
    return hmac.new(secret_key.encode(), f"login-account\0{username}".encode(), hashlib.sha256).hexdigest()


def source_key(source: str) -> str:
    return f"source:{source}"


def device_key(nonce: str) -> str:
    """A browser that logged in to the account before (server/services/device_cookies.py)."""
    return f"device:{nonce}"


def free_failures(key: str) -> int:
    return SOURCE_FREE_FAILURES if key.startswith("source:") else FREE_FAILURES


def wait(failures: Sequence[dt.datetime], now: dt.datetime, free: int = FREE_FAILURES) -> dt.timedelta:
    """How long a key with these failures must wait before its next attempt (zero: go ahead);
    `free` failures in the window cost nothing."""
    hour = sorted(t for t in failures if now - t < HOUR)
    if len(hour) >= HOURLY_CAP:
        # Until enough of them are an hour old to bring the count under the cap.
        return hour[len(hour) - HOURLY_CAP] + HOUR - now
    recent = [t for t in hour if now - t < WINDOW]
    if len(recent) < free:
        return dt.timedelta(0)
    delay = min(MAX_DELAY, FIRST_DELAY * (1 << min(len(recent) - free, 10)))
    return max(dt.timedelta(0), recent[-1] + delay - now)
