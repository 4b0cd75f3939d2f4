"""Sentence meaning as vectors: a static embedding model that ships with a registry package.

The model is WordLlama's `l2_supercat` (256 dimensions, 32,000 word pieces), whose weights
and tokenizer come inside the `wordllama` wheel. A text's vector is the average of its word
pieces' vectors, scaled to unit length, so comparing two texts is one dot product: about
0.03 ms a question on one core, no GPU and no network. The files are read straight from
the installed package, never from a hub; `wordllama`'s own loader is not imported because
it configures the root logger at import and costs 0.2 s of start-up.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from functools import cache
from importlib import util
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import numpy.typing as npt
    from tokenizers import Tokenizer

__all__ = [
    "DIMENSIONS",
    "CachedEmbedder",
    "EmbeddingModelError",
    "SemanticIndex",
    "SentenceEmbedder",
    "shared_embedder",
    "unit_rows",
]

DIMENSIONS = 256
_WEIGHTS = Path("weights", "l2_supercat_256.safetensors")
_TOKENIZER = Path("tokenizers", "l2_supercat_tokenizer_config.json")
# Vectors of the knowledge's texts (example questions, red-flag examples): a reload of
# unchanged knowledge embeds nothing.
_CACHE_SIZE = 200_000
_CHUNK = 2048
_LOCKED_CHUNK = 1024


class EmbeddingModelError(RuntimeError):
    """The embedding model's files are not installed (the `wordllama` package is missing)."""


class CachedEmbedder(ABC):
    """Unit-length text vectors; thread-safe, with a cache keyed by the text.

    Subclasses compute vectors (`_compute`); this keeps the knowledge's texts so that a
    reload of unchanged knowledge embeds nothing.
    """

    dimensions: int

    def __init__(self) -> None:
        # A plain dict (insertion-ordered, the oldest first), not an OrderedDict: a dict of
        # strings and arrays is invisible to the cycle collector, which would otherwise walk
        # its 100,000 items in every full collection, stalling answers during a reload.
        self._cache: dict[str, npt.NDArray[np.float32]] = {}
        # Taken only by those who change the cache (the knowledge's texts being embedded).
        self._lock = threading.Lock()
        self._counting = threading.Lock()
        self.computed = 0  # texts embedded so far (the rest came from the cache)

    def embed(self, texts: Sequence[str], remember: bool = True) -> npt.NDArray[np.float32]:
        """One unit-length row per text (a zero row for a text with no word pieces).

        `remember=False` for runners' messages: only the knowledge's texts are worth
        keeping, and a post's hundreds of sentence windows would crowd them out.
        """
        vectors = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        if remember:
            missing = self._from_cache_remembering(texts, vectors)
        else:
            # Read without the lock, and left where they are in the cache: a reload takes
            # the lock chunk after chunk, and a runner's message waiting for it waited
            # for the whole reload (a lock is not fair: the reload took it back each time
            # before the waiting answer woke; 537 ms at 10,000 entries).
            missing = {}
            for row, text in enumerate(texts):
                known = self._cache.get(text)
                if known is None:
                    missing.setdefault(text, []).append(row)
                else:
                    vectors[row] = known
        fresh = list(missing)
        # Computed a chunk at a time, straight into `vectors`, and cached as rows of it: the
        # cache then holds no copy of the knowledge's vectors. (Rows of one big computed
        # array kept that whole array alive, a second copy of every vector.)
        for first in range(0, len(fresh), _LOCKED_CHUNK):
            chunk = fresh[first : first + _LOCKED_CHUNK]
            computed = self._compute(chunk)
            for text, vector in zip(chunk, computed, strict=True):
                vectors[missing[text]] = vector
            if remember:
                self._remember(chunk, missing, vectors)
        with self._counting:
            self.computed += len(fresh)
        if remember:  # its rows are the cache's: written to, they would change other answers
            vectors.flags.writeable = False
        return vectors

    def _from_cache_remembering(
        self, texts: Sequence[str], vectors: npt.NDArray[np.float32]
    ) -> dict[str, list[int]]:
        """Fill `vectors` with the cached rows; the rows of the texts not cached, by text."""
        missing: dict[str, list[int]] = {}
        # The lock is taken a chunk at a time: a reload embedding 110,000 examples held it
        # for half a second.
        for first in range(0, len(texts), _LOCKED_CHUNK):
            with self._lock:
                for row in range(first, min(first + _LOCKED_CHUNK, len(texts))):
                    text = texts[row]
                    known = self._cache.pop(text, None)
                    if known is None:
                        missing.setdefault(text, []).append(row)
                        continue
                    vectors[row] = known
                    # Now the newest, and a row of the new array: the array it came from
                    # (a replaced knowledge's) is freed once none of its rows is kept.
                    self._cache[text] = vectors[row]
        return missing

    def _remember(
        self, texts: list[str], rows: dict[str, list[int]], vectors: npt.NDArray[np.float32]
    ) -> None:
        with self._lock:
            for text in texts:
                self._cache[text] = vectors[rows[text][0]]
            # The oldest in one pass: finding each anew would rescan the freed slots at the
            # dict's front every time (quadratic in a big reload).
            excess = len(self._cache) - _CACHE_SIZE
            for oldest in list(islice(self._cache, max(excess, 0))):
                del self._cache[oldest]

    @abstractmethod
    def _compute(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """Unit-length vectors of `texts`, none of them cached."""


def unit_rows(vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """`vectors` scaled to unit length, row by row (a zero row stays zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    scaled: npt.NDArray[np.float32] = np.divide(
        vectors, norms, out=np.zeros_like(vectors), where=norms > 0
    )
    return scaled


class SentenceEmbedder(CachedEmbedder):
    """WordLlama's static vectors: the average of a text's word pieces, 0.03 ms a question."""

    dimensions = DIMENSIONS

    def __init__(self, weights: npt.NDArray[np.float16 | np.float32], tokenizer: Tokenizer) -> None:
        super().__init__()
        self._weights = weights
        self._tokenizer = tokenizer

    @property
    def weights_bytes(self) -> int:
        return int(self._weights.nbytes)

    @classmethod
    def from_package(cls) -> SentenceEmbedder:
        """Load the model from the installed `wordllama` package (never downloads)."""
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        spec = util.find_spec("wordllama")
        if spec is None or spec.origin is None:
            raise EmbeddingModelError("the wordllama package is not installed (make installs it)")
        folder = Path(spec.origin).parent
        try:
            # Kept as stored (float16): half the memory, and no 20 ms conversion at start-up;
            # the rows a text uses are widened to float32 before summing (exactly).
            weights = load_file(folder / _WEIGHTS)["embedding.weight"]
            tokenizer = Tokenizer.from_file(str(folder / _TOKENIZER))
        except (OSError, KeyError) as error:
            raise EmbeddingModelError(
                f"the embedding model in {folder} is unreadable: {error}"
            ) from error
        tokenizer.no_padding()
        tokenizer.no_truncation()
        return cls(weights, tokenizer)

    def _compute(self, texts: list[str]) -> npt.NDArray[np.float32]:
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        # In chunks: the word-piece vectors of 100,000 examples at once would take a GB.
        for first in range(0, len(texts), _CHUNK):
            chunk = texts[first : first + _CHUNK]
            vectors[first : first + len(chunk)] = self._pooled(chunk)
        return unit_rows(vectors)

    def _pooled(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """The sum of each text's word-piece vectors (zero for a text with none)."""
        encodings = self._tokenizer.encode_batch(texts, add_special_tokens=False)
        pieces = [encoding.ids for encoding in encodings]
        lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
        ids = np.fromiter(chain.from_iterable(pieces), dtype=np.int64, count=int(lengths.sum()))
        np.clip(ids, 0, len(self._weights) - 1, out=ids)
        sums = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        filled = lengths > 0
        if filled.any():
            # Each text's word pieces are contiguous in `ids`: sum each run at once.
            starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))[filled]
            pieces_vectors = self._weights[ids].astype(np.float32, copy=False)
            sums[filled] = np.add.reduceat(pieces_vectors, starts, axis=0)
        return sums


@cache
def shared_embedder() -> SentenceEmbedder:
    """The process's one embedder: its model loads once, and its cache outlives reloads."""
    return SentenceEmbedder.from_package()


class SemanticIndex:
    """Example questions as vectors, entry by entry; scores every entry for one question."""

    def __init__(self, vectors: npt.NDArray[np.float32], starts: npt.NDArray[np.int64]) -> None:
        """`vectors` holds each entry's examples contiguously, from `starts[i]` to `starts[i+1]`."""
        self._vectors = vectors
        self._starts = starts

    def closest(self, questions: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """For each row of `questions`, its highest cosine similarity with any example."""
        if not len(self._vectors):
            return np.zeros(len(questions), dtype=np.float32)
        best: npt.NDArray[np.float32] = (questions @ self._vectors.T).max(axis=1)
        return best

    def similarities(self, question: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Each entry's highest cosine similarity between `question` and one of its examples."""
        if not len(self._vectors):
            return np.zeros(len(self._starts) - 1, dtype=np.float32)
        scores = self._vectors @ question
        best: npt.NDArray[np.float32] = np.maximum.reduceat(scores, self._starts[:-1])
        return best
