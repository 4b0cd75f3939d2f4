"""Ask a moderator, on Discord: the moderators' side, and the reply back to the runner.

A runner's request is posted to the moderators' channel with Reply and Ignore buttons
(moderators only, checked at run time). Reply opens a form; what a moderator writes there
goes to the runner where they asked (that channel; a direct message when they asked in one,
or asked privately), labelled as from a moderator, and the post says so in place of its
buttons. The form is a layout only, like runbot's views: its submission is handled by its
custom_id, so a reply typed while runbot restarts still arrives.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any, Self

import discord

from adapters.discord_bot import PLATFORM
from adapters.discord_bot.host import host_of
from adapters.discord_bot.limits import FIELD_VALUE, fit
from adapters.discord_bot.moderation import is_moderator
from adapters.discord_bot.notices import send_notice
from adapters.discord_bot.render import human_reply_embed, human_request_embed
from bot import messages
from bot.human_help import HumanRequest
from bot.messages import Discord
from bot.metrics import METRICS

__all__ = ["MODERATOR_ITEMS", "answer_form", "post_request"]

log = logging.getLogger(__name__)

_REQUEST_ID = r"[0-9a-f]{12}"
_FORM = re.compile(rf"runbot:hreplyform:(?P<request_id>{_REQUEST_ID})")
_FORM_FIELD = "reply"
_REPLY_LENGTH = 2000  # a moderator's reply: as long as a Discord message may be


async def post_request(client: discord.Client, channel_id: int, request: HumanRequest) -> bool:
    """Post a request to the moderators' channel; False if Discord refused it."""
    view = discord.ui.View(timeout=None)
    view.add_item(ReplyButton(request.id)).add_item(IgnoreButton(request.id))
    view.stop()  # a layout only: the DynamicItems handle the clicks
    embed = human_request_embed(request.question, request.origin)
    try:
        await client.get_partial_messageable(channel_id).send(embed=embed, view=view)
    except discord.HTTPException:
        METRICS.count_send_failure(PLATFORM)
        log.warning("could not post a request to the moderators' channel", exc_info=True)
        return False
    return True


def _reply_form(request_id: str) -> discord.ui.Modal:
    form = discord.ui.Modal(
        title=Discord.HUMAN_FORM_TITLE, custom_id=f"runbot:hreplyform:{request_id}"
    )
    answer: discord.ui.TextInput[discord.ui.Modal] = discord.ui.TextInput(
        custom_id=_FORM_FIELD,
        style=discord.TextStyle.paragraph,
        placeholder=Discord.HUMAN_FORM_PLACEHOLDER,
        max_length=_REPLY_LENGTH,
    )
    form.add_item(discord.ui.Label(text=Discord.HUMAN_FORM_LABEL, component=answer))
    form.stop()  # a layout only: answer_form handles what comes back, restart or not
    return form


async def answer_form(interaction: discord.Interaction[Any]) -> bool:
    """Relay a moderator's reply form to the runner; False if this submission is not one."""
    data: Mapping[str, Any] = interaction.data or {}
    form = _FORM.fullmatch(str(data.get("custom_id", "")))
    if form is None:
        return False
    host = host_of(interaction)
    requests = host.human_requests
    answer = _typed(data.get("components", []), _FORM_FIELD).strip()
    if not is_moderator(interaction.user, host.settings):
        await send_notice(interaction, Discord.HUMAN_MODERATORS_ONLY)
    elif requests is None:
        await send_notice(interaction, messages.HUMAN_OFF)
    elif not answer:  # Discord requires one; a forged form might not
        await send_notice(interaction, Discord.HUMAN_EMPTY_REPLY)
    else:
        try:
            await interaction.response.defer()  # delivering may take a while
            request = await asyncio.to_thread(requests.close, form["request_id"], "answered")
            if request is None:
                await send_notice(interaction, messages.HUMAN_ALREADY_CLOSED)
            elif await _deliver(interaction.client, request, answer):
                await _close_post(interaction, messages.HUMAN_RELAYED, answer)
            else:
                await _close_post(interaction, Discord.HUMAN_NOT_DELIVERED, answer)
        except Exception:
            log.exception("relaying a moderator's reply failed")
            await send_notice(interaction, Discord.SOMETHING_WENT_WRONG)
    return True


async def _deliver(client: discord.Client, request: HumanRequest, answer: str) -> bool:
    """Send the reply where the runner asked; False if Discord refused it."""
    address = json.loads(request.address)
    embed = human_reply_embed(request.question, answer)
    runner = discord.Object(int(address["user"]))
    try:
        if "channel" in address:
            channel = client.get_partial_messageable(int(address["channel"]))
            mention = discord.AllowedMentions(users=[runner])
            await channel.send(f"<@{runner.id}>", embed=embed, allowed_mentions=mention)
        else:
            direct = await client.create_dm(runner)
            await direct.send(embed=embed)
    except discord.HTTPException:
        METRICS.count_send_failure(PLATFORM)
        log.warning("could not deliver a moderator's reply", exc_info=True)
        return False
    return True


async def _close_post(
    interaction: discord.Interaction[Any], outcome: str, answer: str | None = None
) -> None:
    """The moderators' post once answered or ignored: what happened, in place of its buttons."""
    posted = interaction.message
    embed = posted.embeds[0].copy() if posted is not None and posted.embeds else discord.Embed()
    embed.set_footer(text=outcome)
    if answer is not None:
        embed.add_field(
            name=Discord.HUMAN_REPLY_SENT_FIELD, value=fit(answer, FIELD_VALUE), inline=False
        )
    if interaction.response.is_done():
        await interaction.edit_original_response(embed=embed, view=None)
    else:
        await interaction.response.edit_message(embed=embed, view=None)


def _typed(components: Sequence[Mapping[str, Any]], custom_id: str) -> str:
    """What was typed in a submitted form's text input (inside a label or an action row)."""
    for component in components:
        inner = [component.get("component") or {}, *component.get("components", [])]
        for item in (component, *inner):
            if item.get("custom_id") == custom_id and isinstance(item.get("value"), str):
                return str(item["value"])
    return ""


class ReplyButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=rf"runbot:hreply:(?P<request_id>{_REQUEST_ID})",
):
    """In the moderators' channel: open the form to reply to the runner."""

    def __init__(self, request_id: str) -> None:
        button: discord.ui.Button[discord.ui.View] = discord.ui.Button(
            label=Discord.HUMAN_REPLY,
            style=discord.ButtonStyle.primary,
            custom_id=f"runbot:hreply:{request_id}",
        )
        super().__init__(button)
        self.request_id = request_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        return cls(match["request_id"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        if not is_moderator(interaction.user, host_of(interaction).settings):
            await send_notice(interaction, Discord.HUMAN_MODERATORS_ONLY)
            return
        await interaction.response.send_modal(_reply_form(self.request_id))


class IgnoreButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=rf"runbot:hignore:(?P<request_id>{_REQUEST_ID})",
):
    """In the moderators' channel: close the request; the runner is not told."""

    def __init__(self, request_id: str) -> None:
        button: discord.ui.Button[discord.ui.View] = discord.ui.Button(
            label=messages.HUMAN_IGNORE,
            style=discord.ButtonStyle.secondary,
            custom_id=f"runbot:hignore:{request_id}",
        )
        super().__init__(button)
        self.request_id = request_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        return cls(match["request_id"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        host = host_of(interaction)
        if not is_moderator(interaction.user, host.settings):
            await send_notice(interaction, Discord.HUMAN_MODERATORS_ONLY)
            return
        requests = host.human_requests
        try:
            if requests is not None:
                closed = await asyncio.to_thread(requests.close, self.request_id, "ignored")
                if closed is None:
                    await send_notice(interaction, messages.HUMAN_ALREADY_CLOSED)
                    return
            await _close_post(interaction, messages.HUMAN_IGNORED)
        except Exception:
            log.exception("ignoring a request failed")
            await send_notice(interaction, Discord.SOMETHING_WENT_WRONG)


MODERATOR_ITEMS = (ReplyButton, IgnoreButton)
