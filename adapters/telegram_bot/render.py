"""Turn a Reply (or any adapter text) into Telegram HTML messages and an inline keyboard.

All knowledge and user text is escaped here and nowhere else, so no input can produce a
"can't parse entities" error. Messages are split at paragraph boundaries to fit Telegram's
4,096-character limit, which counts UTF-16 code units of the text after parsing.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from adapters.telegram_bot.callbacks import AskModerator, ChooseEntry, Vote, encode
from bot import messages
from bot.reply import Reply, Status, Suggestion

__all__ = [
    "HELPFUL_LABEL",
    "NOT_HELPFUL_LABEL",
    "Paragraph",
    "Rendered",
    "Style",
    "entry_buttons",
    "render_paragraphs",
    "render_reply",
    "shorten",
    "split_paragraphs",
    "telegram_length",
]

HELPFUL_LABEL = f"👍 {messages.HELPFUL}"
NOT_HELPFUL_LABEL = f"👎 {messages.NOT_HELPFUL}"


class Style(Enum):
    PLAIN = "plain"
    BOLD = "b"
    ITALIC = "i"
    PRE = "pre"


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of plain text and how to show it; escaped only when rendered."""

    text: str
    style: Style = Style.PLAIN

    @property
    def html(self) -> str:
        escaped = html.escape(self.text, quote=False)
        if self.style is Style.PLAIN:
            return escaped
        return f"<{self.style.value}>{escaped}</{self.style.value}>"


@dataclass(frozen=True, slots=True)
class Rendered:
    """The HTML messages to send in order; the keyboard goes on the last one."""

    messages: tuple[str, ...]
    keyboard: InlineKeyboardMarkup | None = None


def render_reply(reply: Reply, *, buttons: bool = True, ask_human: bool = False) -> Rendered:
    """The Telegram form of a reply; `buttons=False` where buttons cannot work (inline mode).

    `ask_human`: a fallback offers to ask the moderators (RUNBOT_ASK_A_HUMAN).
    """
    paragraphs: list[Paragraph] = []
    if reply.headline:
        paragraphs.append(Paragraph(reply.headline, Style.BOLD))
    paragraphs += [Paragraph(part) for part in reply.body.split("\n\n") if part.strip()]
    if reply.caveat:
        paragraphs.append(Paragraph(messages.research_note(reply.caveat), Style.ITALIC))
    if reply.basis:
        paragraphs.append(Paragraph(messages.urgent_basis(reply.basis), Style.ITALIC))
    if reply.attribution:
        paragraphs.append(Paragraph(reply.attribution.line))
    if reply.disclaimer:
        paragraphs.append(Paragraph(reply.disclaimer, Style.ITALIC))
    # Urgent replies stand alone: nothing that invites the runner to read on instead of acting.
    if not buttons or reply.status is Status.URGENT:
        return render_paragraphs(paragraphs)
    rows = entry_buttons(reply.suggestions)
    intro = messages.suggestions_intro(reply.suggestions_kind)
    if reply.suggestions and intro:
        paragraphs.append(Paragraph(intro))
    if ask_human and reply.status is Status.FALLBACK and not reply.small_talk and reply.reply_id:
        ask = AskModerator(reply.reply_id, consent=False)
        rows.append([InlineKeyboardButton(messages.ASK_MODERATOR, callback_data=encode(ask))])
    if reply.status is Status.ANSWERED and reply.reply_id:
        rows.append(
            [
                InlineKeyboardButton(
                    HELPFUL_LABEL, callback_data=encode(Vote(reply.reply_id, True))
                ),
                InlineKeyboardButton(
                    NOT_HELPFUL_LABEL, callback_data=encode(Vote(reply.reply_id, False))
                ),
            ]
        )
    return render_paragraphs(paragraphs, InlineKeyboardMarkup(rows) if rows else None)


def entry_buttons(suggestions: Sequence[Suggestion]) -> list[list[InlineKeyboardButton]]:
    """One button per entry, one per row (titles are long), each answering that entry."""
    return [
        [InlineKeyboardButton(item.title, callback_data=encode(ChooseEntry(item.id)))]
        for item in suggestions
    ]


def render_paragraphs(
    paragraphs: Sequence[Paragraph], keyboard: InlineKeyboardMarkup | None = None
) -> Rendered:
    """HTML messages for `paragraphs`, split to fit Telegram's message limit."""
    chunks = split_paragraphs(paragraphs)
    return Rendered(tuple("\n\n".join(p.html for p in chunk) for chunk in chunks), keyboard)


def split_paragraphs(
    paragraphs: Sequence[Paragraph], limit: int = MessageLimit.MAX_TEXT_LENGTH
) -> list[list[Paragraph]]:
    """Group paragraphs into messages of at most `limit`; cut only a paragraph too long alone."""
    chunks: list[list[Paragraph]] = []
    current: list[Paragraph] = []
    size = 0
    for paragraph in paragraphs:
        for piece in _cut(paragraph, limit):
            length = telegram_length(piece.text)
            if current and size + 2 + length > limit:
                chunks.append(current)
                current, size = [], 0
            size += length + (2 if current else 0)
            current.append(piece)
    if current:
        chunks.append(current)
    return chunks


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji may count as two)."""
    return len(text.encode("utf-16-le")) // 2


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis if cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    window = text[: limit - 1]
    cut = window if text[limit - 1] == " " else (window.rsplit(" ", 1)[0] or window)
    return cut.rstrip(" ,;:.") + "…"


def _cut(paragraph: Paragraph, limit: int) -> list[Paragraph]:
    text = paragraph.text.strip()
    pieces: list[str] = []
    while telegram_length(text) > limit:
        end = _fitting_prefix(text, limit)
        window = text[:end]
        at = window.rfind("\n")
        if at <= 0:
            at = window.rfind(" ")
        if at <= 0:
            at = end
        pieces.append(text[:at].rstrip())
        text = text[at:].lstrip()
    if text:
        pieces.append(text)
    return [Paragraph(piece, paragraph.style) for piece in pieces]


def _fitting_prefix(text: str, limit: int) -> int:
    """The largest end index such that text[:end] is at most `limit` UTF-16 units."""
    units = 0
    for index, character in enumerate(text):
        units += 2 if ord(character) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)
