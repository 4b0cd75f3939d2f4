"""Keep the bot token out of every log line.

httpx logs request URLs at INFO, and Telegram's carry the token; tracebacks of network
errors can carry it too. We quiet httpx and redact the token from every record as well.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["REDACTED", "TokenRedactor", "token_kept_out_of_logs"]

REDACTED = "<telegram-token>"


class TokenRedactor(logging.Filter):
    """Replaces the token in a record's message and traceback before any handler formats it."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._token:
            return True
        message = record.getMessage()
        if self._token in message:
            record.msg = message.replace(self._token, REDACTED)
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self._token in record.exc_text:
            record.exc_text = record.exc_text.replace(self._token, REDACTED)
        if record.stack_info and self._token in record.stack_info:
            record.stack_info = record.stack_info.replace(self._token, REDACTED)
        return True


@contextmanager
def token_kept_out_of_logs(token: str) -> Iterator[TokenRedactor]:
    """Quiet httpx and redact `token` in every root handler while the block runs."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    redactor = TokenRedactor(token)
    # Handler filters see records from every logger (logger filters only see their own).
    handlers = list(logging.getLogger().handlers)
    for handler in handlers:
        handler.addFilter(redactor)
    try:
        yield redactor
    finally:
        for handler in handlers:
            handler.removeFilter(redactor)
