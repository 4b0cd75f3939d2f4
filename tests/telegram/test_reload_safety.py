"""A moderator's /reload never stalls the bot, and never silently shrinks what runbot knows."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from tests.telegram.conftest import StartBot
from tests.telegram.updates import PRIVATE_CHAT, private

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
