"""Forum topics: every reply stays in the topic it was asked in, buttons' answers too."""

from __future__ import annotations

from pathlib import Path

from tests.telegram.helpers import StartBot, TelegramSession
from tests.telegram.standin import BOT_USERNAME
from tests.telegram.updates import (
    GROUP_CHAT,
    TOPIC_THREAD,
    button_press,
    group,
    in_topic,
    message,
)


async def test_a_question_in_a_topic_is_answered_in_that_topic(bot: TelegramSession) -> None:
    sent = await bot.ask(in_topic(group(f"@{BOT_USERNAME} what to do about a side stitch?")))

    assert sent["chat_id"] == GROUP_CHAT
    assert sent["message_thread_id"] == TOPIC_THREAD
    assert sent["text"].startswith("<b>Easing a side stitch</b>")
    assert sent["reply_parameters"]["message_id"] == 201


async def test_buttons_pressed_in_a_topic_answer_in_that_topic(bot: TelegramSession) -> None:
    # Two entries on one subject: the best is answered and the other offered as a button.
    answered = await bot.ask(in_topic(group("/ask calf cramp")))
    assert answered["message_thread_id"] == TOPIC_THREAD
    assert answered.keyboard[0] == [("Stretching out a cramp", "entry:stretch-a-cramp")]

    answer = await bot.ask(button_press("entry:stretch-a-cramp", answered.fields))
    assert answer["chat_id"] == GROUP_CHAT
    assert answer["message_thread_id"] == TOPIC_THREAD
    assert answer["text"].startswith("<b>Stretching out a cramp</b>")

    menu = await bot.ask(in_topic(group("/topics")))
    assert menu["message_thread_id"] == TOPIC_THREAD
    edited = await bot.ask(button_press("topic:0", menu.fields), "editMessageText")
    still_in_topic = {**edited.fields, "message_thread_id": TOPIC_THREAD}  # edits keep it there
    chosen = await bot.ask(button_press("entry:massage-a-cramp", still_in_topic))
    assert chosen["message_thread_id"] == TOPIC_THREAD
    assert all(call.fields.get("message_thread_id") for call in bot.api.sent("sendMessage"))


async def test_every_part_of_a_long_reply_stays_in_the_topic(
    start_bot: StartBot, knowledge_with_long_sources: Path
) -> None:
    bot = await start_bot(knowledge_with_long_sources)

    await bot.api.push(in_topic(group("/source")))
    parts = await bot.api.wait_for("sendMessage", 3)

    assert [part["message_thread_id"] for part in parts] == [TOPIC_THREAD] * len(parts)
    assert "reply_parameters" in parts[0].fields  # the first part quotes the command
    assert all("reply_parameters" not in part.fields for part in parts[1:])


async def test_a_reply_thread_outside_forum_topics_is_not_a_topic(bot: TelegramSession) -> None:
    reply = message("group_reply_to_bot", "what to do about a side stitch?")
    reply["message"]["message_thread_id"] = 203  # a reply thread, as in non-forum groups

    sent = await bot.ask(reply)

    assert sent["text"].startswith("<b>Easing a side stitch</b>")
    assert "message_thread_id" not in sent.fields
