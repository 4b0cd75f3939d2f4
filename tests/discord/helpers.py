"""What the Discord tests share: the moderators, replies and their buttons, runbot with a log."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.discord_bot.app import serve
from bot.question_log import SqliteQuestionLog
from bot.service import RunbotService
from bot.settings import PROJECT_ROOT, Settings
from tests.discord.interactions import Interactions
from tests.discord.standin import DiscordStandIn
from tests.helpers import utf16_units

# The real knowledge: autocomplete and topic menus need more than 25 entries to show limits.
KNOWLEDGE = PROJECT_ROOT / "knowledge"
MODERATOR_CHANNEL = 1300000000000000301
MODERATOR_ID = 1300000000000000042


async def reply_message(
    standin: DiscordStandIn, interaction: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Send an interaction; return the bot's callback data and the message it created."""
    before = set(standin.messages)
    callback = await standin.interact(interaction)
    (created,) = [m for key, m in standin.messages.items() if key not in before]
    return callback.data, created


def custom_ids(message: dict[str, Any], prefix: str) -> list[str]:
    items = [item for row in message["components"] for item in row["components"]]
    return [item["custom_id"] for item in items if item["custom_id"].startswith(prefix)]


def buttons(message: dict[str, Any]) -> dict[str, str]:
    return {
        item["label"]: item["custom_id"]
        for row in message["components"]
        for item in row["components"]
    }


def latest(standin: DiscordStandIn) -> dict[str, Any]:
    return standin.messages[next(reversed(standin.messages))]


SALT = "operator-salt-for-tests"


@contextlib.asynccontextmanager
async def runbot_with_log(
    standin: DiscordStandIn, settings: Settings, database: Path, *, ask_a_human: bool = False
) -> AsyncIterator[tuple[Interactions, RunbotService]]:
    """runbot serving Discord with a question log in `database`; stopped (and the log closed)
    at the end, as a restart would."""
    question_log = SqliteQuestionLog(database, salt=SALT)
    service = RunbotService(KNOWLEDGE, question_log=question_log, ask_a_human=ask_a_human)
    standin.identified.clear()
    task = asyncio.create_task(serve(service, settings))
    try:
        async with asyncio.timeout(10):
            await standin.identified.wait()
        yield Interactions(standin), service
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        service.close()


EMOJI = "🏃\u200d♀️"  # a runner: several code points, surrogate pairs in UTF-16


HOSTILE = [
    pytest.param("x" * 10_000, id="long-ascii"),
    pytest.param(EMOJI * 3_000, id="long-emoji"),
    pytest.param("**@everyone** `<script>` ||spoiler|| " * 400, id="markdown-and-mentions"),
    pytest.param("\n" * 50 + "a" + " " * 9_000, id="whitespace-padded"),
    pytest.param("é" * 4_095 + EMOJI, id="emoji-at-the-edge"),
]


def assert_embed_within_limits(embed: dict[str, Any]) -> None:
    assert utf16_units(embed.get("title", "")) <= 256
    assert utf16_units(embed.get("description", "")) <= 4096
    assert len(embed.get("fields", [])) <= 25
    for field in embed.get("fields", []):
        assert 1 <= utf16_units(field["name"]) <= 256
        assert 1 <= utf16_units(field["value"]) <= 1024
    assert utf16_units(embed.get("footer", {}).get("text", "")) <= 2048
    texts = [embed.get("title", ""), embed.get("description", "")]
    texts += [embed.get("footer", {}).get("text", "")]
    texts += [part for field in embed.get("fields", []) for part in (field["name"], field["value"])]
    assert sum(utf16_units(text) for text in texts) <= 6000


def assert_components_within_limits(components: list[dict[str, Any]]) -> None:
    assert len(components) <= 5
    custom_ids = []
    for row in components:
        assert row["type"] == 1
        assert 1 <= len(row["components"]) <= 5
        for item in row["components"]:
            custom_ids.append(item["custom_id"])
            assert len(item["custom_id"]) <= 100
            if item["type"] == 2:
                assert 1 <= len(item["label"]) <= 80
            else:
                assert len(row["components"]) == 1
                assert 1 <= len(item["options"]) <= 25
                assert len(item.get("placeholder", "")) <= 150
                for option in item["options"]:
                    assert 1 <= len(option["label"]) <= 100
                    assert len(option["value"]) <= 100
                    assert len(option.get("description") or "") <= 100
    assert len(custom_ids) == len(set(custom_ids))
