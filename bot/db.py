"""Where the question log is kept: what a database backend offers, and which one RUNBOT_DB
names (a `postgresql://` URL, else an SQLite file, as a path or a `sqlite:///` URL).

Both backends speak the same SQL with `?` placeholders; each connection turns its driver's
errors into DatabaseError, marked transient when waiting and trying again may help (SQLite
locked by another program, a PostgreSQL connection lost).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

__all__ = ["Connection", "Cursor", "Database", "DatabaseError", "Dialect", "database_for"]

Dialect = Literal["sqlite", "postgresql"]
_POSTGRES_SCHEMES = ("postgresql://", "postgres://")
_SQLITE_SCHEME = "sqlite:///"


class DatabaseError(Exception):
    """A database call failed; `transient` when trying again later may succeed."""

    def __init__(self, reason: str, transient: bool = False) -> None:
        super().__init__(reason)
        self.transient = transient


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    """One connection; not shared between threads without a lock."""

    def execute(self, sql: str, parameters: Sequence[object] = ()) -> Cursor: ...

    def begin(self) -> None:
        """Start a write transaction (SQLite takes its write lock now, not at the first write)."""

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def close(self) -> None: ...


class Database(Protocol):
    @property
    def dialect(self) -> Dialect: ...

    @property
    def where(self) -> str:
        """For operators: the file, or the URL without its password."""

    @property
    def shared(self) -> bool:
        """Whether other runbot processes may write to it too (several workers)."""

    def connect(self) -> Connection:
        """A new connection; raises DatabaseError if the database cannot be reached or used."""


def database_for(target: str | Path) -> Database:
    """The backend RUNBOT_DB names."""
    text = str(target)
    if text.startswith(_POSTGRES_SCHEMES):
        from bot.db_postgres import PostgresDatabase

        return PostgresDatabase(text)
    from bot.db_sqlite import SqliteDatabase

    if text.startswith(_SQLITE_SCHEME):
        return SqliteDatabase(Path(text.removeprefix(_SQLITE_SCHEME)))
    return SqliteDatabase(Path(target))


def without_password(url: str) -> str:
    """`url` as it may be shown or logged: no user, password or query parameters.

    Plain string work, not urlsplit: a mistyped URL must not raise here, and a password
    may hold "@", "/" or ":" or come as `?password=`. The host and database stay.
    """
    scheme, found, rest = url.partition("://")
    if not found:
        return url
    rest, query, _ = rest.partition("?")
    if "@" in rest:  # the host follows the last "@": a password may contain one
        rest = "***@" + rest.rpartition("@")[2]
    return f"{scheme}://{rest}" + ("?..." if query else "")
