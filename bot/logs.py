"""Where runbot's log goes and what it looks like: text or JSON lines, terminal or file.

Redaction is not done here: adapters add filters to the root logger's handlers (see
adapters/telegram_bot/logs.py), and both formats print the message and traceback those
filters leave.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from bot.settings import Settings

__all__ = ["RELOAD_EVENT", "JsonFormatter", "configure_logging", "quiet_for_chat"]

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Records about a knowledge reload carry `extra={"event": RELOAD_EVENT}`: the console chat
# announces reloads itself, so its terminal log leaves them out.
RELOAD_EVENT = "reload"
_HANDLER_NAME = "runbot"


class JsonFormatter(logging.Formatter):
    """One JSON object a line, for log shippers: time, level, logger, message, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, str] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        event = getattr(record, "event", None)
        if isinstance(event, str):
            entry["event"] = event
        # exc_text first: a redacting filter may already have written it, without the secret.
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(settings: Settings, platform_libraries: Iterable[str]) -> None:
    """Set levels, and send the log to RUNBOT_LOG_FILE or stderr in RUNBOT_LOG_FORMAT.

    `platform_libraries`: the loggers of the platforms' libraries (adapters/platforms.py).
    """
    root = logging.getLogger()
    # Like logging.basicConfig: a program that set up logging already (pytest does) keeps it.
    if all(handler.get_name() == _HANDLER_NAME for handler in root.handlers):
        for handler in list(root.handlers):
            root.removeHandler(handler)
        root.addHandler(_handler(settings))
    root.setLevel(settings.runbot_log_level)
    # httpx logs request URLs at INFO, and Telegram's carry the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # At DEBUG the platform libraries log whole updates and interactions: runners' names,
    # ids and questions, and Discord's interaction tokens. RUNBOT_LOG_LEVEL=DEBUG is for
    # runbot's own code only.
    for library in platform_libraries:
        logging.getLogger(library).setLevel(max(logging.INFO, root.level))
    logging.getLogger("watchfiles").setLevel(logging.WARNING)  # "1 change detected", per save


def _handler(settings: Settings) -> logging.Handler:
    handler: logging.Handler
    if settings.runbot_log_file is not None:
        handler = logging.FileHandler(settings.runbot_log_file, encoding="utf-8")
    else:
        handler = logging.StreamHandler()
    handler.set_name(_HANDLER_NAME)
    json_lines = settings.runbot_log_format == "json"
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(TEXT_FORMAT))
    return handler


class _NotAboutReloads(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "event", None) != RELOAD_EVENT


@contextmanager
def quiet_for_chat() -> Iterator[None]:
    """While the console chat runs, log to the terminal only warnings, and not reloads.

    The chat shares the terminal with the log: it announces reloads itself, on a line of
    their own. A log file (RUNBOT_LOG_FILE) keeps everything at RUNBOT_LOG_LEVEL.
    """
    terminal = [
        handler
        for handler in logging.getLogger().handlers
        if handler.get_name() == _HANDLER_NAME and not isinstance(handler, logging.FileHandler)
    ]
    levels = [handler.level for handler in terminal]
    not_about_reloads = _NotAboutReloads()
    for handler in terminal:
        handler.setLevel(max(handler.level, logging.WARNING))
        handler.addFilter(not_about_reloads)
    try:
        yield
    finally:
        for handler, level in zip(terminal, levels, strict=True):
            handler.setLevel(level)
            handler.removeFilter(not_about_reloads)
