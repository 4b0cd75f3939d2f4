"""The PostgreSQL backend (psycopg 3): the store several runbot processes share.

A connection that breaks (the server restarted, the network dropped) is opened again at the
next transaction, so the question log's writer keeps its rows and tries again.
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

from bot.db import Cursor, DatabaseError, Dialect, without_password

__all__ = ["PostgresDatabase"]

_CONNECT_TIMEOUT_S = 5


class PostgresDatabase:
    def __init__(self, url: str) -> None:
        self.url = url

    @property
    def dialect(self) -> Dialect:
        return "postgresql"

    @property
    def where(self) -> str:
        return without_password(self.url)

    @property
    def shared(self) -> bool:
        return True

    def connect(self) -> PostgresConnection:
        return PostgresConnection(self.url)


class PostgresConnection:
    def __init__(self, url: str) -> None:
        self._url = url
        self._connection = self._open()
        self._in_transaction = False

    def _open(self) -> psycopg.Connection[tuple[object, ...]]:
        try:
            return psycopg.connect(self._url, autocommit=True, connect_timeout=_CONNECT_TIMEOUT_S)
        except psycopg.Error as error:
            raise _database_error(error) from None

    def execute(self, sql: str, parameters: Sequence[object] = ()) -> Cursor:
        # Our SQL has no literal '?' or '%': the placeholders translate one for one.
        query = sql.replace("?", "%s")
        # PostgreSQL's text holds no NUL character (SQLite's does): a runner's message with
        # one would fail its whole batch of rows.
        parameters = [p.replace("\x00", "") if isinstance(p, str) else p for p in parameters]
        if not self._in_transaction and (self._connection.broken or self._connection.closed):
            self._connection = self._open()  # the server came back
        try:
            return self._connection.execute(query, tuple(parameters))
        except psycopg.OperationalError as error:
            if self._in_transaction or not self._connection.broken:
                raise _database_error(error) from None
        except psycopg.Error as error:
            raise _database_error(error) from None
        # Outside a transaction (a read, or BEGIN) on a connection found broken just now
        # (the server restarted): once more on a new one.
        self._connection = self._open()
        try:
            return self._connection.execute(query, tuple(parameters))
        except psycopg.Error as error:
            raise _database_error(error) from None

    def begin(self) -> None:
        self.execute("BEGIN")
        self._in_transaction = True

    def commit(self) -> None:
        # Never reconnect within a transaction: a COMMIT on a new connection would say
        # nothing of the writes lost with the old one.
        try:
            self.execute("COMMIT")
        finally:
            self._in_transaction = False

    def rollback(self) -> None:
        self._in_transaction = False
        if not self._connection.broken and not self._connection.closed:
            self.execute("ROLLBACK")

    def close(self) -> None:
        self._connection.close()


def _database_error(error: psycopg.Error) -> DatabaseError:
    # Worth trying again: the server cannot be reached or went away (OperationalError), or
    # two workers' transactions deadlocked and one was rolled back (TransactionRollback).
    transient = isinstance(error, psycopg.OperationalError | psycopg.errors.TransactionRollback)
    reason = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
    return DatabaseError(reason, transient)
