"""Who may use the moderator commands: checked at run time, whatever Discord shows whom."""

from __future__ import annotations

import logging
import re

import discord
from discord import app_commands

from bot.settings import Settings

__all__ = ["NotAModerator", "is_moderator", "warn_about_moderator_role"]

log = logging.getLogger(__name__)

_ROLE_ID = re.compile(r"[0-9]+")


class NotAModerator(app_commands.CheckFailure):
    """A moderator command was used by someone who is not a moderator."""


def is_moderator(user: discord.User | discord.Member, settings: Settings) -> bool:
    """A moderator has an id in DISCORD_MODERATOR_IDS or the DISCORD_MODERATOR_ROLE role.

    A role given by id counts in any server (role ids are unique). A role given by name
    (compared case-insensitively) counts only in the server DISCORD_GUILD_ID: anyone can
    create a role of that name in their own server and invite the bot there. Permissions
    alone never make a moderator: `default_permissions` is only a hint admins can change.
    """
    if user.id in settings.discord_moderator_ids:
        return True
    wanted = (settings.discord_moderator_role or "").strip()
    if not wanted or not isinstance(user, discord.Member):
        return False
    if _ROLE_ID.fullmatch(wanted) and any(role.id == int(wanted) for role in user.roles):
        return True
    home = settings.discord_guild_id
    if home is None or user.guild.id != home:
        return False
    return any(role.name.casefold() == wanted.casefold() for role in user.roles)


def warn_about_moderator_role(settings: Settings) -> None:
    """Say once, at start, if DISCORD_MODERATOR_ROLE is a name that can never match."""
    wanted = (settings.discord_moderator_role or "").strip()
    if wanted and not _ROLE_ID.fullmatch(wanted) and settings.discord_guild_id is None:
        log.warning(
            "DISCORD_MODERATOR_ROLE=%r is a role name, and a name only counts in the server "
            "DISCORD_GUILD_ID, which is not set: nobody is a moderator by that role. Put the "
            "role's id in DISCORD_MODERATOR_ROLE instead (Server Settings > Roles, right-click "
            "the role > Copy Role ID, with Developer Mode on)",
            wanted,
        )
