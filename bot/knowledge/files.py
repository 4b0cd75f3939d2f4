"""Reading one knowledge file's bytes, never blocking and never reading more than a limit."""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["MAX_FILE_BYTES", "UnreadableError", "read_knowledge_file"]

# A topic file of long answers is well under 1 MB; anything this big is not knowledge.
MAX_FILE_BYTES = 5 * 1024 * 1024
_NOT_REGULAR = "not a regular file (a pipe, device or folder): runbot reads only ordinary files"


class UnreadableError(Exception):
    """A knowledge file that must not be read: not a regular file, or far too big."""


def read_knowledge_file(path: Path) -> bytes:
    """A regular file's bytes, read without ever blocking: a pipe or a device (which could
    block a reload forever, or never end) is refused before it is read, as is a huge file."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise UnreadableError(_NOT_REGULAR)
    # O_NONBLOCK: should the path become a pipe after that check, opening it cannot block.
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    with open(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise UnreadableError(_NOT_REGULAR)
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        size = max(len(data), os.stat(path).st_size) / 1024 / 1024
        limit = MAX_FILE_BYTES // 1024 // 1024
        raise UnreadableError(
            f"the file is {size:.1f} MB; the limit is {limit} MB: split it into several "
            "entries files"
        )
    return data
