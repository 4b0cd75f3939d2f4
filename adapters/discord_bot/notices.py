"""Short private notices to one user, whether or not their interaction was answered yet."""

from __future__ import annotations

import logging
from typing import Any

import discord

from adapters.discord_bot import PLATFORM
from adapters.discord_bot.limits import MESSAGE_CONTENT, fit
from bot.metrics import METRICS

__all__ = ["send_notice"]

log = logging.getLogger(__name__)


async def send_notice(interaction: discord.Interaction[Any], text: str) -> None:
    """Tell only the user who interacted; a failure to do so is logged, never raised."""
    content = fit(text, MESSAGE_CONTENT)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(content, ephemeral=True)
        else:
            await interaction.response.send_message(content, ephemeral=True)
    except discord.HTTPException:
        # Usually the interaction expired (404 Unknown interaction): nobody left to tell.
        METRICS.count_send_failure(PLATFORM)
        log.warning("could not send a notice to interaction %s", interaction.id, exc_info=True)
