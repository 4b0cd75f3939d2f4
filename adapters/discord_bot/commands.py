"""runbot's slash commands: /ask, /topics, /source, /help and the moderators' /kb group.

Commands are thin: the answer comes from the service, the embed from render.py, and every
error reaches `tell_user_about_error`, so a user never sees "The application did not respond".
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
from discord import app_commands

from adapters.discord_bot import PLATFORM
from adapters.discord_bot.host import host_of
from adapters.discord_bot.limits import AUTOCOMPLETE_CHOICES, CHOICE_NAME, CHOICE_VALUE, fit
from adapters.discord_bot.moderation import NotAModerator, is_moderator
from adapters.discord_bot.notices import send_notice
from adapters.discord_bot.reload_question import reload_question_view
from adapters.discord_bot.render import (
    gaps_embed,
    help_embed,
    reload_embed,
    sources_embed,
    stats_embed,
    topics_embed,
)
from adapters.discord_bot.teaching import gaps_view
from adapters.discord_bot.views import send_reply, topics_view
from bot.messages import Discord
from bot.metrics import METRICS
from bot.reply import Question
from bot.service import RunbotService
from bot.settings import Settings

Interaction = discord.Interaction[discord.Client]

__all__ = ["add_commands", "tell_user_about_error"]

log = logging.getLogger(__name__)

_GAPS_SHOWN = 10


def add_commands(tree: app_commands.CommandTree[Any]) -> None:
    """Register every command, and the error handler, on a client's tree.

    The commands expect a `Host` client when run (see host.py); `sync_commands` only
    registers them.
    """
    commands: tuple[app_commands.Command[Any, ..., None], ...] = (ask, topics, source, help_command)
    for command in commands:
        tree.add_command(command)
    tree.add_command(KnowledgeCommands())
    tree.error(tell_user_about_error)


async def suggest_questions(
    interaction: Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Entry titles matching what the user has typed so far, best first."""
    suggestions = host_of(interaction).service.suggest(current, AUTOCOMPLETE_CHOICES)
    choices: dict[str, app_commands.Choice[str]] = {}
    for suggestion in suggestions:
        value = fit(suggestion.title, CHOICE_VALUE)
        choices.setdefault(
            value, app_commands.Choice(name=fit(suggestion.title, CHOICE_NAME), value=value)
        )
    return list(choices.values())[:AUTOCOMPLETE_CHOICES]


@app_commands.command(description=Discord.ASK_COMMAND)
@app_commands.describe(question=Discord.ASK_QUESTION_OPTION, ephemeral=Discord.ASK_EPHEMERAL_OPTION)
@app_commands.autocomplete(question=suggest_questions)
async def ask(interaction: Interaction, question: str, ephemeral: bool = False) -> None:
    """/ask: a runner's question, answered in the channel or privately."""
    service = host_of(interaction).service
    asked = Question(text=question, platform=PLATFORM, asker=str(interaction.user.id))
    entry_id = _chosen_entry(service, question)
    reply = service.answer_entry(entry_id, asked) if entry_id else None
    await send_reply(interaction, reply or service.answer(asked), ephemeral=ephemeral)


@app_commands.command(description=Discord.TOPICS_COMMAND)
async def topics(interaction: Interaction) -> None:
    """/topics: every entry, in menus by topic."""
    menus = host_of(interaction).service.topics()
    view = topics_view(menus)
    if view is None:
        await interaction.response.send_message(embed=topics_embed(menus))
    else:
        await interaction.response.send_message(embed=topics_embed(menus), view=view)


@app_commands.command(description=Discord.SOURCE_COMMAND)
async def source(interaction: Interaction) -> None:
    """/source: the article and the research runbot cites."""
    sources = host_of(interaction).service.sources()
    await interaction.response.send_message(embed=sources_embed(sources))


@app_commands.command(name="help", description=Discord.HELP_COMMAND)
async def help_command(interaction: Interaction) -> None:
    """/help: what runbot is and how to use it."""
    embed = help_embed(
        keeps_questions=host_of(interaction).service.keeps_questions,
        retention_days=_settings(interaction).runbot_retention_days,
        ask_human=host_of(interaction).human_requests is not None,
    )
    await interaction.response.send_message(embed=embed, ephemeral=True)


class KnowledgeCommands(
    app_commands.Group,
    name="kb",
    description=Discord.KB_GROUP,
    default_permissions=discord.Permissions(manage_guild=True),
):
    """Moderator commands; Discord hides them from members, and each use is checked again."""

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        if not is_moderator(interaction.user, _settings(interaction)):
            raise NotAModerator(Discord.NOT_A_MODERATOR)
        return True

    @app_commands.command(description=Discord.RELOAD_COMMAND)
    async def reload(self, interaction: Interaction) -> None:
        """/kb reload: validate and swap in the knowledge files, asking before removals."""
        # Loading the files can take longer than Discord's 3-second deadline allows.
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await asyncio.to_thread(host_of(interaction).service.reload)
        question = reload_question_view(result)  # yes / no when it removes red flags...
        if question is None:
            await interaction.followup.send(embed=reload_embed(result), ephemeral=True)
        else:
            await interaction.followup.send(
                embed=reload_embed(result), view=question, ephemeral=True
            )

    @app_commands.command(description=Discord.STATS_COMMAND)
    async def stats(self, interaction: Interaction) -> None:
        """/kb stats: this worker's counters."""
        service = host_of(interaction).service
        embed = stats_embed(service.stats(), service.entry_count)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(description=Discord.GAPS_COMMAND)
    @app_commands.describe(days=Discord.GAPS_DAYS_OPTION)
    async def gaps(
        self, interaction: Interaction, days: app_commands.Range[int, 1, 365] = 30
    ) -> None:
        """/kb gaps: the gap report from the shared question log."""
        # Grouping a big question log can take longer than Discord's 3-second deadline.
        await interaction.response.defer(ephemeral=True, thinking=True)
        service = host_of(interaction).service
        found = await asyncio.to_thread(service.gaps, days, _GAPS_SHOWN)
        embed = gaps_embed(found, days, service.question_log_problem)
        offers = [service.offer_to_teach(gap.examples[0]) for gap in found or ()]
        view = gaps_view(found or [], offers)
        if view is None:
            await interaction.followup.send(embed=embed, ephemeral=True)
        else:
            await interaction.followup.send(embed=embed, view=view, ephemeral=True)


async def tell_user_about_error(
    interaction: Interaction, error: app_commands.AppCommandError
) -> None:
    """Answer every failed command privately; the details go to the log, never the chat."""
    if isinstance(error, NotAModerator):
        await send_notice(interaction, Discord.NOT_A_MODERATOR)
        return
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        log.warning("a command Discord sent does not match ours (sync needed?): %s", error)
        await send_notice(interaction, Discord.COMMAND_OUT_OF_DATE)
        return
    name = interaction.command.qualified_name if interaction.command else "?"
    if isinstance(getattr(error, "original", None), discord.HTTPException):
        METRICS.count_send_failure(PLATFORM)  # Discord refused the reply (or its deferral)
    log.error("command /%s failed", name, exc_info=error)
    await send_notice(interaction, Discord.SOMETHING_WENT_WRONG)


def _settings(interaction: Interaction) -> Settings:
    return host_of(interaction).settings


def _chosen_entry(service: RunbotService, question: str) -> str | None:
    """The entry whose title the user picked from autocomplete, if the question is one."""
    wanted = question.strip().casefold()
    if len(wanted) > CHOICE_VALUE:
        return None
    for suggestion in service.suggest(question, AUTOCOMPLETE_CHOICES):
        if fit(suggestion.title, CHOICE_VALUE).casefold() == wanted:
            return suggestion.id
    return None
