"""Connecting and syncing: sync on demand only, no privileged intents, a clean close."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from adapters.discord_bot.app import serve, sync_commands
from bot.service import RunbotService
from bot.settings import Settings
from tests.discord.interactions import MANAGE_GUILD, Interactions
from tests.discord.standin import DiscordStandIn

STRING, INTEGER, BOOLEAN, SUBCOMMAND = 3, 4, 5, 1
# Intents Discord only grants bots that are approved for them.
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)


def by_name(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in items}


async def test_sync_puts_the_commands_to_the_test_guild(
    standin: DiscordStandIn, settings: Settings
) -> None:
    """Syncing needs no service, so `runbot discord --sync` need not load the knowledge."""
    count = await sync_commands(settings)

    path = f"/applications/{standin.app_id}/guilds/{settings.discord_guild_id}/commands"
    (call,) = standin.calls_to(path)
    assert call.method == "PUT"
    commands = by_name(call.body)
    assert set(commands) == {"ask", "topics", "source", "help", "kb"}
    assert count == 5
    ask = by_name(commands["ask"]["options"])
    assert ask["question"]["type"] == STRING
    assert ask["question"]["required"] is True
    assert ask["question"]["autocomplete"] is True
    assert ask["ephemeral"]["type"] == BOOLEAN
    assert ask["ephemeral"]["required"] is False
    assert all(command["description"] for command in call.body)
    kb = commands["kb"]
    assert int(kb["default_member_permissions"]) == MANAGE_GUILD
    subcommands = by_name(kb["options"])
    assert {name: option["type"] for name, option in subcommands.items()} == {
        "reload": SUBCOMMAND,
        "stats": SUBCOMMAND,
        "gaps": SUBCOMMAND,
    }
    (days,) = subcommands["gaps"]["options"]
    assert (days["name"], days["type"], days["required"]) == ("days", INTEGER, False)
    assert (days["min_value"], days["max_value"]) == (1, 365)
    assert days["description"]
    for name in ("ask", "topics", "source", "help"):
        assert commands[name]["default_member_permissions"] is None
    assert standin.identify is None, "syncing must not connect to the gateway"


async def test_sync_without_a_test_guild_is_global(
    standin: DiscordStandIn, settings: Settings
) -> None:
    settings = settings.model_copy(update={"discord_guild_id": None})

    count = await sync_commands(settings)

    (call,) = standin.calls_to(f"/applications/{standin.app_id}/commands")
    assert call.method == "PUT"
    assert count == len(call.body) == 5
    assert [c for c in standin.calls if "/guilds/" in c.path] == []


async def test_serving_never_syncs_and_asks_for_no_privileged_intents(
    running: Interactions, standin: DiscordStandIn
) -> None:
    await standin.interact(running.ask("how do I stop a calf cramp"))

    assert [call for call in standin.calls if call.path.endswith("/commands")] == []
    assert standin.identify is not None
    assert standin.identify["intents"] & PRIVILEGED_INTENTS == 0
    assert standin.identify["token"] == "standin-token"


async def test_serving_closes_the_gateway_cleanly_when_cancelled_and_never_logs_the_token(
    standin: DiscordStandIn,
    service: RunbotService,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG):
        serving = asyncio.create_task(serve(service, settings))
        await standin.identified.wait()
        await standin.interact(Interactions(standin).ask("how do I stop a calf cramp"))
        serving.cancel()
        with pytest.raises(asyncio.CancelledError):
            await serving
        async with asyncio.timeout(5):
            await standin.disconnected.wait()

    assert standin.close_codes == [1000]
    assert "standin-token" not in caplog.text
