"""Giving memory freed after a build back to the system.

Building an index allocates and frees hundreds of MB of temporaries (a normalised copy of
every example, numpy scratch arrays). glibc's malloc keeps most of what is freed, because
a long-lived object allocated in between pins the pages around it, and because it raises
its threshold for using mmap after the first large arrays are freed: at 100,000 entries
about a fifth of the resident memory after a build was freed memory the process still
held. `malloc_trim` returns the unused pages of every arena (a few ms).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache

__all__ = ["release_freed_memory"]


def release_freed_memory() -> None:
    """Give the pages malloc holds but no object uses back to the system (glibc only)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)  # a ctypes call: the GIL is released while it runs


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # only when there is memory to give back: 2 ms of start-up

    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    return trim
