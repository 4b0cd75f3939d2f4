"""A reply that meets a short Bot API fault is sent again; one that never gets through is
counted, never silently dropped."""

from __future__ import annotations

import asyncio
import logging

import pytest

from tests.telegram.helpers import StartBot
from tests.telegram.updates import button_press, private

STITCH = "what to do about a side stitch"


@pytest.mark.parametrize(
    "fault",
    ["500", "502", "reset", "malformed", "all of them"],
)
async def test_a_reply_that_meets_a_fault_is_sent_again(start_bot: StartBot, fault: str) -> None:
    bot = await start_bot()
    faults = ["500", "502", "reset", "malformed"] if fault == "all of them" else [fault]
    for kind in faults:
        if kind.isdigit():
            bot.api.fail_next("sendMessage", int(kind), "Internal Server Error")
        else:
            bot.api.break_next("sendMessage", kind)

    sent = await bot.ask(private(STITCH))

    attempts = bot.api.sent("sendMessage")
    assert len(attempts) == len(faults) + 1
    assert all(attempt.fields == sent.fields for attempt in attempts)
    assert sent["text"].startswith("<b>Easing a side stitch</b>")
    assert bot.service.stats().lost_replies == 0


async def test_a_button_toast_that_meets_a_fault_is_sent_again(start_bot: StartBot) -> None:
    bot = await start_bot()
    answer = await bot.ask(private(STITCH))
    bot.api.break_next("answerCallbackQuery", "reset")

    toast = await bot.ask(
        button_press(answer.keyboard[-1][0][1], answer.fields), "answerCallbackQuery"
    )

    assert toast["text"] == "Thanks! Glad it helped."


async def test_a_reply_that_never_gets_through_is_counted_and_logged(
    start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await start_bot(telegram_send_retry_seconds=0.3)
    for _ in range(20):  # more than fit in the retry budget
        bot.api.fail_next("sendMessage", 500, "Internal Server Error")

    await bot.api.push(private(STITCH))
    async with asyncio.timeout(5):
        while bot.service.stats().lost_replies == 0:  # noqa: ASYNC110
            await asyncio.sleep(0.02)

    assert bot.service.stats().lost_replies == 1
    assert any(
        record.levelno == logging.ERROR
        and record.getMessage().startswith("gave up calling Telegram's sendMessage after")
        for record in caplog.records
    )
