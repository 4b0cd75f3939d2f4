"""The knowledge version a worker serves: a short hash of the knowledge files' contents.

Workers serving the same files report the same version (in their log and in /healthz), so
an operator sees after a deploy that every worker took the new knowledge.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from bot.knowledge import ENTRIES_DIR, RED_FLAGS_FILE, SOURCES_FILE, VOCABULARY_FILE
from bot.knowledge.files import MAX_FILE_BYTES

__all__ = ["knowledge_version"]


def knowledge_version(directory: Path) -> str:
    """12 hex digits from the names and bytes of every file the knowledge is loaded from."""
    paths = [directory / name for name in (SOURCES_FILE, VOCABULARY_FILE, RED_FLAGS_FILE)]
    paths += sorted((directory / ENTRIES_DIR).glob("*.yaml"))
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
        digest.update(_contents(path) + b"\0")
    return digest.hexdigest()[:12]


def _contents(path: Path) -> bytes:
    """What the loader would read; never blocks on a pipe (the loader refuses those too)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return b"\0unreadable"
    with open(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return b"\0not a file"
        return file.read(MAX_FILE_BYTES + 1)
