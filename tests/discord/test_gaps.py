"""/kb gaps: moderators see, privately, what runners asked that runbot could not answer well."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from adapters.discord_bot.render import gaps_embed
from bot.gaps import Gap
from bot.question_log import SqliteQuestionLog
from bot.reply import Question
from bot.service import RunbotService
from tests.discord.helpers import HOSTILE, MODERATOR_ID, assert_embed_within_limits
from tests.discord.interactions import RUN_LEADER_ROLE, Interactions
from tests.discord.standin import DEFERRED_CHANNEL_MESSAGE, EPHEMERAL, DiscordStandIn

INTEGER = 4
MARKDOWN = "**best** shoes? [free pair](https://example.org/win) @everyone ||now||"
ASKED = [
    # (asker, question) as runners typed them over a few weeks
    ("1300000000000000011", "how do i fix shin splints"),
    ("1300000000000000012", "shin splints help"),
    ("1300000000000000013", "best way to treat shin splints?"),
    ("1300000000000000011", "shin splints again, what do i do"),
    ("1300000000000000014", MARKDOWN),
    ("1300000000000000015", "who is anna weber"),  # answered: not a gap
    ("1300000000000000016", "hi"),  # small talk: not a gap
    ("1300000000000000017", "chest pain after my run"),  # a red flag: never logged with text
]


@pytest.fixture
def question_log(tmp_path: Path) -> Iterator[SqliteQuestionLog]:
    with SqliteQuestionLog(tmp_path / "runbot.db") as question_log:
        yield question_log


@pytest.fixture
def service(knowledge_dir: Path, question_log: SqliteQuestionLog) -> RunbotService:
    """The service as `runbot discord` builds it: with the question log on."""
    return RunbotService(knowledge_dir, question_log=question_log)


def ask_runners(service: RunbotService) -> None:
    for asker, text in ASKED:
        service.answer(Question(text, "discord", asker))


async def report(
    standin: DiscordStandIn, interaction: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The deferred callback's body and the report's follow-up message body."""
    deferred = await standin.interact(interaction)
    followup = await standin.wait_for_call(standin.followup_path(interaction))
    return deferred.body, followup.body


async def test_a_moderator_sees_the_gaps_grouped_most_asked_first_privately(
    running: Interactions, standin: DiscordStandIn, service: RunbotService
) -> None:
    ask_runners(service)

    deferred, followup = await report(standin, running.kb("gaps", roles=[RUN_LEADER_ROLE]))

    assert deferred["type"] == DEFERRED_CHANNEL_MESSAGE
    assert deferred["data"]["flags"] & EPHEMERAL
    assert followup["flags"] & EPHEMERAL
    (embed,) = followup["embeds"]
    assert_embed_within_limits(embed)
    assert embed["title"] == "Questions runbot could not answer well, last 30 days"
    shins, shoes = embed["fields"]
    assert shins["name"] == '1. "how do i fix shin splints"'
    asked, nearest, also = shins["value"].split("\n")
    # Whether each got "no answer" or "did you mean" depends on the matcher's tuning.
    assert asked.startswith("Asked 4 times by 3 people: ")
    assert "no answer" in asked
    assert nearest.startswith("Nearest entry: ")
    assert also == 'Also asked as: "shin splints help"; "best way to treat shin splints?"'
    # Shown as typed, never as markdown, a link or a mention.
    assert shoes["name"] == (
        '2. "\\*\\*best\\*\\* shoes? \\[free pair](https://example.org/win) @everyone '
        '\\|\\|now\\|\\|"'
    )
    assert shoes["value"].startswith("Asked once by 1 person: ")
    assert "anna weber" not in str(embed)
    assert "chest pain" not in str(embed)
    assert [call for call in standin.calls if call.path.startswith("/channels/")] == []


async def test_a_moderator_by_id_chooses_how_many_days_to_look_back(
    running: Interactions, standin: DiscordStandIn, service: RunbotService
) -> None:
    ask_runners(service)
    days = [{"name": "days", "type": INTEGER, "value": 7}]

    _, followup = await report(standin, running.kb("gaps", days, user_id=str(MODERATOR_ID)))

    (embed,) = followup["embeds"]
    assert embed["title"] == "Questions runbot could not answer well, last 7 days"
    assert embed["fields"][0]["value"].startswith("Asked 4 times by 3 people")


async def test_with_nothing_unanswered_the_report_says_so(
    running: Interactions, standin: DiscordStandIn, service: RunbotService
) -> None:
    service.answer(Question("who is anna weber", "discord", "1300000000000000015"))

    _, followup = await report(standin, running.kb("gaps", roles=[RUN_LEADER_ROLE]))

    (embed,) = followup["embeds"]
    assert embed["description"] == "No unanswered questions in the last 30 days."
    assert "fields" not in embed or not embed["fields"]


@pytest.mark.parametrize("text", HOSTILE)
def test_ten_groups_of_any_text_all_fit_in_one_embed(text: str) -> None:
    gaps = [
        Gap(
            examples=(f"{number} {text}", f"{number} {text} again", f"{number} {text}?"),
            count=100 - number,
            askers=50,
            statuses=("answered", "clarify", "fallback"),
            nearest_entry="x" * 200,
            nearest_score=0.5,
        )
        for number in range(10)
    ]

    embed = gaps_embed(gaps, 365).to_dict()

    assert_embed_within_limits(dict(embed))
    names = [field["name"] for field in embed.get("fields", [])]
    assert [name.split(".")[0] for name in names] == [str(number) for number in range(1, 11)]
