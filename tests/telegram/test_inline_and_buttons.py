"""Inline mode results, "Did you mean" buttons, and helpful / not helpful feedback."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.telegram.helpers import StartBot, TelegramSession
from tests.telegram.updates import PRIVATE_CHAT, button_press, inline, private


async def test_inline_query_offers_matching_entries_to_share(bot: TelegramSession) -> None:
    answered = await bot.ask(inline("side stitch"), "answerInlineQuery")

    assert answered["inline_query_id"] == "1150001234567890123"
    assert answered["cache_time"] == 60
    first = answered["results"][0]
    assert first["type"] == "article"
    assert first["id"] == "side-stitch"
    assert first["title"] == "Easing a side stitch"
    assert first["description"] == (
        "Press on the painful area to ease the tension without breaking stride. (Anna Weber)"
    )
    assert first["input_message_content"] == {
        "message_text": (
            "<b>Easing a side stitch</b>\n\n"
            "Press on the painful area to ease the tension without breaking stride.\n\n"
            'Source: "Running: How to Overcome Muscle Cramps" by Anna Weber, Linked Fitness '
            "Community.\n\n"
            "<i>Not medical advice: runbot is not a doctor. If pain is severe, keeps coming "
            "back or worries you, see a doctor or physio.</i>"
        ),
        "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": True},
    }
    assert "reply_markup" not in first  # buttons cannot work in chats runbot is not in
    assert bot.service.stats().questions == 0  # previews are not questions


async def test_an_empty_inline_query_offers_every_entry(bot: TelegramSession) -> None:
    answered = await bot.ask(inline(""), "answerInlineQuery")

    assert sorted(result["id"] for result in answered["results"]) == [
        "massage-a-cramp",
        "side-stitch",
        "stretch-a-cramp",
    ]


async def test_an_inline_red_flag_offers_the_urgent_reply_alone(bot: TelegramSession) -> None:
    answered = await bot.ask(inline("chest pain on my run"), "answerInlineQuery")

    [result] = answered["results"]
    assert result["id"] == "urgent"
    assert result["title"] == "Please get medical help now"
    assert result["input_message_content"]["message_text"].startswith(
        "<b>Please get medical help now</b>\n\nYou may be describing chest pain.\n\n"
        "Stop running and call your local emergency number."
    )


async def test_did_you_mean_buttons_answer_the_chosen_entry(
    start_bot: StartBot, knowledge_with_rivals: Path
) -> None:
    bot = await start_bot(knowledge_with_rivals)
    clarify = await bot.ask(private("calf cramp"))
    assert clarify["text"] == "I'm not sure which of these you mean. Did you mean:"
    assert clarify.keyboard == [
        [("Massaging a cramp", "entry:massage-a-cramp")],
        [("Stretching out a cramp", "entry:stretch-a-cramp")],
    ]

    answer = await bot.ask(button_press("entry:stretch-a-cramp", clarify.fields))

    assert answer["chat_id"] == PRIVATE_CHAT
    assert answer["text"].startswith("<b>Stretching out a cramp</b>\n\nStretch the muscle gently")
    assert answer.keyboard[-1][0][0] == "👍 Helpful"
    toast = bot.api.sent("answerCallbackQuery")[0]
    assert toast["callback_query_id"] == "4382bfdwdsb323b2d9"
    stats = bot.service.stats()
    assert (stats.questions, stats.clarify, stats.answered) == (2, 1, 1)


async def test_feedback_buttons_are_thanked_counted_and_removed(bot: TelegramSession) -> None:
    answer = await bot.ask(private("how do I stretch out a cramp?"))
    helpful = answer.keyboard[-1][0][1]

    toast = await bot.ask(button_press(helpful, answer.fields), "answerCallbackQuery")
    assert toast["text"] == "Thanks! Glad it helped."
    edited = (await bot.api.wait_for("editMessageReplyMarkup"))[0]
    assert edited["chat_id"] == PRIVATE_CHAT
    assert edited["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "Massaging a cramp", "callback_data": "entry:massage-a-cramp"}]
        ]
    }
    assert (bot.service.stats().helpful, bot.service.stats().not_helpful) == (1, 0)

    again = await bot.ask(button_press(helpful, answer.fields), "answerCallbackQuery")
    assert again["text"] == "You already voted on this answer; your vote counts once."
    assert bot.service.stats().helpful == 1


async def test_not_helpful_is_recorded(bot: TelegramSession) -> None:
    answer = await bot.ask(private("what to do about a side stitch"))
    not_helpful = answer.keyboard[-1][1][1]
    assert not_helpful.endswith(":n")

    toast = await bot.ask(button_press(not_helpful, answer.fields), "answerCallbackQuery")

    assert toast["text"] == "Thanks for telling us: moderators use this to improve the answers."
    assert (bot.service.stats().helpful, bot.service.stats().not_helpful) == (0, 1)


async def test_a_button_for_a_removed_entry_gets_a_toast(bot: TelegramSession) -> None:
    toast = await bot.ask(button_press("entry:no-such-entry"), "answerCallbackQuery")

    assert toast["text"] == "That answer is no longer available. Send /topics to see what I know."
    assert bot.api.sent("sendMessage") == []


OUT_OF_DATE = "That button is out of date: send /topics again."


@pytest.mark.parametrize(
    "data",
    [
        "topic:²",  # str.isdigit() says yes, int() says no
        "topic:٣",  # an Arabic-Indic 3: int() would take it
        "topic:",
        "topic:-1",
        "topic:1000",
        "topic:1 ",
        "topics:0",
        "entry:",
        "vote:abc",
        "vote::y",
        "something-else",
        "\x00\ufffd%n%s{}",
        "",
    ],
)
async def test_a_forged_or_unknown_button_gets_an_out_of_date_toast(
    bot: TelegramSession, caplog: pytest.LogCaptureFixture, data: str
) -> None:
    toast = await bot.ask(button_press(data), "answerCallbackQuery")

    assert toast["text"] == OUT_OF_DATE
    assert toast["callback_query_id"] == "4382bfdwdsb323b2d9"
    assert bot.api.sent("sendMessage") == []
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
