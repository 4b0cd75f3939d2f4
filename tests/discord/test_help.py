"""/help: privately, what runbot is, how to use it, and what it keeps of your questions and why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.question_log import SqliteQuestionLog
from bot.service import RunbotService
from bot.settings import Settings
from tests.discord.helpers import assert_embed_within_limits
from tests.discord.interactions import Interactions
from tests.discord.standin import CHANNEL_MESSAGE, EPHEMERAL, DiscordStandIn

RETENTION_DAYS = 14
KEPT = (
    "runbot keeps the questions you ask, with the answer it gave, for 14 days, without your "
    "name or Discord id (only a salted hash, to count distinct askers), so moderators can see "
    "what it could not answer. Questions about red-flag symptoms are kept without their text."
)
NOTHING_KEPT = "runbot doesn't keep your questions."


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"runbot_retention_days": RETENTION_DAYS})


@pytest.fixture
def question_log_on() -> bool:
    """Whether runbot runs with the question log (RUNBOT_QUESTION_LOG); tests choose."""
    return False


@pytest.fixture
def service(
    knowledge_dir: Path, tmp_path: Path, settings: Settings, question_log_on: bool
) -> Iterator[RunbotService]:
    """The service as `runbot discord` builds it, with or without the question log."""
    if not question_log_on:
        yield RunbotService(knowledge_dir)
        return
    path = tmp_path / "runbot.db"
    with SqliteQuestionLog(path, settings.runbot_retention_days) as question_log:
        yield RunbotService(knowledge_dir, question_log=question_log)


async def ask_for_help(standin: DiscordStandIn, interaction: dict[str, Any]) -> dict[str, Any]:
    """The private embed /help answered with."""
    callback = await standin.interact(interaction)
    assert callback.body["type"] == CHANNEL_MESSAGE
    assert callback.data["flags"] & EPHEMERAL
    assert not callback.data.get("components")
    embed: dict[str, Any] = callback.data["embeds"][0]
    assert len(callback.data["embeds"]) == 1
    assert_embed_within_limits(embed)
    return embed


def fields(embed: dict[str, Any]) -> dict[str, str]:
    return {field["name"]: field["value"] for field in embed["fields"]}


@pytest.mark.parametrize("question_log_on", [True])
async def test_with_the_question_log_on_help_says_what_is_kept_for_how_long_and_why(
    running: Interactions, standin: DiscordStandIn, service: RunbotService
) -> None:
    embed = await ask_for_help(standin, running.command("help"))

    assert service.keeps_questions
    assert embed["title"] == "About runbot"
    assert embed["description"] == (
        "runbot answers runners' questions about cramps, side stitches, hydration, electrolytes "
        "and sweat rate, from a published article, with notes where the research disagrees. "
        "runbot is not a doctor: for red-flag symptoms it tells you to get medical help."
    )
    assert list(fields(embed)) == ["How to use it", "What runbot keeps"]
    usage = fields(embed)["How to use it"].split("\n")
    assert [line.split(":")[0] for line in usage] == [
        "/ask",
        "/ask with `ephemeral` set to True",
        "/topics",
        "/source",
        "/help",
    ]
    assert "suggestions as you type" in usage[0]
    assert fields(embed)["What runbot keeps"] == KEPT


async def test_with_the_question_log_off_help_says_nothing_is_kept(
    running: Interactions, standin: DiscordStandIn, service: RunbotService
) -> None:
    embed = await ask_for_help(standin, running.command("help"))

    assert not service.keeps_questions
    assert fields(embed)["What runbot keeps"] == NOTHING_KEPT
    assert "days" not in str(embed)


async def test_help_in_a_direct_message_is_answered_and_is_not_counted_as_a_question(
    running: Interactions, standin: DiscordStandIn, service: RunbotService
) -> None:
    embed = await ask_for_help(standin, running.in_direct_message(running.command("help")))

    assert embed["title"] == "About runbot"
    assert service.stats().questions == 0
