"""Small numpy helpers shared by the indexes."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["highest", "products", "runs"]


def highest(values: npt.NDArray[np.float64], count: int) -> npt.NDArray[np.int64]:
    """The positions of the `count` highest values (at most all), ties taken in order.

    Unlike `np.argpartition`, which of several tied values it takes does not depend on the
    others: a scoring that knows only the best few exactly can pick the same ones.
    """
    count = min(count, len(values))
    if not count:
        return np.zeros(0, dtype=np.int64)
    least = np.partition(values, len(values) - count)[len(values) - count]
    above = np.flatnonzero(values > least)
    tied = np.flatnonzero(values == least)[: count - len(above)]
    return np.concatenate([above, tied]).astype(np.int64, copy=False)


def runs(starts: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """starts[k], starts[k] + 1, ..., starts[k] + lengths[k] - 1 for every k, in order."""
    before = np.cumsum(lengths) - lengths  # where each run begins in the result
    positions: npt.NDArray[np.int64] = np.arange(int(lengths.sum()), dtype=np.int64)
    positions += np.repeat(starts - before, lengths)
    return positions


def products(
    rows: npt.NDArray[np.float32], vector: npt.NDArray[np.float32]
) -> npt.NDArray[np.float32]:
    """Each row's dot product with `vector` (`rows @ vector`), on the calling thread.

    For a question's few thousand rows, not with BLAS: numpy's OpenBLAS splits a product
    this size across both cores, and its sleeping second thread took milliseconds to wake
    on a busy 2-core machine (a 0.02 ms product waited 6-8 ms after other work).
    """
    # The same bits every time need the same memory layout: a strided view sums otherwise.
    contiguous = np.ascontiguousarray(vector)
    found: npt.NDArray[np.float32] = np.einsum("ij,j->i", np.ascontiguousarray(rows), contiguous)
    return found
