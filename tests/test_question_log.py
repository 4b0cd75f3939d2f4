"""The question log keeps what moderators need, nothing more, and survives a killed process."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from bot.question_log import SqliteQuestionLog
from bot.reply import Question, Reply, Status
from tests.helpers import DAY, Clock


def dump_of(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return "\n".join(db.iterdump())


def reply(reply_id: str, status: Status = Status.FALLBACK, entry: str | None = None) -> Reply:
    return Reply(status, "text", entry_id=entry, confidence=0.3, reply_id=reply_id)


def test_raw_asker_ids_are_never_stored_only_a_salted_hash(tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    with SqliteQuestionLog(path) as log:
        log.record(Question("my knee hurts", "telegram", asker="987654321"), reply("r1"))
        log.record(Question("knee pain again", "telegram", asker="987654321"), reply("r2"))

    assert "987654321" not in dump_of(path)
    with SqliteQuestionLog(path) as log:
        hashes = {row.asker_hash for row in log.recent(days=1)}
    assert len(hashes) == 1
    assert None not in hashes


def test_the_salt_is_not_kept_with_the_hashes(tmp_path: Path) -> None:
    with SqliteQuestionLog(tmp_path / "log.db", salt="operator-secret-salt") as log:
        log.record(Question("knee", "discord", asker="42"), reply("r1"))

    assert "operator-secret-salt" not in dump_of(tmp_path / "log.db")


def test_same_asker_hashes_differently_with_another_salt(tmp_path: Path) -> None:
    question = Question("knee", "discord", asker="42")
    with (
        SqliteQuestionLog(tmp_path / "a.db", salt="one") as first,
        SqliteQuestionLog(tmp_path / "b.db", salt="two") as second,
        SqliteQuestionLog(tmp_path / "c.db") as unsalted,
    ):
        for log in (first, second, unsalted):
            log.record(question, reply("r1"))

        hashes = {log.recent(1)[0].asker_hash for log in (first, second, unsalted)}
    assert len(hashes) == 3


def test_red_flag_questions_are_logged_without_their_text(tmp_path: Path) -> None:
    with SqliteQuestionLog(tmp_path / "log.db") as log:
        log.record(Question("chest pain after my run", "cli"), reply("r1", Status.URGENT))

    dump = dump_of(tmp_path / "log.db")
    assert "chest pain" not in dump
    assert "urgent" in dump


def test_rows_older_than_retention_are_purged(tmp_path: Path) -> None:
    clock = Clock()
    with SqliteQuestionLog(tmp_path / "log.db", retention_days=30, clock=clock) as log:
        log.record(Question("old question", "cli"), reply("old"))
        clock.now += 10 * DAY
        log.record(Question("newer question", "cli"), reply("new"))

        clock.now += 25 * DAY
        assert log.purge() == 1
        assert [row.question for row in log.recent(days=365)] == ["newer question"]


def test_purge_runs_by_itself_when_the_log_is_opened(tmp_path: Path) -> None:
    clock = Clock()
    with SqliteQuestionLog(tmp_path / "log.db", clock=clock) as log:
        log.record(Question("q", "cli"), reply("r"))
    clock.now += 31 * DAY

    with SqliteQuestionLog(tmp_path / "log.db", clock=clock) as reopened:
        assert reopened.recent(days=365) == []


def test_feedback_is_counted_per_entry(tmp_path: Path) -> None:
    with SqliteQuestionLog(tmp_path / "log.db") as log:
        for number in range(3):
            log.record(
                Question("how to stretch", "cli"), reply(f"r{number}", Status.ANSWERED, "stretch")
            )
        log.record_vote("r0", "cli", "ann", helpful=True)
        log.record_vote("r1", "cli", "ann", helpful=False)
        log.record_vote("r1", "cli", "bob", helpful=False)

        [counts] = log.entry_counts(days=30)
    assert (counts.entry_id, counts.answered, counts.helpful, counts.not_helpful) == (
        "stretch",
        3,
        1,
        2,
    )


WRITER = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from bot.question_log import SqliteQuestionLog
    from bot.reply import Question, Reply, Status
    log = SqliteQuestionLog(Path(sys.argv[1]))
    for number in range(200):
        log.record(Question(f"question {number}", "cli"), Reply(Status.FALLBACK, "x", reply_id=str(number)))
    log.flush()  # written by the log's writer thread: committed once this returns
    print("written", flush=True)
    sys.stdin.read()  # wait to be killed, connection still open
    """
)


def test_nothing_written_is_lost_when_the_process_is_killed(tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "written"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    writer.stdin.close()  # type: ignore[union-attr]
    writer.stdout.close()

    with SqliteQuestionLog(path) as log:
        assert len(log.recent(days=1)) == 200


def test_a_red_flag_question_asked_through_the_service_is_stored_without_its_text(
    tmp_path: Path,
) -> None:
    from bot.service import RunbotService
    from tests.helpers import KNOWLEDGE_DIR

    with SqliteQuestionLog(tmp_path / "log.db") as log:
        service = RunbotService(KNOWLEDGE_DIR, question_log=log)
        service.answer(Question("crushing chest pain after my run", "telegram", asker="7"))

    dump = dump_of(tmp_path / "log.db")
    assert "chest" not in dump
    assert "'urgent'" in dump
