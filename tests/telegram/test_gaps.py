"""/gaps: moderators see what runners asked that runbot could not answer well."""

from __future__ import annotations

import html
import re

import pytest

from adapters.telegram_bot.views import gaps_view
from bot.gaps import Gap
from bot.reply import Question
from bot.service import RunbotService
from tests.helpers import utf16_units
from tests.telegram.helpers import StartBot
from tests.telegram.standin import BOT_USERNAME, html_problem
from tests.telegram.updates import GROUP_CHAT, group, private

MODERATOR = 42  # the sender of the private_message fixture
HOSTILE = "what's the best <b>shoe</b> & sock combo? </pre><a href='x'>"
ASKED = [
    # (asker, question) as runners typed them over a few weeks
    ("101", "how do i fix shin splints"),
    ("102", "shin splints help"),
    ("103", "best way to treat shin splints?"),
    ("101", "shin splints again, what do i do"),
    ("104", "my knee hurts after running"),
    ("105", "knee pain after long runs"),
    ("106", HOSTILE),
    ("107", "how do I stretch out a cramp?"),  # answered well: not a gap
    ("108", "hi"),  # small talk: not a gap
    ("109", "chest pain after my run"),  # a red flag: never logged with its text
]
USAGE = (
    "Add how many days to look back (1 to 365), or nothing for the last 30 days, "
    "for example:\n/gaps 7"
)


def visible(message: str) -> str:
    """The text a Telegram user sees of an HTML message."""
    return html.unescape(re.sub(r"<[^<>]*>", "", message))


def ask_runners(service: RunbotService) -> None:
    for asker, text in ASKED:
        service.answer(Question(text, "telegram", asker))


async def test_a_moderator_sees_the_gaps_grouped_most_asked_first(start_bot: StartBot) -> None:
    bot = await start_bot(telegram_moderator_ids=[MODERATOR])
    ask_runners(bot.service)

    sent = await bot.ask(private("/gaps"))

    assert sent["parse_mode"] == "HTML"
    heading, shins, knees, shoes = sent["text"].split("\n\n")
    assert (
        heading == "<b>Questions runbot could not answer well, last 30 days (most asked first)</b>"
    )
    assert shins.splitlines()[:3] == [
        '1. "how do i fix shin splints"',
        "Asked 4 times by 3 people: no answer.",
        'Also asked as: "shin splints help"; "best way to treat shin splints?"',
    ]
    assert shins.splitlines()[3].startswith("Nearest entry: ")
    assert shins.endswith("To do: write a new entry (or add the words to vocabulary.yaml).")
    assert knees.splitlines()[1] == "Asked 2 times by 2 people: no answer."
    assert shoes.splitlines()[:2] == [
        "3. \"what's the best &lt;b&gt;shoe&lt;/b&gt; &amp; sock combo? "
        "&lt;/pre&gt;&lt;a href='x'&gt;\"",
        "Asked once by 1 person: no answer.",
    ]
    assert "stretch out a cramp" not in sent["text"]
    assert "chest pain" not in sent["text"]


async def test_gaps_looks_back_as_many_days_as_asked_in_the_moderators_chat_too(
    start_bot: StartBot,
) -> None:
    bot = await start_bot(
        telegram_moderator_ids=[43],  # the sender of group messages
        telegram_moderator_chat_id=GROUP_CHAT,
    )
    ask_runners(bot.service)

    sent = await bot.ask(group("/gaps 7"))

    assert sent["chat_id"] == GROUP_CHAT
    assert sent["text"].startswith(
        "<b>Questions runbot could not answer well, last 7 days (most asked first)</b>"
    )
    assert "reply_parameters" in sent.fields  # quoted, like every reply in a group


@pytest.mark.parametrize("command", ["/gaps", "/gaps 7", "/stats", f"/stats@{BOT_USERNAME}"])
async def test_reports_are_refused_to_a_moderator_in_any_other_group(
    start_bot: StartBot, command: str
) -> None:
    bot = await start_bot(telegram_moderator_ids=[43], telegram_moderator_chat_id=-100555)
    ask_runners(bot.service)

    sent = await bot.ask(group(command))

    name = command.split()[0].split("@")[0]
    assert sent["chat_id"] == GROUP_CHAT
    assert sent["text"] == (
        f"Ask me for {name} in a private chat, so other members don't see runners' questions."
    )
    assert len(bot.api.sent("sendMessage")) == 1  # no report came after the refusal


async def test_reports_in_a_group_are_refused_when_there_is_no_moderators_chat(
    start_bot: StartBot,
) -> None:
    bot = await start_bot(telegram_moderator_ids=[43])
    ask_runners(bot.service)

    sent = await bot.ask(group("/gaps"))

    assert sent["text"].startswith("Ask me for /gaps in a private chat")
    assert "shin splints" not in sent["text"]


async def test_gaps_is_refused_to_everyone_else(start_bot: StartBot) -> None:
    bot = await start_bot(telegram_moderator_ids=[7, 8])
    ask_runners(bot.service)

    sent = await bot.ask(private("/gaps"))

    assert sent["text"] == "Sorry, only runbot's moderators can use /gaps."


async def test_gaps_says_so_when_the_question_log_is_off(start_bot: StartBot) -> None:
    bot = await start_bot(telegram_moderator_ids=[MODERATOR], runbot_question_log=False)
    ask_runners(bot.service)

    sent = await bot.ask(private("/gaps"))

    assert sent["text"] == (
        "The question log is off (RUNBOT_QUESTION_LOG=off), so there is nothing to report."
    )


async def test_gaps_with_nothing_unanswered_says_so(start_bot: StartBot) -> None:
    bot = await start_bot(telegram_moderator_ids=[MODERATOR])
    bot.service.answer(Question("how do I stretch out a cramp?", "telegram", "101"))

    month = await bot.ask(private("/gaps"))
    day = await bot.ask(private("/gaps 1"))

    assert month["text"] == "No unanswered questions in the last 30 days."
    assert day["text"] == "No unanswered questions in the last 1 day."


@pytest.mark.parametrize("argument", ["soon", "0", "366", "-3", "7 14", "2.5", "99999999"])
async def test_gaps_with_a_bad_argument_explains_itself(start_bot: StartBot, argument: str) -> None:
    bot = await start_bot(telegram_moderator_ids=[MODERATOR])

    sent = await bot.ask(private(f"/gaps {argument}"))

    assert sent["text"] == USAGE


def test_a_long_gap_report_is_split_into_valid_messages_in_order() -> None:
    gaps = [
        Gap(
            examples=tuple(f"<{number}> & " + "why " * 400 + f"#{variant}" for variant in "abc"),
            count=20 - number,
            askers=10,
            statuses=("clarify", "fallback"),
            nearest_entry="stretch-a-cramp",
            nearest_score=0.5,
        )
        for number in range(10)
    ]

    messages = gaps_view(gaps, 30).messages

    assert len(messages) > 1
    assert all(html_problem(message) is None for message in messages)
    assert all(utf16_units(visible(message)) <= 4096 for message in messages)
    report = "\n\n".join(messages)
    positions = [report.index(f'{number + 1}. "&lt;{number}&gt; &amp; why') for number in range(10)]
    assert positions == sorted(positions)
    assert "Asked 20 times by 10 people: did you mean, no answer." in report
    assert "Nearest entry: stretch-a-cramp (score 0.50). To do: " in report
