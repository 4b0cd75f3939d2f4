"""Hostile, empty, huge and odd input; flood control, network and Telegram errors; red flags."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.error import InvalidToken

from adapters.telegram_bot.app import build_application, serve
from bot.service import RunbotService
from tests.telegram.helpers import KNOWLEDGE, TOKEN, StartBot, TelegramSession, telegram_settings
from tests.telegram.standin import BotApiStandIn
from tests.telegram.updates import PRIVATE_CHAT, button_press, group, inline, private

HOSTILE = "<b>&</script>"


async def test_hostile_text_is_never_echoed_unescaped(bot: TelegramSession) -> None:
    for update in (private(HOSTILE), group(f"/ask {HOSTILE}"), private(f"cramp {HOSTILE} &amp;")):
        sent = await bot.ask(update)
        assert HOSTILE not in sent["text"]

    answered = await bot.ask(inline(HOSTILE), "answerInlineQuery")
    assert answered["results"]  # the stand-in parsed every result's HTML
    assert all(call.status == 200 for call in bot.api.calls)


async def test_knowledge_text_with_markup_characters_is_escaped(
    start_bot: StartBot, editable_knowledge: Path
) -> None:
    easing = editable_knowledge / "entries/easing.yaml"
    easing.write_text(
        easing.read_text(encoding="utf-8")
        .replace("title: Massaging a cramp", "title: Massage & rub <gently>")
        .replace(
            "answer: Stretch the muscle gently as soon as the cramp starts.",
            "answer: Stretch for >30 s & <b>hold</b>; a 1<2 ratio of rest.",
        ),
        encoding="utf-8",
    )
    bot = await start_bot(editable_knowledge)

    sent = await bot.ask(private("how do I stretch out a cramp?"))

    assert sent.status == 200  # Telegram's HTML rules held
    assert (
        "Stretch for &gt;30 s &amp; &lt;b&gt;hold&lt;/b&gt;; a 1&lt;2 ratio of rest."
        in (sent["text"])
    )
    # Button labels are plain text for Telegram: not escaped.
    assert sent.keyboard[0] == [("Massage & rub <gently>", "entry:massage-a-cramp")]

    shared = await bot.ask(inline("stretch out a cramp"), "answerInlineQuery")
    titles = {result["id"]: result["title"] for result in shared["results"]}
    assert titles["massage-a-cramp"] == "Massage & rub <gently>"


@pytest.mark.parametrize(
    ("text", "reply_starts"),
    [
        ("x" * 10_001, "That's a long message!"),
        ("🏃\u200d♀️💦🔥", "I didn't catch a question there."),
        ("\x00\x01\x02\x1b[31m\ufffd\ufffd\x7f", "I don't have advice on that yet."),
        ("\u200b \u00a0", "I didn't catch a question there."),
    ],
    ids=["huge", "emoji-only", "binary-looking", "invisible"],
)
async def test_odd_messages_get_a_polite_reply(
    bot: TelegramSession, text: str, reply_starts: str
) -> None:
    sent = await bot.ask(private(text))

    assert sent["chat_id"] == PRIVATE_CHAT
    assert sent["text"].startswith(reply_starts)
    assert "Traceback" not in sent["text"]


async def test_a_red_flag_is_answered_alone_without_buttons(bot: TelegramSession) -> None:
    sent = await bot.ask(private("chest pain and a calf cramp, how do I stretch it out?"))

    assert sent["text"].startswith(
        "<b>Please get medical help now</b>\n\nYou may be describing chest pain.\n\n"
        "Stop running and call your local emergency number."
    )
    assert "reply_markup" not in sent.fields
    assert len(bot.api.sent("sendMessage")) == 1
    assert bot.service.stats().urgent == 1


async def test_flood_control_is_waited_out_and_the_answer_arrives(
    bot: TelegramSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Opt in to PTB's future RetryAfter.retry_after type; the int form warns (v22.2).
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    bot.api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)

    sent = await bot.ask(private("what to do about a side stitch"))

    attempts = bot.api.sent("sendMessage")
    assert [call.status for call in attempts] == [429, 200]
    assert attempts[0].fields == attempts[1].fields == sent.fields


async def test_network_and_telegram_errors_are_logged_and_survived(
    bot: TelegramSession, caplog: pytest.LogCaptureFixture
) -> None:
    # The 502 is tried again (see test_delivery_retries); Telegram's "no" is not.
    bot.api.fail_next("sendMessage", 502, "Bad Gateway")
    bot.api.fail_next("sendMessage", 400, "Bad Request: chat not found")
    await bot.api.push(private("what to do about a side stitch"))
    await bot.api.push(private("what to do about a side stitch"))

    await bot.api.push(private("how do I stretch out a cramp?"))
    sent = await bot.api.wait_for("sendMessage", 2)

    assert sent[-1]["text"].startswith("<b>Stretching out a cramp</b>")
    assert [call.status for call in bot.api.sent("sendMessage")] == [502, 400, 200, 200]
    messages = [(r.levelname, r.getMessage()) for r in caplog.records if "telegram_bot" in r.name]
    assert ("ERROR", "Telegram rejected a request: Chat not found") in messages


async def test_a_polling_conflict_is_logged_clearly_and_polling_goes_on(
    bot: TelegramSession, caplog: pytest.LogCaptureFixture
) -> None:
    bot.api.fail_next(
        "getUpdates",
        409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot "
        "instance is running",
    )
    polls = len(bot.api.sent("getUpdates"))
    await bot.api.wait_for("getUpdates", polls + 1)  # the held poll returns; the next fails

    sent = await bot.ask(private("what to do about a side stitch"))

    assert sent["text"].startswith("<b>Easing a side stitch</b>")
    assert any(
        record.levelno == logging.ERROR
        and record.getMessage().startswith("Conflict: terminated by other getUpdates request")
        for record in caplog.records
    )


async def error_while_handling(payload: dict[str, Any]) -> BotApiStandIn:
    """Run PTB's error handling for a bug raised while handling `payload`; the API calls made."""
    api = BotApiStandIn(token=TOKEN)
    application = build_application(RunbotService(KNOWLEDGE), telegram_settings(await api.start()))
    try:
        async with application:
            update = Update.de_json(payload, application.bot)
            await application.process_error(update, RuntimeError("a bug in runbot"))
    finally:
        await api.stop()
    return api


async def test_an_unexpected_error_is_logged_and_the_runner_gets_an_apology(
    caplog: pytest.LogCaptureFixture,
) -> None:
    api = await error_while_handling({**private("how do I stretch out a cramp?"), "update_id": 1})

    [sent] = api.sent("sendMessage")
    assert sent["chat_id"] == PRIVATE_CHAT
    assert sent["text"] == "Sorry, something went wrong on my side. Please try again in a moment."
    [record] = [r for r in caplog.records if r.exc_info]
    assert record.getMessage() == "unexpected error while handling an update"
    assert "RuntimeError: a bug in runbot" in caplog.text  # the traceback goes to the log


async def test_an_unexpected_error_on_a_button_press_gets_a_toast_not_a_chat_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    api = await error_while_handling({**button_press("entry:stretch-a-cramp"), "update_id": 1})

    [toast] = api.sent("answerCallbackQuery")
    assert toast["callback_query_id"] == "4382bfdwdsb323b2d9"
    assert toast["text"] == "Sorry, something went wrong on my side. Please try again in a moment."
    assert api.sent("sendMessage") == []
    assert "RuntimeError: a bug in runbot" in caplog.text


async def test_a_rejected_token_stops_serving_with_a_clear_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    api = BotApiStandIn(token="999999:OTHER")
    settings = telegram_settings(await api.start())
    try:
        with pytest.raises(InvalidToken) as raised:
            await serve(RunbotService(KNOWLEDGE), settings)
    finally:
        await api.stop()

    assert "Telegram rejected the bot token: check TELEGRAM_BOT_TOKEN" in caplog.text
    assert TOKEN not in caplog.text
    # Whoever catches and logs the error (the CLI) must not print the token either.
    assert TOKEN not in "".join(traceback.format_exception(raised.value))
