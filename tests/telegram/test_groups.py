"""Groups: runbot answers /ask, replies to its own messages and mentions; never chatter."""

from __future__ import annotations

from typing import Any

from tests.telegram.helpers import TelegramSession
from tests.telegram.standin import BOT_USERNAME, ApiCall
from tests.telegram.updates import GROUP_CHAT, group, message, photo, private

SIDE_STITCH_HEADLINE = "<b>Easing a side stitch</b>\n\n"


def quotes(sent: ApiCall, message_id: int) -> bool:
    quoted: object = sent["reply_parameters"]
    return quoted == {"message_id": message_id, "allow_sending_without_reply": True}


async def test_ask_in_a_group_is_answered_quoting_the_question(bot: TelegramSession) -> None:
    sent = await bot.ask(group("/ask what to do about a side stitch"))

    assert sent["chat_id"] == GROUP_CHAT
    assert sent["parse_mode"] == "HTML"
    assert sent["text"].startswith(SIDE_STITCH_HEADLINE)
    assert quotes(sent, 201)


async def test_ask_addressed_to_runbot_by_name_is_answered(bot: TelegramSession) -> None:
    sent = await bot.ask(group(f"/ask@{BOT_USERNAME} what to do about a side stitch"))

    assert sent["text"].startswith(SIDE_STITCH_HEADLINE)
    assert quotes(sent, 201)


async def test_ask_without_a_question_in_a_group_explains_how(bot: TelegramSession) -> None:
    sent = await bot.ask(group(f"/ask@{BOT_USERNAME}"))

    assert sent["text"].startswith("Put your question after the command")
    assert quotes(sent, 201)


async def ignored_then_answered(bot: TelegramSession, *ignored: dict[str, Any]) -> None:
    """Push updates that must get no reply, then a question that must: updates are
    handled in order, so when its answer arrives the ignored ones were handled too."""
    for update in ignored:
        await bot.api.push(update)
    sent = await bot.ask(private("what to do about a side stitch"))
    assert sent["chat_id"] > 0
    assert [call["chat_id"] for call in bot.api.sent("sendMessage")] == [sent["chat_id"]]


async def test_ask_for_another_bot_is_ignored(bot: TelegramSession) -> None:
    await ignored_then_answered(bot, group("/ask@other_running_bot what to do about a stitch"))


async def test_group_chatter_is_ignored(bot: TelegramSession) -> None:
    await ignored_then_answered(
        bot,
        group("anyone up for 20k on sunday?"),
        group("what to do about a side stitch"),  # a question, but not for runbot
        group("/topics@other_running_bot"),
        message("group_reply_to_member", "what to do about a side stitch"),
        photo("group_message", "what to do about a side stitch"),  # not for runbot either
        photo("group_message"),
    )
    assert bot.service.stats().questions == 1


async def test_a_reply_to_runbot_is_answered_quoting_it(bot: TelegramSession) -> None:
    sent = await bot.ask(message("group_reply_to_bot", "what to do about a side stitch?"))

    assert sent["chat_id"] == GROUP_CHAT
    assert sent["text"].startswith(SIDE_STITCH_HEADLINE)
    assert quotes(sent, 203)


async def test_a_mention_is_answered_without_the_mention(bot: TelegramSession) -> None:
    sent = await bot.ask(group(f"@{BOT_USERNAME} what to do about a side stitch?"))

    assert sent["text"].startswith(SIDE_STITCH_HEADLINE)
    assert quotes(sent, 201)


async def test_a_mention_alone_gets_a_polite_prompt(bot: TelegramSession) -> None:
    sent = await bot.ask(group(f"@{BOT_USERNAME}"))

    assert sent["text"].startswith("I didn't catch a question there.")
    assert quotes(sent, 201)


async def test_a_photo_mentioning_runbot_is_answered_from_its_caption(
    bot: TelegramSession,
) -> None:
    sent = await bot.ask(photo("group_message", f"@{BOT_USERNAME} what to do about a side stitch"))

    assert sent["chat_id"] == GROUP_CHAT
    assert sent["text"].startswith(SIDE_STITCH_HEADLINE)
    assert quotes(sent, 201)


async def test_a_photo_replying_to_runbot_is_answered_from_its_caption(
    bot: TelegramSession,
) -> None:
    sent = await bot.ask(photo("group_reply_to_bot", "what to do about a side stitch?"))

    assert sent["text"].startswith(SIDE_STITCH_HEADLINE)
    assert quotes(sent, 203)
