"""Group commit: under load, several units of work share one transaction and one commit.

`GroupCommit.run(job)` means what `async with db.transaction() as tx: return await job(tx)`
means — the job's writes are committed before it returns, its exception is raised to its caller
and nothing it wrote is kept — except that jobs queued while earlier ones are being committed
are run one after another in a single transaction, so a batch pays one pool checkout, one BEGIN
and one COMMIT (and on PostgreSQL one WAL flush) instead of one each.

Each job names the row it will lock (`lock`, e.g. its conversation's id) and a batch runs its
jobs sorted by it (stable, so one conversation's jobs keep their queued order): every batch
takes its row locks in the same order, so batches in flight at once — of this process or of
another worker — wait for each other but cannot deadlock.

There is no timer: an idle committer starts a job at once, so a lone message waits for nothing;
under load a job waits at most for the batch ahead of it (at most `max_jobs` jobs). What is
queued is shared among the idle committers (one on SQLite, a few on PostgreSQL). The jobs of
a batch run one after another (in lock order, each lock's jobs in queued order) and see each
other's writes, as if run one by one.

Jobs of one kind may also be written together: a job with a `together` attribute (the same
function for every job of its kind, taking the transaction and a list of such jobs and returning
their results in order) lets a batch made only of its kind run as one call, so that the batch's
rows are read and written by a few statements instead of a few per job. Its results and
errors mean the same as running each job alone; when that call raises, the batch runs again
one job at a time, as below, so the job that failed is found and fails alone.

When one job of a batch raises, the transaction is rolled back, that job gets its exception,
and the rest of the batch runs again in a new transaction — so a job may run more than once
before it commits; it must not act outside the database. An outage (`Unavailable`) or a failed
commit fails every job of the batch: nothing of it was stored, and each caller answers as it
would for its own failed transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from server.errors import Unavailable
from server.storage.tx import Tx

T = TypeVar("T")
Job = Callable[[Tx], Awaitable[Any]]
TransactionFactory = Callable[[], contextlib.AbstractAsyncContextManager[Tx]]


class GroupCommit:
    def __init__(self, transaction: TransactionFactory, *, committers: int, max_jobs: int = 100) -> None:
        self._transaction = transaction
        self._committers = committers
        self._max_jobs = max_jobs
        self._queue: deque[tuple[str, Job, asyncio.Future[Any]]] = deque()
        self._running: set[asyncio.Task[None]] = set()
        # Committers started and not yet finished. Counted down by the committer itself in the
        # step in which it finds the queue empty: a task's done-callbacks run a loop turn later,
        # and a job queued in between would otherwise wait for a committer that has stopped.
        self._drains = 0
        self._busy = 0  # committers with a batch in flight
        self.batches = 0  # committed transactions, for tests and metrics
        self.jobs = 0  # committed jobs

    async def run(self, job: Callable[[Tx], Awaitable[T]], *, lock: str) -> T:
        """The job's result once its writes are committed (see the module's docstring)."""
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        # Read the outcome even when nobody waits any more, so a failure is not logged as unread.
        future.add_done_callback(lambda f: f.cancelled() or f.exception())
        self._queue.append((lock, job, future))
        if self._drains < self._committers:
            self._drains += 1
            task = asyncio.get_running_loop().create_task(self._drain())
            self._running.add(task)
            task.add_done_callback(self._running.discard)
        # The job commits even when its caller stops waiting (a client that went away): shield.
        return await asyncio.shield(future)

    async def _drain(self) -> None:
        try:
            await self._drain_queue()
        finally:
            self._drains -= 1

    async def _drain_queue(self) -> None:
        while self._queue:
            # What is queued is shared among the idle committers, so that while one batch waits
            # for the database another runs its jobs, instead of one batch taking everything.
            share = -(-len(self._queue) // (self._committers - self._busy))
            taken = [self._queue.popleft() for _ in range(min(self._max_jobs, share))]
            batch = [(job, future) for _, job, future in sorted(taken, key=lambda item: item[0])]
            self._busy += 1
            try:
                await self._commit(batch)
            except BaseException as exc:  # cancelled at shutdown: no job is left waiting forever
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc if isinstance(exc, Exception) else Unavailable("shutting down"))
                raise
            finally:
                self._busy -= 1

    async def _commit(self, batch: list[tuple[Job, asyncio.Future[Any]]]) -> None:
        alone = False  # after a call for the whole batch failed: each job by itself
        while batch:
            results: list[Any] = []
            entered = False
            together = None if alone else _together(batch)
            try:
                async with self._transaction() as tx:
                    entered = True
                    if together is not None:
                        results = list(await together(tx, [job for job, _ in batch]))
                        if len(results) != len(batch):
                            raise RuntimeError("a `together` call must return one result per job")
                    else:
                        for job, _ in batch:
                            results.append(await job(tx))
            except Exception as exc:  # noqa: BLE001 - every failure goes back to a caller
                if together is not None and entered and not isinstance(exc, Unavailable):
                    alone = True  # which job failed is not known: find it by running them one by one
                    continue
                # While the jobs ran, the one that raised is the first without a result.
                running = len(results) if entered else -1
                if 0 <= running < len(batch) and not isinstance(exc, Unavailable):
                    # One job failed and the transaction was rolled back: it gets its error, the
                    # others run again without it.
                    _settle(batch.pop(running)[1], exc=exc)
                    continue
                for _, future in batch:  # an outage, or the commit itself failed
                    _settle(future, exc=exc)
                return
            self.batches += 1
            self.jobs += len(batch)
            for (_, future), result in zip(batch, results, strict=True):
                _settle(future, result=result)
            return

    async def close(self) -> None:
        """Wait for every queued job to be committed or failed."""
        while self._running:
            await asyncio.gather(*list(self._running), return_exceptions=True)


def _together(batch: list[tuple[Job, asyncio.Future[Any]]]) -> Callable[[Tx, list[Any]], Awaitable[Any]] | None:
    """The `together` function all of the batch's jobs share, if there are several and they do."""
    if len(batch) < 2:
        return None
    kinds = {getattr(job, "together", None) for job, _ in batch}
    together = kinds.pop()
    return together if together is not None and not kinds else None


def _settle(future: asyncio.Future[Any], *, result: Any = None, exc: BaseException | None = None) -> None:
    if future.done():
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(result)


__all__ = ["GroupCommit"]
