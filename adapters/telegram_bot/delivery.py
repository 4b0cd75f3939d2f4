"""Send rendered messages to Telegram: replies, menus edited in place, notices to a chat."""

from __future__ import annotations

from telegram import (
    Bot,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    MaybeInaccessibleMessage,
    Message,
    ReplyParameters,
)
from telegram.constants import ParseMode

from adapters.telegram_bot.callbacks import Vote, parse
from adapters.telegram_bot.render import Rendered

__all__ = ["drop_buttons", "drop_vote_buttons", "replace_menu", "send", "send_reply"]

_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def send_reply(message: MaybeInaccessibleMessage, rendered: Rendered, *, quote: bool) -> None:
    """Send `rendered` into the message's chat (and forum topic); `quote` quotes it first."""
    quoted = ReplyParameters(message.message_id, allow_sending_without_reply=True)
    await send(
        message.get_bot(),
        message.chat.id,
        rendered,
        quoted if quote else None,
        thread_id=_topic_of(message),
    )


async def send(
    bot: Bot,
    chat_id: int,
    rendered: Rendered,
    quoted: ReplyParameters | None = None,
    *,
    thread_id: int | None = None,
) -> None:
    """Send every part in order; the keyboard goes on the last part, the quote on the first.

    `thread_id` keeps every part in that forum topic (else they land in "General").
    """
    for number, text in enumerate(rendered.messages, start=1):
        await bot.send_message(
            chat_id=chat_id,
            text=text,
            parse_mode=ParseMode.HTML,
            link_preview_options=_NO_PREVIEW,
            reply_markup=rendered.keyboard if number == len(rendered.messages) else None,
            reply_parameters=quoted if number == 1 else None,
            message_thread_id=thread_id,
        )


def _topic_of(message: MaybeInaccessibleMessage) -> int | None:
    """The forum topic a message is in; None outside topics (a reply thread is not one)."""
    if isinstance(message, Message) and message.is_topic_message:
        return message.message_thread_id
    return None


async def replace_menu(message: MaybeInaccessibleMessage | None, rendered: Rendered) -> None:
    """Replace a menu message in place (menus are short: one message)."""
    if not isinstance(message, Message):
        return  # too old to edit, or sent inline
    await message.edit_text(
        rendered.messages[0],
        parse_mode=ParseMode.HTML,
        link_preview_options=_NO_PREVIEW,
        reply_markup=rendered.keyboard,
    )


async def drop_vote_buttons(message: MaybeInaccessibleMessage | None) -> None:
    """After a vote, keep the follow-up buttons but not the feedback ones."""
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    rows = message.reply_markup.inline_keyboard
    kept = [row for row in rows if not any(_is_vote(button.callback_data) for button in row)]
    if len(kept) != len(rows):
        await message.edit_reply_markup(InlineKeyboardMarkup(kept) if kept else None)


def _is_vote(callback_data: object) -> bool:
    return isinstance(callback_data, str) and isinstance(parse(callback_data), Vote)


async def drop_buttons(message: MaybeInaccessibleMessage | None) -> None:
    """Take every button off a message (a question that has been answered)."""
    if isinstance(message, Message) and message.reply_markup is not None:
        await message.edit_reply_markup(None)
