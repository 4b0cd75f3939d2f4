"""The question log never holds up a reply: writes wait in a queue while another program
holds the database locked, and are all written once it lets go."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.question_log import SqliteQuestionLog
from bot.reply import Question, Reply, Status
from tests.helpers import locked_by_another_program


def reply(number: int) -> Reply:
    return Reply(Status.FALLBACK, "text", confidence=0.2, reply_id=f"r{number}")


def test_writes_wait_out_a_lock_and_none_is_lost(tmp_path: Path) -> None:
    path = tmp_path / "runbot.db"
    with SqliteQuestionLog(path) as log:
        with locked_by_another_program(path):
            for number in range(50):
                log.record(Question(f"question {number}", "cli"), reply(number))
            assert not log.flush(timeout=0.5)  # still waiting for the lock

        assert log.flush(timeout=10)
        assert len(log.recent(days=1)) == 50
        assert log.lost == 0


def test_rows_that_cannot_be_written_by_the_time_runbot_stops_are_counted_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "runbot.db"
    log = SqliteQuestionLog(path)
    with locked_by_another_program(path):
        log.record(Question("question", "cli"), reply(1))
        with caplog.at_level(logging.ERROR, logger="bot.question_log"):
            log.close(wait=0.3)

    assert log.lost == 1
    assert "the question log lost 1 row(s) it could not write" in caplog.text
