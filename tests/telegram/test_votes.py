"""Helpful / not helpful votes: one per person per answer, kept across restarts, told truly."""

from __future__ import annotations

from pathlib import Path

from bot.question_log import SqliteQuestionLog
from tests.telegram.helpers import StartBot
from tests.telegram.updates import button_press, group, private

SALT = "operator-salt-for-tests"  # RUNBOT_ASKER_SALT: the same person hashes the same
STITCH = "what to do about a side stitch"


async def test_a_vote_on_an_answer_from_before_a_restart_is_counted(
    start_bot: StartBot, tmp_path: Path
) -> None:
    database = tmp_path / "runbot.db"
    before = await start_bot(runbot_db=database, runbot_asker_salt=SALT)
    answer = await before.ask(private(STITCH))
    helpful = answer.keyboard[-1][0][1]
    await before.stop()

    after = await start_bot(runbot_db=database, runbot_asker_salt=SALT)
    toast = await after.ask(button_press(helpful, answer.fields), "answerCallbackQuery")
    again = await after.ask(button_press(helpful, answer.fields), "answerCallbackQuery")

    assert toast["text"] == "Thanks! Glad it helped."
    assert again["text"] == "You already voted on this answer; your vote counts once."
    assert after.service.stats().helpful == 1
    await after.stop()

    with SqliteQuestionLog(database, salt=SALT) as log:
        [counts] = log.entry_counts(days=1)
    assert (counts.entry_id, counts.helpful, counts.not_helpful) == ("side-stitch", 1, 0)


async def test_every_member_of_a_group_may_vote_once_on_a_public_answer(
    start_bot: StartBot,
) -> None:
    bot = await start_bot()
    answer = await bot.ask(group(f"/ask {STITCH}"))  # asked by member 43
    helpful, not_helpful = (data for _, data in answer.keyboard[-1])

    first = await bot.ask(button_press(helpful, answer.fields, user_id=44), "answerCallbackQuery")
    asker = await bot.ask(button_press(helpful, answer.fields, user_id=43), "answerCallbackQuery")
    third = await bot.ask(
        button_press(not_helpful, answer.fields, user_id=45), "answerCallbackQuery"
    )
    changed = await bot.ask(
        button_press(not_helpful, answer.fields, user_id=44), "answerCallbackQuery"
    )

    assert first["text"] == "Thanks! Glad it helped."
    assert asker["text"] == "Thanks! Glad it helped."  # a bystander voting first blocks no one
    assert third["text"] == "Thanks for telling us: moderators use this to improve the answers."
    assert changed["text"] == "Changed your vote to not helpful. Thanks!"
    stats = bot.service.stats()
    assert (stats.helpful, stats.not_helpful) == (1, 2)
    assert bot.api.sent("editMessageReplyMarkup") == []  # the buttons stay for the others


async def test_a_vote_on_an_answer_runbot_no_longer_has_says_so(start_bot: StartBot) -> None:
    bot = await start_bot()

    toast = await bot.ask(button_press("vote:0123456789abcdef:y"), "answerCallbackQuery")

    assert toast["text"] == "I no longer have that answer, so I can't count a vote on it."
    assert bot.service.stats().helpful == 0
