"""The SQLite backend: one file, WAL mode, the embedded default."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from bot.db import Cursor, DatabaseError, Dialect

__all__ = ["SqliteDatabase"]

_BUSY_MS = 200  # SQLite's own wait for a lock, per attempt; the writer retries beyond it


class SqliteDatabase:
    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def dialect(self) -> Dialect:
        return "sqlite"

    @property
    def where(self) -> str:
        return str(self.path)

    @property
    def shared(self) -> bool:
        return False

    def connect(self) -> SqliteConnection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                self.path, check_same_thread=False, isolation_level=None, timeout=_BUSY_MS / 1000
            )
        except (sqlite3.Error, OSError) as error:
            raise _database_error(error) from None
        return SqliteConnection(connection)


class SqliteConnection:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            # NORMAL is durable against a killed process in WAL mode (not against power loss).
            connection.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as error:
            connection.close()
            raise _database_error(error) from None

    def execute(self, sql: str, parameters: Sequence[object] = ()) -> Cursor:
        try:
            return self._connection.execute(sql, tuple(parameters))
        except sqlite3.Error as error:
            raise _database_error(error) from None

    def begin(self) -> None:
        self.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.execute("COMMIT")

    def rollback(self) -> None:
        if self._connection.in_transaction:
            self.execute("ROLLBACK")

    def close(self) -> None:
        self._connection.close()


def _database_error(error: sqlite3.Error | OSError) -> DatabaseError:
    if isinstance(error, OSError):
        return DatabaseError(error.strerror or str(error))
    text = str(error)
    locked = isinstance(error, sqlite3.OperationalError) and ("locked" in text or "busy" in text)
    return DatabaseError(text, transient=locked)
