"""/kb reload, /kb stats and /kb gaps: hidden from members by default, and checked again at run time."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.discord_bot.app import serve
from bot.messages import Discord
from bot.reply import Question
from bot.service import RunbotService
from bot.settings import Settings
from tests.discord.helpers import KNOWLEDGE, MODERATOR_CHANNEL, MODERATOR_ID
from tests.discord.interactions import (
    ADMINS_ROLE,
    MANAGE_GUILD,
    OTHER_RUN_LEADER_ROLE,
    RUN_LEADER_ROLE,
    Interactions,
    other_guild,
)
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
    assert callback.data["content"] == Discord.NOT_A_MODERATOR
    assert "embeds" not in callback.data or not callback.data["embeds"]
    assert standin.calls_to(f"/channels/{MODERATOR_CHANNEL}/messages") == []


async def test_moderator_role_sees_stats_privately(
    running: Interactions, standin: DiscordStandIn
) -> None:
    await standin.interact(running.ask("how do I stop a calf cramp"))
    await standin.interact(running.ask("leg cramps"))

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
    assert embed["title"] == Discord.RELOADED_TITLE
    assert posted.body["embeds"][0]["title"] == Discord.RELOADED_TITLE


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
    assert embed["title"] == Discord.NOT_RELOADED_TITLE
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

    assert member.data["content"] == Discord.NOT_A_MODERATOR
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
    assert embed["title"] == Discord.NOT_RELOADED_TITLE
    assert f"{file}:{line}:" in embed["description"]
    assert embed["color"] == 0xE74C3C


@contextlib.asynccontextmanager
async def serving(
    standin: DiscordStandIn, service: RunbotService, settings: Settings
) -> AsyncIterator[Interactions]:
    """runbot serving with these settings, also a member of another server."""
    task = asyncio.create_task(serve(service, settings))
    try:
        async with asyncio.timeout(10):
            await standin.identified.wait()
        await standin.dispatch("GUILD_CREATE", other_guild())
        yield Interactions(standin)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


@pytest.mark.parametrize("subcommand", ["gaps", "stats"])
async def test_a_role_of_the_same_name_in_another_server_is_refused(
    standin: DiscordStandIn, service: RunbotService, settings: Settings, subcommand: str
) -> None:
    """Whoever owns a server the bot is in can name a role "run leaders": that is no moderator."""
    async with serving(standin, service, settings) as interactions:
        elsewhere = interactions.kb(subcommand, roles=[OTHER_RUN_LEADER_ROLE])
        refused = await standin.interact(interactions.in_other_guild(elsewhere))
        at_home = await standin.interact(interactions.kb(subcommand, roles=[RUN_LEADER_ROLE]))

    assert refused.data["content"] == Discord.NOT_A_MODERATOR
    assert refused.data["flags"] & EPHEMERAL
    assert at_home.body["type"] in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE)
    assert at_home.data.get("content") != Discord.NOT_A_MODERATOR


async def test_a_role_given_by_id_counts_in_any_server(
    standin: DiscordStandIn, service: RunbotService, settings: Settings
) -> None:
    settings = settings.model_copy(update={"discord_moderator_role": OTHER_RUN_LEADER_ROLE})

    async with serving(standin, service, settings) as interactions:
        other = interactions.kb("stats", roles=[OTHER_RUN_LEADER_ROLE])
        allowed = await standin.interact(interactions.in_other_guild(other))
        by_name = await standin.interact(interactions.kb("stats", roles=[RUN_LEADER_ROLE]))

    assert allowed.data["embeds"][0]["title"] == Discord.STATS_TITLE
    assert allowed.data["flags"] & EPHEMERAL
    assert by_name.data["content"] == Discord.NOT_A_MODERATOR


async def test_a_role_name_without_a_server_never_matches_and_is_warned_about_once(
    standin: DiscordStandIn,
    service: RunbotService,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = settings.model_copy(update={"discord_guild_id": None})

    with caplog.at_level(logging.WARNING, logger="adapters.discord_bot"):
        async with serving(standin, service, settings) as interactions:
            refused = await standin.interact(interactions.kb("stats", roles=[RUN_LEADER_ROLE]))
            moderator = interactions.kb("stats", user_id=str(MODERATOR_ID))
            allowed = await standin.interact(moderator)

    assert refused.data["content"] == Discord.NOT_A_MODERATOR
    assert allowed.data["embeds"][0]["title"] == Discord.STATS_TITLE
    (warning,) = [r for r in caplog.records if "DISCORD_MODERATOR_ROLE" in r.getMessage()]
    assert warning.levelno == logging.WARNING
    assert "role's id" in warning.getMessage()
