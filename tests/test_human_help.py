"""Asking a moderator: the preview a runner sees before agreeing matches what asking does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.human_help import HumanRequests, RequestOutcome
from bot.question_log import SqliteQuestionLog
from bot.reply import Question, Reply, Status

RUNNER = "1300000000000000010"
SOMEONE_ELSE = "1300000000000000011"


@pytest.fixture
def question_log(tmp_path: Path) -> Iterator[SqliteQuestionLog]:
    with SqliteQuestionLog(tmp_path / "runbot.db") as question_log:
        yield question_log


def asked(question_log: SqliteQuestionLog, reply_id: str, text: str, status: Status) -> None:
    reply = Reply(status, "I can't answer that yet.", confidence=0.2, reply_id=reply_id)
    question_log.record(Question(text, "discord", asker=RUNNER), reply)


def test_the_preview_shows_the_runners_own_question_and_asks_nothing(
    question_log: SqliteQuestionLog,
) -> None:
    requests = HumanRequests(question_log)
    asked(question_log, "r1", "how do i fix shin splints", Status.FALLBACK)

    shown = requests.preview("r1", "discord", RUNNER)
    sent, request = requests.request("r1", "discord", RUNNER, "a direct message", "{}")

    assert shown == (RequestOutcome.SENT, "how do i fix shin splints")
    assert sent is RequestOutcome.SENT
    assert request is not None
    assert request.question == "how do i fix shin splints"


def test_the_preview_refuses_what_asking_would_refuse(question_log: SqliteQuestionLog) -> None:
    requests = HumanRequests(question_log)
    asked(question_log, "r1", "how do i fix shin splints", Status.FALLBACK)
    asked(question_log, "r2", "what shoes should i buy", Status.FALLBACK)
    asked(question_log, "r3", "chest pain while running", Status.URGENT)  # kept without text

    assert requests.preview("r1", "discord", SOMEONE_ELSE) == (RequestOutcome.NOT_YOURS, None)
    assert requests.preview("r3", "discord", RUNNER) == (RequestOutcome.UNKNOWN, None)
    assert requests.preview("nope", "discord", RUNNER) == (RequestOutcome.UNKNOWN, None)
    requests.request("r1", "discord", RUNNER, "a direct message", "{}")
    assert requests.preview("r2", "discord", RUNNER) == (RequestOutcome.ALREADY_PENDING, None)


def test_keeping_requests_in_the_question_log_loses_none_of_its_rows(
    question_log: SqliteQuestionLog,
) -> None:
    asked(question_log, "r1", "how do i fix shin splints", Status.FALLBACK)
    HumanRequests(question_log)
    asked(question_log, "r2", "what shoes should i buy", Status.FALLBACK)
    question_log.flush()

    assert question_log.lost == 0
    assert HumanRequests(question_log).preview("r2", "discord", RUNNER)[0] is RequestOutcome.SENT
