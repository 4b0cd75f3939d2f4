"""The gap report's teach buttons on Discord: moderators teach a gap's question to an entry.

Under /kb gaps, each gap gets "Teach to <nearest entry>" and "Choose entry"; a taught
question is written to its YAML file (bot.teach) and the knowledge reloaded, and the
private reply has an Undo button. Buttons carry the gap's token (RunbotService.offer_to_teach)
and the entry id, so they are handled by DynamicItems like runbot's other buttons.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from typing import Any, Self

import discord

from adapters.discord_bot.host import host_of
from adapters.discord_bot.limits import BUTTON_LABEL, MESSAGE_CONTENT, fit
from adapters.discord_bot.moderation import is_moderator
from adapters.discord_bot.notices import send_notice
from bot import messages
from bot.gaps import Gap
from bot.messages import Discord
from bot.teach import TeachRefusedError

__all__ = ["ChooseToTeachButton", "TeachButton", "UndoTeachButton", "gaps_view"]

log = logging.getLogger(__name__)

_TOKEN = r"[0-9a-f]{10}"
_ENTRY_ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_QUESTION = 300  # of a runner's question, quoted back to the moderator


def gaps_view(gaps: Sequence[Gap], tokens: Sequence[str]) -> discord.ui.View | None:
    """Teach and Choose buttons for each gap (ten gaps: four rows of five)."""
    if not gaps:
        return None
    view = discord.ui.View(timeout=None)
    for number, (gap, token) in enumerate(zip(gaps, tokens, strict=True), start=1):
        if gap.nearest_entry:
            label = f"{number}. {messages.TEACH_TO.format(entry=gap.nearest_entry)}"
            view.add_item(TeachButton(token, gap.nearest_entry, label))
        view.add_item(ChooseToTeachButton(token, number))
    view.stop()  # a layout only: the DynamicItems handle the clicks
    return view


class TeachButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=rf"runbot:teach:(?P<token>{_TOKEN}):(?P<entry_id>{_ENTRY_ID})",
):
    """Teach the gap's question to this entry."""

    def __init__(self, token: str, entry_id: str, label: str | None = None) -> None:
        button: discord.ui.Button[discord.ui.View] = discord.ui.Button(
            label=fit(label or entry_id, BUTTON_LABEL),
            style=discord.ButtonStyle.primary,
            custom_id=f"runbot:teach:{token}:{entry_id}",
        )
        super().__init__(button)
        self.token = token
        self.entry_id = entry_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        return cls(match["token"], match["entry_id"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await _teach(interaction, self.token, self.entry_id, undo=False)


class UndoTeachButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=rf"runbot:untaught:(?P<token>{_TOKEN}):(?P<entry_id>{_ENTRY_ID})",
):
    """Take a taught question back out of its entry."""

    def __init__(self, token: str, entry_id: str) -> None:
        button: discord.ui.Button[discord.ui.View] = discord.ui.Button(
            label=Discord.UNDO,
            style=discord.ButtonStyle.secondary,
            custom_id=f"runbot:untaught:{token}:{entry_id}",
        )
        super().__init__(button)
        self.token = token
        self.entry_id = entry_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        return cls(match["token"], match["entry_id"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await _teach(interaction, self.token, self.entry_id, undo=True)


class ChooseToTeachButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=rf"runbot:teachpick:(?P<token>{_TOKEN})",
):
    """Show the entries nearest to the gap's question, to teach it to one of them."""

    def __init__(self, token: str, number: int | None = None) -> None:
        label = f"{number}. {Discord.CHOOSE_ENTRY}" if number else Discord.CHOOSE_ENTRY
        button: discord.ui.Button[discord.ui.View] = discord.ui.Button(
            label=label, style=discord.ButtonStyle.secondary, custom_id=f"runbot:teachpick:{token}"
        )
        super().__init__(button)
        self.token = token

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        return cls(match["token"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        host = host_of(interaction)
        if not is_moderator(interaction.user, host.settings):
            await send_notice(interaction, Discord.NOT_A_MODERATOR)
            return
        question = await asyncio.to_thread(host.service.offered, self.token)
        if question is None:
            await send_notice(interaction, Discord.TEACH_GONE)
            return
        view = discord.ui.View(timeout=None)
        for entry in host.service.entries_for(question):
            view.add_item(TeachButton(self.token, entry.id, f"{entry.id}: {entry.title}"))
        view.stop()
        text = Discord.TEACH_WHICH.format(question=fit(question, _QUESTION))
        await interaction.response.send_message(text, view=view, ephemeral=True)


async def _teach(
    interaction: discord.Interaction[Any], token: str, entry_id: str, *, undo: bool
) -> None:
    host = host_of(interaction)
    if not is_moderator(interaction.user, host.settings):
        await send_notice(interaction, Discord.NOT_A_MODERATOR)
        return
    service = host.service
    question = await asyncio.to_thread(service.offered, token)
    if question is None:
        await send_notice(interaction, Discord.TEACH_GONE)
        return
    try:
        # Writing, checking and reloading can take longer than Discord's 3 seconds.
        await interaction.response.defer(ephemeral=True, thinking=True)
        work = service.unteach if undo else service.teach
        try:
            lesson, reload = await asyncio.to_thread(work, entry_id, question)
        except TeachRefusedError as error:
            said = Discord.NOT_UNDONE if undo else Discord.NOT_TAUGHT
            await interaction.followup.send(
                fit(f"{said}: {error}", MESSAGE_CONTENT), ephemeral=True
            )
            return
        shown = fit(question, _QUESTION)
        headline = reload.headline
        if undo:
            text = Discord.UNTAUGHT.format(
                question=shown, entry=f"`{entry_id}`", where=lesson.where
            )
            await interaction.followup.send(f"{text}\n{headline}", ephemeral=True)
            return
        text = Discord.TAUGHT.format(question=shown, entry=f"`{entry_id}`", where=lesson.where)
        view = discord.ui.View(timeout=None)
        view.add_item(UndoTeachButton(token, entry_id))
        view.stop()
        await interaction.followup.send(f"{text}\n{headline}", view=view, ephemeral=True)
    except Exception:
        log.exception("teaching %r to %r failed", question, entry_id)
        await send_notice(interaction, Discord.SOMETHING_WENT_WRONG)
