"""Small numpy helpers shared by the indexes."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["runs"]


def runs(starts: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """starts[k], starts[k] + 1, ..., starts[k] + lengths[k] - 1 for every k, in order."""
    before = np.cumsum(lengths) - lengths  # where each run begins in the result
    positions: npt.NDArray[np.int64] = np.arange(int(lengths.sum()), dtype=np.int64)
    positions += np.repeat(starts - before, lengths)
    return positions
