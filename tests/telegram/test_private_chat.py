"""Private chats: any text is a question; /start, /help, /topics, /ask and /source."""

from __future__ import annotations

from pathlib import Path

from tests.telegram.helpers import StartBot, TelegramSession
from tests.telegram.standin import BOT_USERNAME
from tests.telegram.updates import PRIVATE_CHAT, button_press, photo, private, sticker

DISCLAIMER = (
    "<i>Not medical advice: runbot is not a doctor. If pain is severe, keeps coming back "
    "or worries you, see a doctor or physio.</i>"
)
STRETCH_ANSWER = (
    "<b>Stretching out a cramp</b>\n\n"
    "Stretch the muscle gently as soon as the cramp starts.\n\n"
    "<i>Research note: Stretching has the strongest evidence. (Miller et al. 2022)</i>\n\n"
    'Source: "Running: How to Overcome Muscle Cramps" by Anna Weber, Linked Fitness '
    'Community, section "How Can I Make a Cramp Go Away?".\n\n'
    f"{DISCLAIMER}\n\n"
    "You might also ask about:"
)


async def test_a_private_message_is_answered_as_a_question(bot: TelegramSession) -> None:
    sent = await bot.ask(private("how do I stretch out a cramp?"))

    assert sent["chat_id"] == PRIVATE_CHAT
    assert sent["parse_mode"] == "HTML"
    assert sent["text"] == STRETCH_ANSWER
    assert sent["link_preview_options"] == {"is_disabled": True}
    assert "reply_parameters" not in sent.fields  # no need to quote in a one-to-one chat
    reply_id = sent.keyboard[1][0][1].split(":")[1]
    assert sent.keyboard == [
        [("Massaging a cramp", "entry:massage-a-cramp")],
        [("👍 Helpful", f"vote:{reply_id}:y"), ("👎 Not helpful", f"vote:{reply_id}:n")],
    ]
    assert bot.service.stats().answered == 1


async def test_start_greets_and_says_what_runbot_knows_and_keeps(bot: TelegramSession) -> None:
    sent = await bot.ask(private("/start"))

    assert sent["parse_mode"] == "HTML"
    assert sent["text"] == (
        "<b>Hi! I'm runbot.</b>\n\n"
        "I answer runners' questions from "
        '"Running: How to Overcome Muscle Cramps" by Anna Weber, with the research where it '
        "disagrees. Topics: Easing a cramp, Side stitches. Just send me your question, or "
        "pick one from /topics.\n\n"
        f"{DISCLAIMER}\n\n"
        "What I keep: the questions you ask, for 30 days and without your name, to improve "
        "my answers."
    )
    assert bot.service.stats().questions == 0  # a command is not a question


async def test_start_says_nothing_is_kept_when_the_question_log_is_off(start_bot) -> None:
    bot = await start_bot(runbot_question_log=False)

    sent = await bot.ask(private("/start"))

    assert sent["text"].endswith("I don't keep your questions.")


async def test_help_lists_the_commands_and_group_and_inline_use(bot: TelegramSession) -> None:
    sent = await bot.ask(private("/help"))

    assert sent["parse_mode"] == "HTML"
    for command in ("/topics", "/ask QUESTION", "/source", "/help"):
        assert command in sent["text"]
    assert f"mention @{BOT_USERNAME}" in sent["text"]
    assert f"type @{BOT_USERNAME} and a few words" in sent["text"]


async def test_topics_are_buttons_that_lead_to_an_answer(bot: TelegramSession) -> None:
    menu = await bot.ask(private("/topics"))
    assert menu["text"] == "Pick a topic:"
    assert menu.keyboard == [[("Easing a cramp", "topic:0")], [("Side stitches", "topic:1")]]

    edited = await bot.ask(button_press("topic:0", menu.fields), "editMessageText")
    assert edited["chat_id"] == PRIVATE_CHAT
    assert edited["message_id"] == 9001
    assert edited["text"] == "<b>Easing a cramp</b>\n\nPick a question:"
    assert edited.keyboard == [
        [("Stretching out a cramp", "entry:stretch-a-cramp")],
        [("Massaging a cramp", "entry:massage-a-cramp")],
        [("« All topics", "topics")],
    ]
    toast = (await bot.api.wait_for("answerCallbackQuery"))[0]
    assert "text" not in toast.fields

    answer = await bot.ask(button_press("entry:stretch-a-cramp", edited.fields))
    assert answer["text"] == STRETCH_ANSWER
    assert bot.service.stats().answered == 1

    back = await bot.ask(button_press("topics", edited.fields), "editMessageText")
    assert back.keyboard == menu.keyboard


async def test_source_gives_the_full_attribution(bot: TelegramSession) -> None:
    sent = await bot.ask(private("/source"))

    assert sent["text"] == (
        "<b>Where runbot's answers come from</b>\n\n"
        '"Running: How to Overcome Muscle Cramps" by Anna Weber, Linked Fitness Community.\n\n'
        "<b>Research behind the caveats and safety advice</b>\n\n"
        '• "Exercise-associated muscle cramps" by Miller KC et al., Journal of Athletic '
        "Training, 2022. https://pmc.ncbi.nlm.nih.gov/articles/PMC8775277/\n\n"
        f"{DISCLAIMER}"
    )


async def test_ask_in_a_private_chat_answers_the_question(bot: TelegramSession) -> None:
    sent = await bot.ask(private("/ask how do I stretch out a cramp?"))

    assert sent["text"] == STRETCH_ANSWER


async def test_ask_without_a_question_explains_how(bot: TelegramSession) -> None:
    sent = await bot.ask(private("/ask"))

    assert sent["text"] == (
        "Put your question after the command, for example:\n/ask how do I stop a calf cramp?"
    )
    assert bot.service.stats().questions == 0


async def test_an_unknown_command_points_at_help(bot: TelegramSession) -> None:
    sent = await bot.ask(private("/marathon"))

    assert sent["text"] == "I don't know that command. Send /help to see what I can do."


async def test_a_sticker_gets_a_kind_text_only_reply(bot: TelegramSession) -> None:
    sent = await bot.ask(sticker())

    assert sent["chat_id"] == PRIVATE_CHAT
    assert sent["text"].startswith("I can only read text.")


async def test_a_captioned_photo_is_answered_from_its_caption(bot: TelegramSession) -> None:
    sent = await bot.ask(photo("private_message", "how do I stretch out a cramp?"))

    assert sent["chat_id"] == PRIVATE_CHAT
    assert sent["text"] == STRETCH_ANSWER
    assert bot.service.stats().answered == 1


async def test_a_photo_without_a_caption_gets_a_kind_text_only_reply(
    bot: TelegramSession,
) -> None:
    sent = await bot.ask(photo("private_message"))

    assert sent["text"].startswith("I can only read text.")
    assert bot.service.stats().questions == 0


async def test_a_long_source_list_is_split_between_lines_under_the_limit(
    start_bot: StartBot, knowledge_with_long_sources: Path
) -> None:
    bot = await start_bot(knowledge_with_long_sources)

    await bot.api.push(private("/source"))
    parts = await bot.api.wait_for("sendMessage", 3)

    assert all(part.status == 200 for part in bot.api.calls)  # valid HTML, under 4096 each
    assert parts[0]["text"].startswith("<b>Where runbot's answers come from</b>")
    assert parts[-1]["text"].endswith(DISCLAIMER)
    listed = "\n".join(part["text"] for part in parts)
    for number in range(40):
        assert f'part {number}" by Author {number} et al., Journal of Long Titles' in listed
    assert "&amp; sodium &lt;in&gt; marathon" in listed
    assert all(part["text"].split("\n")[-1].startswith(("•", "<i>")) for part in parts[:2])
