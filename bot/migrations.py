"""The question log's schema, created and brought up to date by runbot itself.

`schema_version` holds one row per migration applied. Each migration is the same change
written for each dialect; a database is migrated in one transaction, which several
workers starting at once take in turn. Version 1 is the schema from before versions: its
statements are idempotent, so an SQLite file from an older runbot is adopted as it is.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from bot.db import Connection, DatabaseError, Dialect

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "migrate"]


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    what: str
    sqlite: tuple[str, ...]
    postgresql: tuple[str, ...]

    def statements(self, dialect: Dialect) -> tuple[str, ...]:
        return self.sqlite if dialect == "sqlite" else self.postgresql


_COMMON_INDEXES = (
    "CREATE INDEX IF NOT EXISTS questions_asked_at ON questions (asked_at)",
    # The gap report reads unanswered and low-confidence questions only.
    "CREATE INDEX IF NOT EXISTS questions_by_outcome ON questions (status, confidence)",
    "CREATE INDEX IF NOT EXISTS votes_voted_at ON votes (voted_at)",
    "CREATE UNIQUE INDEX IF NOT EXISTS human_requests_one_pending"
    " ON human_requests (platform, asker_hash) WHERE status = 'pending'",
    "CREATE INDEX IF NOT EXISTS human_requests_posted ON human_requests (platform, posted)",
)

MIGRATIONS = (
    Migration(
        1,
        "questions, votes and requests to ask a human",
        sqlite=(
            """CREATE TABLE IF NOT EXISTS questions (
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
            )""",
            """CREATE TABLE IF NOT EXISTS votes (
                reply_id TEXT NOT NULL,
                voter_hash TEXT NOT NULL,
                helpful INTEGER NOT NULL,
                voted_at REAL NOT NULL,
                PRIMARY KEY (reply_id, voter_hash)
            ) WITHOUT ROWID""",
            """CREATE TABLE IF NOT EXISTS human_requests (
                id TEXT PRIMARY KEY,
                platform TEXT NOT NULL,
                asker_hash TEXT NOT NULL,
                question TEXT,
                origin TEXT NOT NULL,
                address TEXT,
                posted TEXT,
                asked_at REAL NOT NULL,
                status TEXT NOT NULL
            )""",
            *_COMMON_INDEXES,
            # Votes cast before there was one vote per person become votes of an unknown person.
            "INSERT OR IGNORE INTO votes (reply_id, voter_hash, helpful, voted_at)"
            " SELECT reply_id, 'before-per-person-votes', helpful, asked_at FROM questions"
            " WHERE helpful IS NOT NULL",
            "UPDATE questions SET helpful = NULL WHERE helpful IS NOT NULL",
        ),
        postgresql=(
            # Times are seconds since the epoch, as in SQLite: DOUBLE PRECISION, never REAL
            # (PostgreSQL's REAL has 6 digits: whole minutes apart would read alike).
            """CREATE TABLE IF NOT EXISTS questions (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                reply_id TEXT NOT NULL UNIQUE,
                asked_at DOUBLE PRECISION NOT NULL,
                platform TEXT NOT NULL,
                asker_hash TEXT,
                question TEXT,
                status TEXT NOT NULL,
                entry_id TEXT,
                confidence DOUBLE PRECISION NOT NULL,
                small_talk INTEGER NOT NULL
            )""",
            """CREATE TABLE IF NOT EXISTS votes (
                reply_id TEXT NOT NULL,
                voter_hash TEXT NOT NULL,
                helpful INTEGER NOT NULL,
                voted_at DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (reply_id, voter_hash)
            )""",
            """CREATE TABLE IF NOT EXISTS human_requests (
                id TEXT PRIMARY KEY,
                platform TEXT NOT NULL,
                asker_hash TEXT NOT NULL,
                question TEXT,
                origin TEXT NOT NULL,
                address TEXT,
                posted TEXT,
                asked_at DOUBLE PRECISION NOT NULL,
                status TEXT NOT NULL
            )""",
            *_COMMON_INDEXES,
        ),
    ),
    Migration(
        2,
        "gap questions offered to the teach buttons",
        # Kept so that a button pressed on another worker, or after a restart, still works.
        sqlite=(
            """CREATE TABLE IF NOT EXISTS teach_offers (
                token TEXT PRIMARY KEY,
                question TEXT NOT NULL,
                offered_at REAL NOT NULL
            )""",
            "CREATE INDEX IF NOT EXISTS teach_offers_offered_at ON teach_offers (offered_at)",
        ),
        postgresql=(
            """CREATE TABLE IF NOT EXISTS teach_offers (
                token TEXT PRIMARY KEY,
                question TEXT NOT NULL,
                offered_at DOUBLE PRECISION NOT NULL
            )""",
            "CREATE INDEX IF NOT EXISTS teach_offers_offered_at ON teach_offers (offered_at)",
        ),
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1].version

_VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER PRIMARY KEY, what TEXT NOT NULL, applied_at DOUBLE PRECISION NOT NULL)"
)
# Two workers starting together: the second waits here until the first has migrated.
_POSTGRES_LOCK = "SELECT pg_advisory_xact_lock(7212340013)"


def migrate(db: Connection, dialect: Dialect) -> list[int]:
    """Apply every migration `db` lacks, in one transaction; the versions applied.

    Raises bot.db.DatabaseError (nothing applied) if one fails, or if the database is newer
    than this runbot.
    """
    db.begin()
    try:
        if dialect == "postgresql":
            db.execute(_POSTGRES_LOCK)
        db.execute(_VERSION_TABLE)
        row = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
        current = int(row[0]) if row is not None and row[0] is not None else 0
        if current > SCHEMA_VERSION:
            raise DatabaseError(
                f"its schema is version {current}, newer than this runbot knows "
                f"({SCHEMA_VERSION}); run a runbot at least as new as the one that wrote it"
            )
        applied = []
        for migration in MIGRATIONS:
            if migration.version <= current:
                continue
            for statement in migration.statements(dialect):
                db.execute(statement)
            db.execute(
                "INSERT INTO schema_version (version, what, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.what, time.time()),
            )
            applied.append(migration.version)
    except BaseException:
        db.rollback()
        raise
    db.commit()
    return applied
