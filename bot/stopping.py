"""Stop cleanly on SIGTERM (docker stop, systemctl stop, Kubernetes) as on SIGINT (Ctrl-C).

Without this, SIGTERM killed the process at once: updates already taken from Telegram (and
confirmed to it) were never answered. The event it returns is what every platform and the
knowledge watcher stop on; each then finishes the work in hand, within a bound
(RUNBOT_STOP_SECONDS), before the process ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Iterator

__all__ = ["raise_interrupt_on_sigterm", "stop_on_signals"]

log = logging.getLogger(__name__)

_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@contextlib.contextmanager
def stop_on_signals(grace_seconds: float) -> Iterator[asyncio.Event]:
    """An event set by SIGTERM or SIGINT while the block runs (in the running event loop)."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def stopping(received: signal.Signals) -> None:
        if stop.is_set():
            return
        log.info(
            "%s received: finishing the work in hand (at most %.0f s), then stopping",
            received.name,
            grace_seconds,
        )
        stop.set()

    installed = []
    # Windows' event loops take no signal handlers: there Ctrl-C interrupts as usual.
    for received in _SIGNALS if sys.platform != "win32" else ():
        with contextlib.suppress(RuntimeError):  # a loop that is closing
            loop.add_signal_handler(received, stopping, received)
            installed.append(received)
    try:
        yield stop
    finally:
        for received in installed:
            loop.remove_signal_handler(received)


@contextlib.contextmanager
def raise_interrupt_on_sigterm() -> Iterator[None]:
    """For the console chat, which blocks on input: SIGTERM ends it as Ctrl-C does."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
