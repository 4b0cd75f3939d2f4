"""The question log: what was asked and how runbot answered, for the moderators' reports.

Privacy by design: no names and no platform ids are stored, only a salted hash of the
asker's id (to count distinct askers). The salt is never stored with the hashes: it comes
from the operator's settings, or is made afresh for each run of the bot, so whoever holds
the database cannot hash a list of ids to find out who asked what. Questions that
describe a red flag are logged without their text. Rows older than the retention period
are purged automatically. Every write is its own committed transaction in WAL mode, so a
killed process loses nothing already written.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.reply import Question, Reply, Status

__all__ = ["EntryCounts", "LoggedQuestion", "SqliteQuestionLog"]

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
    helpful INTEGER
);
CREATE INDEX IF NOT EXISTS questions_asked_at ON questions (asked_at);
"""
_DAY = 86_400.0
_PURGE_EVERY = 3_600.0


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
        self.path = path
        self.retention_days = retention_days
        self._clock = clock
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        # NORMAL is durable against a killed process in WAL mode (not against power loss).
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._salt = salt or secrets.token_hex(16)
        self._last_purge = 0.0
        self.purge()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> SqliteQuestionLog:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def record(self, question: Question, reply: Reply) -> None:
        now = self._clock()
        text = None if reply.status is Status.URGENT else question.text[:2000]
        with self._transaction() as db:
            db.execute(
                "INSERT INTO questions (reply_id, asked_at, platform, asker_hash, question,"
                " status, entry_id, confidence, small_talk) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    reply.reply_id,
                    now,
                    question.platform,
                    self._hash(question),
                    text,
                    reply.status.value,
                    reply.entry_id,
                    reply.confidence,
                    int(reply.small_talk),
                ),
            )
        if now - self._last_purge > _PURGE_EVERY:
            self.purge()

    def record_feedback(self, reply_id: str, helpful: bool) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE questions SET helpful = ? WHERE reply_id = ?", (int(helpful), reply_id)
            )

    def purge(self) -> int:
        """Delete rows older than the retention period; returns how many went."""
        now = self._clock()
        with self._transaction() as db:
            cursor = db.execute(
                "DELETE FROM questions WHERE asked_at < ?", (now - self.retention_days * _DAY,)
            )
        self._last_purge = now
        return cursor.rowcount

    def recent(self, days: int) -> list[LoggedQuestion]:
        """Questions with text (not small talk, not red flags) from the last `days` days."""
        since = self._clock() - days * _DAY
        with self._lock:
            rows = self._db.execute(
                "SELECT question, asked_at, platform, asker_hash, status, entry_id, confidence"
                " FROM questions WHERE asked_at >= ? AND small_talk = 0 AND question IS NOT NULL"
                " ORDER BY asked_at",
                (since,),
            ).fetchall()
        return [
            LoggedQuestion(text, at, platform, asker, Status(status), entry, confidence)
            for text, at, platform, asker, status, entry, confidence in rows
        ]

    def entry_counts(self, days: int) -> list[EntryCounts]:
        """Per entry: answers given and feedback received in the last `days` days."""
        since = self._clock() - days * _DAY
        with self._lock:
            rows = self._db.execute(
                "SELECT entry_id, COUNT(*), COALESCE(SUM(helpful = 1), 0),"
                " COALESCE(SUM(helpful = 0), 0) FROM questions"
                " WHERE asked_at >= ? AND status = 'answered' AND entry_id IS NOT NULL"
                " GROUP BY entry_id ORDER BY COUNT(*) DESC, entry_id",
                (since,),
            ).fetchall()
        return [EntryCounts(*row) for row in rows]

    def _hash(self, question: Question) -> str | None:
        if question.asker is None:
            return None
        material = f"{self._salt}:{question.platform}:{question.asker}".encode()
        return hashlib.sha256(material).hexdigest()[:24]

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
