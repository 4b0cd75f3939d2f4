"""What runbot shows on Telegram besides answers: greeting, help, topics, sources, moderator views.

Builders return paragraphs of plain text (and keyboards); `render` escapes and splits them.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from adapters.telegram_bot.callbacks import ChooseTopic, ConfirmReload, ListTopics, encode
from adapters.telegram_bot.render import (
    Paragraph,
    Rendered,
    Style,
    entry_buttons,
    render_paragraphs,
    shorten,
)
from adapters.telegram_bot.teaching import gap_rows
from bot import messages
from bot.gaps import Gap
from bot.knowledge import Source
from bot.service import ReloadResult, SourceList, Stats, TopicMenu

__all__ = [
    "ASK_USAGE",
    "BUTTON_OUT_OF_DATE",
    "ENTRY_GONE",
    "GAPS_USAGE",
    "KEEP_SERVING",
    "MENU_OUT_OF_DATE",
    "MODERATORS_ONLY",
    "NOT_IN_GROUPS",
    "REMOVE_AND_RELOAD",
    "SLOW_DOWN",
    "SOMETHING_WENT_WRONG",
    "TEXT_ONLY",
    "UNKNOWN_COMMAND",
    "gaps_view",
    "help_view",
    "reload_view",
    "source_view",
    "start_view",
    "stats_view",
    "topic_view",
    "topics_view",
]

ASK_USAGE = "Put your question after the command, for example:\n/ask how do I stop a calf cramp?"
MODERATORS_ONLY = "Sorry, only runbot's moderators can use {command}."
NOT_IN_GROUPS = (
    "Ask me for {command} in a private chat, so other members don't see runners' questions."
)
UNKNOWN_COMMAND = "I don't know that command. Send /help to see what I can do."
TEXT_ONLY = "I can only read text. Type your question, for example: how do I stop a calf cramp?"
SLOW_DOWN = (
    "You're sending messages faster than I can answer them. I'll answer in order, but "
    "please wait for my replies before sending more."
)
SOMETHING_WENT_WRONG = "Sorry, something went wrong on my side. Please try again in a moment."
# Toasts (answerCallbackQuery): at most 200 characters.
ENTRY_GONE = "That answer is no longer available. Send /topics to see what I know."
MENU_OUT_OF_DATE = "That menu is out of date. Send /topics again."
BUTTON_OUT_OF_DATE = "That button is out of date: send /topics again."
REMOVE_AND_RELOAD = "Yes, remove them"
KEEP_SERVING = "No, keep serving"
GAPS_USAGE = (
    "Add how many days to look back (1 to {most}), or nothing for the last {default} days, "
    "for example:\n/gaps 7"
)
# Runners' questions can be long; a report line needs only enough to recognise one.
_EXAMPLE_LENGTH = 200


def start_view(
    topics: Sequence[TopicMenu],
    article: Source | None,
    keeps_questions: bool,
    days: int,
    *,
    ask_human: bool = False,
) -> Rendered:
    """The greeting: what runbot knows, that it is not a doctor, and what it keeps."""
    known = ", ".join(topic.name for topic in topics)
    where = f' from "{article.title}" by {article.author}' if article else ""
    kept = (
        f"What I keep: the questions you ask, for {days} days and without your name, "
        "to improve my answers."
        if keeps_questions
        else "I don't keep your questions."
    )
    return render_paragraphs(
        [
            Paragraph("Hi! I'm runbot.", Style.BOLD),
            Paragraph(
                f"I answer runners' questions{where}, with the research where it disagrees. "
                f"Topics: {known}. Just send me your question, or pick one from /topics."
            ),
            Paragraph(messages.DISCLAIMER, Style.ITALIC),
            Paragraph(kept),
            *([Paragraph(messages.human_on_offer("Telegram", days))] if ask_human else []),
        ]
    )


def help_view(bot_username: str, ask_human: bool = False, days: int = 30) -> Rendered:
    """The commands, and how to use runbot in groups and inline."""
    return render_paragraphs(
        [
            Paragraph("How to ask runbot", Style.BOLD),
            Paragraph(
                "Send any question in this chat, for example: how do I stop a calf cramp?\n"
                "/topics - everything I can answer, as buttons\n"
                "/ask QUESTION - ask a question (works in groups too)\n"
                "/source - where my answers come from\n"
                "/help - this help"
            ),
            Paragraph(
                f"In a group, use /ask, mention @{bot_username}, or reply to one of my "
                "messages. In any chat, type @"
                f"{bot_username} and a few words (like side stitch) to share an answer."
            ),
            *([Paragraph(messages.human_on_offer("Telegram", days))] if ask_human else []),
            Paragraph(messages.DISCLAIMER, Style.ITALIC),
        ]
    )


def topics_view(topics: Sequence[TopicMenu]) -> Rendered:
    """The topic menu: one button per topic."""
    rows = [
        [InlineKeyboardButton(topic.name, callback_data=encode(ChooseTopic(index)))]
        for index, topic in enumerate(topics)
    ]
    return render_paragraphs([Paragraph("Pick a topic:")], InlineKeyboardMarkup(rows))


def topic_view(topic: TopicMenu) -> Rendered:
    """One topic's questions as buttons, and a way back to all topics."""
    rows = entry_buttons(topic.entries)
    rows.append([InlineKeyboardButton("« All topics", callback_data=encode(ListTopics()))])
    return render_paragraphs(
        [Paragraph(topic.name, Style.BOLD), Paragraph("Pick a question:")],
        InlineKeyboardMarkup(rows),
    )


def source_view(sources: SourceList) -> Rendered:
    """Full attribution: where the answers come from, then the research behind caveats."""
    paragraphs = [Paragraph("Where runbot's answers come from", Style.BOLD)]
    paragraphs += [Paragraph(_describe(source)) for source in sources.answers]
    if sources.research:
        paragraphs.append(Paragraph("Research behind the caveats and safety advice", Style.BOLD))
        paragraphs.append(
            Paragraph("\n".join(f"• {_describe(source)}" for source in sources.research))
        )
    paragraphs.append(Paragraph(messages.DISCLAIMER, Style.ITALIC))
    return render_paragraphs(paragraphs)


def stats_view(stats: Stats) -> Rendered:
    """Counts since start, for moderators."""
    return render_paragraphs(
        [
            Paragraph("runbot since start", Style.BOLD),
            Paragraph(
                f"Questions: {stats.questions}\n"
                f"Answered: {stats.answered}\n"
                f"Did you mean: {stats.clarify}\n"
                f"No answer (fallback): {stats.fallback}\n"
                f"Urgent: {stats.urgent}\n"
                f"Feedback: {stats.helpful} helpful, {stats.not_helpful} not helpful"
                + (
                    f"\nReplies lost (could not be sent): {stats.lost_replies}"
                    if stats.lost_replies
                    else ""
                )
            ),
        ]
    )


def gaps_view(
    gaps: Sequence[Gap] | None,
    days: int,
    log_problem: str | None = None,
    offers: Sequence[str] = (),
) -> Rendered:
    """What runners asked that runbot could not answer well, most asked first, for moderators.

    `log_problem`: why there is no question log, if it could not be used. `offers`: each
    gap's token (RunbotService.offer_to_teach), for buttons that teach its question.
    """
    if gaps is None:
        return render_paragraphs([Paragraph(log_problem or messages.GAPS_LOG_OFF)])
    if not gaps:
        return render_paragraphs(
            [Paragraph(f"No unanswered questions in the last {messages.period(days)}.")]
        )
    period = messages.period(days)
    paragraphs = [
        Paragraph(
            f"Questions runbot could not answer well, last {period} (most asked first)", Style.BOLD
        )
    ]
    paragraphs += [Paragraph(_describe_gap(number, gap)) for number, gap in enumerate(gaps, 1)]
    if not offers:
        return render_paragraphs(paragraphs)
    return render_paragraphs(paragraphs, InlineKeyboardMarkup(gap_rows(gaps, offers)))


def reload_view(result: ReloadResult) -> Rendered:
    """A reload's outcome; problems as `file:line:column: message` lines. A reload held
    because it removes red flags or entries asks, with buttons, whether to go ahead."""
    paragraphs = [Paragraph(result.headline, Style.PLAIN if result.ok else Style.BOLD)]
    if result.details:
        paragraphs.append(Paragraph("\n".join(result.details), Style.PRE))
    if result.token is None:
        return render_paragraphs(paragraphs)
    answers = [
        InlineKeyboardButton(
            REMOVE_AND_RELOAD, callback_data=encode(ConfirmReload(result.token, True))
        ),
        InlineKeyboardButton(
            KEEP_SERVING, callback_data=encode(ConfirmReload(result.token, False))
        ),
    ]
    return render_paragraphs(paragraphs, InlineKeyboardMarkup([answers]))


def _describe_gap(number: int, gap: Gap) -> str:
    """One group as a few lines: what was asked, how often, and what to do about it."""
    first, *others = (f'"{shorten(example, _EXAMPLE_LENGTH)}"' for example in gap.examples)
    lines = [f"{number}. {first}", f"{gap.times_asked}: {gap.outcomes}."]
    if others:
        lines.append(f"Also asked as: {'; '.join(others)}")
    nearest = (
        f"{gap.nearest_entry} (score {gap.nearest_score:.2f})" if gap.nearest_entry else "none"
    )
    lines.append(f"Nearest entry: {nearest}. To do: {gap.advice}.")
    return "\n".join(lines)


def _describe(source: Source) -> str:
    year = f", {source.year}" if source.year else ""
    url = f" {source.url}" if source.url else ""
    return f'"{source.title}" by {source.author}, {source.publisher}{year}.{url}'
