"""The question log: what was asked, how runbot answered and how runners voted, for the
moderators' reports. Kept in SQLite (the default) or PostgreSQL (several workers share it):
see bot.db.

Privacy by design: no names and no platform ids are stored, only a salted hash of the
asker's (or voter's) id, to count distinct askers and to keep one vote per person. The salt
is never stored with the hashes: it comes from the operator's settings, or is made afresh
for each run of the bot, so whoever holds the database cannot hash a list of ids to find out
who asked what. Questions that describe a red flag are logged without their text. Rows
older than the retention period are purged automatically.

Writes never hold up a reply: they go through a queue to one writer thread (bot.write_queue)
that keeps them while the database cannot be written. `flush()` waits until they are
written; `close()` writes what is left (within a bound) and says how many were lost. Reads
for reports first wait for the queue, so they see what was recorded before them.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self, TypeVar

from bot.db import Connection, Database, DatabaseError, database_for
from bot.db_sqlite import SqliteDatabase
from bot.migrations import migrate
from bot.reply import Question, Reply, Status
from bot.write_queue import WriteQueue

__all__ = [
    "EntryCounts",
    "LoggedQuestion",
    "QuestionLogStore",
    "QuestionLogUnusableError",
    "SqliteQuestionLog",
    "open_question_log",
]

log = logging.getLogger(__name__)

_DAY = 86_400.0
_PURGE_EVERY = 3_600.0
_READS_WAIT_S = 5.0  # how long a report waits for the writes recorded before it
_CLOSE_WAIT_S = 5.0  # how long closing keeps trying to write what is left
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


class QuestionLogStore:
    """A question log in a database (bot.db); safe to share between threads."""

    def __init__(
        self,
        database: Database,
        retention_days: int = 30,
        clock: Callable[[], float] = time.time,
        salt: str | None = None,
    ) -> None:
        """Open (or create, or migrate) the log; raises QuestionLogUnusableError if it cannot
        be used."""
        self.database = database
        self.retention_days = retention_days
        self._clock = clock
        self._salt = salt or secrets.token_hex(16)
        self._read_lock = threading.Lock()
        self._last_purge = 0.0
        self._reader, writer = self._open()
        self._writes = WriteQueue(writer, after_batch=self._purge_hourly)

    @property
    def shared(self) -> bool:
        """Whether other runbot processes write to this log too."""
        return self.database.shared

    def _open(self) -> tuple[Connection, Connection]:
        connections: list[Connection] = []
        try:
            for _ in range(2):
                connections.append(self.database.connect())
            writer = connections[1]
            applied = migrate(writer, self.database.dialect)
            if applied:
                log.info(
                    "question log schema in %s: applied version(s) %s",
                    self.database.where,
                    ", ".join(map(str, applied)),
                )
            self._purge(writer)  # a write: a read-only database says so now, not later
            connections[0].execute("SELECT COUNT(*) FROM questions WHERE id < 0").fetchall()
        except DatabaseError as error:
            for connection in connections:
                connection.close()
            raise QuestionLogUnusableError(str(error)) from None
        return connections[0], connections[1]

    # --- closing ---------------------------------------------------------------------------

    def close(self, wait: float = _CLOSE_WAIT_S) -> None:
        """Write what is still queued (trying for at most `wait` seconds), then close."""
        self._writes.close(wait)
        with self._read_lock:
            self._reader.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def lost(self) -> int:
        """Rows that could not be written (the database failed, or stayed locked too long)."""
        return self._writes.lost

    def flush(self, timeout: float = _READS_WAIT_S) -> bool:
        """Wait until everything recorded so far is written; False if that took too long."""
        return self._writes.flush(timeout)

    # --- writing (queued) --------------------------------------------------------------------

    def record(self, question: Question, reply: Reply) -> None:
        """Queue one question and its outcome; returns at once."""
        # No NUL: PostgreSQL's text cannot hold one, and it means nothing to a moderator.
        text = None if reply.status is Status.URGENT else question.text.replace("\x00", "")[:2000]
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

        def write(db: Connection) -> None:
            db.execute(
                "INSERT INTO questions (reply_id, asked_at, platform, asker_hash,"
                " question, status, entry_id, confidence, small_talk)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                row,
            )

        self._writes.put(write)

    def record_vote(self, reply_id: str, platform: str, voter: str | None, helpful: bool) -> None:
        """Queue one person's vote on an answer (replacing their earlier vote on it)."""
        row = (reply_id, self.voter_hash(platform, voter), int(helpful), self._clock())

        def write(db: Connection) -> None:
            db.execute(
                "INSERT INTO votes (reply_id, voter_hash, helpful, voted_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (reply_id, voter_hash) DO UPDATE SET helpful = excluded.helpful,"
                " voted_at = excluded.voted_at",
                row,
            )

        self._writes.put(write)

    def remember_offer(self, token: str, question: str) -> None:
        """Queue a gap question offered to the moderators' teach buttons under `token`."""
        row = (token, question[:2000], self._clock())

        def write(db: Connection) -> None:
            db.execute(
                # The first offer's time stays: showing a gap again must not keep a
                # runner's words past the retention period.
                "INSERT INTO teach_offers (token, question, offered_at) VALUES (?, ?, ?)"
                " ON CONFLICT (token) DO NOTHING",
                row,
            )

        self._writes.put(write)

    def offered(self, token: str) -> str | None:
        """The gap question offered under `token` (by any worker sharing the log); None if
        unknown or the database cannot be read just now. Blocking: call it off the loop."""
        if self.shared:
            self.flush()
        try:
            with self._read_lock:
                row = self._reader.execute(
                    "SELECT question FROM teach_offers WHERE token = ?", (token,)
                ).fetchone()
        except DatabaseError as error:
            log.warning("could not look up a teach button's question: %s", error)
            return None
        return None if row is None else str(row[0])

    def call(self, work: Callable[[Connection], T], timeout: float = _READS_WAIT_S) -> T:
        """Run `work` in the writer's transaction, after every write queued before it, and
        return what it returns (for other modules' tables in this database, e.g. requests
        to ask a human). Raises QuestionLogUnusableError if it could not run in time."""
        try:
            return self._writes.call(work, timeout)
        except DatabaseError as error:
            raise QuestionLogUnusableError(str(error)) from None

    def purge(self) -> int:
        """Delete rows older than the retention period now; returns how many questions went.

        (The writer thread also purges by itself, hourly.)
        """
        purged: list[int] = []
        self._writes.put(lambda db: purged.append(self._purge(db, in_transaction=True)))
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
            f" UNION ALL {branch.format(repr('answered'))} AND confidence < ?) AS gaps"
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
        # int(): PostgreSQL sums counts as NUMERIC.
        return [EntryCounts(row[0], int(row[1]), int(row[2]), int(row[3])) for row in rows]

    def vote_on(self, reply_id: str, platform: str, voter: str | None) -> tuple[bool, bool | None]:
        """(whether `reply_id` is a logged answer, this person's vote on it or None).

        Waits for queued writes only when the log is shared (several workers vote in it):
        otherwise callers know this run's votes themselves.
        Raises bot.db.DatabaseError if the database cannot be read just now.
        """
        if self.shared:
            self.flush()
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
        try:
            with self._read_lock:
                return self._reader.execute(query, parameters).fetchall()
        except DatabaseError as error:
            raise QuestionLogUnusableError(str(error)) from None

    def _hash(self, platform: str, who: str | None) -> str | None:
        if who is None:
            return None
        material = f"{self._salt}:{platform}:{who}".encode()
        return hashlib.sha256(material).hexdigest()[:24]

    def _purge_hourly(self, db: Connection) -> None:
        if self._clock() - self._last_purge > _PURGE_EVERY:
            self._purge(db)

    def _purge(self, db: Connection, in_transaction: bool = False) -> int:
        now = self._clock()
        cutoff = now - self.retention_days * _DAY
        if not in_transaction:
            db.begin()
        try:
            cursor = db.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,))
            db.execute("DELETE FROM votes WHERE voted_at < ?", (cutoff,))
            db.execute("DELETE FROM human_requests WHERE asked_at < ?", (cutoff,))
            db.execute("DELETE FROM teach_offers WHERE offered_at < ?", (cutoff,))
        except BaseException:
            if not in_transaction:
                with contextlib.suppress(DatabaseError):
                    db.rollback()
            raise
        if not in_transaction:
            db.commit()
        self._last_purge = now
        return cursor.rowcount


def _logged(row: Any) -> LoggedQuestion:
    text, at, platform, asker, status, entry, confidence = row
    return LoggedQuestion(text, at, platform, asker, Status(status), entry, confidence)


class SqliteQuestionLog(QuestionLogStore):
    """A question log in one SQLite file."""

    def __init__(
        self,
        path: Path,
        retention_days: int = 30,
        clock: Callable[[], float] = time.time,
        salt: str | None = None,
    ) -> None:
        self.path = path
        super().__init__(SqliteDatabase(path), retention_days, clock, salt)


def open_question_log(
    target: str | Path, retention_days: int = 30, salt: str | None = None
) -> QuestionLogStore:
    """The question log RUNBOT_DB names: a `postgresql://` URL, or an SQLite file."""
    return QuestionLogStore(database_for(target), retention_days, salt=salt)
