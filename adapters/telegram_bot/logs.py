"""Keep the bot token (and the webhook secret) out of every log line.

httpx logs request URLs at INFO, and Telegram's carry the token; tracebacks of network
errors can carry it too. We quiet httpx and redact the token from every record as well.
PTB logs every Bot API call's parameters at DEBUG, setWebhook's secret_token included.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["REDACTED", "REDACTED_SECRET", "TokenRedactor", "token_kept_out_of_logs"]

REDACTED = "<telegram-token>"
REDACTED_SECRET = "<webhook-secret>"


class TokenRedactor(logging.Filter):
    """Replaces the token (and webhook secret) in a record's message and traceback before
    any handler formats it."""

    def __init__(self, token: str, webhook_secret: str | None = None) -> None:
        super().__init__()
        pairs = ((token, REDACTED), (webhook_secret, REDACTED_SECRET))
        self._replacements = [(secret, label) for secret, label in pairs if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._replacements:
            return True
        message = record.getMessage()
        if any(secret in message for secret, _ in self._replacements):
            record.msg = self._redact(message)
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self._redact(record.stack_info)
        return True

    def _redact(self, text: str) -> str:
        for secret, label in self._replacements:
            text = text.replace(secret, label)
        return text


@contextmanager
def token_kept_out_of_logs(
    token: str, webhook_secret: str | None = None
) -> Iterator[TokenRedactor]:
    """Quiet httpx and redact `token` (and `webhook_secret`) in every root handler while the
    block runs."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    redactor = TokenRedactor(token, webhook_secret)
    # Handler filters see records from every logger (logger filters only see their own).
    handlers = list(logging.getLogger().handlers)
    for handler in handlers:
        handler.addFilter(redactor)
    try:
        yield redactor
    finally:
        for handler in handlers:
            handler.removeFilter(redactor)
