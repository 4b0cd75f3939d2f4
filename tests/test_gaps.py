"""The gap report groups what runbot could not answer, most asked first."""

from __future__ import annotations

import json
from pathlib import Path

from bot.gaps import find_gaps, format_gaps
from bot.question_log import SqliteQuestionLog
from bot.reply import Question
from bot.service import RunbotService
from tests.helpers import KNOWLEDGE_DIR

ASKED = [
    # (asker, question) as runners typed them over a week
    ("ann", "how do i fix shin splints"),
    ("bob", "shin splints help"),
    ("cat", "best way to treat shin splints?"),
    ("ann", "shin splints again, what do i do"),
    ("dan", "my knee hurts after running"),
    ("eve", "knee pain after long runs"),
    ("fay", "what shoes should i buy for a marathon"),
    ("gus", "who is anna weber"),  # answered: not a gap
    ("hal", "hi"),  # small talk: not a gap
    ("ivy", "chest pain after my run"),  # red flag: never logged with text
]


def logged_service(tmp_path: Path) -> tuple[RunbotService, SqliteQuestionLog]:
    question_log = SqliteQuestionLog(tmp_path / "runbot.db")
    service = RunbotService(KNOWLEDGE_DIR, question_log=question_log)
    for asker, text in ASKED:
        service.answer(Question(text, "telegram", asker=asker))
    return service, question_log


def test_gaps_are_grouped_by_meaning_most_asked_first(tmp_path: Path) -> None:
    service, question_log = logged_service(tmp_path)
    with question_log:
        gaps = find_gaps(service.brain, question_log.recent(days=30))

    assert [(gap.count, gap.askers) for gap in gaps] == [(4, 3), (2, 2), (1, 1)]
    assert "shin splints" in gaps[0].examples[0]
    assert {"my knee hurts after running", "knee pain after long runs"} == set(gaps[1].examples)
    assert gaps[2].examples == ("what shoes should i buy for a marathon",)
    all_examples = [example for gap in gaps for example in gap.examples]
    assert "who is anna weber" not in all_examples
    assert "hi" not in all_examples


def test_each_gap_names_the_nearest_entry_and_what_to_do(tmp_path: Path) -> None:
    service, question_log = logged_service(tmp_path)
    with question_log:
        gaps = service.gaps(days=30)

    assert gaps is not None
    assert all(gap.advice for gap in gaps)
    assert gaps[0].advice == "write a new entry (or add the words to vocabulary.yaml)"


def test_gap_report_formats_for_sharing(tmp_path: Path) -> None:
    service, question_log = logged_service(tmp_path)
    with question_log:
        gaps = find_gaps(service.brain, question_log.recent(days=30))

    table = format_gaps(gaps, "table", 30)
    rows = json.loads(format_gaps(gaps, "json", 30))
    csv_lines = format_gaps(gaps, "csv", 30).splitlines()

    assert table.startswith("Questions runbot could not answer well, last 30 days")
    assert "asked 4 times by 3 people" in table
    assert rows[0]["count"] == 4
    assert csv_lines[0] == "count,askers,examples,statuses,nearest_entry,score,advice,teach"
    assert len(csv_lines) == 4
    nearest = gaps[2].nearest_entry
    assert (
        f"     teach it: runbot kb teach {nearest} 'what shoes should i buy for a marathon'\n"
        in table
    )
    assert rows[2]["teach"] == f"runbot kb teach {nearest} 'what shoes should i buy for a marathon'"


def test_no_gaps_without_a_question_log() -> None:
    assert RunbotService(KNOWLEDGE_DIR).gaps() is None


def test_gaps_read_a_bounded_number_of_the_most_recent_questions(tmp_path: Path) -> None:
    """A big log must not stall /gaps: only the most recent unanswered questions are read."""
    from bot.service import GAP_QUESTIONS_READ

    question_log = SqliteQuestionLog(tmp_path / "runbot.db")
    service = RunbotService(KNOWLEDGE_DIR, question_log=question_log)
    for number in range(GAP_QUESTIONS_READ + 500):
        service.answer(Question("how do i fix shin splints", "telegram", asker=str(number)))
    service.answer(Question("what shoes should i buy for a marathon", "telegram", asker="x"))

    with question_log:
        gaps = service.gaps(days=30)

    assert gaps is not None
    assert [gap.count for gap in gaps] == [GAP_QUESTIONS_READ - 1, 1]  # the newest kept


def test_the_gap_report_counts_in_words_people_read(tmp_path: Path) -> None:
    service, question_log = logged_service(tmp_path)
    with question_log:
        gaps = find_gaps(service.brain, question_log.recent(days=30))
    lone = [gap for gap in gaps if gap.askers == 1]

    assert format_gaps([], "table", 1) == "No unanswered questions in the last 1 day.\n"
    assert format_gaps(gaps, "table", 1).startswith(
        "Questions runbot could not answer well, last 1 day "
    )
    assert all("1 people" not in line for line in format_gaps(gaps, "table", 30).splitlines())
    assert lone  # the fixture log has a question only one runner asked
    assert "by 1 person" in format_gaps(lone, "table", 30)
