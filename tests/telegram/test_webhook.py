"""Webhook mode: registered with its secret (a random one if none is configured); posts
without the secret are refused."""

from __future__ import annotations

import logging
import re

import pytest

from adapters.telegram_bot.logs import REDACTED_SECRET
from tests.telegram.helpers import (
    HOOK_PATH,
    SECRET,
    StartBot,
    free_port,
    post_update,
    wait_until_listening,
)
from tests.telegram.updates import PRIVATE_CHAT


async def test_webhook_mode_registers_and_checks_the_secret(start_bot: StartBot) -> None:
    port = free_port()
    bot = await start_bot(
        telegram_webhook_url=f"https://runbot.example.org/{HOOK_PATH}",
        telegram_webhook_listen="127.0.0.1",
        telegram_webhook_port=port,
        telegram_webhook_secret=SECRET,
    )
    [registered] = bot.api.sent("setWebhook")
    assert registered["url"] == f"https://runbot.example.org/{HOOK_PATH}"
    assert registered["secret_token"] == SECRET
    assert bot.api.sent("getUpdates") == []
    await wait_until_listening(port)

    assert await post_update(port, secret=None) == 403
    assert await post_update(port, secret="guess") == 403
    assert await post_update(port, secret=SECRET) == 200

    [sent] = await bot.api.wait_for("sendMessage")
    assert sent["chat_id"] == PRIVATE_CHAT
    assert sent["text"].startswith("<b>Easing a side stitch</b>")
    assert bot.service.stats().questions == 1  # the refused posts were never handled


async def test_webhook_mode_without_a_configured_secret_uses_a_random_one(
    start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # PTB logs every Bot API call's parameters at DEBUG
    port = free_port()
    bot = await start_bot(
        telegram_webhook_url=f"https://runbot.example.org/{HOOK_PATH}",
        telegram_webhook_listen="127.0.0.1",
        telegram_webhook_port=port,
    )
    [registered] = bot.api.sent("setWebhook")
    secret = registered["secret_token"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{32,256}", secret)  # what Telegram accepts
    await wait_until_listening(port)

    assert await post_update(port, secret=None) == 403
    assert await post_update(port, secret=secret) == 200

    [sent] = await bot.api.wait_for("sendMessage")
    assert sent["text"].startswith("<b>Easing a side stitch</b>")
    assert bot.service.stats().questions == 1
    assert "`setWebhook` with parameters" in caplog.text  # PTB logged the call...
    assert REDACTED_SECRET in caplog.text
    assert secret not in caplog.text  # ...but not the secret


async def test_each_run_gets_its_own_random_secret(start_bot: StartBot) -> None:
    registered = []
    for _ in range(2):
        bot = await start_bot(
            telegram_webhook_url=f"https://runbot.example.org/{HOOK_PATH}",
            telegram_webhook_listen="127.0.0.1",
            telegram_webhook_port=free_port(),
        )
        [call] = bot.api.sent("setWebhook")
        registered.append(call["secret_token"])

    assert registered[0] != registered[1]
