"""The last few results of a pure function, kept by argument.

One answer reads its message several times: the red-flag screen, the ranker and the
decision each normalise it, and both screens embed it. The message is then the same
text each time, so its result is kept for the next reader instead of computed again.
"""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

__all__ = ["Recent"]

K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    """At most `size` results by their argument, the oldest dropped first; thread-safe.

    Only for results that never change for one argument, and that no caller changes.
    A pickled copy (a warm start's brain) is empty: its results are computed again.
    """

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"a Recent keeps at least one result, not {size}")
        self._size = size
        self._results: dict[K, V] = {}
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        return self._results.get(key)

    def put(self, key: K, value: V) -> None:
        with self._lock:
            results = self._results
            results.pop(key, None)
            if len(results) >= self._size:
                del results[next(iter(results))]
            results[key] = value

    def __len__(self) -> int:
        return len(self._results)

    def __reduce__(self) -> tuple[type[Recent[K, V]], tuple[int]]:
        return (type(self), (self._size,))
