"""One sender's slow command or flood of messages never holds up anyone else."""

from __future__ import annotations

import pytest

from tests.telegram.helpers import StartBot
from tests.telegram.updates import private

MODERATOR = 42
RUNNER = 555
FLOODER = 777
STITCH = "what to do about a side stitch"
SLOW_DOWN = (
    "You're sending messages faster than I can answer them. I'll answer in order, but "
    "please wait for my replies before sending more."
)


@pytest.mark.parametrize("command", ["/reload", "/gaps", "/stats"])
async def test_a_slow_moderator_command_does_not_pause_other_chats(
    start_bot: StartBot, command: str
) -> None:
    bot = await start_bot(telegram_moderator_ids=[MODERATOR])
    release = bot.api.hold("sendMessage", MODERATOR)  # the command's reply takes its time
    try:
        await bot.api.push(private(command))
        answer = await bot.ask(private(STITCH, user=RUNNER))
    finally:
        release.set()

    assert answer["chat_id"] == RUNNER
    assert answer["text"].startswith("<b>Easing a side stitch</b>")
    sent = await bot.api.wait_for("sendMessage", 2)
    assert [call["chat_id"] for call in sent] == [RUNNER, MODERATOR]


async def test_each_senders_messages_are_answered_in_the_order_sent(start_bot: StartBot) -> None:
    bot = await start_bot()
    questions = ["how do I stretch out a cramp?", STITCH, "hi", "massage a cramp"] * 3
    for question in questions:
        await bot.api.push(private(question, user=RUNNER))

    sent = await bot.api.wait_for("sendMessage", len(questions))

    expected = [bot.service.preview(question).headline for question in questions]
    for call, headline in zip(sent, expected, strict=True):
        assert call["text"].startswith(f"<b>{headline}</b>" if headline else "")


async def test_one_runners_flood_does_not_delay_another_runner(start_bot: StartBot) -> None:
    bot = await start_bot()
    for number in range(60):
        await bot.api.push(private(f"{STITCH} ({number})", user=FLOODER))
    await bot.api.push(private(STITCH, user=RUNNER))

    sent = await bot.api.wait_for("sendMessage", 62)  # 60 answers, a notice, the runner's

    chats = [call["chat_id"] for call in sent]
    assert chats.index(RUNNER) < 5  # not behind the flood
    assert chats.count(FLOODER) == 61


async def test_a_flooding_runner_is_asked_once_to_slow_down(start_bot: StartBot) -> None:
    bot = await start_bot()
    for number in range(60):
        await bot.api.push(private(f"{STITCH} ({number})", user=FLOODER))

    sent = await bot.api.wait_for("sendMessage", 61)

    notices = [call for call in sent if call["text"] == SLOW_DOWN]
    assert len(notices) == 1
    assert notices[0]["chat_id"] == FLOODER
    answers = [call for call in sent if call["text"].startswith("<b>Easing a side stitch</b>")]
    assert len(answers) == 60
