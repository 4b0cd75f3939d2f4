"""Pausing Python's cycle collector around work that allocates much and makes no cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector for the block (it stays off if it was off).

    Parsing YAML or building a Brain allocates millions of short-lived objects (a node and
    its marks per value), and every few hundred allocations would start a collection that
    walks everything still alive, a knowledge base in use included: for 10,000 entries,
    nearly half the load time. That work makes next to no reference cycles; the collector
    takes them once it is back on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
