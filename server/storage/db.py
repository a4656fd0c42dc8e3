"""Engine, sessions and the transaction boundary; storage faults become protocol errors here."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError, DisconnectionError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from server.errors import Unavailable
from server.events import Event
from server.patches import aiosqlite_trips
from server.storage.group_commit import GroupCommit
from server.storage.tx import Tx


class Duplicate(Exception):
    """A unique constraint refused a row (a retried client_id, a second open chat)."""


def _is_outage(exc: BaseException) -> bool:
    # PoolTimeout: every pooled connection stayed busy for pool_timeout; nothing was sent.
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeout):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OSError | asyncio.TimeoutError | ConnectionError)


# PostgreSQL aborted the transaction to break a deadlock or a serialization conflict: nothing
# of it was stored and running it again may succeed.
_RETRY_SQLSTATES = frozenset({"40001", "40P01"})


def _must_retry(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", None)
    return isinstance(exc, DBAPIError) and getattr(orig, "sqlstate", None) in _RETRY_SQLSTATES


def make_engine(url: str) -> AsyncEngine:
    """An engine for SQLite (WAL, foreign keys, busy timeout) or PostgreSQL."""
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": 15}, hide_parameters=True)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            aiosqlite_trips.adopt(dbapi_conn)  # a statement in one trip to aiosqlite's thread, not four
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=15000")
            cur.close()

        return engine
    engine = create_async_engine(url, pool_size=10, max_overflow=10, pool_timeout=10, hide_parameters=True)
    _ping_when_idle(engine)
    return engine


# A pooled connection that was used this recently is handed out without a ping. SQLAlchemy's
# pool_pre_ping pings on every checkout: a round trip before each transaction, about a sixth
# of a persisted message's server CPU on PostgreSQL (docs/benchmarks.md). A connection that
# broke while busy is still caught: its error invalidates the pool, that one transaction
# answers `unavailable` (nothing stored; the client retries with the same client_id), and
# every other pooled connection is replaced.
PING_AFTER_IDLE_SECONDS = 5.0


def _ping_when_idle(engine: AsyncEngine) -> None:
    dialect = engine.sync_engine.dialect

    @event.listens_for(engine.sync_engine, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _checked_out(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_conn)
        except Exception as exc:
            # The pool discards this connection and checks out another (as pre-ping does).
            raise DisconnectionError("stale pooled connection") from exc


Publish = Callable[[list[Event]], Awaitable[None]]


class Database:
    """The record: every acknowledged message is committed here first.

    `publish` receives each committed transaction's events (`Tx.on_commit`) right after its
    commit; the server passes its emitter's, the CLI none."""

    def __init__(self, url: str, publish: Publish | None = None) -> None:
        self.url = url
        self.publish = publish
        self.engine = make_engine(url)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time: one committer; PostgreSQL: a few batches in flight.
        self.group = GroupCommit(self.transaction, committers=1 if url.startswith("sqlite") else 4)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """One unit of work; commits on success, rolls back on any error. After the commit, the
        events it collected are published (a publish fault is the emitter's to count, never
        raised: the work is stored)."""
        try:
            async with self._sessions() as session, session.begin():
                tx = Tx(session)
                yield tx
        except IntegrityError as exc:
            raise Duplicate(str(exc.orig)) from exc
        except Exception as exc:
            if _is_outage(exc):
                raise Unavailable("storage is unavailable; nothing was stored, retry later") from exc
            if _must_retry(exc):
                raise Unavailable("the database asked for a retry; nothing was stored") from exc
            raise
        if tx.events and self.publish is not None:
            await self.publish(tx.events)

    async def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any failure means not ready
            return False
        return True

    def connections_in_use(self) -> int:
        pool = self.engine.pool
        checked_out = getattr(pool, "checkedout", None)
        return int(checked_out()) if callable(checked_out) else 0

    async def close(self) -> None:
        await self.group.close()
        await self.engine.dispose()


__all__ = ["AsyncSession", "Database", "Duplicate"]
