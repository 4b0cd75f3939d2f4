"""Every failure gets a private answer: a user never sees "The application did not respond"."""

from __future__ import annotations

import logging

import pytest

from bot.messages import Discord
from tests.discord.interactions import Interactions
from tests.discord.standin import CHANNEL_MESSAGE, EPHEMERAL, DiscordStandIn

INVALID_FORM_BODY = {
    "message": "Invalid Form Body",
    "code": 50035,
    "errors": {"data": {"embeds": {"0": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH"}]}}}},
}


async def test_command_discord_still_lists_but_runbot_dropped_is_answered(
    running: Interactions, standin: DiscordStandIn
) -> None:
    callback = await standin.interact(running.kb("purge", roles=[]))

    assert callback.body["type"] == CHANNEL_MESSAGE
    assert callback.data["flags"] & EPHEMERAL
    assert callback.data["content"] == Discord.COMMAND_OUT_OF_DATE


async def test_command_with_options_of_an_older_version_is_answered(
    running: Interactions, standin: DiscordStandIn
) -> None:
    stale = running.command("ask", [{"name": "text", "type": 3, "value": "calf cramp"}])

    callback = await standin.interact(stale)

    assert callback.data["flags"] & EPHEMERAL
    assert callback.data["content"] == Discord.COMMAND_OUT_OF_DATE


async def test_reply_discord_rejects_is_followed_by_a_private_apology(
    running: Interactions, standin: DiscordStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    interaction = running.ask("how do I stop a calf cramp")
    standin.fail_next(standin.callback_path(interaction), 400, INVALID_FORM_BODY)

    with caplog.at_level(logging.ERROR, logger="adapters.discord_bot"):
        await standin.interact(interaction)
        apology = await standin.wait_for_call(standin.callback_path(interaction), nth=2)

    assert apology.data["flags"] & EPHEMERAL
    assert apology.data["content"] == Discord.SOMETHING_WENT_WRONG
    assert "command /ask failed" in caplog.text
    assert "standin-token" not in caplog.text


async def test_button_whose_reply_discord_rejects_gets_a_private_apology(
    running: Interactions, standin: DiscordStandIn
) -> None:
    asked = running.ask("leg cramps")
    await standin.interact(asked)
    (clarify,) = [m for m in standin.messages.values() if m["components"]]
    first = clarify["components"][0]["components"][0]["custom_id"]
    click = running.click(clarify, first)
    standin.fail_next(standin.callback_path(click), 400, INVALID_FORM_BODY)

    await standin.interact(click)
    apology = await standin.wait_for_call(standin.callback_path(click), nth=2)

    assert apology.data["flags"] & EPHEMERAL
    assert apology.data["content"] == Discord.SOMETHING_WENT_WRONG
