"""Reload the knowledge when a moderator saves a file, without restarting the bot."""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path
from typing import Any

from watchfiles import Change, awatch, watch

from bot.service import ReloadResult, RunbotService

__all__ = ["watch_knowledge", "watch_knowledge_in_thread"]

log = logging.getLogger(__name__)

# Editors save in bursts (write a temporary file, rename it over the old one, touch a
# backup): wait this long after the last change before reloading once.
DEBOUNCE_MS = 300


def _is_knowledge_file(change: Change, path: str) -> bool:
    return path.endswith((".yaml", ".yml"))


async def watch_knowledge(
    service: RunbotService,
    directory: Path | None = None,
    stop: asyncio.Event | None = None,
    debounce_ms: int = DEBOUNCE_MS,
) -> None:
    """Reload `service` after every burst of changes to its YAML files, until `stop` is set."""
    directory = directory or service.directory
    log.info("watching %s for knowledge changes", directory)
    async for changes in awatch(directory, stop_event=stop, **_watch_options(debounce_ms)):
        _log_changes(changes)
        _log_result(await service.reload_in_background())


def watch_knowledge_in_thread(
    service: RunbotService, debounce_ms: int = DEBOUNCE_MS
) -> threading.Event:
    """The same, in a background thread (for the console chat, which blocks on input).

    Returns the event that stops the watching.
    """
    stop = threading.Event()

    def watch_until_stopped() -> None:
        log.info("watching %s for knowledge changes", service.directory)
        for changes in watch(service.directory, stop_event=stop, **_watch_options(debounce_ms)):
            _log_changes(changes)
            _log_result(service.reload())

    threading.Thread(target=watch_until_stopped, name="knowledge-watcher", daemon=True).start()
    return stop


def _watch_options(debounce_ms: int) -> dict[str, Any]:
    return {
        "watch_filter": _is_knowledge_file,
        "debounce": debounce_ms,
        "step": 50,
        "recursive": True,
    }


def _log_changes(changes: set[tuple[Change, str]]) -> None:
    names = sorted({Path(path).name for _, path in changes})
    log.info("knowledge changed (%s); reloading", ", ".join(names))


def _log_result(result: ReloadResult) -> None:
    # A failed reload was already logged, with its file:line problems, by the service.
    if result.ok:
        log.info(result.summary)
