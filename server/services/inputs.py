"""Values from query strings and paths that the database must be able to hold: ASCII digits in
its integer range, dates in a sane span. Anything else is the client's mistake (`invalid`, or
`not_found` for an id in a path), never an overflow deep in a driver with a traceback in the log."""

from __future__ import annotations

import datetime as dt
import re

from server.errors import Invalid, NotFound

# PostgreSQL's INTEGER (staff, windows, closures, replies); BIGINT ids (audit entries) get a
# digit less than they could hold, which is plenty.
INT_MAX = 2_147_483_647
BIGINT_DIGITS = 18
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
_INT = re.compile(r"[0-9]{1,10}")
_BIGINT = re.compile(rf"[0-9]{{1,{BIGINT_DIGITS}}}")


def int_id(raw: str, what: str) -> int:
    """An INTEGER id given as a filter: `invalid` unless plain digits within the range."""
    if not _INT.fullmatch(raw) or int(raw) > INT_MAX:
        raise Invalid(f"{what} is a number from 0 to {INT_MAX}")
    return int(raw)


def bigint_id(raw: str, what: str) -> int:
    """A BIGINT id given as a filter (at most 18 digits)."""
    if not _BIGINT.fullmatch(raw):
        raise Invalid(f"{what} is a number of at most {BIGINT_DIGITS} digits")
    return int(raw)


def path_id(raw: str, what: str) -> int:
    """An INTEGER id in a path: anything that cannot be one is simply not there."""
    if not _INT.fullmatch(raw) or int(raw) > INT_MAX:
        raise NotFound(f"no such {what}")
    return int(raw)


def day(raw: str, what: str) -> dt.date:
    """A date YYYY-MM-DD between 2000 and 2100 (so a day after it still exists)."""
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        raise Invalid(f"{what} must be a date, YYYY-MM-DD") from None
    if not EARLIEST <= value <= LATEST:
        raise Invalid(f"{what} must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}")
    return value
