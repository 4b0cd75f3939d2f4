"""Asking moderators about a reload held because it removes red flags, patterns or entries.

The question is a pair of buttons under the reload embed, wherever it is posted (the
/kb reload reply, the moderators' channel). Their custom_id carries the removals' token,
so they keep working after a restart, and a "yes" swaps in only what was shown.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any, Self

import discord

from adapters.discord_bot.host import host_of
from adapters.discord_bot.moderation import is_moderator
from adapters.discord_bot.notices import send_notice
from adapters.discord_bot.render import reload_embed
from bot.messages import Discord
from bot.service import ReloadResult

__all__ = ["ReloadAnswerButton", "reload_question_view"]

log = logging.getLogger(__name__)


def reload_question_view(result: ReloadResult) -> discord.ui.View | None:
    """Yes / no buttons for a held reload; None for any other result."""
    if result.token is None:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(ReloadAnswerButton(result.token, remove=True))
    view.add_item(ReloadAnswerButton(result.token, remove=False))
    view.stop()  # a layout only: the DynamicItem handles the clicks
    return view


class ReloadAnswerButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"runbot:reload:(?P<token>[0-9a-f]{12}):(?P<remove>[01])",
):
    """A moderator's yes (remove them and reload) or no (keep serving)."""

    def __init__(self, token: str, *, remove: bool) -> None:
        button: discord.ui.Button[discord.ui.View] = discord.ui.Button(
            label=Discord.REMOVE_AND_RELOAD if remove else Discord.KEEP_SERVING,
            style=discord.ButtonStyle.danger if remove else discord.ButtonStyle.secondary,
            custom_id=f"runbot:reload:{token}:{int(remove)}",
        )
        super().__init__(button)
        self.token = token
        self.remove = remove

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        return cls(match["token"], remove=match["remove"] == "1")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        host = host_of(interaction)
        if not is_moderator(interaction.user, host.settings):
            await send_notice(interaction, Discord.NOT_A_MODERATOR)
            return
        try:
            await interaction.response.defer(ephemeral=True, thinking=True)
            service = host.service
            if self.remove:  # applied only if the files still remove exactly what was shown
                result = await asyncio.to_thread(service.reload, self.token)
            else:
                result = service.decline_reload(self.token)
            # The moderators' channel hears of it from the service's reload listener.
            view = reload_question_view(result)
            embed = reload_embed(result)
            if view is None:
                await interaction.followup.send(embed=embed, ephemeral=True)
            else:
                await interaction.followup.send(embed=embed, view=view, ephemeral=True)
        except Exception:
            log.exception("answering a reload question failed")
            await send_notice(interaction, Discord.SOMETHING_WENT_WRONG)
