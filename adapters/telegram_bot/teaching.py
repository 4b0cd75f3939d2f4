"""The gap report's teach buttons: moderators teach a gap's question to an entry, or undo it.

Each /gaps line gets "Teach to <nearest entry>" and "Choose entry"; a taught question is
written to its YAML file (bot.teach) and the knowledge reloaded, with an Undo button.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup

from adapters.telegram_bot.callbacks import ChooseEntryToTeach, TeachGap, UndoTeach, encode
from adapters.telegram_bot.delivery import drop_buttons, send_reply
from adapters.telegram_bot.render import Paragraph, Rendered, Style, render_paragraphs, shorten
from bot import messages
from bot.gaps import Gap
from bot.messages import Telegram
from bot.service import RunbotService
from bot.teach import TeachRefusedError

__all__ = ["choose_entry", "gap_rows", "teach_pressed"]

_LABEL = 60  # characters of a button label Telegram shows on a phone, roughly
_QUESTION = 200


def gap_rows(gaps: Sequence[Gap], tokens: Sequence[str]) -> list[list[InlineKeyboardButton]]:
    """One row per gap: teach its question to the nearest entry, or choose the entry."""
    rows = []
    for number, (gap, token) in enumerate(zip(gaps, tokens, strict=True), start=1):
        row = []
        if gap.nearest_entry:
            teach = messages.TEACH_TO.format(entry=gap.nearest_entry)
            label = shorten(f"{number}. {teach}", _LABEL)
            row.append(_button(label, TeachGap(token, gap.nearest_entry)))
        row.append(_button(f"{number}. {messages.CHOOSE_ENTRY}", ChooseEntryToTeach(token)))
        rows.append(row)
    return rows


async def choose_entry(query: CallbackQuery, service: RunbotService, token: str) -> None:
    """Offer the entries nearest to a gap's question, one button each."""
    question = await asyncio.to_thread(service.offered, token)
    if question is None or query.message is None:
        await query.answer(Telegram.TEACH_GONE)
        return
    await query.answer()
    rows = [
        [_button(shorten(f"{entry.id}: {entry.title}", _LABEL), TeachGap(token, entry.id))]
        for entry in service.entries_for(question)
    ]
    rendered = render_paragraphs(
        [Paragraph(messages.TEACH_WHICH.format(question=shorten(question, _QUESTION)))],
        InlineKeyboardMarkup(rows),
    )
    await send_reply(query.message, rendered, quote=False)


async def teach_pressed(
    query: CallbackQuery, service: RunbotService, press: TeachGap | UndoTeach
) -> None:
    """Teach (or take back) a gap's question, then say how it went, with an Undo button."""
    question = await asyncio.to_thread(service.offered, press.token)
    if question is None or query.message is None:
        await query.answer(Telegram.TEACH_GONE)
        return
    undo = isinstance(press, UndoTeach)
    work = service.unteach if undo else service.teach
    try:
        # Writing, checking and reloading take a moment: off the event loop.
        lesson, reload = await asyncio.to_thread(work, press.entry_id, question)
    except TeachRefusedError as error:
        await query.answer(Telegram.NOT_UNDONE_TOAST if undo else Telegram.NOT_TAUGHT_TOAST)
        await send_reply(query.message, _refused(str(error), undo), quote=False)
        return
    await query.answer(Telegram.UNTAUGHT_TOAST if undo else Telegram.TAUGHT_TOAST)
    shown = shorten(question, _QUESTION)
    keyboard = None
    if undo:
        said = messages.UNTAUGHT.format(question=shown, entry=lesson.entry_id, where=lesson.where)
    else:
        said = messages.TAUGHT.format(question=shown, entry=lesson.entry_id, where=lesson.where)
        keyboard = InlineKeyboardMarkup(
            [[_button(messages.UNDO, UndoTeach(press.token, lesson.entry_id))]]
        )
    if undo or _is_choice(query):  # the Undo, or the "to which entry?" buttons, are used up
        await drop_buttons(query.message)
    paragraphs = [Paragraph(said), Paragraph(reload.headline)]
    await send_reply(query.message, render_paragraphs(paragraphs, keyboard), quote=False)


def _is_choice(query: CallbackQuery) -> bool:
    """Whether the button was on a "to which entry?" message (not on the report itself)."""
    message = query.message
    text = getattr(message, "text", None) or ""
    return text.startswith(messages.TEACH_WHICH.partition("{")[0])


def _refused(reason: str, undo: bool) -> Rendered:
    headline, _, details = reason.partition("\n")
    said = messages.NOT_UNDONE if undo else messages.NOT_TAUGHT
    paragraphs = [Paragraph(f"{said}: {headline}", Style.BOLD)]
    if details:
        paragraphs.append(Paragraph(details, Style.PRE))
    return render_paragraphs(paragraphs)


def _button(label: str, press: TeachGap | UndoTeach | ChooseEntryToTeach) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode(press))
