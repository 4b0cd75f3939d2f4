"""Thin Telegram handlers: take the question out of the update, ask the service, send the reply.

Registered in reading order by `app.build_application`.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from adapters.telegram_bot import PLATFORM, views
from adapters.telegram_bot.addressing import (
    question_after_command,
    question_text,
    without_mention,
)
from adapters.telegram_bot.callbacks import (
    AskModerator,
    ChooseEntry,
    ChooseEntryToTeach,
    ChooseTopic,
    ConfirmReload,
    IgnoreRequest,
    ListTopics,
    TeachGap,
    UndoTeach,
    Vote,
    parse,
)
from adapters.telegram_bot.delivery import (
    drop_buttons,
    drop_vote_buttons,
    replace_menu,
    send_reply,
)
from adapters.telegram_bot.human import ask_pressed, consent_view, ignore_pressed, relay_reply
from adapters.telegram_bot.inline import inline_results
from adapters.telegram_bot.render import (
    Paragraph,
    Rendered,
    render_paragraphs,
    render_reply,
    shorten,
)
from adapters.telegram_bot.teaching import choose_entry, teach_pressed
from bot import messages
from bot.messages import Telegram
from bot.metrics import METRICS
from bot.reply import Question
from bot.service import RunbotService
from bot.votes import VoteOutcome

__all__ = [
    "RUNBOT",
    "Runbot",
    "ask",
    "ask_to_slow_down",
    "button",
    "gaps",
    "group_question",
    "help_command",
    "inline_query",
    "log_error",
    "moderators_chat_reply",
    "not_text",
    "private_question",
    "reload_knowledge",
    "source",
    "start",
    "stats",
    "topics",
    "unknown_command",
]

log = logging.getLogger(__name__)

RUNBOT = "runbot"
_INLINE_CACHE_SECONDS = 60  # short, so a knowledge reload shows up soon in inline results
_GAP_DAYS = 30  # /gaps without an argument
_MOST_GAP_DAYS = 365
_GAPS_SHOWN = 10
_TOAST_CHARS = 200  # Telegram's limit for a callback answer


@dataclass(frozen=True, slots=True)
class Runbot:
    """What the handlers need, kept in `application.bot_data[RUNBOT]`."""

    service: RunbotService
    moderator_ids: frozenset[int]
    moderator_chat_id: int | None
    retention_days: int
    ask_human: bool = False  # RUNBOT_ASK_A_HUMAN, with a moderators' chat and a question log


# --- commands ------------------------------------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet: what runbot knows, that it is not a doctor, and what it keeps."""
    runbot = _runbot(context)
    service = runbot.service
    view = views.start_view(
        service.topics(),
        service.sources().main,
        service.keeps_questions,
        runbot.retention_days,
        ask_human=runbot.ask_human,
    )
    await _send(update, view)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the commands and how to ask in groups and inline."""
    runbot = _runbot(context)
    view = views.help_view(context.bot.username, runbot.ask_human, runbot.retention_days)
    await _send(update, view)


async def topics(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the topics as buttons."""
    await _send(update, views.topics_view(_runbot(context).service.topics()))


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the question after /ask, or explain how to use it."""
    message = _message(update)
    question = question_after_command(message.text or "")
    if not question:
        await _say(update, Telegram.ASK_USAGE)
        return
    await _answer(update, context, question)


async def source(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Give the full attribution of the knowledge base."""
    await _send(update, views.source_view(_runbot(context).service.sources()))


async def reload_knowledge(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Moderators: validate and swap in the knowledge files, or report their errors."""
    if await _refused(update, context, "/reload"):
        return
    # Loading takes a moment: off the event loop, so other chats keep getting answers.
    runbot = _runbot(context)
    result = await asyncio.to_thread(runbot.service.reload)
    if _message(update).chat.id != runbot.moderator_chat_id:  # that chat gets a reload notice
        await _send(update, views.reload_view(result))


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Moderators, in private or their own chat: counts of questions and outcomes."""
    if await _refused(update, context, "/stats") or await _not_here(update, context, "/stats"):
        return
    await _send(update, views.stats_view(_runbot(context).service.stats()))


async def gaps(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Moderators, in private or their own chat: what runbot could not answer well."""
    if await _refused(update, context, "/gaps") or await _not_here(update, context, "/gaps"):
        return
    days = _gap_days(context.args or [])
    if days is None:
        await _say(update, Telegram.GAPS_USAGE.format(most=_MOST_GAP_DAYS, default=_GAP_DAYS))
        return
    # Grouping a big log takes a moment: off the event loop, so other chats keep getting answers.
    service = _runbot(context).service
    found = await asyncio.to_thread(service.gaps, days, _GAPS_SHOWN)
    offers = [service.offer_to_teach(gap.examples[0]) for gap in found or ()]
    await _send(update, views.gaps_view(found, days, service.question_log_problem, offers))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Point a private chat at /help for a command runbot does not have."""
    await _say(update, Telegram.UNKNOWN_COMMAND)


# --- messages ------------------------------------------------------------------------------


async def private_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In a private chat every text message (or photo caption) is a question."""
    await _answer(update, context, question_text(_message(update)))


async def group_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a group message (or photo caption) that mentions runbot or replies to it."""
    text = without_mention(question_text(_message(update)), context.bot.username)
    await _answer(update, context, text)


async def moderators_chat_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In the moderators' chat, a reply to a runner's request is relayed to the runner; any
    other reply to runbot is a question, as in every group."""
    runbot = _runbot(context)
    message = _message(update)
    replied = message.reply_to_message
    requests = runbot.service.human_requests if runbot.ask_human else None
    user = update.effective_user
    if requests is not None and replied is not None and user is not None:
        request_id = await asyncio.to_thread(requests.shown_in, PLATFORM, str(replied.message_id))
        if request_id is not None:
            if user.id not in runbot.moderator_ids:
                await _say(update, Telegram.MODERATORS_ONLY.format(command="replies to runners"))
                return
            await relay_reply(message, requests, request_id)
            return
    await group_question(update, context)


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say kindly that runbot reads text only (stickers, voice, uncaptioned photos)."""
    await _say(update, Telegram.TEXT_ONLY)


# --- inline mode and buttons ---------------------------------------------------------------


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer matching entries to share into any chat."""
    query = update.inline_query
    if query is None:
        return
    results = inline_results(_runbot(context).service, query.query)
    await query.answer(results, cache_time=_INLINE_CACHE_SECONDS)


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Act on an inline button: answer an entry, show a topic, or record feedback."""
    query = update.callback_query
    if query is None:
        return
    service = _runbot(context).service
    match parse(query.data):
        case ChooseEntry(entry_id):
            if query.message is None:  # a message sent inline: runbot has no chat to answer in
                await query.answer()
                return
            asker = str(query.from_user.id)
            question = Question(service.entry_title(entry_id) or entry_id, PLATFORM, asker)
            reply = service.answer_entry(entry_id, question)
            if reply is None:
                await query.answer(Telegram.ENTRY_GONE)
                return
            await query.answer()
            await send_reply(query.message, render_reply(reply), quote=False)
        case ChooseTopic(index):
            menus = service.topics()
            if index >= len(menus):
                await query.answer(Telegram.MENU_OUT_OF_DATE)
                return
            await query.answer()
            await replace_menu(query.message, views.topic_view(menus[index]))
        case ListTopics():
            await query.answer()
            await replace_menu(query.message, views.topics_view(service.topics()))
        case Vote(reply_id, helpful):
            voter = str(query.from_user.id)
            # Off the event loop: a vote on an answer from before a restart reads the log.
            outcome = await asyncio.to_thread(
                service.record_vote, reply_id, helpful, PLATFORM, voter
            )
            await query.answer(messages.vote_thanks(outcome, helpful))
            message = query.message
            counted = outcome in (VoteOutcome.COUNTED, VoteOutcome.CHANGED)
            if _runbot(context).ask_human and not helpful and counted and message is not None:
                days = _runbot(context).retention_days
                await send_reply(message, consent_view(reply_id, days), quote=False)
            # In a group every member may vote on an answer: the buttons stay for them.
            if message is not None and message.chat.type == ChatType.PRIVATE:
                await drop_vote_buttons(message)
        case ConfirmReload(token, remove):
            await _answer_reload_question(update, context, token, remove)
        case TeachGap() | UndoTeach() | ChooseEntryToTeach() as press:
            if query.from_user.id not in _runbot(context).moderator_ids:
                await query.answer(Telegram.MODERATORS_ONLY.format(command="these buttons"))
            elif isinstance(press, ChooseEntryToTeach):
                await choose_entry(query, service, press.token)
            else:
                await teach_pressed(query, service, press)
        case AskModerator() as press:
            runbot = _runbot(context)
            requests = service.human_requests if runbot.ask_human else None
            await ask_pressed(
                query, requests, press, runbot.retention_days, runbot.moderator_chat_id
            )
        case IgnoreRequest(request_id):
            if query.from_user.id not in _runbot(context).moderator_ids:
                await query.answer(Telegram.MODERATORS_ONLY.format(command="these buttons"))
            else:
                await ignore_pressed(query, service.human_requests, request_id)
        case None:  # not a button runbot makes (an old version's, or forged)
            await query.answer(Telegram.BUTTON_OUT_OF_DATE)


async def _answer_reload_question(
    update: Update, context: ContextTypes.DEFAULT_TYPE, token: str, remove: bool
) -> None:
    """A moderator's yes or no to a reload that removes red flags or entries."""
    query = update.callback_query
    if query is None:
        return
    runbot = _runbot(context)
    if query.from_user.id not in runbot.moderator_ids:
        await query.answer(Telegram.MODERATORS_ONLY.format(command="these buttons"))
        return
    if remove:  # loads again: applied only if the files still remove exactly what was shown
        result = await asyncio.to_thread(runbot.service.reload, token)
    else:
        result = runbot.service.decline_reload(token)
    # The moderators' chat hears of it from the service; the toast says how it went.
    await query.answer(shorten(result.headline, _TOAST_CHARS))
    await drop_buttons(query.message)
    message = query.message
    if message is not None and message.chat.id != runbot.moderator_chat_id:
        await send_reply(message, views.reload_view(result), quote=False)


async def ask_to_slow_down(update: Update) -> None:
    """Once per flood: a runner sends faster than runbot answers (see fairness.py)."""
    if update.message is None:  # button presses and inline queries: nothing to reply to
        return
    try:
        await _say(update, Telegram.SLOW_DOWN)
    except TelegramError as error:
        log.warning("could not ask a flooding sender to slow down: %s", error)


# --- errors --------------------------------------------------------------------------------


async def log_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log every error (tracebacks go to the log only); apologise for our own bugs."""
    error = context.error
    if isinstance(error, TelegramError):  # a Bot API call failed: the reply did not get out
        METRICS.count_send_failure(PLATFORM)
    if isinstance(error, RetryAfter):
        log.warning("Telegram flood control: asked to wait %s before retrying", error.retry_after)
    elif isinstance(error, BadRequest):
        log.error("Telegram rejected a request: %s", error.message, exc_info=error)
    elif isinstance(error, NetworkError):
        log.warning("network error talking to Telegram: %s", error)
    elif isinstance(error, TelegramError):
        log.error("Telegram error: %s", error, exc_info=error)
    else:
        log.error("unexpected error while handling an update", exc_info=error)
        if isinstance(update, Update):
            await _apologise(update)


async def _apologise(update: Update) -> None:
    """A toast for a button press (not a message the whole chat sees); else a reply."""
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(Telegram.SOMETHING_WENT_WRONG)
        elif update.effective_message is not None:
            await _say(update, Telegram.SOMETHING_WENT_WRONG)
    except TelegramError as failure:  # e.g. the query was already answered
        log.warning("could not apologise for the error: %s", failure)


# --- helpers -------------------------------------------------------------------------------


def _runbot(context: ContextTypes.DEFAULT_TYPE) -> Runbot:
    runbot = context.bot_data[RUNBOT]
    if not isinstance(runbot, Runbot):
        raise TypeError("build_application did not store the Runbot in bot_data")
    return runbot


def _message(update: Update) -> Message:
    if update.effective_message is None:
        raise ValueError("this handler is registered for messages only")
    return update.effective_message


async def _answer(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    user = update.effective_user
    question = Question(text, PLATFORM, str(user.id) if user else None)
    runbot = _runbot(context)
    await _send(update, render_reply(runbot.service.answer(question), ask_human=runbot.ask_human))


def _gap_days(args: list[str]) -> int | None:
    """The days after /gaps (default 30); None unless it is one whole number in range."""
    if not args:
        return _GAP_DAYS
    if len(args) != 1 or not args[0].isdecimal() or len(args[0]) > 3:
        return None
    days = int(args[0])
    return days if 1 <= days <= _MOST_GAP_DAYS else None


async def _refused(update: Update, context: ContextTypes.DEFAULT_TYPE, command: str) -> bool:
    user = update.effective_user
    if user is not None and user.id in _runbot(context).moderator_ids:
        return False
    await _say(update, Telegram.MODERATORS_ONLY.format(command=command))
    return True


async def _not_here(update: Update, context: ContextTypes.DEFAULT_TYPE, command: str) -> bool:
    """Reports of runners' questions are for a private chat or the moderators' chat only:
    every member of another group would see them."""
    chat = _message(update).chat
    if chat.type == ChatType.PRIVATE or chat.id == _runbot(context).moderator_chat_id:
        return False
    await _say(update, Telegram.NOT_IN_GROUPS.format(command=command))
    return True


async def _say(update: Update, text: str) -> None:
    await _send(update, render_paragraphs([Paragraph(text)]))


async def _send(update: Update, rendered: Rendered) -> None:
    """Reply in the update's chat; in groups, quoting the message replied to."""
    message = _message(update)
    await send_reply(message, rendered, quote=message.chat.type != ChatType.PRIVATE)
