"""Both backends keep the question log alike: the same privacy, the same reports, their own
schema migrated by runbot; PostgreSQL is shared by several workers.

PostgreSQL runs for real (tests/postgres.py); each test gets a database of its own.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest

from bot.db import database_for
from bot.human_help import HumanRequests, RequestOutcome
from bot.migrations import SCHEMA_VERSION
from bot.question_log import QuestionLogStore, QuestionLogUnusableError
from bot.reply import Question, Reply, Status
from bot.votes import VoteBook, VoteOutcome
from tests.helpers import DAY, Clock
from tests.postgres import PostgresServer

SALT = "the-operators-salt"
Opener = Callable[..., QuestionLogStore]


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """RUNBOT_DB for a new question log, on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'runbot.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def open_log(target: str) -> Iterator[Opener]:
    """Opens question logs on `target`, as workers do; all closed after the test."""
    opened: list[QuestionLogStore] = []

    def open_one(**options: object) -> QuestionLogStore:
        question_log = QuestionLogStore(database_for(target), **options)  # type: ignore[arg-type]
        opened.append(question_log)
        return question_log

    yield open_one
    for question_log in opened:
        question_log.close()


def everything_stored(target: str) -> str:
    """Every row of every table, as text."""
    if target.startswith("postgresql"):
        with psycopg.connect(target) as db:
            tables = db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
            rows = [db.execute(f'SELECT * FROM "{name}"').fetchall() for (name,) in tables]
    else:
        with contextlib.closing(sqlite3.connect(target.removeprefix("sqlite:///"))) as db:
            tables = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
            rows = [db.execute(f'SELECT * FROM "{name}"').fetchall() for (name,) in tables]
    return repr(rows)


def answered(reply_id: str, entry: str = "stretch-a-cramp", confidence: float = 0.9) -> Reply:
    return Reply(Status.ANSWERED, "text", entry_id=entry, confidence=confidence, reply_id=reply_id)


def fallback(reply_id: str) -> Reply:
    return Reply(Status.FALLBACK, "text", confidence=0.2, reply_id=reply_id)


def test_askers_are_kept_as_salted_hashes_and_red_flags_without_text(
    open_log: Opener, target: str
) -> None:
    question_log = open_log(salt=SALT)
    question_log.record(Question("my knee hurts", "telegram", asker="987654321"), fallback("r1"))
    question_log.record(
        Question("crushing chest pain", "telegram", asker="987654321"),
        Reply(Status.URGENT, "call 112", reply_id="r2"),
    )
    question_log.record_vote("r1", "telegram", "987654321", helpful=False)
    question_log.flush()

    stored = everything_stored(target)
    assert "my knee hurts" in stored
    for secret in ("987654321", SALT, "chest pain"):
        assert secret not in stored
    [row] = question_log.recent(days=1)
    assert row.asker_hash is not None


def test_rows_older_than_the_retention_period_are_purged(open_log: Opener) -> None:
    clock = Clock()
    question_log = open_log(retention_days=30, clock=clock)
    question_log.record(Question("old question", "cli"), fallback("old"))
    question_log.record_vote("old", "cli", "ann", helpful=True)
    clock.now += 10 * DAY
    question_log.record(Question("newer question", "cli"), fallback("new"))

    clock.now += 25 * DAY
    assert question_log.purge() == 1
    assert [row.question for row in question_log.recent(days=365)] == ["newer question"]


def test_the_gap_report_and_the_stats_read_what_every_worker_logged(
    open_log: Opener, target: str
) -> None:
    first, second = open_log(salt=SALT), open_log(salt=SALT)
    first.record(Question("how do i stretch", "telegram", asker="1"), answered("a1"))
    second.record(Question("stretching a calf", "telegram", asker="2"), answered("a2"))
    first.record(Question("shin splints?", "telegram", asker="3"), fallback("f1"))
    second.record(Question("unsure", "telegram", asker="4"), answered("a3", confidence=0.3))
    second.record_vote("a1", "telegram", "9", helpful=True)
    first.record_vote("a2", "telegram", "9", helpful=False)
    first.flush()
    second.flush()

    if target.startswith("sqlite"):
        return  # one SQLite file is one process's: the rest is for a shared server
    for reader in (first, second):
        gaps = reader.unanswered(days=30, low_confidence=0.5, limit=10)
        assert [gap.question for gap in gaps] == ["shin splints?", "unsure"]
        [counts] = reader.entry_counts(days=30)
        assert (counts.answered, counts.helpful, counts.not_helpful) == (3, 1, 1)


def test_the_schema_is_created_once_and_recorded_with_its_version(
    open_log: Opener, target: str
) -> None:
    open_log().close()
    open_log().close()  # a second start applies nothing again

    stored = everything_stored(target)
    assert stored.count("(1, 'questions, votes and requests to ask a human'") == 1
    assert stored.count(f"({SCHEMA_VERSION}, 'gap questions offered to the teach buttons'") == 1


def test_a_database_from_a_newer_runbot_is_refused_with_a_reason(
    open_log: Opener, target: str
) -> None:
    question_log = open_log()
    question_log.call(
        lambda db: db.execute(
            "INSERT INTO schema_version (version, what, applied_at) VALUES (?, 'later', 0)",
            (SCHEMA_VERSION + 1,),
        )
    )

    with pytest.raises(QuestionLogUnusableError, match="newer than this runbot"):
        open_log()


def test_a_failing_call_loses_none_of_the_writes_around_it(open_log: Opener) -> None:
    question_log = open_log()
    question_log.record(Question("before", "cli"), fallback("r1"))
    with pytest.raises(QuestionLogUnusableError):
        question_log.call(lambda db: db.execute("SELECT * FROM no_such_table"))
    question_log.record(Question("after", "cli"), fallback("r2"))

    assert [row.question for row in question_log.recent(days=1)] == ["before", "after"]
    assert question_log.lost == 0


@pytest.mark.parametrize("target", ["postgresql"], indirect=True)  # workers share it
def test_a_vote_through_one_worker_is_a_duplicate_through_the_other(open_log: Opener) -> None:
    first, second = open_log(salt=SALT), open_log(salt=SALT)
    votes_here, votes_there = VoteBook(first), VoteBook(second)
    first.record(Question("how do i stretch", "telegram", asker="1"), answered("a1"))
    votes_here.answered("a1")
    first.flush()

    assert votes_there.vote("a1", "telegram", "7", helpful=True) is VoteOutcome.COUNTED
    second.flush()
    assert votes_here.vote("a1", "telegram", "7", helpful=True) is VoteOutcome.SAME_AGAIN
    assert votes_here.vote("a1", "telegram", "7", helpful=False) is VoteOutcome.CHANGED
    first.flush()
    assert votes_there.vote("a1", "telegram", "7", helpful=False) is VoteOutcome.SAME_AGAIN


@pytest.mark.parametrize("target", ["postgresql"], indirect=True)  # workers share it
def test_a_request_to_ask_a_human_is_closed_once_whichever_worker_closes_it(
    open_log: Opener, target: str
) -> None:
    first, second = open_log(salt=SALT), open_log(salt=SALT)
    first.record(Question("shin splints?", "telegram", asker="1"), fallback("f1"))
    first.flush()
    outcome, request = HumanRequests(second).request("f1", "telegram", "1", "a private chat", "42")
    assert outcome is RequestOutcome.SENT
    assert request is not None
    HumanRequests(second).posted(request.id, "moderators:7")

    assert HumanRequests(first).shown_in("telegram", "moderators:7") == request.id
    assert HumanRequests(first).request("f1", "telegram", "1", "a private chat", "42") == (
        RequestOutcome.ALREADY_PENDING,
        None,
    )
    closed = HumanRequests(first).close(request.id, "answered")
    assert closed is not None
    assert closed.address == "42"
    assert HumanRequests(second).close(request.id, "answered") is None
    with psycopg.connect(target) as db:
        kept = db.execute("SELECT question, address, status FROM human_requests").fetchall()
    assert kept == [(None, None, "answered")]  # the text and the address are forgotten


def test_an_old_sqlite_file_without_versions_is_adopted(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with contextlib.closing(sqlite3.connect(path)) as old:
        old.executescript(
            "CREATE TABLE questions (id INTEGER PRIMARY KEY, reply_id TEXT NOT NULL UNIQUE,"
            " asked_at REAL NOT NULL, platform TEXT NOT NULL, asker_hash TEXT, question TEXT,"
            " status TEXT NOT NULL, entry_id TEXT, confidence REAL NOT NULL,"
            " small_talk INTEGER NOT NULL, helpful INTEGER);"
            "INSERT INTO questions VALUES (1, 'r1', 1.8e9, 'cli', NULL, 'how to stretch',"
            " 'answered', 'stretch', 0.9, 0, 1);"
        )
        old.commit()

    with QuestionLogStore(database_for(path), clock=Clock(1.8e9)) as question_log:
        [counts] = question_log.entry_counts(days=1)
    assert (counts.answered, counts.helpful) == (1, 1)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql://runbot:hunter2@db.internal:5432/runbot",
            "postgresql://***@db.internal:5432/runbot",
        ),
        ("postgresql://runbot@db/runbot?password=hunter2", "postgresql://***@db/runbot?..."),
        ("postgresql://runbot:hun/ter2@db/runbot", "postgresql://***@db/runbot"),
        ("postgresql://runbot:p@hunter2@db/runbot", "postgresql://***@db/runbot"),
        ("postgres://db.internal/runbot", "postgres://db.internal/runbot"),
    ],
)
def test_no_password_is_ever_shown(url: str, shown: str) -> None:
    assert database_for(url).where == shown


def test_the_password_of_a_url_is_never_shown() -> None:
    database = database_for("postgresql://runbot:hunter2@db.internal:5432/runbot")
    assert "hunter2" not in database.where
    assert database.shared
    mistyped = database_for("postgresql://runbot:hunter2@db.internal:port/runbot")
    assert mistyped.where == "postgresql://***@db.internal:port/runbot"
    with pytest.raises(QuestionLogUnusableError) as refused:
        QuestionLogStore(mistyped)
    assert "hunter2" not in str(refused.value)


def test_an_unreachable_server_is_unusable_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(QuestionLogUnusableError, match=r"connect|No such file"):
        QuestionLogStore(database_for(f"postgresql://runbot@/runbot?host={tmp_path}"))


def test_a_lost_postgresql_connection_is_opened_again_and_nothing_is_lost(
    postgres_server: PostgresServer, postgres_url: str
) -> None:
    name = postgres_url.split("?")[0].rsplit("/", 1)[-1]
    with QuestionLogStore(database_for(postgres_url), salt=SALT) as question_log:
        question_log.record(Question("before", "cli"), fallback("r1"))
        question_log.flush()
        with psycopg.connect(postgres_server.url(), autocommit=True) as admin:
            admin.execute(  # as a server restart or a network cut does to runbot's connections
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
        question_log.record(Question("after", "cli"), fallback("r2"))

        assert [row.question for row in question_log.recent(days=1)] == ["before", "after"]
        assert question_log.lost == 0


def test_a_teach_button_offered_by_one_worker_works_on_another(
    open_log: Opener, target: str
) -> None:
    from bot.service import RunbotService
    from tests.helpers import KNOWLEDGE_DIR

    first, second = open_log(salt=SALT), open_log(salt=SALT)
    offering = RunbotService(KNOWLEDGE_DIR, question_log=first)
    token = offering.offer_to_teach("can i run with shin splints")
    first.flush()

    # Another worker (PostgreSQL), or the same database after a restart (SQLite).
    pressed = RunbotService(KNOWLEDGE_DIR, question_log=second)
    assert pressed.offered(token) == "can i run with shin splints"
    assert pressed.offered("0123456789") is None


def test_a_database_at_an_older_version_gets_only_the_newer_migrations(
    open_log: Opener, target: str
) -> None:
    question_log = open_log()
    question_log.record(Question("kept through the migration", "cli"), fallback("r1"))
    question_log.call(lambda db: db.execute("DROP TABLE teach_offers"))
    question_log.call(lambda db: db.execute("DELETE FROM schema_version WHERE version > 1"))
    question_log.close()

    migrated = open_log()
    assert [row.question for row in migrated.recent(days=1)] == ["kept through the migration"]
    migrated.remember_offer("abc", "a question")
    migrated.flush()
    assert migrated.offered("abc") == "a question"
    assert everything_stored(target).count("gap questions offered to the teach buttons") == 1


def test_a_message_with_a_nul_character_loses_no_row(open_log: Opener) -> None:
    question_log = open_log(salt=SALT)
    question_log.record(Question("calf\x00 cramp help", "telegram", asker="1"), fallback("r1"))
    question_log.record(Question("my knee hurts", "telegram", asker="2"), fallback("r2"))

    assert question_log.flush()
    assert question_log.lost == 0
    assert sorted(q.question for q in question_log.recent(days=1)) == [
        "calf cramp help",
        "my knee hurts",
    ]


def test_offering_a_gap_again_keeps_no_words_past_the_retention_period(open_log: Opener) -> None:
    clock = Clock()
    question_log = open_log(retention_days=30, clock=clock)
    question_log.remember_offer("tok", "my calf does a weird thing")
    clock.now += 25 * DAY
    question_log.remember_offer("tok", "my calf does a weird thing")  # shown again

    clock.now += 10 * DAY  # 35 days after it was first offered
    question_log.purge()
    assert question_log.offered("tok") is None


def test_a_double_click_counts_once_however_the_lookups_interleave(open_log: Opener) -> None:
    question_log = open_log(salt=SALT)
    question_log.record(Question("how do i stretch", "telegram", asker="1"), answered("a1"))
    question_log.flush()
    votes = VoteBook(question_log)  # a new run: it looks the answer up in the log
    clicks = threading.Barrier(8)

    def click() -> VoteOutcome:
        clicks.wait()
        return votes.vote("a1", "telegram", "7", helpful=True)

    with ThreadPoolExecutor(8) as pool:
        outcomes = sorted(pool.map(lambda _: click(), range(8)))

    assert outcomes.count(VoteOutcome.COUNTED) == 1
    assert set(outcomes) == {VoteOutcome.COUNTED, VoteOutcome.SAME_AGAIN}
    assert votes.helpful == 1
