"""runbot on Discord, wired: builds the client with its commands, views and dynamic items,
and the two ways to run it.

`serve` connects and answers until cancelled; `sync_commands` registers the slash commands
with Discord on demand (never on connect: ready fires again on every reconnect, and Discord
limits how often commands may be created). The modules below depend on the `Host` protocol
(host.py) or the service, never on the client class.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import discord
from discord import app_commands

from adapters.discord_bot import PLATFORM
from adapters.discord_bot.client import RunbotClient
from adapters.discord_bot.commands import add_commands
from adapters.discord_bot.human_replies import answer_form
from adapters.discord_bot.moderation import warn_about_moderator_role
from adapters.discord_bot.notices import send_notice
from adapters.discord_bot.reload_question import reload_question_view
from adapters.discord_bot.render import reload_embed
from adapters.discord_bot.views import DYNAMIC_ITEMS, is_ours
from bot.messages import Discord
from bot.metrics import METRICS
from bot.service import ReloadResult, RunbotService
from bot.settings import Settings

__all__ = ["ReloadAnnouncer", "build_client", "serve", "sync_commands"]

log = logging.getLogger(__name__)


def build_client(service: RunbotService, settings: Settings) -> RunbotClient:
    """The client with every command, view and dynamic item registered."""
    client = RunbotClient(
        service, settings, dynamic_items=DYNAMIC_ITEMS, on_other_interaction=_other_interaction
    )
    add_commands(client.tree)
    return client


async def _other_interaction(interaction: discord.Interaction[Any]) -> None:
    """Handle a moderator's reply form (runbot keeps no form in memory), and answer a
    runbot component no DynamicItem handles, e.g. one from an older runbot.

    discord.py ignores such a click silently and Discord shows "This interaction failed".
    """
    if interaction.type is discord.InteractionType.modal_submit:
        if not await answer_form(interaction):
            log.info("a form runbot does not know was submitted")
            await send_notice(interaction, Discord.FORM_OUT_OF_DATE)
        return
    if interaction.type is not discord.InteractionType.component or not interaction.data:
        return
    custom_id = str(interaction.data.get("custom_id", ""))
    if custom_id.startswith("runbot:") and not is_ours(custom_id):
        log.info("a component runbot no longer knows was used: %r", custom_id)
        await send_notice(interaction, Discord.OUT_OF_DATE)


class ReloadAnnouncer:
    """Posts every reload's result to the moderators' channel."""

    def __init__(self, client: RunbotClient, channel_id: int) -> None:
        self._client = client
        self._channel_id = channel_id

    async def __call__(self, result: ReloadResult) -> None:
        if self._client.is_closed():
            return
        channel = self._client.get_partial_messageable(self._channel_id)
        question = reload_question_view(result)  # yes / no when it removes red flags...
        try:
            if question is None:
                await channel.send(embed=reload_embed(result))
            else:
                await channel.send(embed=reload_embed(result), view=question)
        except discord.HTTPException:
            METRICS.count_send_failure(PLATFORM)
            log.warning(
                "could not post the reload result to channel %s", self._channel_id, exc_info=True
            )


async def serve(
    service: RunbotService, settings: Settings, stop: asyncio.Event | None = None
) -> None:
    """Log in, connect and answer until `stop` is set (or until cancelled).

    On `stop`, interactions being answered are finished first, within RUNBOT_STOP_SECONDS;
    the connection is closed on the way out.
    """
    token = _token(settings)
    warn_about_moderator_role(settings)
    client = build_client(service, settings)
    with contextlib.ExitStack() as listening:
        if settings.discord_moderator_channel_id is not None:
            announcer = ReloadAnnouncer(client, settings.discord_moderator_channel_id)
            # The service outlives this Discord session: stop announcing when it ends.
            listening.callback(service.on_reload_in_this_loop(announcer))
        listening.callback(METRICS.set_connected, PLATFORM, False)
        async with client:
            running = asyncio.create_task(client.start(token))
            stopping = asyncio.create_task((stop or asyncio.Event()).wait())
            try:
                await asyncio.wait([running, stopping], return_when=asyncio.FIRST_COMPLETED)
            except asyncio.CancelledError:  # cancelled, not stopped: discord.py closes it
                running.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await running
                raise
            finally:
                stopping.cancel()
            if running.done():
                await running  # it ended by itself: say why
                return
            await _finish_interactions(settings.runbot_stop_seconds)
            # As when cancelled: discord.py then closes the gateway normally (1000), where
            # close() alongside its reader races it into a "reconnect later" close (4000).
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await running


# discord.py runs each interaction's callback in a task of its own, named like these.
_INTERACTION_TASKS = ("CommandTree-invoker", "discord-ui-view-dispatch", "discord.py: ")


async def _finish_interactions(seconds: float) -> None:
    """Wait (at most `seconds`) for the interactions being answered."""
    me = asyncio.current_task()
    busy = [
        task
        for task in asyncio.all_tasks()
        if task is not me and task.get_name().startswith(_INTERACTION_TASKS)
    ]
    if not busy:
        return
    _, late = await asyncio.wait(busy, timeout=seconds)
    if late:
        log.warning(
            "stopping took longer than %.0f s (RUNBOT_STOP_SECONDS): %d interaction(s) were "
            "not finished",
            seconds,
            len(late),
        )


async def sync_commands(settings: Settings) -> int:
    """Register the slash commands: with the test guild if one is set, else globally.

    Returns how many commands Discord now has. A guild sync shows at once; a global one
    can take up to an hour to reach every server. Syncing needs only the commands, not the
    knowledge, so a broken knowledge file never blocks it.
    """
    token = _token(settings)
    # Logging in over REST only: no gateway, and no service to answer with. (The guilds
    # intent means nothing without a gateway; without it discord.py warns about its cache.)
    client = discord.Client(intents=discord.Intents(guilds=True))
    tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(client)
    add_commands(tree)
    async with client:
        await client.login(token)
        guild = discord.Object(settings.discord_guild_id) if settings.discord_guild_id else None
        if guild is not None:
            tree.copy_global_to(guild=guild)
        synced = await tree.sync(guild=guild)
    where = f"guild {settings.discord_guild_id}" if guild else "globally"
    log.info("synced %d slash commands %s", len(synced), where)
    return len(synced)


def _token(settings: Settings) -> str:
    if settings.discord_bot_token is None:
        raise ValueError(
            "DISCORD_BOT_TOKEN is not set: put the bot token in .env (see .env.example)"
        )
    return settings.discord_bot_token.get_secret_value()
