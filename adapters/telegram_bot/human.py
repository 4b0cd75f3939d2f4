"""Ask a moderator, on Telegram: consent, the request in the moderators' chat, the reply back.

A fallback (or a "not helpful" vote) offers it; the runner is told what it shares and says
yes; the moderators' chat sees only the question and the kind of chat; a moderator answers
by replying to that message, and runbot sends the reply to the runner's chat, labelled as
from a moderator. Requests live in the question log's database (bot.human_help).
"""

from __future__ import annotations

import asyncio
import json

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import ChatType, ParseMode

from adapters.telegram_bot import PLATFORM
from adapters.telegram_bot.callbacks import AskModerator, IgnoreRequest, encode
from adapters.telegram_bot.delivery import drop_buttons, replace_menu, send, send_reply
from adapters.telegram_bot.render import Paragraph, Rendered, Style, render_paragraphs
from bot import messages
from bot.human_help import HumanRequests, RequestOutcome

__all__ = ["ask_pressed", "consent_view", "ignore_pressed", "relay_reply"]

_TOLD = {
    RequestOutcome.ALREADY_PENDING: messages.HUMAN_ALREADY_PENDING,
    RequestOutcome.NOT_YOURS: messages.HUMAN_NOT_YOURS,
    RequestOutcome.UNKNOWN: messages.HUMAN_UNKNOWN,
}


def consent_view(reply_id: str, days: int) -> Rendered:
    """What asking a moderator shares, and the runner's yes or no."""
    yes = InlineKeyboardButton(
        messages.HUMAN_YES, callback_data=encode(AskModerator(reply_id, consent=True))
    )
    return render_paragraphs(
        [Paragraph(messages.human_consent("Telegram", days))], InlineKeyboardMarkup([[yes]])
    )


async def ask_pressed(
    query: CallbackQuery,
    requests: HumanRequests | None,
    press: AskModerator,
    days: int,
    moderator_chat_id: int | None,
) -> None:
    """The runner's "Ask a moderator" (shows what it shares) or their yes (sends it)."""
    message = query.message
    if requests is None or moderator_chat_id is None or not isinstance(message, Message):
        await query.answer(messages.HUMAN_OFF)
        return
    if not press.consent:
        await query.answer()
        await send_reply(message, consent_view(press.reply_id, days), quote=False)
        return
    origin = "a private chat" if message.chat.type == ChatType.PRIVATE else "a group"
    thread = message.message_thread_id if message.is_topic_message else None
    address = json.dumps({"chat": message.chat.id, "thread": thread})
    outcome, request = await asyncio.to_thread(
        requests.request, press.reply_id, PLATFORM, str(query.from_user.id), origin, address
    )
    if request is None:
        await query.answer(_TOLD[outcome], show_alert=True)
        return
    bot = query.get_bot()
    posted = await bot.send_message(
        chat_id=moderator_chat_id,
        text=render_paragraphs(
            [
                Paragraph(messages.human_request_heading("Telegram", request.origin), Style.BOLD),
                Paragraph(request.question),
                Paragraph(messages.HUMAN_HOW_TO_REPLY_TELEGRAM),
            ]
        ).messages[0],
        parse_mode=ParseMode.HTML,
        reply_markup=InlineKeyboardMarkup([[_ignore_button(request.id)]]),
    )
    await asyncio.to_thread(requests.posted, request.id, str(posted.message_id))
    await query.answer()
    await replace_menu(message, render_paragraphs([Paragraph(messages.HUMAN_SENT)]))


async def relay_reply(message: Message, requests: HumanRequests, request_id: str) -> None:
    """A moderator's reply to a request: to the runner's chat, labelled; the chat is told."""
    request = await asyncio.to_thread(requests.close, request_id, "answered")
    if request is None:
        await message.reply_text(messages.HUMAN_ALREADY_CLOSED)
        return
    address = json.loads(request.address)
    relayed = render_paragraphs(
        [
            Paragraph(messages.human_reply_heading(request.question), Style.BOLD),
            Paragraph(message.text or message.caption or ""),
            Paragraph(messages.HUMAN_REPLY_LABEL, Style.ITALIC),
        ]
    )
    await send(message.get_bot(), int(address["chat"]), relayed, thread_id=address.get("thread"))
    await message.reply_text(messages.HUMAN_RELAYED)


async def ignore_pressed(
    query: CallbackQuery, requests: HumanRequests | None, request_id: str
) -> None:
    """A moderator ignores a request: it is closed, and the runner is not told."""
    if requests is not None:
        await asyncio.to_thread(requests.close, request_id, "ignored")
    await query.answer(messages.HUMAN_IGNORED)
    await drop_buttons(query.message)


def _ignore_button(request_id: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        messages.HUMAN_IGNORE, callback_data=encode(IgnoreRequest(request_id))
    )
