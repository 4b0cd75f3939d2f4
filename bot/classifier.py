"""Which entry a message belongs to, as probabilities learnt from the entries' examples.

The semantic signal scores an entry by its single closest example, which is noisy on a
long post: a story shares a little meaning with many examples. A softmax regression over
the examples' vectors learns what sets each entry's examples apart from the others'
("how do I stop" against "why do I get"), and its probabilities settle close calls
between candidates that the scores alone cannot (bot.decision).

Trained with the post reader, off the answering path for a serving bot (`make bench`
prints the time): full-batch gradient descent from zero weights, so the same knowledge
always gives the same model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["CLASSIFIER_LIMIT", "EntryClassifier"]

# Training costs examples x entries x dimensions per step: past this many example-entry
# pairs (the article has 8,680) it would hold up a reload by seconds, and the knowledge
# is read without it.
CLASSIFIER_LIMIT = 20_000
# Unit vectors give dot products in -1..1; this spreads them into useful logits.
_SHARPNESS = 10.0
_STEPS = 200
_LEARNING_RATE = 0.5
_L2 = 1.0  # keeps weights small where few examples say anything


@dataclass(frozen=True, slots=True)
class EntryClassifier:
    """Softmax regression from a unit vector to the entries, in knowledge order."""

    weights: npt.NDArray[np.float32]  # dimensions x entries
    bias: npt.NDArray[np.float32]

    @classmethod
    def fit(
        cls, vectors: npt.NDArray[np.float32], starts: npt.NDArray[np.int64]
    ) -> EntryClassifier:
        """Learn from the examples' unit `vectors`; entry i's rows are starts[i]:starts[i+1]."""
        # Its products are small (hundreds of rows): on a busy machine (a bot answering,
        # tests running) BLAS's threads mostly wait for each other, and training took
        # seconds instead of milliseconds (`classifier_ms` in tests/bench.py prints both).
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            return cls._fitted(vectors, starts)

    @classmethod
    def _fitted(
        cls, vectors: npt.NDArray[np.float32], starts: npt.NDArray[np.int64]
    ) -> EntryClassifier:
        entries = len(starts) - 1
        count, dimensions = vectors.shape
        labels = np.repeat(np.arange(entries), np.diff(starts))
        truth = np.zeros((count, entries), dtype=np.float32)
        truth[np.arange(count), labels] = 1.0
        weights = np.zeros((dimensions, entries), dtype=np.float32)
        bias = np.zeros(entries, dtype=np.float32)
        for _ in range(_STEPS):
            error = (_softmax(_SHARPNESS * (vectors @ weights) + bias) - truth) / count
            weights -= _LEARNING_RATE * (_SHARPNESS * (vectors.T @ error) + _L2 * weights / count)
            bias -= _LEARNING_RATE * error.sum(axis=0)
        weights.flags.writeable = False  # frozen: shared by every answer of this knowledge
        bias.flags.writeable = False
        return cls(weights, bias)

    def beliefs(self, vector: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        """Each entry's probability for the message's unit `vector` (they sum to 1)."""
        logits = _SHARPNESS * (vector @ self.weights) + self.bias
        probabilities: npt.NDArray[np.float64] = _softmax(logits[np.newaxis, :])[0].astype(
            np.float64
        )
        return probabilities


def _softmax(logits: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities: npt.NDArray[np.float32] = shifted / shifted.sum(axis=1, keepdims=True)
    return probabilities
