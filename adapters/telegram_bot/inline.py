"""Inline mode: `@botname side stitch` in any chat offers entries to share into it."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, LinkPreviewOptions
from telegram.constants import InlineQueryLimit, ParseMode

from adapters.telegram_bot.render import render_reply, shorten
from bot.reply import Reply, Status
from bot.service import RunbotService

__all__ = ["inline_results"]

_DESCRIPTION_CHARS = 120


def inline_results(service: RunbotService, query: str) -> list[InlineQueryResultArticle]:
    """Matching entries, best first; a red-flag query gets its urgent reply alone."""
    if query.strip():
        preview = service.preview(query)
        if preview.status is Status.URGENT:
            return [_article("urgent", preview)]
    results = []
    for suggestion in service.suggest(query, InlineQueryLimit.RESULTS):
        reply = service.entry_reply(suggestion.id)
        if reply is not None:
            results.append(_article(suggestion.id, reply))
    return results


def _article(result_id: str, reply: Reply) -> InlineQueryResultArticle:
    # Buttons would not work in chats runbot is not in: the shared message is text only,
    # and an answer fits one message (knowledge answers are capped well below the limit).
    text = render_reply(reply, buttons=False).messages[0]
    source = f" ({reply.attribution.author})" if reply.attribution else ""
    return InlineQueryResultArticle(
        id=result_id,
        title=reply.headline or shorten(reply.body, 60),
        description=shorten(reply.body, _DESCRIPTION_CHARS - len(source)) + source,
        input_message_content=InputTextMessageContent(
            text,
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ),
    )
