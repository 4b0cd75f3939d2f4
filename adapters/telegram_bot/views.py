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
from bot.messages import Telegram
from bot.service import ReloadResult, SourceList, Stats, TopicMenu

__all__ = [
    "gaps_view",
    "help_view",
    "reload_view",
    "source_view",
    "start_view",
    "stats_view",
    "topic_view",
    "topics_view",
]

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
    where = (
        Telegram.FROM_ARTICLE.format(title=article.title, author=article.author) if article else ""
    )
    kept = Telegram.KEEPS_QUESTIONS.format(days=days) if keeps_questions else Telegram.KEEPS_NOTHING
    return render_paragraphs(
        [
            Paragraph(Telegram.HELLO, Style.BOLD),
            Paragraph(Telegram.ABOUT.format(where=where, topics=known)),
            Paragraph(messages.DISCLAIMER, Style.ITALIC),
            Paragraph(kept),
            *([Paragraph(messages.human_on_offer("Telegram", days))] if ask_human else []),
        ]
    )


def help_view(bot_username: str, ask_human: bool = False, days: int = 30) -> Rendered:
    """The commands, and how to use runbot in groups and inline."""
    return render_paragraphs(
        [
            Paragraph(Telegram.HELP_TITLE, Style.BOLD),
            Paragraph(Telegram.HELP_COMMANDS),
            Paragraph(Telegram.HELP_GROUPS.format(bot=bot_username)),
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
    return render_paragraphs([Paragraph(Telegram.PICK_A_TOPIC)], InlineKeyboardMarkup(rows))


def topic_view(topic: TopicMenu) -> Rendered:
    """One topic's questions as buttons, and a way back to all topics."""
    rows = entry_buttons(topic.entries)
    rows.append([InlineKeyboardButton(Telegram.ALL_TOPICS, callback_data=encode(ListTopics()))])
    return render_paragraphs(
        [Paragraph(topic.name, Style.BOLD), Paragraph(Telegram.PICK_A_QUESTION)],
        InlineKeyboardMarkup(rows),
    )


def source_view(sources: SourceList) -> Rendered:
    """Full attribution: where the answers come from, then the research behind caveats."""
    paragraphs = [Paragraph(messages.SOURCES_TITLE, Style.BOLD)]
    paragraphs += [Paragraph(messages.source_description(source)) for source in sources.answers]
    if sources.research:
        paragraphs.append(Paragraph(Telegram.RESEARCH_TITLE, Style.BOLD))
        described = (messages.source_description(source) for source in sources.research)
        paragraphs.append(Paragraph("\n".join(f"• {line}" for line in described)))
    paragraphs.append(Paragraph(messages.DISCLAIMER, Style.ITALIC))
    return render_paragraphs(paragraphs)


def stats_view(stats: Stats) -> Rendered:
    """Counts since start, for moderators."""
    counts = Telegram.STATS.format(
        questions=stats.questions,
        answered=stats.answered,
        clarify=stats.clarify,
        fallback=stats.fallback,
        urgent=stats.urgent,
        helpful=stats.helpful,
        not_helpful=stats.not_helpful,
    )
    if stats.lost_replies:
        counts += "\n" + Telegram.STATS_LOST.format(lost=stats.lost_replies)
    return render_paragraphs([Paragraph(messages.STATS_TITLE, Style.BOLD), Paragraph(counts)])


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
    period = messages.period(days)
    if not gaps:
        return render_paragraphs([Paragraph(messages.NO_GAPS.format(days=period))])
    paragraphs = [Paragraph(messages.GAPS_HEADING.format(days=period), Style.BOLD)]
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
            messages.REMOVE_AND_RELOAD, callback_data=encode(ConfirmReload(result.token, True))
        ),
        InlineKeyboardButton(
            messages.KEEP_SERVING, callback_data=encode(ConfirmReload(result.token, False))
        ),
    ]
    return render_paragraphs(paragraphs, InlineKeyboardMarkup([answers]))


def _describe_gap(number: int, gap: Gap) -> str:
    """One group as a few lines: what was asked, how often, and what to do about it."""
    first, *others = (f'"{shorten(example, _EXAMPLE_LENGTH)}"' for example in gap.examples)
    lines = [
        f"{number}. {first}",
        messages.GAP_ASKED.format(times_asked=gap.times_asked, outcomes=gap.outcomes),
    ]
    if others:
        lines.append(messages.GAP_ALSO_ASKED.format(examples="; ".join(others)))
    nearest = messages.GAP_NO_NEAREST
    if gap.nearest_entry:
        nearest = messages.GAP_NEAREST_ENTRY.format(
            entry=gap.nearest_entry, score=gap.nearest_score
        )
    lines.append(messages.GAP_NEAREST.format(nearest=nearest, advice=gap.advice))
    return "\n".join(lines)
