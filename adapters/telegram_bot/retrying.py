"""Every Bot API call runbot makes survives a short fault: tried again with backoff.

PTB's AIORateLimiter already waits out flood control (429 with retry_after). A 5xx, a reset
connection, a timeout or a malformed answer (a proxy's error page) raised straight to the
handler, and the reply was dropped although the update had been taken. Those are tried
again, with growing pauses, for at most TELEGRAM_SEND_RETRY_SECONDS; a call still failing
then is given up, logged and counted (`on_lost`). Only calls that carry something to a
runner or moderator are retried. Rejections (400, 403) are never retried:
they would fail the same way again.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import AIORateLimiter

__all__ = ["RetryingRateLimiter", "is_transient"]

log = logging.getLogger(__name__)

_FIRST_PAUSE = 0.1
_GROWTH = 2.0
_LONGEST_PAUSE = 5.0
_MALFORMED = "Invalid server response"  # what PTB raises for an answer that isn't JSON


def is_transient(error: TelegramError) -> bool:
    """A failure that the same call may not meet again in a moment."""
    if isinstance(error, BadRequest):  # a NetworkError in PTB, but Telegram said no
        return False
    return isinstance(error, NetworkError) or error.message == _MALFORMED


class RetryingRateLimiter(AIORateLimiter):
    """AIORateLimiter, and transient failures tried again within a time budget."""

    def __init__(
        self,
        *,
        flood_retries: int,
        retry_seconds: float,
        retried: frozenset[str],
        on_lost: Callable[[str], None] = lambda method: None,
    ) -> None:
        """`retried`: the Bot API methods tried again (those that carry a reply); others,
        such as getMe at start, fail at once so that a wrong setting is said at once."""
        super().__init__(max_retries=flood_retries)
        self._retry_seconds = retry_seconds
        self._retried = retried
        self._on_lost = on_lost

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        deadline = time.monotonic() + (self._retry_seconds if endpoint in self._retried else 0)
        pause = _FIRST_PAUSE
        attempts = 1
        while True:
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except TelegramError as error:
                left = deadline - time.monotonic()
                if not is_transient(error) or left <= 0:
                    if is_transient(error) and endpoint in self._retried:
                        log.error(
                            "gave up calling Telegram's %s after %d attempt(s): %s",
                            endpoint,
                            attempts,
                            error,
                        )
                        self._on_lost(endpoint)
                    raise
                wait = min(pause * random.uniform(0.8, 1.2), left)
                log.info("Telegram's %s failed (%s); trying again in %.1f s", endpoint, error, wait)
                await asyncio.sleep(wait)
                pause = min(pause * _GROWTH, _LONGEST_PAUSE)
                attempts += 1
