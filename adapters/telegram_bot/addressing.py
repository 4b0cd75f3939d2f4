"""Which group messages are meant for runbot, and the question inside a message."""

from __future__ import annotations

import re

from telegram import Message, MessageEntity
from telegram.ext import filters

__all__ = ["AddressedToBot", "question_after_command", "question_text", "without_mention"]


class AddressedToBot(filters.MessageFilter):
    """A message that replies to one of runbot's messages or mentions it."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        replied = message.reply_to_message
        if replied and replied.from_user and replied.from_user.id == bot.id:
            return True
        handle = f"@{bot.username}".casefold()
        kinds: list[str | None] = [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
        # A photo's caption carries its mentions as caption entities.
        mentions = message.parse_entities(kinds) | message.parse_caption_entities(kinds)
        return any(
            (entity.user is not None and entity.user.id == bot.id) or text.casefold() == handle
            for entity, text in mentions.items()
        )


def question_text(message: Message) -> str:
    """What a runner typed: the text, or the caption of a photo (or other media)."""
    return message.text or message.caption or ""


def without_mention(text: str, bot_username: str) -> str:
    """The question with runbot's @mention taken out."""
    stripped = re.sub(rf"@{re.escape(bot_username)}\b", " ", text, flags=re.IGNORECASE)
    return " ".join(stripped.split())


def question_after_command(text: str) -> str:
    """What follows `/ask` (or `/ask@botname`), inner line breaks kept."""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""
