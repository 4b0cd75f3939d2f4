"""runbot's replies and reports as Discord embeds, within Discord's limits by construction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import discord

from adapters.discord_bot.limits import (
    EMBED_DESCRIPTION,
    EMBED_FIELDS,
    EMBED_TITLE,
    EMBED_TOTAL,
    FIELD_NAME,
    FIELD_VALUE,
    FOOTER_TEXT,
    discord_length,
    fit,
)
from bot import messages
from bot.gaps import Gap
from bot.messages import Discord
from bot.reply import Reply, Status
from bot.service import ReloadResult, SourceList, Stats, TopicMenu

__all__ = [
    "STATUS_COLOURS",
    "gaps_embed",
    "help_embed",
    "human_consent_embed",
    "human_reply_embed",
    "human_request_embed",
    "reload_embed",
    "reply_embed",
    "sources_embed",
    "stats_embed",
    "topics_embed",
]

STATUS_COLOURS: dict[Status, discord.Colour] = {
    Status.ANSWERED: discord.Colour.green(),
    Status.CLARIFY: discord.Colour.blurple(),
    Status.FALLBACK: discord.Colour.light_grey(),
    Status.URGENT: discord.Colour.red(),
}

# Asking a moderator: neither an answer's colour nor a warning's.
_HUMAN_COLOUR = discord.Colour.gold()

# Ten groups fit in one embed whatever runners typed: 10 x (120 + 450) + title + footer < 6000.
_GAP_NAME = 120
_GAP_VALUE = 450
_GAP_EXAMPLE = 100


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    value: str
    inline: bool = False


def reply_embed(reply: Reply) -> discord.Embed:
    """One reply as an embed: title, answer, caveat, source and disclaimer in the footer."""
    fields = []
    if reply.caveat:
        fields.append(_Field(Discord.CAVEAT_FIELD, messages.research_note(reply.caveat)))
    if reply.basis:
        basis = messages.urgent_basis_sources(reply.basis)
        fields.append(_Field(Discord.URGENT_BASIS_FIELD, basis))
    footer = [reply.attribution.line] if reply.attribution else []
    if reply.disclaimer:
        footer.append(reply.disclaimer)
    url = reply.attribution.url if reply.attribution else None
    return _embed(
        colour=STATUS_COLOURS[reply.status],
        title=reply.headline,
        url=url if reply.headline else None,
        description=reply.body,
        fields=fields,
        footer="\n".join(footer),
    )


def topics_embed(topics: Sequence[TopicMenu]) -> discord.Embed:
    """What runbot knows, topic by topic."""
    fields = [
        _Field(topic.name, "\n".join(f"• {entry.title}" for entry in topic.entries))
        for topic in topics
    ]
    return _embed(
        colour=discord.Colour.blurple(),
        title=Discord.TOPICS_TITLE,
        description=Discord.TOPICS_INTRO,
        fields=fields,
    )


def sources_embed(sources: SourceList) -> discord.Embed:
    """The full attribution: where answers come from first, then the research they cite."""
    fields = []
    for source in (*sources.answers, *sources.research):
        year = f" ({source.year})" if source.year else ""
        lines = [f"{source.author}, {source.publisher}{year}"]
        if source.url:
            lines.append(source.url)
        fields.append(_Field(source.title, "\n".join(lines)))
    return _embed(
        colour=discord.Colour.blurple(),
        title=Discord.SOURCES_TITLE,
        description=Discord.SOURCES_INTRO,
        fields=fields,
    )


def help_embed(
    *, keeps_questions: bool, retention_days: int, ask_human: bool = False
) -> discord.Embed:
    """What runbot is, how to use it, and what it keeps about your questions and why;
    `ask_human`: what asking a moderator shares (RUNBOT_ASK_A_HUMAN)."""
    kept = (
        Discord.HELP_KEEPS_QUESTIONS.format(days=messages.period(retention_days))
        if keeps_questions
        else Discord.HELP_KEEPS_NOTHING
    )
    fields = [
        _Field(Discord.HELP_USAGE_FIELD, Discord.HELP_USAGE),
        _Field(Discord.HELP_KEPT_FIELD, kept),
    ]
    if ask_human:
        offer = messages.human_on_offer(Discord.HUMAN_EITHER_ORIGIN, retention_days)
        fields.append(_Field(Discord.HELP_ASK_FIELD, offer))
    return _embed(
        colour=discord.Colour.blurple(),
        title=Discord.HELP_TITLE,
        description=Discord.HELP_ABOUT,
        fields=fields,
    )


def human_consent_embed(question: str, origin: str, where_reply: str, days: int) -> discord.Embed:
    """Before a runner agrees: what asking a moderator shares, shown exactly as posted."""
    seen = f"**{human_request_heading(origin)}**\n{_as_typed(question)}"
    return _embed(
        colour=_HUMAN_COLOUR,
        title=Discord.HUMAN_CONSENT_TITLE,
        description=f"{messages.human_consent(f'{origin} on Discord', days)}\n\n{where_reply}",
        fields=[_Field(Discord.HUMAN_WHAT_THEY_SEE, seen)],
    )


def human_request_embed(question: str, origin: str) -> discord.Embed:
    """The moderators' view of a request: the question and the kind of channel, never who."""
    return _embed(
        colour=_HUMAN_COLOUR,
        title=human_request_heading(origin),
        description=_as_typed(question),
        footer=Discord.HUMAN_HOW_TO_REPLY,
    )


def human_request_heading(origin: str) -> str:
    return messages.human_request_heading("Discord", origin)


def human_reply_embed(question: str, answer: str) -> discord.Embed:
    """A moderator's reply, for the runner: labelled as from a moderator, not the article."""
    heading = _as_typed(messages.human_reply_heading(question))
    return _embed(
        colour=_HUMAN_COLOUR,
        description=f"**{heading}**\n\n{answer}\n\n*{messages.HUMAN_REPLY_LABEL}*",
    )


def stats_embed(stats: Stats, entries: int) -> discord.Embed:
    """Counts since start, for moderators."""
    counts = (
        stats.questions,
        stats.answered,
        stats.clarify,
        stats.fallback,
        stats.urgent,
        stats.helpful,
        stats.not_helpful,
        entries,
    )
    named = zip(Discord.STATS_COUNTS, counts, strict=True)
    return _embed(
        colour=discord.Colour.blurple(),
        title=Discord.STATS_TITLE,
        fields=[_Field(name, str(count), inline=True) for name, count in named],
    )


def reload_embed(result: ReloadResult) -> discord.Embed:
    """A reload's outcome; on failure the file:line problems, for moderators."""
    return _embed(
        colour=discord.Colour.green() if result.ok else discord.Colour.red(),
        title=Discord.RELOADED_TITLE if result.ok else Discord.NOT_RELOADED_TITLE,
        # File names such as red_flags.yaml would otherwise turn into italics.
        description=discord.utils.escape_markdown(messages.reload_report(result)),
    )


def gaps_embed(
    gaps: Sequence[Gap] | None, days: int, log_problem: str | None = None
) -> discord.Embed:
    """What runners asked that runbot could not answer well, one field per group.

    `log_problem`: why there is no question log, if it could not be used.
    """
    period = messages.period(days)
    title = messages.GAPS_TITLE.format(days=period)
    if gaps is None or not gaps:
        off = log_problem or messages.GAPS_LOG_OFF
        message = off if gaps is None else messages.NO_GAPS.format(days=period)
        return _embed(colour=discord.Colour.light_grey(), title=title, description=message)
    return _embed(
        colour=discord.Colour.blurple(),
        title=title,
        fields=[_gap_field(number, gap) for number, gap in enumerate(gaps, start=1)],
        footer=Discord.GAPS_FOOTER,
    )


def _gap_field(number: int, gap: Gap) -> _Field:
    first, *others = (_quoted(example) for example in gap.examples)
    nearest = messages.GAP_NO_NEAREST
    if gap.nearest_entry:
        nearest = messages.GAP_NEAREST_ENTRY.format(
            entry=f"`{gap.nearest_entry}`", score=gap.nearest_score
        )
    advice = discord.utils.escape_markdown(gap.advice)
    lines = [
        messages.GAP_ASKED.format(times_asked=gap.times_asked, outcomes=gap.outcomes),
        messages.GAP_NEAREST.format(nearest=nearest, advice=advice),
    ]
    if others:
        lines.append(messages.GAP_ALSO_ASKED.format(examples="; ".join(others)))
    name = fit(f"{number}. {first}", _GAP_NAME)
    return _Field(name, fit("\n".join(lines), _GAP_VALUE))


def _as_typed(text: str) -> str:
    """A runner's text shown as typed: markdown escaped (no masked links to moderators)."""
    return discord.utils.escape_markdown(text.strip())


def _quoted(example: str) -> str:
    """A runner's question, on one line, shortened, and shown as typed (markdown escaped)."""
    escaped = discord.utils.escape_markdown(" ".join(example.split()))
    return f'"{fit(escaped, _GAP_EXAMPLE)}"'


def _embed(
    *,
    colour: discord.Colour,
    title: str | None = None,
    url: str | None = None,
    description: str | None = None,
    fields: Sequence[_Field] = (),
    footer: str | None = None,
) -> discord.Embed:
    title = fit(title, EMBED_TITLE) if title else None
    footer = fit(footer, FOOTER_TEXT) if footer else None
    fitted = [
        _Field(fit(field.name, FIELD_NAME), fit(field.value, FIELD_VALUE), field.inline)
        for field in fields[:EMBED_FIELDS]
    ]
    used = discord_length(title or "") + discord_length(footer or "")
    kept: list[_Field] = []
    # Reserve room for a description so fields never crowd the answer out.
    room = EMBED_TOTAL - used - (min(EMBED_DESCRIPTION, 1000) if description else 0)
    for field in fitted:
        size = discord_length(field.name) + discord_length(field.value)
        if size > room:
            break
        kept.append(field)
        room -= size
        used += size
    embed = discord.Embed(colour=colour, title=title, url=url)
    if description:
        embed.description = fit(description, min(EMBED_DESCRIPTION, EMBED_TOTAL - used))
    for field in kept:
        embed.add_field(name=field.name, value=field.value, inline=field.inline)
    if footer:
        embed.set_footer(text=footer)
    return embed
