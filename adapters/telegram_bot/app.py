"""Run runbot on Telegram.

`serve(service, settings)` runs until cancelled: long polling, or PTB's webhook server when
TELEGRAM_WEBHOOK_URL is set. It uses PTB's manual lifecycle so that Telegram and Discord can
share one asyncio loop (`runbot run`). `build_application` shows all the wiring top to bottom.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlparse

from telegram import BotCommand
from telegram.error import Conflict, InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    InlineQueryHandler,
    JobQueue,
    MessageHandler,
    filters,
)

from adapters.telegram_bot import PLATFORM, handlers
from adapters.telegram_bot.addressing import AddressedToBot
from adapters.telegram_bot.connection import PollingReportsConnection
from adapters.telegram_bot.delivery import send
from adapters.telegram_bot.fairness import FairUpdateProcessor
from adapters.telegram_bot.handlers import RUNBOT, Runbot
from adapters.telegram_bot.logs import token_kept_out_of_logs
from adapters.telegram_bot.render import Paragraph, Rendered, render_paragraphs
from adapters.telegram_bot.retrying import RetryingRateLimiter
from adapters.telegram_bot.views import reload_view
from adapters.telegram_bot.webhook import WebhookReceiver
from bot.messages import Telegram
from bot.metrics import METRICS
from bot.service import ReloadResult, RunbotService
from bot.settings import Settings

__all__ = ["COMMANDS", "RunbotApplication", "build_application", "publish_commands", "serve"]

log = logging.getLogger(__name__)

RunbotApplication = Application[
    ExtBot[int],  # int: the rate limiter's per-call argument (max flood-control retries)
    ContextTypes.DEFAULT_TYPE,
    dict[Any, Any],
    dict[Any, Any],
    dict[Any, Any],
    JobQueue[ContextTypes.DEFAULT_TYPE],
]

# The menu Telegram shows next to the text box. Moderator commands are left out on purpose.
COMMANDS = tuple(BotCommand(name, said) for name, said in Telegram.COMMAND_MENU)
# AIORateLimiter waits out Telegram's flood control (429 retry_after) and tries again.
_FLOOD_RETRIES = 3
# Updates handled at the same time (each sender's in order; see fairness.py), and when one
# sender's backlog is a flood: asked to slow down at the first number, ignored beyond the second.
_AT_ONCE = 32
_SLOW_DOWN_AT = 20
_MOST_WAITING = 100
# Calls that carry something to a runner or moderator: retried, and counted when lost.
_DELIVERIES = frozenset(
    {
        "sendMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "answerCallbackQuery",
        "answerInlineQuery",
    }
)


def build_application(service: RunbotService, settings: Settings) -> RunbotApplication:
    """The PTB Application with every runbot handler registered, in reading order."""
    application = (
        ApplicationBuilder()
        .token(_token(settings))
        .base_url(settings.telegram_base_url)
        .rate_limiter(
            RetryingRateLimiter(
                flood_retries=_FLOOD_RETRIES,
                retry_seconds=settings.telegram_send_retry_seconds,
                retried=_DELIVERIES,
                on_lost=lambda method: service.count_lost_reply(),
            )
        )
        .get_updates_request(PollingReportsConnection())
        .post_init(publish_commands)
        .concurrent_updates(
            FairUpdateProcessor(
                at_once=_AT_ONCE,
                ask_to_slow_down_at=_SLOW_DOWN_AT,
                most_waiting=_MOST_WAITING,
                ask_to_slow_down=handlers.ask_to_slow_down,
            )
        )
        .build()
    )
    application.bot_data[RUNBOT] = Runbot(
        service=service,
        moderator_ids=frozenset(settings.telegram_moderator_ids),
        moderator_chat_id=settings.telegram_moderator_chat_id,
        retention_days=settings.runbot_retention_days,
        ask_human=bool(
            settings.runbot_ask_a_human
            and settings.telegram_moderator_chat_id is not None
            and service.human_requests is not None
        ),
    )
    # Edited messages are not asked again: only new messages count.
    new = filters.UpdateType.MESSAGE
    private = filters.ChatType.PRIVATE & new
    addressed = filters.ChatType.GROUPS & new & AddressedToBot()
    text = filters.TEXT & ~filters.COMMAND
    # A photo (or video, document) with a caption: the caption is the question.
    written = text | filters.CAPTION

    application.add_handler(CommandHandler("start", handlers.start, new))
    application.add_handler(CommandHandler("help", handlers.help_command, new))
    application.add_handler(CommandHandler("topics", handlers.topics, new))
    application.add_handler(CommandHandler("ask", handlers.ask, new))
    application.add_handler(CommandHandler("source", handlers.source, new))
    application.add_handler(CommandHandler("reload", handlers.reload_knowledge, new))
    application.add_handler(CommandHandler("stats", handlers.stats, new))
    application.add_handler(CommandHandler("gaps", handlers.gaps, new))
    application.add_handler(MessageHandler(private & filters.COMMAND, handlers.unknown_command))
    application.add_handler(MessageHandler(private & written, handlers.private_question))
    if settings.telegram_moderator_chat_id is not None:
        moderators = filters.Chat(settings.telegram_moderator_chat_id) & addressed & filters.REPLY
        application.add_handler(
            MessageHandler(moderators & written, handlers.moderators_chat_reply)
        )
    application.add_handler(MessageHandler(addressed & written, handlers.group_question))
    unreadable = ~filters.TEXT & ~filters.CAPTION & ~filters.StatusUpdate.ALL
    application.add_handler(MessageHandler(private & unreadable, handlers.not_text))
    application.add_handler(InlineQueryHandler(handlers.inline_query))
    application.add_handler(CallbackQueryHandler(handlers.button))
    application.add_error_handler(handlers.log_error)
    return application


async def publish_commands(application: RunbotApplication) -> None:
    """Show runbot's commands in Telegram's menu (setMyCommands); a failure is not fatal."""
    try:
        await application.bot.set_my_commands(COMMANDS)
    except TelegramError as error:
        log.warning("could not publish the command menu: %s", error)


async def serve(
    service: RunbotService, settings: Settings, stop: asyncio.Event | None = None
) -> None:
    """Run runbot on Telegram until `stop` is set (or until cancelled).

    On `stop`, the updates already taken from Telegram are answered before it returns,
    within RUNBOT_STOP_SECONDS.
    """
    webhook_secret = _webhook_secret(settings)
    with token_kept_out_of_logs(_token(settings), webhook_secret):
        # Before building: PTB logs its API URLs, token included, at DEBUG as the bot is made.
        application = build_application(service, settings)
        chat_id = settings.telegram_moderator_chat_id
        with _moderators_told_of_reloads(service, application, chat_id):
            try:
                await _run(application, settings, webhook_secret, stop)
            finally:  # after the last poll of stopping, which reports a connection too
                METRICS.set_connected(PLATFORM, False)


def _webhook_secret(settings: Settings) -> str | None:
    """The secret Telegram must send with every webhook call; None when polling.

    Without TELEGRAM_WEBHOOK_SECRET, a fresh random one per run (token_urlsafe uses only
    A-Z a-z 0-9 _ -, as Telegram requires): anyone who finds the URL could post forged
    updates otherwise. It is never logged.
    """
    if not settings.telegram_webhook_url:
        return None
    if settings.telegram_webhook_secret is not None:
        configured = settings.telegram_webhook_secret.get_secret_value()
        if configured:
            return configured
    return secrets.token_urlsafe(32)


async def _run(
    application: RunbotApplication,
    settings: Settings,
    webhook_secret: str | None,
    stop: asyncio.Event | None,
) -> None:
    try:
        await application.initialize()
    except BaseException as error:
        await application.bot.shutdown()  # PTB leaves its HTTP clients open when getMe fails
        if isinstance(error, InvalidToken):
            log.error("Telegram rejected the bot token: check TELEGRAM_BOT_TOKEN")
            # PTB's message quotes the token; whoever logs this exception must not see it.
            raise InvalidToken("Telegram rejected the bot token (TELEGRAM_BOT_TOKEN)") from None
        raise
    webhook: WebhookReceiver | None = None
    try:
        # run_polling/run_webhook call post_init; this manual lifecycle must do it itself.
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        webhook = await _start_receiving(application, settings, webhook_secret)
        # Polling updates this after every poll; a webhook is up once Telegram accepted it.
        METRICS.set_connected(PLATFORM, True)
        log.info("runbot is on Telegram as @%s", application.bot.username)
        await _tell_moderators_of_problems(application, settings)
        await (stop or asyncio.Event()).wait()  # or until cancelled
        await _finish_the_work_in_hand(application, webhook, settings.runbot_stop_seconds)
    finally:
        await _stop_receiving(application, webhook)
        if application.running:
            await application.stop()
        await application.shutdown()


async def _finish_the_work_in_hand(
    application: RunbotApplication, webhook: WebhookReceiver | None, seconds: float
) -> None:
    """Take no more updates, and answer those taken already (Telegram considers them
    delivered: the next poll confirmed them), for at most `seconds`."""
    try:
        async with asyncio.timeout(seconds):
            await _stop_receiving(application, webhook)
            if application.running:
                await application.stop()  # handles what is queued and waits for handlers
    except TimeoutError:
        log.warning(
            "stopping took longer than %.0f s (RUNBOT_STOP_SECONDS): updates still in hand "
            "were not answered",
            seconds,
        )
    else:
        log.info("Telegram: every update in hand was answered")


async def _start_receiving(
    application: RunbotApplication, settings: Settings, webhook_secret: str | None
) -> WebhookReceiver | None:
    """Long polling (PTB's updater), or runbot's own webhook server (returned)."""
    if settings.telegram_webhook_url and webhook_secret:
        path = urlparse(settings.telegram_webhook_url).path
        webhook = WebhookReceiver(application, path, webhook_secret)
        await webhook.start(
            settings.telegram_webhook_listen,
            settings.telegram_webhook_port,
            settings.telegram_webhook_url,
        )
        log.info("receiving Telegram updates by webhook at %s", settings.telegram_webhook_url)
        return webhook
    if application.updater is None:
        raise RuntimeError("the Application was built without an Updater")
    await application.updater.start_polling(error_callback=_log_polling_error)
    log.info("receiving Telegram updates by long polling")
    return None


async def _stop_receiving(application: RunbotApplication, webhook: WebhookReceiver | None) -> None:
    if webhook is not None:
        await webhook.stop()
    elif application.updater is not None and application.updater.running:
        await application.updater.stop()


def _log_polling_error(error: TelegramError) -> None:
    """PTB retries polling after any error; say clearly what went wrong meanwhile."""
    if isinstance(error, Conflict):
        log.error(
            "Conflict: terminated by other getUpdates request. Another program is polling "
            "with this bot token (a second runbot?), or a webhook is set: run only one."
        )
    elif isinstance(error, NetworkError):
        log.warning("network error while polling Telegram (retrying): %s", error)
    else:
        log.error("error while polling Telegram (retrying): %s", error)


@contextmanager
def _moderators_told_of_reloads(
    service: RunbotService, application: RunbotApplication, chat_id: int | None
) -> Iterator[None]:
    """While serving, tell the moderators' chat about every reload (e.g. by the file watcher)."""
    if chat_id is None:
        yield
        return

    async def tell(result: ReloadResult) -> None:
        await _send_notice(application, chat_id, reload_view(result))

    stop_telling = service.on_reload_in_this_loop(tell)
    try:
        yield
    finally:
        stop_telling()  # the service outlives this Telegram session


async def _send_notice(application: RunbotApplication, chat_id: int, rendered: Rendered) -> None:
    try:
        await send(application.bot, chat_id, rendered)
    except TelegramError as error:
        METRICS.count_send_failure(PLATFORM)
        log.warning("could not tell the moderators' chat: %s", error)


async def _tell_moderators_of_problems(application: RunbotApplication, settings: Settings) -> None:
    """Once, at start: what the moderators must know, e.g. that the question log is off."""
    problem = application.bot_data[RUNBOT].service.question_log_problem
    chat_id = settings.telegram_moderator_chat_id
    if problem and chat_id is not None:
        await _send_notice(application, chat_id, render_paragraphs([Paragraph(problem)]))


def _token(settings: Settings) -> str:
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    return settings.telegram_bot_token.get_secret_value()
