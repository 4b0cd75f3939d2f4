"""The Discord client runbot runs as: its command tree, its gateway session, its service.

It knows no command or view: app.py registers them (the client is a `Host`, see host.py).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord
from discord import app_commands

from adapters.discord_bot import PLATFORM
from adapters.discord_bot.limits import MESSAGE_CONTENT, fit
from bot.human_help import HumanRequests
from bot.metrics import METRICS
from bot.service import RunbotService
from bot.settings import Settings

__all__ = ["DynamicItems", "InteractionHandler", "RunbotClient"]

log = logging.getLogger(__name__)

DynamicItems = Sequence[type[discord.ui.DynamicItem[Any]]]
InteractionHandler = Callable[[discord.Interaction[Any]], Awaitable[None]]

# runbot never speaks in voice channels: no warnings at start-up that voice is unsupported.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


class RunbotClient(discord.AutoShardedClient):
    """runbot on Discord: slash commands and their buttons, answered by the service.

    Sharded as Discord recommends; DISCORD_SHARD_COUNT and DISCORD_SHARD_IDS let several
    processes split the shards (any shard's interactions are answered alike: the state they
    need is in the question log's database).
    """

    def __init__(
        self,
        service: RunbotService,
        settings: Settings,
        *,
        dynamic_items: DynamicItems = (),
        on_other_interaction: InteractionHandler | None = None,
        **options: Any,
    ) -> None:
        """`dynamic_items`: the buttons and menus that outlive a restart (added at login);
        `on_other_interaction`: sees every interaction too (forms, components no item knows).
        """
        if settings.discord_shard_count is not None:
            options["shard_count"] = settings.discord_shard_count
        if settings.discord_shard_ids:
            options["shard_ids"] = list(settings.discord_shard_ids)
        # Slash commands need no privileged intents; the guilds intent caches roles, which
        # the moderator check reads.
        super().__init__(
            intents=discord.Intents(guilds=True),
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.service = service
        self.settings = settings
        self.tree: app_commands.CommandTree[RunbotClient] = app_commands.CommandTree(self)
        self._told_at_start = False
        self._dynamic_items = tuple(dynamic_items)
        self._on_other_interaction = on_other_interaction

    @property
    def human_requests(self) -> HumanRequests | None:
        """Runners' requests to the moderators, if asking one is on (RUNBOT_ASK_A_HUMAN, with
        a moderators' channel and the question log's database); None when it is off."""
        if self.settings.discord_moderator_channel_id is None:
            return None
        return self.service.human_requests if self.settings.runbot_ask_a_human else None

    async def setup_hook(self) -> None:
        self.add_dynamic_items(*self._dynamic_items)

    # The gateway session, as /healthz and /metrics report it. "connect" comes with READY
    # (interactions are answered from then on; "ready" waits for guilds too); discord.py
    # reconnects by itself, and says "connect" or "resumed" again.
    async def on_connect(self) -> None:
        METRICS.set_connected(PLATFORM, True)

    async def on_resumed(self) -> None:
        METRICS.set_connected(PLATFORM, True)

    async def on_disconnect(self) -> None:
        METRICS.set_connected(PLATFORM, False)

    async def on_ready(self) -> None:
        """Once, on the first connection: what the moderators must know (the log is off...)."""
        if self._told_at_start:
            return
        self._told_at_start = True
        problem = self.service.question_log_problem
        channel_id = self.settings.discord_moderator_channel_id
        if problem and channel_id is not None:
            try:
                await self.get_partial_messageable(channel_id).send(fit(problem, MESSAGE_CONTENT))
            except discord.HTTPException:
                log.warning("could not tell the moderators' channel %s", channel_id, exc_info=True)

    async def on_interaction(self, interaction: discord.Interaction[RunbotClient]) -> None:
        if self._on_other_interaction is not None:
            await self._on_other_interaction(interaction)
