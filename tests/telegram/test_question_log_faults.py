"""Replies never wait for the question log: a locked database slows no one and loses nothing."""

from __future__ import annotations

from pathlib import Path

from bot.question_log import SqliteQuestionLog
from tests.helpers import locked_by_another_program
from tests.telegram.helpers import StartBot
from tests.telegram.updates import private


async def test_replies_go_on_while_another_program_locks_the_database(
    start_bot: StartBot, tmp_path: Path
) -> None:
    database = tmp_path / "locked.db"
    bot = await start_bot(runbot_db=database)
    runners = [600 + number for number in range(3)]

    with locked_by_another_program(database):
        for runner in runners:  # today each waits out SQLite's 5-second busy timeout
            sent = await bot.ask(private("what to do about a side stitch", user=runner))
            assert sent["chat_id"] == runner

    await bot.stop()  # writes what waited for the lock
    with SqliteQuestionLog(database) as log:
        assert len(log.recent(days=1)) == len(runners)
