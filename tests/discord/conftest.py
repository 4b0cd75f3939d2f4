"""Fixtures: the Discord stand-in, the real service, and runbot's Discord client serving."""

from __future__ import annotations

import asyncio
import contextlib
import warnings
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yarl

with warnings.catch_warnings():
    # discord.py 2.7 imports the stdlib audioop for voice, deprecated since Python 3.11 (and
    # replaced by audioop-lts on 3.13+). runbot uses no voice; nothing else is silenced.
    warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
    import discord

from adapters.discord_bot.app import serve
from bot.service import RunbotService
from bot.settings import Settings
from tests.discord.helpers import KNOWLEDGE, MODERATOR_CHANNEL, MODERATOR_ID
from tests.discord.interactions import Interactions
from tests.discord.standin import DiscordStandIn


@pytest.fixture
async def standin(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[DiscordStandIn]:
    """The stand-in, with discord.py pointed at it (monkeypatch restores both afterwards)."""
    server = DiscordStandIn()
    await server.start()
    monkeypatch.setattr(discord.http.Route, "BASE", server.api_base)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(server.gateway_url)
    )
    yield server
    await server.stop()


@pytest.fixture
def knowledge_dir() -> Path:
    return KNOWLEDGE


@pytest.fixture
def service(knowledge_dir: Path) -> RunbotService:
    return RunbotService(knowledge_dir)


@pytest.fixture
def settings() -> Settings:
    return Settings(
        _env_file=None,
        discord_bot_token="standin-token",
        discord_guild_id=1300000000000000100,
        discord_moderator_role="run leaders",
        discord_moderator_ids=[MODERATOR_ID],
        discord_moderator_channel_id=MODERATOR_CHANNEL,
    )


@pytest.fixture
async def running(
    standin: DiscordStandIn, service: RunbotService, settings: Settings
) -> AsyncIterator[Interactions]:
    """runbot serving Discord through the stand-in, connected and identified."""
    serving = asyncio.create_task(serve(service, settings))
    async with asyncio.timeout(10):
        await standin.identified.wait()
    yield Interactions(standin)
    serving.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await serving
