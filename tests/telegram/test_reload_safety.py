"""A moderator's /reload never stalls the bot, and never silently shrinks what runbot knows."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from pathlib import Path

from tests.telegram.helpers import StartBot, TelegramSession
from tests.telegram.standin import ApiCall
from tests.telegram.updates import PRIVATE_CHAT, button_press, private

MODERATOR = PRIVATE_CHAT  # the sender of private()
RUNNER = 555


async def test_a_pipe_in_entries_neither_stalls_reload_nor_answering(
    start_bot: StartBot, editable_knowledge: Path
) -> None:
    bot = await start_bot(editable_knowledge, telegram_moderator_ids=[MODERATOR])
    fifo = editable_knowledge / "entries" / "pipe.yaml"
    os.mkfifo(fifo)
    try:
        report = await bot.ask(private("/reload"))
        answer = await bot.ask(private("what to do about a side stitch", user=RUNNER))
    finally:  # today's runbot waits on the pipe forever: let it go
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    assert report["chat_id"] == MODERATOR
    assert "entries/pipe.yaml:1:1: not a regular file" in report["text"]
    assert answer["chat_id"] == RUNNER
    assert answer["text"].startswith("<b>Easing a side stitch</b>")


MODERATORS_CHAT = -1009876543210
FEWER_PATTERNS = ("patterns: [chest pain]", "patterns: [crushing chest]")


def edit(knowledge: Path, name: str, old: str, new: str) -> None:
    path = knowledge / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


async def moderated_bot(start_bot: StartBot, knowledge: Path) -> TelegramSession:
    return await start_bot(
        knowledge, telegram_moderator_ids=[MODERATOR], telegram_moderator_chat_id=MODERATORS_CHAT
    )


async def ask_to_reload(bot: TelegramSession) -> tuple[ApiCall, ApiCall]:
    """/reload in a private chat: the reply there, and the notice in the moderators' chat."""
    await bot.api.push(private("/reload"))
    sent = await bot.api.wait_for("sendMessage", 2)
    by_chat = {call["chat_id"]: call for call in sent[-2:]}
    return by_chat[MODERATOR], by_chat[MODERATORS_CHAT]


async def next_notice(bot: TelegramSession, notices_before: int) -> ApiCall:
    """The next notice in the moderators' chat (sent from the service's reload listener)."""

    def notices() -> list[ApiCall]:
        return [c for c in bot.api.sent("sendMessage") if c["chat_id"] == MODERATORS_CHAT]

    async with asyncio.timeout(5):
        while len(notices()) <= notices_before:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    return notices()[notices_before]


async def test_a_reload_that_removes_a_red_flag_pattern_names_it_and_asks(
    start_bot: StartBot, editable_knowledge: Path
) -> None:
    bot = await moderated_bot(start_bot, editable_knowledge)
    edit(editable_knowledge, "red_flags.yaml", *FEWER_PATTERNS)

    reply, notice = await ask_to_reload(bot)

    assert reply["text"] == (
        "<b>Knowledge NOT reloaded: the edit removes 1 red-flag pattern. Still serving the "
        "last good knowledge (3 entries) until a moderator confirms the removal.</b>\n\n"
        "<pre>red-flag patterns removed: 'chest pain' (chest-pain)</pre>"
    )
    [[(yes, remove), (no, keep)]] = reply.keyboard
    assert (yes, no) == ("Yes, remove them", "No, keep serving")
    assert re.fullmatch(r"reload:[0-9a-f]{12}:y", remove)
    assert keep == remove[:-1] + "n"
    assert (notice["text"], notice.keyboard) == (reply["text"], reply.keyboard)
    urgent = await bot.ask(private("chest pain on my long run", user=RUNNER))
    assert urgent["text"].startswith("<b>Please get medical help now</b>")


async def test_a_moderator_confirms_with_the_button_and_the_moderators_chat_is_told(
    start_bot: StartBot, editable_knowledge: Path
) -> None:
    bot = await moderated_bot(start_bot, editable_knowledge)
    edit(editable_knowledge, "red_flags.yaml", *FEWER_PATTERNS)
    reply, _ = await ask_to_reload(bot)
    remove = reply.keyboard[0][0][1]

    toast = await bot.ask(button_press(remove, reply.fields), "answerCallbackQuery")

    assert toast["text"].startswith("Knowledge reloaded: 3 entries in ")
    notice = await next_notice(bot, 1)
    assert notice["text"].startswith("Knowledge reloaded: 3 entries in ")
    assert "A moderator confirmed removing 1 red-flag pattern." in notice["text"]
    [edited] = await bot.api.wait_for("editMessageReplyMarkup")
    assert "reply_markup" not in edited.fields or not edited["reply_markup"]
    answer = await bot.ask(private("chest pain on my long run", user=RUNNER))
    assert not answer["text"].startswith("<b>Please get medical help now</b>")


async def test_a_moderator_declines_and_the_moderators_chat_is_told(
    start_bot: StartBot, editable_knowledge: Path
) -> None:
    bot = await moderated_bot(start_bot, editable_knowledge)
    edit(editable_knowledge, "entries/side-stitch.yaml", "  - id: side-stitch", "  - id: stitches")
    reply, _ = await ask_to_reload(bot)
    assert "<pre>entries removed: side-stitch</pre>" in reply["text"]
    keep = reply.keyboard[0][1][1]

    toast = await bot.ask(button_press(keep, reply.fields), "answerCallbackQuery")

    assert toast["text"].startswith("Knowledge NOT reloaded: a moderator declined removing 1 entry")
    notice = await next_notice(bot, 1)
    assert notice["text"].startswith(
        "<b>Knowledge NOT reloaded: a moderator declined removing 1 entry; still serving"
    )
    # The runner's own chat: the decline's other messages may still be on their way.
    await bot.api.push(private("what to do about a side stitch", user=RUNNER))
    [answer] = await bot.api.wait_for("sendMessage", chat_id=RUNNER)
    assert answer["text"].startswith("<b>Easing a side stitch</b>")


async def test_only_moderators_may_answer_the_reload_question(
    start_bot: StartBot, editable_knowledge: Path
) -> None:
    bot = await moderated_bot(start_bot, editable_knowledge)
    edit(editable_knowledge, "red_flags.yaml", *FEWER_PATTERNS)
    reply, _ = await ask_to_reload(bot)

    press = button_press(reply.keyboard[0][0][1], reply.fields, user_id=RUNNER)
    toast = await bot.ask(press, "answerCallbackQuery")

    assert toast["text"] == "Sorry, only runbot's moderators can use these buttons."
    urgent = await bot.ask(private("chest pain", user=RUNNER))
    assert urgent["text"].startswith("<b>Please get medical help now</b>")


async def test_a_held_reload_from_the_file_watcher_asks_in_the_moderators_chat(
    start_bot: StartBot, editable_knowledge: Path
) -> None:
    bot = await moderated_bot(start_bot, editable_knowledge)
    edit(editable_knowledge, "red_flags.yaml", *FEWER_PATTERNS)

    await asyncio.to_thread(bot.service.reload)  # as the watcher's worker thread does
    [notice] = await bot.api.wait_for("sendMessage")

    assert notice["chat_id"] == MODERATORS_CHAT
    assert notice["text"].startswith("<b>Knowledge NOT reloaded: the edit removes 1 red-flag")
    assert [label for label, _ in notice.keyboard[0]] == ["Yes, remove them", "No, keep serving"]
