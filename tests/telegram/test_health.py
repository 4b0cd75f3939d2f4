"""Scraping the health endpoint while runbot serves Telegram end to end."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

import pytest

from bot.health import HealthServer
from tests.scrape import health, healthy, metrics, sample
from tests.telegram.helpers import StartBot
from tests.telegram.updates import button_press, private


@pytest.fixture
def endpoint() -> Iterator[HealthServer]:
    """The endpoint `runbot telegram` serves with RUNBOT_HEALTH_PORT set (here: any port)."""
    server = HealthServer("127.0.0.1", 0, ["telegram"])
    server.start()
    yield server
    server.stop()


async def test_healthz_and_metrics_follow_a_telegram_session(
    start_bot: StartBot, endpoint: HealthServer
) -> None:
    before = await metrics(endpoint.port)
    bot = await start_bot()

    assert (await healthy(endpoint.port))["platforms"] == {"telegram": "connected"}

    answer = await bot.ask(private("what to do about a side stitch"))
    helpful = answer.keyboard[-1][0][1]
    await bot.ask(button_press(helpful, answer.fields), "answerCallbackQuery")
    await bot.ask(private("I have chest pain while running"))
    bot.api.fail_next("sendMessage", 400, "Bad Request: chat not found")
    await bot.api.push(private("how do I stretch out a cramp?"))
    await bot.ask(private("how do I stretch out a cramp?"))  # updates are handled in order

    after = await metrics(endpoint.port)

    def grew(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    telegram = {"platform": "telegram"}
    assert grew("runbot_questions_total", outcome="answered", **telegram) == 3
    assert grew("runbot_questions_total", outcome="urgent", **telegram) == 1
    assert grew("runbot_red_flags_total", **telegram) == 1
    assert grew("runbot_reply_seconds_count", **telegram) == 4
    assert grew("runbot_votes_total", vote="helpful") == 1
    assert grew("runbot_send_failures_total", **telegram) == 1
    assert sample(after, "runbot_platform_connected", **telegram) == 1

    bot.task.cancel()  # runbot stops serving
    with contextlib.suppress(asyncio.CancelledError):
        await bot.task

    assert await health(endpoint.port) == (
        503,
        {
            "status": "unavailable",
            "knowledge_loaded": True,
            "knowledge_version": bot.service.knowledge_version,
            "platforms": {"telegram": "down"},
        },
    )
