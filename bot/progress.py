"""Progress bars for commands that can take more than a moment (big knowledge, long logs)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

__all__ = ["Tracker", "no_progress", "terminal_progress"]

T = TypeVar("T")


class Tracker(Protocol):
    """Wraps a sequence being worked through, to show how far along the work is."""

    def __call__(self, items: Sequence[T], description: str, /) -> Iterable[T]: ...


def no_progress(items: Sequence[T], description: str, /) -> Iterable[T]:
    return items


def terminal_progress(items: Sequence[T], description: str, /) -> Iterable[T]:
    """A progress bar on stderr while it is a terminal; nothing when piped or in CI."""
    # Imported here: loading knowledge imports this module, and `runbot ask` never shows a bar.
    from rich.console import Console
    from rich.progress import track

    return track(
        items,
        description=description,
        console=Console(stderr=True),
        transient=True,
        disable=not sys.stderr.isatty(),
    )
