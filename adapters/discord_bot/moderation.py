"""Who may use the moderator commands: checked at run time, whatever Discord shows whom."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.settings import Settings

__all__ = ["NotAModerator", "is_moderator"]


class NotAModerator(app_commands.CheckFailure):
    """A moderator command was used by someone who is not a moderator."""


def is_moderator(user: discord.User | discord.Member, settings: Settings) -> bool:
    """A moderator has an id in DISCORD_MODERATOR_IDS or the DISCORD_MODERATOR_ROLE role.

    The role may be given by name (compared case-insensitively) or by id. Permissions alone
    never make a moderator: `default_permissions` is only a hint server admins can change.
    """
    if user.id in settings.discord_moderator_ids:
        return True
    wanted = (settings.discord_moderator_role or "").strip()
    if not wanted or not isinstance(user, discord.Member):
        return False
    return any(
        role.name.casefold() == wanted.casefold() or str(role.id) == wanted for role in user.roles
    )
