"""SQLite statements take one trip to aiosqlite's thread, and answer as the stock cursor does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from server.patches import aiosqlite_trips as sqlite_trips
from server.storage.db import make_engine


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every function run in aiosqlite's thread, as it is run."""
    seen: list[str] = []
    real = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(getattr(fn, "__name__", repr(fn)))
        return await real(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return seen


async def test_each_statement_is_one_trip_and_answers_as_before(tmp_path: Path, trips: list[str]) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'trips.db'}")
    try:
        async with engine.begin() as conn:
            raw = await conn.get_raw_connection()
            assert isinstance(raw.dbapi_connection, sqlite_trips.OneTripConnection)
            await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT UNIQUE, n INTEGER)"))
            trips.clear()
            inserted = await conn.execute(text("INSERT INTO t (k, n) VALUES (:k, :n)"), {"k": "a", "n": 1})
            assert trips == ["_run"]
            assert inserted.rowcount == 1 and inserted.lastrowid == 1
            many = await conn.execute(text("INSERT INTO t (k, n) VALUES (:k, :n)"), [{"k": k, "n": 2} for k in "bcd"])
            assert many.rowcount == 3
            trips.clear()
            rows = (await conn.execute(text("SELECT k, n FROM t WHERE n = :n ORDER BY k"), {"n": 2})).all()
            assert trips == ["_run"]  # cursor, execute, fetch and close in one trip
            assert [tuple(r) for r in rows] == [("b", 2), ("c", 2), ("d", 2)]
            updated = await conn.execute(text("UPDATE t SET n = 3 WHERE n = 2"))
            assert updated.rowcount == 3
            returned = await conn.execute(text("UPDATE t SET n = 4 WHERE k = 'a' RETURNING id, n"))
            assert returned.keys() == ["id", "n"] and [tuple(r) for r in returned] == [(1, 4)]
            with pytest.raises(IntegrityError):
                await conn.execute(text("INSERT INTO t (k, n) VALUES ('a', 9)"))
            with pytest.raises(OperationalError):
                await conn.execute(text("SELECT nope FROM t"))
            assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar() == 4  # still usable
    finally:
        await engine.dispose()


async def test_adopt_leaves_other_connections_alone() -> None:
    assert sqlite_trips.adopt(object()) is False
