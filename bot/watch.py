"""Reload the knowledge when a moderator saves a file, without restarting the bot.

The watcher follows the configured path, not the folder it started with: a deploy or a
`git checkout` that replaces the folder (moved, deleted and recreated, a symlink repointed)
is noticed, and the new folder is watched. Before reloading it waits until no knowledge
file has changed for a moment, so that a file an editor is still writing is never loaded.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from watchfiles import Change, awatch

from bot import messages
from bot.service import ReloadResult, RunbotService

__all__ = ["BackgroundWatch", "watch_knowledge", "watch_knowledge_in_thread"]

log = logging.getLogger(__name__)

# Editors save in bursts (write a temporary file, rename it over the old one, touch a
# backup): wait this long after the last change before reloading once.
DEBOUNCE_MS = 300
# ...and then until no knowledge file has changed size or time for this long: an editor
# that writes in place leaves a half-written file between its writes.
SETTLE_MS = 400
# Give up waiting for the files to settle after this long (the reload checks them anyway).
SETTLE_AT_MOST_S = 10.0
# How often to check whether the folder was replaced, and whether to stop.
CHECK_EVERY_S = 0.25

_KNOWLEDGE_SUFFIXES = (".yaml", ".yml")


class StopSignal(Protocol):
    """What stops the watcher: an asyncio.Event or a threading.Event."""

    def is_set(self) -> bool: ...


def _is_knowledge_file(change: Change, path: str) -> bool:
    return path.endswith(_KNOWLEDGE_SUFFIXES)


async def watch_knowledge(
    service: RunbotService,
    directory: Path | None = None,
    stop: StopSignal | None = None,
    debounce_ms: int = DEBOUNCE_MS,
    settle_ms: int = SETTLE_MS,
    check_every: float = CHECK_EVERY_S,
) -> None:
    """Reload `service` after every burst of changes to its YAML files, until `stop` is set."""
    directory = directory or service.directory
    stop = stop or asyncio.Event()
    log.info("watching %s for knowledge changes", directory)
    reload_first = False  # after the folder was replaced, or was missing
    missing_said = False
    while not stop.is_set():
        folder = _Folder.open(directory)
        if folder is None:
            if not missing_said:
                log.warning("the knowledge folder %s is missing; waiting for it", directory)
                missing_said = True
            reload_first = True
            await asyncio.sleep(check_every)
            continue
        missing_said = False
        try:
            await _watch_folder(
                service, folder, stop, reload_first, debounce_ms, settle_ms, check_every
            )
        finally:
            folder.close()
        reload_first = True
        if not stop.is_set():
            log.info(
                "the knowledge folder %s was replaced (moved, recreated or re-linked); "
                "watching the new one",
                directory,
            )


@dataclass(frozen=True, slots=True)
class BackgroundWatch:
    """A watcher running in its own thread, and how to stop it."""

    stopping: threading.Event
    thread: threading.Thread

    def stop(self, timeout: float = 30.0) -> None:
        """Stop watching and wait for a reload in progress to finish: the post reader's
        runtime aborts the process if it is still working when Python exits."""
        self.stopping.set()
        self.thread.join(timeout)


def watch_knowledge_in_thread(
    service: RunbotService, debounce_ms: int = DEBOUNCE_MS, settle_ms: int = SETTLE_MS
) -> BackgroundWatch:
    """The same, in a background thread (for the console chat, which blocks on input)."""
    stop = threading.Event()

    def watch_until_stopped() -> None:
        asyncio.run(
            watch_knowledge(service, stop=stop, debounce_ms=debounce_ms, settle_ms=settle_ms)
        )

    thread = threading.Thread(target=watch_until_stopped, name="knowledge-watcher", daemon=True)
    thread.start()
    return BackgroundWatch(stop, thread)


class _Folder:
    """The knowledge folder as it was when watching began, held open.

    Holding it open keeps its inode in use, so a folder deleted and recreated under the
    same name always has another inode, and `replaced` sees it.
    """

    def __init__(self, path: Path, descriptor: int) -> None:
        self.path = path
        self._descriptor = descriptor
        info = os.fstat(descriptor)
        self._identity = (info.st_dev, info.st_ino)

    @classmethod
    def open(cls, path: Path) -> _Folder | None:
        try:
            descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError:
            return None
        return cls(path, descriptor)

    @staticmethod
    def exists(path: Path) -> bool:
        return path.is_dir()

    def replaced(self) -> bool:
        """Whether the configured path now names another folder (or none)."""
        try:
            info = os.stat(self.path)  # follows a symlink to where it points now
        except OSError:
            return True
        return (info.st_dev, info.st_ino) != self._identity

    def close(self) -> None:
        os.close(self._descriptor)


async def _watch_folder(
    service: RunbotService,
    folder: _Folder,
    stop: StopSignal,
    reload_first: bool,
    debounce_ms: int,
    settle_ms: int,
    check_every: float,
) -> None:
    """Reload on changes until `stop` is set or the folder is replaced.

    `reload_first`: reload at once too (the folder is new), while watching starts, so that
    no edit falls between that reload and the watching.
    """
    ended = threading.Event()  # polled by watchfiles' thread, so a thread-safe event

    async def end_when_stopped_or_replaced() -> None:
        while not (stop.is_set() or folder.replaced()):  # noqa: ASYNC110 (polls a path)
            await asyncio.sleep(check_every)
        ended.set()

    ender = asyncio.create_task(end_when_stopped_or_replaced())
    first = (
        asyncio.create_task(_reload(service, folder.path, settle_ms, stop))
        if reload_first
        else None
    )
    try:
        async for changes in awatch(
            folder.path,
            stop_event=ended,
            watch_filter=_is_knowledge_file,
            debounce=debounce_ms,
            step=50,
            recursive=True,
        ):
            _log_changes(changes)
            await _reload(service, folder.path, settle_ms, stop)
    finally:
        ender.cancel()
        if first is not None:
            await first  # a reload under way finishes, and its result is told


async def _reload(
    service: RunbotService, directory: Path, settle_ms: int, stop: StopSignal
) -> None:
    await _settled(directory, settle_ms, stop)
    if not stop.is_set():
        _log_result(await service.reload_in_background())


async def _settled(directory: Path, settle_ms: int, stop: StopSignal) -> None:
    """Return once no knowledge file has changed for `settle_ms` (or after a bound)."""
    deadline = time.monotonic() + SETTLE_AT_MOST_S
    before = _snapshot(directory)
    while not stop.is_set():
        await asyncio.sleep(settle_ms / 1000)
        now = _snapshot(directory)
        if now == before:
            return
        if time.monotonic() > deadline:
            log.warning("knowledge files in %s keep changing; reloading anyway", directory)
            return
        before = now


def _snapshot(directory: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every knowledge file under `directory`."""
    found: dict[str, tuple[int, int]] = {}
    for root, _, files in os.walk(directory):
        for name in files:
            if name.endswith(_KNOWLEDGE_SUFFIXES):
                path = os.path.join(root, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                found[path] = (info.st_size, info.st_mtime_ns)
    return found


def _log_changes(changes: set[tuple[Change, str]]) -> None:
    names = sorted({Path(path).name for _, path in changes})
    log.info("knowledge changed (%s); reloading", ", ".join(names))


def _log_result(result: ReloadResult) -> None:
    # A failed reload was already logged, with its file:line problems, by the service.
    if result.ok:
        log.info(messages.reload_report(result))
