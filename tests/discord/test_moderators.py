"""/kb reload, /kb stats and /kb gaps: hidden from members by default, and checked again at run time."""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path

import pytest

from adapters.discord_bot import wording
from bot.reply import Question
from bot.service import RunbotService
from tests.discord.conftest import KNOWLEDGE, MODERATOR_CHANNEL, MODERATOR_ID
from tests.discord.interactions import ADMINS_ROLE, MANAGE_GUILD, RUN_LEADER_ROLE, Interactions
from tests.discord.standin import (
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    EPHEMERAL,
    DiscordStandIn,
)


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    """A copy of the knowledge that tests may break."""
    return Path(shutil.copytree(KNOWLEDGE, tmp_path / "knowledge"))


def break_an_answer(knowledge_dir: Path) -> tuple[str, int]:
    """Misspell one entry's `answer:` key; return the file and the line of the typo."""
    path = knowledge_dir / "entries" / "side-stitch.yaml"
    text = path.read_text(encoding="utf-8")
    key = re.search(r"^( +)answer:", text, re.MULTILINE)
    assert key is not None
    path.write_text(f"{text[: key.start()]}{key[1]}answr:{text[key.end() :]}", encoding="utf-8")
    return "entries/side-stitch.yaml", text[: key.start()].count("\n") + 1


@pytest.mark.parametrize(
    "member",
    [
        pytest.param({}, id="member"),
        pytest.param({"permissions": MANAGE_GUILD, "roles": [ADMINS_ROLE]}, id="manage-guild"),
    ],
)
@pytest.mark.parametrize("subcommand", ["stats", "reload", "gaps"])
async def test_non_moderators_are_refused_privately(
    running: Interactions,
    standin: DiscordStandIn,
    service: RunbotService,
    subcommand: str,
    member: dict[str, object],
) -> None:
    callback = await standin.interact(running.kb(subcommand, **member))

    assert callback.body["type"] == CHANNEL_MESSAGE
    assert callback.data["flags"] & EPHEMERAL
    assert callback.data["content"] == wording.NOT_A_MODERATOR
    assert "embeds" not in callback.data or not callback.data["embeds"]
    assert standin.calls_to(f"/channels/{MODERATOR_CHANNEL}/messages") == []


async def test_moderator_role_sees_stats_privately(
    running: Interactions, standin: DiscordStandIn
) -> None:
    await standin.interact(running.ask("how do I stop a calf cramp"))
    await standin.interact(running.ask("electrolytes"))

    callback = await standin.interact(running.kb("stats", roles=[RUN_LEADER_ROLE]))

    assert callback.data["flags"] & EPHEMERAL
    (embed,) = callback.data["embeds"]
    counts = {field["name"]: field["value"] for field in embed["fields"]}
    assert counts["Questions"] == "2"
    assert counts["Answered"] == "1"
    assert counts["Clarify"] == "1"


async def test_moderator_by_user_id_may_reload_and_the_channel_is_told(
    running: Interactions, standin: DiscordStandIn
) -> None:
    interaction = running.kb("reload", user_id=str(MODERATOR_ID))

    deferred = await standin.interact(interaction)
    followup = await standin.wait_for_call(standin.followup_path(interaction))
    posted = await standin.wait_for_call(f"/channels/{MODERATOR_CHANNEL}/messages")

    assert deferred.body["type"] == DEFERRED_CHANNEL_MESSAGE
    assert deferred.data["flags"] & EPHEMERAL
    (embed,) = followup.body["embeds"]
    assert embed["title"] == wording.RELOADED_TITLE
    assert posted.body["embeds"][0]["title"] == wording.RELOADED_TITLE


async def test_broken_knowledge_is_reported_with_file_and_line_and_answers_go_on(
    running: Interactions, standin: DiscordStandIn, service: RunbotService, knowledge_dir: Path
) -> None:
    question = "how do I get rid of a side stitch"
    expected = service.preview(question)
    file, line = break_an_answer(knowledge_dir)
    interaction = running.kb("reload", roles=[RUN_LEADER_ROLE])

    await standin.interact(interaction)
    followup = await standin.wait_for_call(standin.followup_path(interaction))
    posted = await standin.wait_for_call(f"/channels/{MODERATOR_CHANNEL}/messages")
    answer = await standin.interact(running.ask(question))

    (embed,) = followup.body["embeds"]
    assert embed["title"] == wording.NOT_RELOADED_TITLE
    assert f"{file}:{line}:" in embed["description"]
    assert posted.body["embeds"][0]["description"] == embed["description"]
    assert answer.data["embeds"][0]["title"] == expected.headline
    assert answer.data["embeds"][0]["description"] == expected.body


async def test_gaps_says_so_when_the_question_log_is_off(
    running: Interactions, standin: DiscordStandIn, service: RunbotService
) -> None:
    service.answer(Question("how do i fix shin splints", "discord", "1300000000000000011"))
    interaction = running.kb("gaps", roles=[RUN_LEADER_ROLE])

    await standin.interact(interaction)
    followup = await standin.wait_for_call(standin.followup_path(interaction))

    assert followup.body["flags"] & EPHEMERAL
    (embed,) = followup.body["embeds"]
    assert embed["description"] == (
        "The question log is off (RUNBOT_QUESTION_LOG=off), so there is nothing to report."
    )


async def test_in_direct_messages_only_moderator_ids_may_use_kb(
    running: Interactions, standin: DiscordStandIn
) -> None:
    member = await standin.interact(running.in_direct_message(running.kb("stats")))
    moderator = running.in_direct_message(running.kb("stats", user_id=str(MODERATOR_ID)))
    allowed = await standin.interact(moderator)

    assert member.data["content"] == wording.NOT_A_MODERATOR
    assert allowed.data["embeds"][0]["title"]
    assert allowed.data["flags"] & EPHEMERAL


async def test_reload_from_elsewhere_is_posted_to_the_moderators_channel(
    running: Interactions, standin: DiscordStandIn, service: RunbotService, knowledge_dir: Path
) -> None:
    """E.g. the knowledge watcher or a Telegram moderator reloads, in another thread."""
    file, line = break_an_answer(knowledge_dir)

    result = await asyncio.to_thread(service.reload)
    posted = await standin.wait_for_call(f"/channels/{MODERATOR_CHANNEL}/messages")

    assert not result.ok
    (embed,) = posted.body["embeds"]
    assert embed["title"] == wording.NOT_RELOADED_TITLE
    assert f"{file}:{line}:" in embed["description"]
    assert embed["color"] == 0xE74C3C
