"""What the Telegram tests share: runbot serving the Bot API stand-in, and its settings."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.service import RunbotService
from bot.settings import Settings
from tests.helpers import TEST_KNOWLEDGE
from tests.telegram.standin import ApiCall, BotApiStandIn
from tests.telegram.updates import private

TOKEN = "123456:TEST"
KNOWLEDGE = TEST_KNOWLEDGE


@dataclass
class TelegramSession:
    """runbot serving Telegram, and the stand-in API it talks to."""

    api: BotApiStandIn
    service: RunbotService
    settings: Settings
    task: asyncio.Task[None]

    async def stop(self) -> None:
        """Stop serving and close the question log, as a bot that is shut down does."""
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        await self.api.stop()
        self.service.close()

    async def ask(self, update: dict[str, Any], method: str = "sendMessage") -> ApiCall:
        """Push an update and return the next successful `method` call it causes."""
        before = len(self.api.sent(method))
        await self.api.push(update)
        return (await self.api.wait_for(method, before + 1))[before]


StartBot = Callable[..., Awaitable[TelegramSession]]


def telegram_settings(base_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": TOKEN,
        "telegram_base_url": base_url,
        "telegram_moderator_ids": [],
        "telegram_moderator_chat_id": None,
        "telegram_webhook_url": None,
        "telegram_webhook_secret": None,
        "runbot_question_log": True,
        "runbot_retention_days": 30,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


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


async def post_update(port: int, secret: str | None) -> int:
    """POST a private question to the webhook as Telegram would; the HTTP status."""
    hook = f"http://127.0.0.1:{port}/{HOOK_PATH}"
    update = json.dumps({**private("what to do about a side stitch"), "update_id": 1})
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    async with (
        aiohttp.ClientSession() as http,
        http.post(hook, data=update, headers=headers) as response,
    ):
        return response.status
