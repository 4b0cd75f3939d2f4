"""The question log: what was asked, how runbot answered and how runners voted, for the
moderators' reports.

Privacy by design: no names and no platform ids are stored, only a salted hash of the
asker's (or voter's) id, to count distinct askers and to keep one vote per person. The salt
is never stored with the hashes: it comes from the operator's settings, or is made afresh
for each run of the bot, so whoever holds the database cannot hash a list of ids to find out
who asked what. Questions that describe a red flag are logged without their text. Rows
older than the retention period are purged automatically.

Writes never hold up a reply: they go through a queue to one writer thread, which commits
them in small transactions (WAL mode) and, while another program holds the database
locked, keeps them and tries again. `flush()` waits until they are written; `close()`
writes what is left (within a bound) and says how many were lost. Reads for reports first
wait for the queue, so they see what was recorded before them.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import queue
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from bot.reply import Question, Reply, Status

__all__ = ["EntryCounts", "LoggedQuestion", "QuestionLogUnusableError", "SqliteQuestionLog"]

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY,
    reply_id TEXT NOT NULL UNIQUE,
    asked_at REAL NOT NULL,
    platform TEXT NOT NULL,
    asker_hash TEXT,
    question TEXT,
    status TEXT NOT NULL,
    entry_id TEXT,
    confidence REAL NOT NULL,
    small_talk INTEGER NOT NULL,
    helpful INTEGER  -- before per-person votes: the one vote an answer could get
);
CREATE INDEX IF NOT EXISTS questions_asked_at ON questions (asked_at);
-- The gap report reads unanswered and low-confidence questions only.
CREATE INDEX IF NOT EXISTS questions_by_outcome ON questions (status, confidence);
CREATE TABLE IF NOT EXISTS votes (
    reply_id TEXT NOT NULL,
    voter_hash TEXT NOT NULL,
    helpful INTEGER NOT NULL,
    voted_at REAL NOT NULL,
    PRIMARY KEY (reply_id, voter_hash)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS votes_voted_at ON votes (voted_at);
"""
# Votes cast before there was one vote per person become votes of an unknown person.
_MIGRATE_OLD_VOTES = """
INSERT OR IGNORE INTO votes (reply_id, voter_hash, helpful, voted_at)
    SELECT reply_id, 'before-per-person-votes', helpful, asked_at FROM questions
    WHERE helpful IS NOT NULL;
UPDATE questions SET helpful = NULL WHERE helpful IS NOT NULL;
"""
_DAY = 86_400.0
_PURGE_EVERY = 3_600.0
_BATCH = 500  # writes per transaction
_MOST_WAITING = 50_000  # writes kept while the database is locked; more are counted lost
_READS_WAIT_S = 5.0  # how long a report waits for the writes recorded before it
_CLOSE_WAIT_S = 5.0  # how long closing keeps trying to write what is left
_BUSY_MS = 200  # SQLite's own wait for a lock, per attempt; the writer retries beyond it

_Write = Callable[[sqlite3.Connection], None]
T = TypeVar("T")


class QuestionLogUnusableError(Exception):
    """The database cannot be used (read-only, corrupt, not a database...); says why."""


@dataclass(frozen=True, slots=True)
class LoggedQuestion:
    question: str
    asked_at: float
    platform: str
    asker_hash: str | None
    status: Status
    entry_id: str | None
    confidence: float


@dataclass(frozen=True, slots=True)
class EntryCounts:
    entry_id: str
    answered: int
    helpful: int
    not_helpful: int


class SqliteQuestionLog:
    """A question log in one SQLite file; safe to share between threads."""

    def __init__(
        self,
        path: Path,
        retention_days: int = 30,
        clock: Callable[[], float] = time.time,
        salt: str | None = None,
    ) -> None:
        """Open (or create) the log; raises QuestionLogUnusableError if it cannot be used."""
        self.path = path
        self.retention_days = retention_days
        self._clock = clock
        self._salt = salt or secrets.token_hex(16)
        self._read_lock = threading.Lock()
        self._queue: queue.SimpleQueue[_Write | None] = queue.SimpleQueue()
        self._waiting = 0  # writes queued or being written
        self._idle = threading.Condition()
        self._lost = 0
        self._closing_by: float | None = None
        self._last_purge = 0.0
        self._reader, self._writer = self._open(path)
        self._thread = threading.Thread(target=self._write_forever, name="question-log")
        self._thread.daemon = True
        self._thread.start()

    def _open(self, path: Path) -> tuple[sqlite3.Connection, sqlite3.Connection]:
        connections: list[sqlite3.Connection] = []
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            for _ in range(2):
                connection = sqlite3.connect(
                    path, check_same_thread=False, isolation_level=None, timeout=_BUSY_MS / 1000
                )
                connections.append(connection)
            writer = connections[1]
            writer.execute("PRAGMA journal_mode=WAL")
            # NORMAL is durable against a killed process in WAL mode (not against power loss).
            writer.execute("PRAGMA synchronous=NORMAL")
            writer.executescript(_SCHEMA)
            writer.executescript(f"BEGIN IMMEDIATE; {_MIGRATE_OLD_VOTES} COMMIT;")
            self._purge(writer)  # a write: a read-only database says so now, not later
            connections[0].execute("SELECT COUNT(*) FROM questions WHERE id < 0").fetchall()
        except (sqlite3.Error, OSError) as error:
            for connection in connections:
                connection.close()
            raise QuestionLogUnusableError(_reason(error)) from None
        return connections[0], connections[1]

    # --- closing ---------------------------------------------------------------------------

    def close(self, wait: float = _CLOSE_WAIT_S) -> None:
        """Write what is still queued (trying for at most `wait` seconds), then close."""
        if self._closing_by is not None:
            return
        self._closing_by = time.monotonic() + wait
        self._queue.put(None)
        self._thread.join(wait + 1)
        if self._lost:
            log.error("the question log lost %d row(s) it could not write", self._lost)
        with self._read_lock:
            self._reader.close()
        if not self._thread.is_alive():
            self._writer.close()

    def __enter__(self) -> SqliteQuestionLog:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def lost(self) -> int:
        """Rows that could not be written (the database failed, or stayed locked too long)."""
        return self._lost

    def flush(self, timeout: float = _READS_WAIT_S) -> bool:
        """Wait until everything recorded so far is written; False if that took too long."""
        with self._idle:
            return self._idle.wait_for(lambda: self._waiting == 0, timeout)

    # --- writing (queued) --------------------------------------------------------------------

    def record(self, question: Question, reply: Reply) -> None:
        """Queue one question and its outcome; returns at once."""
        text = None if reply.status is Status.URGENT else question.text[:2000]
        row = (
            reply.reply_id,
            self._clock(),
            question.platform,
            self._hash(question.platform, question.asker),
            text,
            reply.status.value,
            reply.entry_id,
            reply.confidence,
            int(reply.small_talk),
        )

        def write(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT OR IGNORE INTO questions (reply_id, asked_at, platform, asker_hash,"
                " question, status, entry_id, confidence, small_talk)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )

        self._put(write)

    def record_vote(self, reply_id: str, platform: str, voter: str | None, helpful: bool) -> None:
        """Queue one person's vote on an answer (replacing their earlier vote on it)."""
        row = (reply_id, self.voter_hash(platform, voter), int(helpful), self._clock())

        def write(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO votes (reply_id, voter_hash, helpful, voted_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (reply_id, voter_hash) DO UPDATE SET helpful = excluded.helpful,"
                " voted_at = excluded.voted_at",
                row,
            )

        self._put(write)

    def call(self, work: Callable[[sqlite3.Connection], T], timeout: float = _READS_WAIT_S) -> T:
        """Run `work` in the writer's transaction, after every write queued before it, and
        return what it returns (for other modules' tables in this database, e.g. requests
        to ask a human). Raises QuestionLogUnusableError if it could not run in time."""
        done: Future[T] = Future()

        def write(db: sqlite3.Connection) -> None:
            try:
                done.set_result(work(db))
            except sqlite3.Error as error:  # only this one fails: the batch goes on
                done.set_exception(QuestionLogUnusableError(_reason(error)))

        self._put(write)
        try:
            return done.result(timeout)
        except TimeoutError:
            raise QuestionLogUnusableError("the database is busy; try again") from None

    def purge(self) -> int:
        """Delete rows older than the retention period now; returns how many questions went.

        (The writer thread also purges by itself, hourly.)
        """
        purged: list[int] = []
        self._put(lambda db: purged.append(self._purge(db, in_transaction=True)))
        self.flush()
        return purged[0] if purged else 0

    # --- reading -----------------------------------------------------------------------------

    def recent(self, days: int) -> list[LoggedQuestion]:
        """Questions with text (not small talk, not red flags) from the last `days` days."""
        return self._questions(
            "asked_at >= ? AND small_talk = 0 AND question IS NOT NULL ORDER BY asked_at",
            (self._clock() - days * _DAY,),
        )

    def unanswered(self, days: int, low_confidence: float, limit: int) -> list[LoggedQuestion]:
        """The most recent `limit` questions of the last `days` days that runbot did not
        answer, or answered with a confidence below `low_confidence`, oldest first."""
        since = self._clock() - days * _DAY
        branch = (
            "SELECT question, asked_at, platform, asker_hash, status, entry_id, confidence"
            " FROM questions WHERE status = {} AND asked_at >= ? AND small_talk = 0"
            " AND question IS NOT NULL"
        )
        query = (
            f"SELECT * FROM ({branch.format(repr('fallback'))}"
            f" UNION ALL {branch.format(repr('clarify'))}"
            f" UNION ALL {branch.format(repr('answered'))} AND confidence < ?)"
            " ORDER BY asked_at DESC LIMIT ?"
        )
        rows = self._read(query, (since, since, since, low_confidence, limit))
        return [_logged(row) for row in reversed(rows)]

    def entry_counts(self, days: int) -> list[EntryCounts]:
        """Per entry: answers given and votes received in the last `days` days."""
        rows = self._read(
            "SELECT q.entry_id, COUNT(*),"
            " COALESCE(SUM((SELECT COUNT(*) FROM votes v"
            "   WHERE v.reply_id = q.reply_id AND v.helpful = 1)), 0),"
            " COALESCE(SUM((SELECT COUNT(*) FROM votes v"
            "   WHERE v.reply_id = q.reply_id AND v.helpful = 0)), 0)"
            " FROM questions q"
            " WHERE q.asked_at >= ? AND q.status = 'answered' AND q.entry_id IS NOT NULL"
            " GROUP BY q.entry_id ORDER BY COUNT(*) DESC, q.entry_id",
            (self._clock() - days * _DAY,),
        )
        return [EntryCounts(*row) for row in rows]

    def vote_on(self, reply_id: str, platform: str, voter: str | None) -> tuple[bool, bool | None]:
        """(whether `reply_id` is a logged answer, this person's vote on it or None).

        Does not wait for queued writes: callers know this run's votes themselves.
        Raises sqlite3.Error if the database cannot be read just now.
        """
        with self._read_lock:
            answered = self._reader.execute(
                "SELECT 1 FROM questions WHERE reply_id = ? AND status = 'answered'", (reply_id,)
            ).fetchone()
            vote = self._reader.execute(
                "SELECT helpful FROM votes WHERE reply_id = ? AND voter_hash = ?",
                (reply_id, self.voter_hash(platform, voter)),
            ).fetchone()
        return answered is not None, None if vote is None else bool(vote[0])

    def voter_hash(self, platform: str, voter: str | None) -> str:
        return self._hash(platform, voter) or "someone"

    # --- inside ------------------------------------------------------------------------------

    def _questions(self, where: str, parameters: tuple[object, ...]) -> list[LoggedQuestion]:
        rows = self._read(
            "SELECT question, asked_at, platform, asker_hash, status, entry_id, confidence"
            f" FROM questions WHERE {where}",
            parameters,
        )
        return [_logged(row) for row in rows]

    def _read(self, query: str, parameters: tuple[object, ...]) -> list[Any]:
        self.flush()
        with self._read_lock:
            return self._reader.execute(query, parameters).fetchall()

    def _hash(self, platform: str, who: str | None) -> str | None:
        if who is None:
            return None
        material = f"{self._salt}:{platform}:{who}".encode()
        return hashlib.sha256(material).hexdigest()[:24]

    def _put(self, write: _Write) -> None:
        with self._idle:
            if self._closing_by is not None or self._waiting >= _MOST_WAITING:
                self._lose(1, "the question log is closed or too far behind")
                return
            self._waiting += 1
        self._queue.put(write)

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
                self._idle.notify_all()
            if closing:
                return

    def _write(self, batch: list[_Write]) -> None:
        """Commit `batch` in one transaction, waiting out another program's lock."""
        delay = 0.05
        said_locked = False
        while True:
            try:
                self._commit(batch)
            except sqlite3.OperationalError as error:
                if not _is_locked(error):
                    self._lose(len(batch), _reason(error))
                    return
                if self._closing_by is not None and time.monotonic() > self._closing_by:
                    self._lose(len(batch), "the database stayed locked while runbot stopped")
                    return
                if not said_locked:
                    log.warning(
                        "the question log's database is locked by another program; "
                        "keeping %d row(s) until it is free",
                        len(batch),
                    )
                    said_locked = True
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
                continue
            except sqlite3.Error as error:
                self._lose(len(batch), _reason(error))
                return
            if said_locked:
                log.info("the question log's database is free again; rows written")
            break
        if self._clock() - self._last_purge > _PURGE_EVERY:
            with contextlib.suppress(sqlite3.Error):
                self._purge(self._writer)

    def _commit(self, batch: list[_Write]) -> None:
        db = self._writer
        db.execute("BEGIN IMMEDIATE")
        try:
            for write in batch:
                write(db)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def _purge(self, db: sqlite3.Connection, in_transaction: bool = False) -> int:
        now = self._clock()
        cutoff = now - self.retention_days * _DAY
        if not in_transaction:
            db.execute("BEGIN IMMEDIATE")
        try:
            cursor = db.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,))
            db.execute("DELETE FROM votes WHERE voted_at < ?", (cutoff,))
        except BaseException:
            if not in_transaction:
                db.execute("ROLLBACK")
            raise
        if not in_transaction:
            db.execute("COMMIT")
        self._last_purge = now
        return cursor.rowcount


def _logged(row: Any) -> LoggedQuestion:
    text, at, platform, asker, status, entry, confidence = row
    return LoggedQuestion(text, at, platform, asker, Status(status), entry, confidence)


def _is_locked(error: sqlite3.OperationalError) -> bool:
    text = str(error)
    return "locked" in text or "busy" in text


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)
