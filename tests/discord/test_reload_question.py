"""/kb reload of an edit that removes red flags asks moderators, with buttons, before it is served."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.messages import Discord
from bot.reply import Question, Status
from bot.service import RunbotService
from tests.discord.helpers import KNOWLEDGE, MODERATOR_CHANNEL, MODERATOR_ID
from tests.discord.interactions import MEMBER_ID, Interactions
from tests.discord.standin import EPHEMERAL, DiscordStandIn

CRAMP_THAT_WONT_STOP = Question("my calf cramp won't go away, it's been 40 minutes", "discord")


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(KNOWLEDGE, tmp_path / "knowledge"))


def drop_the_last_red_flag(knowledge_dir: Path) -> tuple[str, int]:
    """Cut red_flags.yaml before its last red flag, as a half-saved file would: its id, and
    how many red flags the file had (moderators add some, so it is counted, not written)."""
    path = knowledge_dir / "red_flags.yaml"
    text = path.read_text(encoding="utf-8")
    flags = list(re.finditer(r"^  - id: (\S+)", text, re.MULTILINE))
    path.write_text(text[: flags[-1].start()], encoding="utf-8")
    return flags[-1][1], len(flags)


def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (item["label"], item["custom_id"])
        for row in message["components"]
        for item in row["components"]
    ]


async def ask_to_reload(standin: DiscordStandIn, running: Interactions) -> tuple[Any, Any]:
    """/kb reload by a moderator: the private follow-up, and the post in the moderators' channel."""
    interaction = running.kb("reload", user_id=str(MODERATOR_ID))
    await standin.interact(interaction)
    followup = await standin.wait_for_call(standin.followup_path(interaction))
    posted = await standin.wait_for_call(f"/channels/{MODERATOR_CHANNEL}/messages")
    return followup, posted


async def test_kb_reload_that_removes_a_red_flag_asks_and_keeps_the_screen(
    running: Interactions, standin: DiscordStandIn, service: RunbotService, knowledge_dir: Path
) -> None:
    flag, flags = drop_the_last_red_flag(knowledge_dir)

    followup, posted = await ask_to_reload(standin, running)

    (embed,) = followup.body["embeds"]
    assert embed["title"] == Discord.NOT_RELOADED_TITLE
    assert embed["description"].startswith(
        f"Knowledge NOT reloaded: the edit removes 1 of {flags} red flags. Still serving"
    )
    assert f"red flags removed: {flag}" in embed["description"]
    [(yes, remove), (no, keep)] = buttons(followup.body)
    assert (yes, no) == (Discord.REMOVE_AND_RELOAD, Discord.KEEP_SERVING)
    assert re.fullmatch(r"runbot:reload:[0-9a-f]{12}:1", remove)
    assert keep == remove[:-1] + "0"
    assert followup.body["flags"] & EPHEMERAL
    assert buttons(posted.body) == buttons(followup.body)
    assert service.answer(CRAMP_THAT_WONT_STOP).status is Status.URGENT


async def test_a_moderator_confirms_in_the_channel_and_the_channel_is_told(
    running: Interactions, standin: DiscordStandIn, service: RunbotService, knowledge_dir: Path
) -> None:
    _, flags = drop_the_last_red_flag(knowledge_dir)
    _, posted = await ask_to_reload(standin, running)
    message = standin.messages[next(reversed(standin.messages))]
    remove = buttons(posted.body)[0][1]

    click = running.click(message, remove)
    click["member"]["user"]["id"] = str(MODERATOR_ID)
    await standin.interact(click)
    answer = await standin.wait_for_call(standin.followup_path(click))
    told = await standin.wait_for_call(f"/channels/{MODERATOR_CHANNEL}/messages", nth=2)

    assert answer.body["embeds"][0]["title"] == Discord.RELOADED_TITLE
    assert answer.body["flags"] & EPHEMERAL
    assert told.body["embeds"][0]["title"] == Discord.RELOADED_TITLE
    assert (
        f"A moderator confirmed removing 1 of {flags} red flags."
        in (told.body["embeds"][0]["description"])
    )
    assert len(service.brain.knowledge.red_flags.red_flags) == flags - 1


async def test_a_member_cannot_answer_the_reload_question(
    running: Interactions, standin: DiscordStandIn, service: RunbotService, knowledge_dir: Path
) -> None:
    _, flags = drop_the_last_red_flag(knowledge_dir)
    _, posted = await ask_to_reload(standin, running)
    message = standin.messages[next(reversed(standin.messages))]

    click = running.click(message, buttons(posted.body)[0][1])
    assert click["member"]["user"]["id"] == MEMBER_ID
    refused = await standin.interact(click)

    assert refused.data["content"] == Discord.NOT_A_MODERATOR
    assert len(service.brain.knowledge.red_flags.red_flags) == flags
