"""Moderators: /reload and /stats with and without rights; reload notices in their chat."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from tests.telegram.helpers import StartBot
from tests.telegram.updates import GROUP_CHAT, PRIVATE_CHAT, button_press, group, private

MODERATOR = 42  # the sender of the private_message fixture
MODERATORS_CHAT = -1009876543210
EASING = "entries/easing.yaml"


async def test_reload_is_refused_to_everyone_else(start_bot: StartBot) -> None:
    bot = await start_bot(telegram_moderator_ids=[7, 8])

    sent = await bot.ask(private("/reload"))

    assert sent["text"] == "Sorry, only runbot's moderators can use /reload."


async def test_stats_is_refused_to_everyone_else_in_groups_too(start_bot: StartBot) -> None:
    bot = await start_bot(telegram_moderator_ids=[MODERATOR])

    sent = await bot.ask(group("/stats"))  # sent by user 43

    assert sent["text"] == "Sorry, only runbot's moderators can use /stats."


async def test_reload_swaps_in_edited_knowledge(
    start_bot: StartBot, editable_knowledge: Path
) -> None:
    bot = await start_bot(editable_knowledge, telegram_moderator_ids=[MODERATOR])
    easing = editable_knowledge / EASING
    easing.write_text(
        easing.read_text(encoding="utf-8").replace(
            "Stretch the muscle gently", "Stretch the muscle slowly"
        ),
        encoding="utf-8",
    )

    sent = await bot.ask(private("/reload"))
    assert re.fullmatch(r"Knowledge reloaded: 3 entries in \d+ ms\.", sent["text"])

    answer = await bot.ask(private("how do I stretch out a cramp?"))
    assert "Stretch the muscle slowly as soon as the cramp starts." in answer["text"]


async def test_a_broken_reload_lists_file_and_line_and_keeps_serving(
    start_bot: StartBot, editable_knowledge: Path
) -> None:
    bot = await start_bot(editable_knowledge, telegram_moderator_ids=[MODERATOR])
    easing = editable_knowledge / EASING
    easing.write_text(
        easing.read_text(encoding="utf-8").replace("    answer: Stretch", "    anser: Stretch"),
        encoding="utf-8",
    )

    sent = await bot.ask(private("/reload"))

    assert sent["parse_mode"] == "HTML"
    assert sent["text"] == (
        "<b>Knowledge NOT reloaded (2 problem(s)); still serving the last good knowledge "
        "(3 entries).</b>\n\n"
        "<pre>entries/easing.yaml:3:5: missing field 'answer'\n"
        "entries/easing.yaml:8:5: unknown field 'anser': did you mean 'answer'?</pre>"
    )
    answer = await bot.ask(private("how do I stretch out a cramp?"))
    assert "Stretch the muscle gently as soon as the cramp starts." in answer["text"]


async def test_stats_counts_outcomes_and_feedback_since_start(
    start_bot: StartBot, knowledge_with_rivals: Path
) -> None:
    bot = await start_bot(knowledge_with_rivals, telegram_moderator_ids=[MODERATOR])
    answered = await bot.ask(private("how do I stretch out a cramp?"))
    await bot.ask(private("calf cramp"))
    await bot.ask(private("chest pain"))
    await bot.ask(private("shin splints"))
    vote = answered.keyboard[-1][0][1]
    await bot.ask(button_press(vote, answered.fields), "answerCallbackQuery")

    sent = await bot.ask(private("/stats"))

    assert sent["text"] == (
        "<b>runbot since start</b>\n\n"
        "Questions: 4\n"
        "Answered: 1\n"
        "Did you mean: 1\n"
        "No answer (fallback): 1\n"
        "Urgent: 1\n"
        "Feedback: 1 helpful, 0 not helpful"
    )


async def test_stats_works_in_the_moderators_chat(start_bot: StartBot) -> None:
    bot = await start_bot(telegram_moderator_ids=[43], telegram_moderator_chat_id=GROUP_CHAT)

    sent = await bot.ask(group("/stats"))  # sent by user 43 in the moderators' chat

    assert sent["chat_id"] == GROUP_CHAT
    assert sent["text"].startswith("<b>runbot since start</b>\n\nQuestions: 0")


async def test_reload_is_allowed_to_a_moderator_in_any_group(start_bot: StartBot) -> None:
    bot = await start_bot(telegram_moderator_ids=[43])

    sent = await bot.ask(group("/reload"))  # only file:line errors: nothing about runners

    assert sent["text"].startswith("Knowledge reloaded: 3 entries")


async def test_moderators_chat_hears_of_reloads_from_commands_and_the_watcher(
    start_bot: StartBot, editable_knowledge: Path
) -> None:
    bot = await start_bot(
        editable_knowledge,
        telegram_moderator_ids=[MODERATOR],
        telegram_moderator_chat_id=MODERATORS_CHAT,
    )

    await bot.ask(private("/reload"))
    sent = await bot.api.wait_for("sendMessage", 2)
    assert sorted(call["chat_id"] for call in sent) == [MODERATORS_CHAT, PRIVATE_CHAT]

    (editable_knowledge / EASING).write_text("topic: [broken", encoding="utf-8")
    await asyncio.to_thread(bot.service.reload)  # as a file watcher thread would
    notice = (await bot.api.wait_for("sendMessage", 3))[2]
    assert notice["chat_id"] == MODERATORS_CHAT
    assert notice["text"].startswith("<b>Knowledge NOT reloaded (1 problem(s))")
    # The line is where the YAML parser noticed (libyaml: the end of the file).
    assert re.search(r"<pre>entries/easing\.yaml:\d+:\d+: invalid YAML", notice["text"])

    bot.service.reload()  # on the event loop, as an asyncio watcher would
    notice = (await bot.api.wait_for("sendMessage", 4))[3]
    assert notice["chat_id"] == MODERATORS_CHAT


async def test_reload_in_the_moderators_chat_is_reported_there_once(
    start_bot: StartBot,
) -> None:
    bot = await start_bot(telegram_moderator_ids=[43], telegram_moderator_chat_id=GROUP_CHAT)

    notice = await bot.ask(group("/reload"))  # sent by user 43 in the group
    await bot.ask(private("what to do about a side stitch"))  # handled after /reload was

    assert notice["chat_id"] == GROUP_CHAT
    assert notice["text"].startswith("Knowledge reloaded: 3 entries")
    to_group = [call for call in bot.api.sent("sendMessage") if call["chat_id"] == GROUP_CHAT]
    assert to_group == [notice]
