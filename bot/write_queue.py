"""The question log's writer: one thread that commits queued writes in small transactions.

Writes never hold up a reply: `put` returns at once. While the database cannot be written
(SQLite locked by another program, PostgreSQL out of reach) the writer keeps the batch and
tries again, with growing pauses; past _MOST_WAITING queued writes, or once closing has
taken too long, writes are counted lost and said so in the log.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from bot.db import Connection, DatabaseError

__all__ = ["Write", "WriteQueue"]

log = logging.getLogger("bot.question_log")

_BATCH = 500  # writes per transaction
_MOST_WAITING = 50_000  # writes kept while the database is locked; more are counted lost

Write = Callable[[Connection], None]
T = TypeVar("T")


class WriteQueue:
    """Queued writes to `db`, committed by a thread of their own; `after_batch` runs after
    each committed batch (the question log purges old rows there)."""

    def __init__(self, db: Connection, after_batch: Callable[[Connection], None]) -> None:
        self._db = db
        self._after_batch = after_batch
        self._queue: queue.SimpleQueue[Write | None] = queue.SimpleQueue()
        self._waiting = 0  # writes queued or being written
        # Writes ever queued, and ever finished (written or lost): the queue is first in,
        # first out, so a flush waits for what was queued before it, not for an idle moment.
        self._queued = 0
        self._finished = 0
        self._idle = threading.Condition()
        self._lost = 0
        self._closing_by: float | None = None
        self._after_commit: list[Callable[[], None]] = []  # the writer thread's only
        self._thread = threading.Thread(target=self._write_forever, name="question-log")
        self._thread.daemon = True
        self._thread.start()

    @property
    def lost(self) -> int:
        """Writes that could not be made (the database failed, or stayed locked too long)."""
        return self._lost

    def put(self, write: Write) -> None:
        """Queue `write`; returns at once."""
        with self._idle:
            if self._closing_by is not None or self._waiting >= _MOST_WAITING:
                self._lose(1, "the question log is closed or too far behind")
                return
            self._waiting += 1
            self._queued += 1
        self._queue.put(write)

    def flush(self, timeout: float) -> bool:
        """Wait until everything queued so far is written; False if that took too long.

        Writes queued meanwhile are not waited for: under steady writes the queue is never
        empty, and a vote's lookup would wait its whole timeout.
        """
        with self._idle:
            before = self._queued
            return self._idle.wait_for(lambda: self._finished >= before, timeout)

    def call(self, work: Callable[[Connection], T], timeout: float) -> T:
        """Run `work` in the writer's transaction after every write queued before it, and
        return what it returns once committed. Raises DatabaseError if it failed or could
        not run in time; an error of `work`'s own (a bug) is raised as it is."""
        done: Future[T] = Future()

        def write(db: Connection) -> None:
            if not done.set_running_or_notify_cancel():
                return  # its caller gave up waiting and was told it failed: never run it
            # A savepoint, so that only this one fails and the batch goes on (PostgreSQL
            # would otherwise refuse the rest of the transaction).
            db.execute("SAVEPOINT work")
            try:
                result = work(db)
            except DatabaseError as error:
                if error.transient:
                    raise  # the whole batch waits and tries again
                db.execute("ROLLBACK TO SAVEPOINT work")
                failure: Exception = error
                self._after_commit.append(lambda: done.set_exception(failure))
                return
            except Exception as bug:
                db.execute("ROLLBACK TO SAVEPOINT work")
                raised: Exception = bug  # `bug` is gone after the except block
                self._after_commit.append(lambda: done.set_exception(raised))
                return
            db.execute("RELEASE SAVEPOINT work")
            # Only once committed: another worker may act on it at once.
            self._after_commit.append(lambda: done.set_result(result))

        self.put(write)
        try:
            return done.result(timeout)
        except TimeoutError:
            if done.cancel():  # not started: it never will be
                raise DatabaseError("the database is busy; try again") from None
        return done.result()  # it started just now: its outcome is what happened

    def close(self, wait: float) -> None:
        """Write what is still queued (trying for at most `wait` seconds), then close."""
        if self._closing_by is not None:
            return
        self._closing_by = time.monotonic() + wait
        self._queue.put(None)
        self._thread.join(wait + 1)
        if self._lost:
            log.error("the question log lost %d row(s) it could not write", self._lost)
        if not self._thread.is_alive():
            self._db.close()

    def _lose(self, count: int, why: str) -> None:
        if self._lost == 0:
            log.error("the question log is losing rows: %s", why)
        self._lost += count

    def _write_forever(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            closing = False
            while len(batch) < _BATCH:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    closing = True
                    break
                batch.append(more)
            self._write(batch)
            with self._idle:
                self._waiting -= len(batch)
                self._finished += len(batch)
                self._idle.notify_all()
            if closing:
                return

    def _write(self, batch: list[Write]) -> None:
        """Commit `batch` in one transaction, waiting out a lock or an outage."""
        delay = 0.05
        said_waiting = False
        while True:
            try:
                self._commit(batch)
            except DatabaseError as error:
                if not error.transient:
                    self._lose(len(batch), str(error))
                    return
                if self._closing_by is not None and time.monotonic() > self._closing_by:
                    why = f"the database stayed unusable while runbot stopped ({error})"
                    self._lose(len(batch), why)
                    return
                if not said_waiting:
                    log.warning(
                        "the question log's database cannot be written just now (%s); "
                        "keeping %d row(s) until it can",
                        error,
                        len(batch),
                    )
                    said_waiting = True
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
                continue
            if said_waiting:
                log.info("the question log's database can be written again; rows written")
            break
        with contextlib.suppress(DatabaseError):
            self._after_batch(self._db)

    def _commit(self, batch: list[Write]) -> None:
        db = self._db
        self._after_commit.clear()
        db.begin()
        try:
            for write in batch:
                write(db)
        except BaseException:
            with contextlib.suppress(DatabaseError):
                db.rollback()
            raise
        db.commit()
        for deliver in self._after_commit:
            deliver()
        self._after_commit.clear()
