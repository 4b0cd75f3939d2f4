"""Whether runbot is connected to Telegram, as /healthz and /metrics report it.

Long polling asks Telegram for updates every few seconds: each answered getUpdates says
runbot is connected, each failed one that it is not. PTB has no hook for a poll that worked
after errors, so the request object PTB polls with reports it.
"""

from __future__ import annotations

from typing import Any

from telegram.error import NetworkError
from telegram.request import HTTPXRequest

from adapters.telegram_bot import PLATFORM
from bot.metrics import METRICS

__all__ = ["PollingReportsConnection"]


class PollingReportsConnection(HTTPXRequest):
    """PTB's default getUpdates request (one connection), telling METRICS how each poll went."""

    def __init__(self) -> None:
        super().__init__(connection_pool_size=1)

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        try:
            status, payload = await super().do_request(*args, **kwargs)
        except NetworkError:
            METRICS.set_connected(PLATFORM, False)
            raise
        # 200: updates (or none). 409 Conflict, 401 and 5xx: not serving, whatever the cause.
        METRICS.set_connected(PLATFORM, status == 200)
        return status, payload
