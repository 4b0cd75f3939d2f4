"""Ask a moderator: with consent, a question goes to the moderators' chat without names,
and a moderator's reply comes back to the runner labelled as from a moderator."""

from __future__ import annotations

from typing import Any

from tests.telegram.helpers import StartBot, TelegramSession
from tests.telegram.standin import ApiCall
from tests.telegram.updates import button_press, message, private

MODERATORS_CHAT = -100555
MODERATOR = 43  # the sender of the group_message fixture
RUNNER = 42  # Ada, the sender of private messages
GAP = "how do i fix shin splints"


def data(sent: ApiCall, label: str) -> str:
    (found,) = [d for row in sent.keyboard for text, d in row if text == label]
    return str(found)


def reply_in_moderators_chat(to: ApiCall, text: str) -> dict[str, Any]:
    update = message("group_message", text)
    sent = update["message"]
    sent["chat"] = {"id": MODERATORS_CHAT, "type": "supergroup", "title": "runbot moderators"}
    sent["reply_to_message"] = {
        "message_id": to.result["message_id"],
        "date": 1764064800,
        "chat": sent["chat"],
        "from": {"id": 7000001, "is_bot": True, "first_name": "runbot"},
        "text": to["text"],
    }
    return update


async def asked(bot: TelegramSession) -> ApiCall:
    """The runner asks what runbot cannot answer, says yes, and it is posted to moderators."""
    fallback = await bot.ask(private(GAP))
    consent = await bot.ask(button_press(data(fallback, "Ask a moderator"), fallback.fields))
    assert "never your name or account" in consent["text"]
    before = len(bot.api.sent("sendMessage"))
    await bot.api.push(button_press(data(consent, "Yes, ask a moderator"), consent.fields))
    (posted,) = await bot.api.wait_for("sendMessage", chat_id=MODERATORS_CHAT)
    assert len(bot.api.sent("sendMessage")) == before + 1
    return posted


async def test_a_question_goes_to_the_moderators_and_their_reply_comes_back(
    start_bot: StartBot,
) -> None:
    bot = await start_bot(
        runbot_ask_a_human=True,
        telegram_moderator_chat_id=MODERATORS_CHAT,
        telegram_moderator_ids=[MODERATOR],
    )

    posted = await asked(bot)

    assert GAP in posted["text"]
    assert "a private chat on Telegram" in posted["text"]
    for identifying in ("Ada", "ada_runs", str(RUNNER)):
        assert identifying not in posted["text"]
    assert [label for row in posted.keyboard for label, _ in row] == ["Ignore"]
    edited = await bot.api.wait_for("editMessageText")
    assert edited[-1]["text"].startswith("Sent to runbot's moderators.")

    relayed = await bot.ask(reply_in_moderators_chat(posted, "Rest it and see a physio."))

    assert relayed["chat_id"] == RUNNER
    assert relayed["text"].split("\n\n") == [
        f'<b>A moderator replied to your question "{GAP}":</b>',
        "Rest it and see a physio.",
        "<i>This reply is from one of runbot's moderators (a person, a runner like you), not "
        "from the article runbot answers from, and it is not medical advice.</i>",
    ]
    (_, told) = await bot.api.wait_for("sendMessage", chat_id=MODERATORS_CHAT, count=2)
    assert told["text"] == "Sent to the runner, as a reply from runbot's moderators."


async def test_one_pending_request_per_runner(start_bot: StartBot) -> None:
    bot = await start_bot(
        runbot_ask_a_human=True,
        telegram_moderator_chat_id=MODERATORS_CHAT,
        telegram_moderator_ids=[MODERATOR],
    )
    await asked(bot)

    again = await bot.ask(private("what shoes should i buy"))
    consent = await bot.ask(button_press(data(again, "Ask a moderator"), again.fields))
    toast = await bot.ask(
        button_press(data(consent, "Yes, ask a moderator"), consent.fields), "answerCallbackQuery"
    )

    assert toast["text"].startswith("You already have a question waiting for a moderator")
    assert (
        len(bot.api.sent("sendMessage"))
        == len([c for c in bot.api.sent("sendMessage") if c["chat_id"] != MODERATORS_CHAT]) + 1
    )


async def test_asking_a_moderator_is_off_unless_turned_on(start_bot: StartBot) -> None:
    bot = await start_bot(
        telegram_moderator_chat_id=MODERATORS_CHAT, telegram_moderator_ids=[MODERATOR]
    )

    fallback = await bot.ask(private(GAP))
    assert [label for row in fallback.keyboard for label, _ in row] == []
    # A forged (or old) press is refused too.
    toast = await bot.ask(button_press("askmodyes:0123456789abcdef"), "answerCallbackQuery")

    assert toast["text"] == "Asking a moderator is not turned on here."
    assert bot.api.sent("sendMessage")[-1]["chat_id"] == RUNNER
