"""What runbot's commands and buttons need of the Discord client they run on.

They depend on this protocol, never on the client class: app.py builds the client, and
registers the commands, views and dynamic items on it.
"""

from __future__ import annotations

from typing import Any, Protocol

import discord

from bot.human_help import HumanRequests
from bot.service import RunbotService
from bot.settings import Settings

__all__ = ["Host", "host_of"]


class Host(Protocol):
    @property
    def service(self) -> RunbotService: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def human_requests(self) -> HumanRequests | None:
        """Runners' requests to the moderators; None when asking one is off."""
        ...


def host_of(interaction: discord.Interaction[Any]) -> Host:
    """The runbot that received `interaction` (the client app.py built)."""
    host: Host = interaction.client
    return host
