"""Scraping the health endpoint while runbot serves Discord end to end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.health import HealthServer
from tests.discord.interactions import Interactions
from tests.discord.standin import DiscordStandIn
from tests.scrape import healthy, metrics, sample


@pytest.fixture
def endpoint() -> Iterator[HealthServer]:
    """The endpoint `runbot discord` serves with RUNBOT_HEALTH_PORT set (here: any port)."""
    server = HealthServer("127.0.0.1", 0, ["discord"])
    server.start()
    yield server
    server.stop()


async def test_healthz_and_metrics_follow_a_discord_session(
    endpoint: HealthServer, running: Interactions, standin: DiscordStandIn
) -> None:
    assert (await healthy(endpoint.port))["platforms"] == {"discord": "connected"}
    before = await metrics(endpoint.port)

    await standin.interact(running.ask("how do I stop a calf cramp"))

    after = await metrics(endpoint.port)
    labels = {"platform": "discord", "outcome": "answered"}
    assert sample(after, "runbot_questions_total", **labels) == (
        sample(before, "runbot_questions_total", **labels) + 1
    )
    assert sample(after, "runbot_platform_connected", platform="discord") == 1
