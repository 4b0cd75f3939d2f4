"""Clusters of example vectors, so that a question scores the examples near it, not all.

Spherical k-means: centroids trained on a sample of the examples, then every example put
with its closest centroid. A question is compared with the centroids and scores only the
examples of the closest few clusters (`probe_budget`): the semantic signal's candidates in
time that grows with the square root of the examples. Which entries win is still decided
by exact scores (bot.ranking rescores the candidates with every example they have).

Built beside answering: numpy's products release the GIL, and the loops give way
(`give_way()` after each chunk of 1,024 examples).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from bot.arrays import products
from bot.handover import give_way

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["Clusters", "cluster_count", "clustered", "probe_budget"]

# Examples per training pass and per assignment chunk: a few MB of vectors at a time.
_CHUNK = 1024
_SAMPLE_PER_CLUSTER = 32
_PASSES = 6
_SEED = 14  # fixed: the same knowledge gets the same clusters in every process
# A question scores this many examples per square root of their number (`probe_budget`).
PROBED_PER_ROOT = 32.0
CLUSTERS_PER_ROOT = 1.0

UnitVectors = Callable[["npt.NDArray[np.int64]"], "npt.NDArray[np.float32]"]


@dataclass(frozen=True, slots=True)
class Clusters:
    """Examples grouped by their closest centroid: cluster c's are order[bounds[c]:bounds[c+1]]."""

    centroids: npt.NDArray[np.float32]  # unit length, one row a cluster
    order: npt.NDArray[np.int64]  # example rows, cluster after cluster
    bounds: npt.NDArray[np.int64]

    def closest(self, question: npt.NDArray[np.float32], budget: int) -> npt.NDArray[np.int64]:
        """The clusters most similar to `question`, as many as hold `budget` examples."""
        ranked = np.argsort(-products(self.centroids, question))
        held = np.cumsum(np.diff(self.bounds)[ranked])
        closest: npt.NDArray[np.int64] = ranked[: int(np.searchsorted(held, budget)) + 1]
        return closest


def cluster_count(examples: int) -> int:
    """About the square root of the examples: centroids and probed examples cost alike."""
    return max(1, round(CLUSTERS_PER_ROOT * math.sqrt(examples)))


def probe_budget(examples: int) -> int:
    """How many examples a question scores: a multiple of their square root."""
    return round(PROBED_PER_ROOT * math.sqrt(examples))


def clustered(vectors: UnitVectors, examples: int, count: int) -> Clusters:
    """`count` clusters of the examples, whose unit vectors `vectors(rows)` gives."""
    rng = np.random.default_rng(_SEED)
    sample_size = min(examples, count * _SAMPLE_PER_CLUSTER)
    sample_rows = np.sort(rng.choice(examples, sample_size, replace=False)).astype(np.int64)
    sample = np.concatenate(
        [vectors(sample_rows[first : first + _CHUNK]) for first in range(0, sample_size, _CHUNK)]
    )
    centroids = sample[rng.choice(sample_size, count, replace=False)].copy()
    for _ in range(_PASSES):
        centroids = _recentred(sample, _nearest(sample, centroids), centroids)
    nearest = np.zeros(examples, dtype=np.int64)
    for first in range(0, examples, _CHUNK):
        rows = np.arange(first, min(first + _CHUNK, examples), dtype=np.int64)
        nearest[rows] = _nearest(vectors(rows), centroids)
    order = np.argsort(nearest, kind="stable").astype(np.int64)
    bounds = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.bincount(nearest, minlength=count), out=bounds[1:])
    return Clusters(centroids, order, bounds)


def _nearest(
    vectors: npt.NDArray[np.float32], centroids: npt.NDArray[np.float32]
) -> npt.NDArray[np.int64]:
    """Each vector's most similar centroid, a chunk at a time."""
    nearest = np.zeros(len(vectors), dtype=np.int64)
    for first in range(0, len(vectors), _CHUNK):
        give_way()
        chunk = vectors[first : first + _CHUNK]
        nearest[first : first + len(chunk)] = np.argmax(chunk @ centroids.T, axis=1)
    return nearest


def _recentred(
    sample: npt.NDArray[np.float32],
    nearest: npt.NDArray[np.int64],
    centroids: npt.NDArray[np.float32],
) -> npt.NDArray[np.float32]:
    """Each cluster's mean direction (a cluster left empty keeps its centroid)."""
    give_way()
    order = np.argsort(nearest, kind="stable")
    sizes = np.bincount(nearest, minlength=len(centroids))
    filled = np.flatnonzero(sizes)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))[filled]
    sums = np.add.reduceat(sample[order], starts, axis=0)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    moved = centroids.copy()
    moved[filled] = np.divide(sums, norms, out=centroids[filled], where=norms > 0)
    return moved
