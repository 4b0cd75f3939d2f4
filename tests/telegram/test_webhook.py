"""Webhook mode: registered with its secret; posts without the secret are refused."""

from __future__ import annotations

import asyncio
import json
import socket

import aiohttp

from tests.telegram.conftest import StartBot
from tests.telegram.updates import PRIVATE_CHAT, private

SECRET = "s3cret-Token_for-tests"
HOOK_PATH = "telegram/hook"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def wait_until_listening(port: int) -> None:
    """PTB registers the webhook just before its server starts listening."""
    for _ in range(200):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.01)
            continue
        writer.close()
        await writer.wait_closed()
        return
    raise AssertionError(f"the webhook server never listened on port {port}")


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

    hook = f"http://127.0.0.1:{port}/{HOOK_PATH}"
    update = json.dumps({**private("what to do about a side stitch"), "update_id": 1})
    headers = {"Content-Type": "application/json"}
    async with aiohttp.ClientSession() as http:
        async with http.post(hook, data=update, headers=headers) as refused:
            assert refused.status == 403
        wrong = {**headers, "X-Telegram-Bot-Api-Secret-Token": "guess"}
        async with http.post(hook, data=update, headers=wrong) as refused:
            assert refused.status == 403
        right = {**headers, "X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with http.post(hook, data=update, headers=right) as accepted:
            assert accepted.status == 200

    [sent] = await bot.api.wait_for("sendMessage")
    assert sent["chat_id"] == PRIVATE_CHAT
    assert sent["text"].startswith("<b>Easing a side stitch</b>")
    assert bot.service.stats().questions == 1  # the refused posts were never handled
