"""Ask a moderator, on Discord: the runner's side (the offer, their consent, the request sent).

A fallback's "Ask a moderator" button (or a "not helpful" vote) shows the runner, privately,
exactly what asking shares; their yes posts the question and the kind of channel to the
moderators' channel (human_replies.py: the moderators' side, and the reply back). Requests
live in the question log's database (bot.human_help). Buttons carry their ids in their
custom_id, so nothing is kept in memory, and a restart loses nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any, Self

import discord

from adapters.discord_bot import PLATFORM
from adapters.discord_bot.host import host_of
from adapters.discord_bot.human_replies import MODERATOR_ITEMS, post_request
from adapters.discord_bot.notices import send_notice
from adapters.discord_bot.render import human_consent_embed
from bot import messages
from bot.human_help import RequestOutcome
from bot.messages import Discord

__all__ = ["HUMAN_ITEMS", "AskModeratorButton", "offer"]

log = logging.getLogger(__name__)

_REPLY_ID = r"[A-Za-z0-9_-]+"
_TOLD = {
    RequestOutcome.ALREADY_PENDING: messages.HUMAN_ALREADY_PENDING,
    RequestOutcome.NOT_YOURS: messages.HUMAN_NOT_YOURS,
    RequestOutcome.UNKNOWN: messages.HUMAN_UNKNOWN,
}


async def offer(
    interaction: discord.Interaction[Any], reply_id: str, *, thanks: str | None = None
) -> None:
    """Show the runner, privately, what asking a moderator would share, with a yes button.

    After a "not helpful" vote (`thanks`, said first) it is offered only when it can be
    asked: to the runner who asked, with no other question of theirs waiting.
    """
    host = host_of(interaction)
    requests = host.human_requests
    try:
        if requests is None:
            await send_notice(interaction, thanks or messages.HUMAN_OFF)
            return
        asker = str(interaction.user.id)
        outcome, question = await asyncio.to_thread(requests.preview, reply_id, PLATFORM, asker)
        if question is None:
            await send_notice(interaction, thanks or _TOLD.get(outcome, messages.HUMAN_UNKNOWN))
            return
        privately = _asked_privately(interaction)
        days = host.settings.runbot_retention_days
        embed = human_consent_embed(
            question, _origin(interaction), _where_the_reply_comes(interaction, privately), days
        )
        view = discord.ui.View(timeout=None).add_item(ConsentButton(reply_id, privately=privately))
        view.stop()  # a layout only: the DynamicItem handles the click
        await interaction.response.send_message(thanks, embed=embed, view=view, ephemeral=True)
    except Exception:
        log.exception("offering to ask a moderator failed")
        await send_notice(interaction, Discord.SOMETHING_WENT_WRONG)


async def _ask(interaction: discord.Interaction[Any], reply_id: str, *, privately: bool) -> None:
    """The runner's yes: the request is kept and posted to the moderators' channel."""
    host = host_of(interaction)
    requests = host.human_requests
    channel_id = host.settings.discord_moderator_channel_id
    if requests is None or channel_id is None:
        await send_notice(interaction, messages.HUMAN_OFF)
        return
    try:
        await interaction.response.defer()  # posting to the moderators may take a while
        origin = _origin(interaction)
        address = _address(interaction, privately=privately)
        asker = str(interaction.user.id)
        outcome, request = await asyncio.to_thread(
            requests.request, reply_id, PLATFORM, asker, origin, address
        )
        if request is None:
            await _in_place_of_consent(interaction, _TOLD.get(outcome, messages.HUMAN_UNKNOWN))
            return
        if not await post_request(interaction.client, channel_id, request):
            await asyncio.to_thread(requests.close, request.id, "not posted")
            await _in_place_of_consent(interaction, Discord.HUMAN_NOT_POSTED)
            return
        by_dm = privately and interaction.guild_id is not None
        sent = Discord.HUMAN_SENT_BY_DM if by_dm else messages.HUMAN_SENT
        await _in_place_of_consent(interaction, sent)
    except Exception:
        log.exception("asking a moderator failed")
        await send_notice(interaction, Discord.SOMETHING_WENT_WRONG)


async def _in_place_of_consent(interaction: discord.Interaction[Any], text: str) -> None:
    """Say how it went in the runner's private consent message, its button gone."""
    await interaction.edit_original_response(content=text, embed=None, view=None)


def _asked_privately(interaction: discord.Interaction[Any]) -> bool:
    """Whether the reply under this button was shown only to the runner."""
    return interaction.message is not None and interaction.message.flags.ephemeral


def _origin(interaction: discord.Interaction[Any]) -> str:
    """The kind of channel, in words, and nothing about which."""
    return Discord.HUMAN_FROM_A_DM if interaction.guild_id is None else Discord.HUMAN_FROM_A_SERVER


def _where_the_reply_comes(interaction: discord.Interaction[Any], privately: bool) -> str:
    if interaction.guild_id is None:
        return Discord.HUMAN_REPLY_IN_DM
    return Discord.HUMAN_REPLY_BY_DM if privately else Discord.HUMAN_REPLY_IN_CHANNEL


def _address(interaction: discord.Interaction[Any], *, privately: bool) -> str:
    """Where the reply goes: the channel asked in; the runner's DMs if they asked in one (or
    privately: their question is not for the channel to read)."""
    user = interaction.user.id
    if interaction.guild_id is None or privately or interaction.channel_id is None:
        return json.dumps({"user": user})
    return json.dumps({"channel": interaction.channel_id, "user": user})


class AskModeratorButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=rf"runbot:askmod:(?P<reply_id>{_REPLY_ID})",
):
    """Under a fallback: show the runner what asking a moderator shares."""

    def __init__(self, reply_id: str, row: int | None = None) -> None:
        button: discord.ui.Button[discord.ui.View] = discord.ui.Button(
            label=Discord.ASK_MODERATOR,
            style=discord.ButtonStyle.secondary,
            custom_id=f"runbot:askmod:{reply_id}",
        )
        super().__init__(button, row=row)
        self.reply_id = reply_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        return cls(match["reply_id"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await offer(interaction, self.reply_id)


class ConsentButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=rf"runbot:askmodyes:(?P<reply_id>{_REPLY_ID}):(?P<privately>[01])",
):
    """The runner's yes: send the question to the moderators (`privately`: reply by DM)."""

    def __init__(self, reply_id: str, *, privately: bool) -> None:
        button: discord.ui.Button[discord.ui.View] = discord.ui.Button(
            label=messages.HUMAN_YES,
            style=discord.ButtonStyle.primary,
            custom_id=f"runbot:askmodyes:{reply_id}:{int(privately)}",
        )
        super().__init__(button)
        self.reply_id = reply_id
        self.privately = privately

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        return cls(match["reply_id"], privately=match["privately"] == "1")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await _ask(interaction, self.reply_id, privately=self.privately)


HUMAN_ITEMS = (AskModeratorButton, ConsentButton, *MODERATOR_ITEMS)
