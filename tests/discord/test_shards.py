"""Several processes split Discord's shards: each identifies as the shards it was given."""

from __future__ import annotations

import asyncio
import contextlib

from adapters.discord_bot.app import serve
from bot.service import RunbotService
from bot.settings import Settings
from tests.discord.standin import DiscordStandIn


async def test_a_worker_identifies_as_its_own_shard_out_of_the_total(
    standin: DiscordStandIn, service: RunbotService, settings: Settings
) -> None:
    worker = settings.model_copy(update={"discord_shard_count": 2, "discord_shard_ids": [1]})

    serving = asyncio.create_task(serve(service, worker))
    async with asyncio.timeout(10):
        await standin.identified.wait()
    serving.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await serving

    assert standin.identify is not None
    assert standin.identify["shard"] == [1, 2]
    assert standin.calls_to("/gateway/bot") == []  # the count is given: not asked for


async def test_without_settings_discord_says_how_many_shards(
    standin: DiscordStandIn, service: RunbotService, settings: Settings
) -> None:
    serving = asyncio.create_task(serve(service, settings))
    async with asyncio.timeout(10):
        await standin.identified.wait()
    serving.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await serving

    assert standin.identify is not None
    assert standin.identify["shard"] == [0, 1]
    assert len(standin.calls_to("/gateway/bot")) == 1
