"""Reload the knowledge when a moderator saves a file, without restarting the bot."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from watchfiles import Change, awatch

from bot.service import ReloadResult, RunbotService

__all__ = ["watch_knowledge"]

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
    async for changes in awatch(
        directory,
        watch_filter=_is_knowledge_file,
        debounce=debounce_ms,
        step=50,
        stop_event=stop,
        recursive=True,
    ):
        names = sorted({Path(path).name for _, path in changes})
        log.info("knowledge changed (%s); reloading", ", ".join(names))
        result: ReloadResult = await service.reload_in_background()
        if result.ok:
            log.info(result.summary)
