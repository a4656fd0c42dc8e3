"""SQLite statements in one trip to aiosqlite's thread instead of four.

aiosqlite runs each sqlite3 call in a thread of its own and SQLAlchemy's adapter makes one call
per step of a statement: open a cursor, execute, fetch the rows, close the cursor — each a trip
to that thread and back (a queue put, a thread wake-up, a loop wake-up through its self-pipe).
On the message path that was most of a lone message's CPU (docs/benchmarks.md). The cursor here
does the four steps in one function in aiosqlite's thread and keeps what they returned
(description, rows, rowcount, lastrowid), so a statement is one trip. Everything else — the
thread, the connection, commit and rollback, errors as the DBAPI raises them — is aiosqlite's
and SQLAlchemy's.

It leans on two private names, aiosqlite's `Connection._execute(fn, …)` and `_conn`, and on the
slots of SQLAlchemy's adapted cursor; `adopt` leaves a connection as it is when they are not
there, so a change in either library costs speed, not correctness (tests/test_sqlite_trips.py
fails then, to say so).
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_connection, AsyncAdapt_aiosqlite_cursor
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

Outcome = tuple[Any, list[Any], int, int]


def _run(conn: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> Outcome:
    """In aiosqlite's thread: the whole statement, as the four trips would have done it."""
    cursor = conn.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid or 0
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: Any) -> None:  # no aiosqlite cursor: no trip to open one
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._arraysize = 1
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid = 0

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    async def _async_soft_close(self) -> None:
        return None  # nothing open in the thread: the rows are here already

    def close(self) -> None:
        self._rows.clear()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        try:
            return await_(self._trip(operation, parameters, many=False))
        except Exception as error:  # noqa: BLE001 - turned into the DBAPI's error, as the stock cursor does
            self._adapt_connection._handle_exception(error)

    def executemany(self, operation: Any, seq_of_parameters: Sequence[Any]) -> Any:
        try:
            return await_(self._trip(operation, seq_of_parameters, many=True))
        except Exception as error:  # noqa: BLE001 - as above
            self._adapt_connection._handle_exception(error)

    async def _trip(self, operation: Any, parameters: Any, *, many: bool) -> None:
        async with self._adapt_connection._execute_mutex:
            conn = self._connection
            outcome: Outcome = await conn._execute(_run, conn._conn, operation, parameters, many)
        self._description, rows, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows)


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = OneTripCursor


def adopt(dbapi_connection: Any) -> bool:
    """Make this adapted aiosqlite connection's cursors one-trip ones (from SQLAlchemy's
    "connect" event); False, and nothing changed, where the libraries are not as expected."""
    raw = getattr(dbapi_connection, "_connection", None)
    if type(dbapi_connection) is not AsyncAdapt_aiosqlite_connection or not (
        callable(getattr(raw, "_execute", None)) and isinstance(getattr(raw, "_connection", None), sqlite3.Connection)
    ):
        return False
    dbapi_connection.__class__ = OneTripConnection
    return True


__all__ = ["OneTripConnection", "OneTripCursor", "adopt"]
