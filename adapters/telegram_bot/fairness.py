"""Handle updates fairly: every sender's in order, different senders at the same time.

PTB handles one update at a time by default, so one moderator's slow /reload or /gaps, or
one runner's flood of messages, kept every other runner waiting. Here each sender (a user
in a chat) has a queue of their own: their updates are handled one after another, in the
order they came, while other senders' are handled alongside. A sender whose queue grows
long is asked once, politely, to slow down; beyond a bound, what they send is not answered.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

__all__ = ["FairUpdateProcessor", "Sender"]

log = logging.getLogger(__name__)

Sender = tuple[int | None, int | None]  # (chat id, user id)

# PTB's own bound is taken before the update reaches us: unbounded there, bounded here.
_NO_BOUND = 1_000_000


@dataclass
class _Queue:
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0  # this sender's updates accepted and not finished
    told: bool = False  # asked to slow down during this backlog


class FairUpdateProcessor(BaseUpdateProcessor):
    """Per-sender order, `at_once` updates handled at the same time overall."""

    def __init__(
        self,
        *,
        at_once: int,
        ask_to_slow_down_at: int,
        most_waiting: int,
        ask_to_slow_down: Callable[[Update], Coroutine[Any, Any, None]],
    ) -> None:
        super().__init__(max_concurrent_updates=_NO_BOUND)
        self._at_once = at_once
        self._slow_down_at = ask_to_slow_down_at
        self._most_waiting = most_waiting
        self._ask_to_slow_down = ask_to_slow_down
        self._queues: dict[Sender, _Queue] = {}
        self._slots: asyncio.Semaphore | None = None
        self._notices: set[asyncio.Task[None]] = set()

    async def initialize(self) -> None:
        self._slots = asyncio.Semaphore(self._at_once)

    async def shutdown(self) -> None:
        if self._notices:
            await asyncio.gather(*self._notices, return_exceptions=True)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        slots = self._slots or asyncio.Semaphore(self._at_once)
        sender = _sender(update)
        if sender is None:
            async with slots:
                await coroutine
            return
        queue = self._queues.setdefault(sender, _Queue())
        if queue.waiting >= self._most_waiting:
            if inspect.iscoroutine(coroutine):
                coroutine.close()  # not handled: the sender was asked to slow down
            log.warning("a sender has %d messages waiting; this one is not answered", queue.waiting)
            return
        queue.waiting += 1
        if queue.waiting >= self._slow_down_at and not queue.told and isinstance(update, Update):
            queue.told = True
            self._tell(update)
        try:
            async with queue.turn, slots:
                await coroutine
        finally:
            queue.waiting -= 1
            if queue.waiting == 0:
                del self._queues[sender]  # the backlog is gone: a new flood is told again

    def _tell(self, update: Update) -> None:
        task: asyncio.Task[None] = asyncio.create_task(self._ask_to_slow_down(update))
        self._notices.add(task)
        task.add_done_callback(self._notices.discard)


def _sender(update: object) -> Sender | None:
    if not isinstance(update, Update):
        return None
    chat, user = update.effective_chat, update.effective_user
    if chat is None and user is None:
        return None
    return (chat.id if chat else None, user.id if user else None)
