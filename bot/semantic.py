"""Sentence meaning as vectors: a static embedding model that ships with a registry package.

The model is WordLlama's `l2_supercat` (256 dimensions, 32,000 word pieces), whose weights
and tokenizer come inside the `wordllama` wheel. A text's vector is the average of its word
pieces' vectors, scaled to unit length, so comparing two texts is one dot product: about
0.03 ms a question on one core, no GPU and no network. The files are read straight from
the installed package, never from a hub; `wordllama`'s own loader is not imported because
it configures the root logger at import and costs 0.2 s of start-up.

The knowledge's examples are kept as their word pieces, not as vectors (`PieceIndex`): a
vector is 1 KiB, an example's word pieces about 40 bytes, and a question's similarity to
every example is then the sum of its word pieces' similarities to the question, divided by
the example's length (1.1 GB less at 100,000 entries, and no slower).
"""

from __future__ import annotations

import json
import mmap
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import util
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bot.arrays import products, runs
from bot.handover import give_way
from bot.probing import Clusters, cluster_count, clustered, probe_budget
from bot.recent import Recent

if TYPE_CHECKING:
    import numpy.typing as npt
    from tokenizers import Tokenizer

__all__ = [
    "DIMENSIONS",
    "PROBED_FROM_EXAMPLES",
    "CachedEmbedder",
    "EmbeddingModelError",
    "PieceIndex",
    "PieceTable",
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
# Text keys hashed and looked up this many at a time, so a reload gives way to answers.
_KEY_CHUNK = 16_384
_LOCKED_CHUNK = 1024
# A message's few readings are tokenised one by one: a batch hands them to the tokenizer's
# thread pool, which costs more than it saves on so little (58 against 20 µs for two).
_ENCODED_ONE_BY_ONE = 4
# Runners' texts whose vectors are kept for the next reader of the same message.
_RECENT_TEXTS = 64
# Word-piece ids are kept as uint16 (PieceTable): a larger vocabulary would wrap.
_MAX_PIECES = 1 << 16
# From this many examples on, a PieceIndex clusters them, and answers score only the
# examples near the question and the candidates' (bot.ranking): 10,000 entries do,
# the article's 20 (a few hundred examples, 0.1 ms to score them all) do not.
PROBED_FROM_EXAMPLES = 20_000
# Examples read from the closest found, per entry wanted (an entry has about 11).
_EXAMPLES_PER_FOUND = 4
# Examples scored at a time by a PieceIndex: their word pieces' similarities, about 1 MB.
_SCORED_CHUNK = 1 << 14


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
        # A message's latest readings: both red-flag screens and the ranker read it.
        self._recent: Recent[str, npt.NDArray[np.float32]] = Recent(_RECENT_TEXTS)
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
                    known = self._recent.get(text)
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
            else:
                for text in chunk[-_RECENT_TEXTS:]:
                    # A copy: a row of `vectors` would keep the caller's whole array alive.
                    self._recent.put(text, vectors[missing[text][0]].copy())
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
        # The newest tables `pieces` built, newest first (read and replaced under the lock).
        self._generations: tuple[_Generation, ...] = ()
        # The newest clustered table and its clusters (`index`).
        self._clustered: tuple[PieceTable, Probes] | None = None

    @property
    def weights_bytes(self) -> int:
        return int(self._weights.nbytes)

    @classmethod
    def from_package(cls) -> SentenceEmbedder:
        """Load the model from the installed `wordllama` package (never downloads)."""
        from tokenizers import Tokenizer

        spec = util.find_spec("wordllama")
        if spec is None or spec.origin is None:
            raise EmbeddingModelError("the wordllama package is not installed (make installs it)")
        folder = Path(spec.origin).parent
        try:
            # Kept as stored (float16): half the memory, and no 20 ms conversion at start-up;
            # the rows a text uses are widened to float32 before summing (exactly).
            weights = _mapped_tensor(folder / _WEIGHTS, "embedding.weight")
            tokenizer = Tokenizer.from_file(str(folder / _TOKENIZER))
        except (OSError, ValueError) as error:
            raise EmbeddingModelError(
                f"the embedding model in {folder} is unreadable: {error}"
            ) from error
        if len(weights) > _MAX_PIECES:
            raise EmbeddingModelError(
                f"the embedding model in {folder} has {len(weights):,} word pieces; runbot "
                f"stores piece ids in 16 bits (at most {_MAX_PIECES:,})"
            )
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
        return self._summed(*self._word_pieces(texts))

    def _word_pieces(self, texts: list[str]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Every text's word-piece ids, text after text, and how many each text has."""
        if len(texts) <= _ENCODED_ONE_BY_ONE:
            encodings = [self._tokenizer.encode(text, add_special_tokens=False) for text in texts]
        else:
            encodings = self._tokenizer.encode_batch(texts, add_special_tokens=False)
        pieces = [encoding.ids for encoding in encodings]
        lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
        ids = np.fromiter(chain.from_iterable(pieces), dtype=np.int64, count=int(lengths.sum()))
        np.clip(ids, 0, len(self._weights) - 1, out=ids)
        return ids, lengths

    def _summed(
        self, ids: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float32]:
        """The sum of each text's word-piece vectors (`lengths[i]` pieces of `ids` each)."""
        sums = np.zeros((len(lengths), DIMENSIONS), dtype=np.float32)
        filled = lengths > 0
        if filled.any():
            # Each text's word pieces are contiguous in `ids`: sum each run at once.
            starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))[filled]
            pieces_vectors = self._weights[ids].astype(np.float32, copy=False)
            sums[filled] = np.add.reduceat(pieces_vectors, starts, axis=0)
        return sums

    def index(self, texts: Sequence[str], starts: npt.NDArray[np.int64]) -> PieceIndex:
        """A semantic index of `texts` (entry i's are texts[starts[i] : starts[i + 1]])."""
        table = self.pieces(texts)
        with self._lock:
            last = self._clustered
        # An unchanged reload gets the very same table back (`pieces`): its clusters too.
        probes = last[1] if last is not None and last[0] is table else None
        index = PieceIndex(table, self._weights, starts, probes)
        if index.probes is not None:
            with self._lock:
                self._clustered = (table, index.probes)
        return index

    def pieces(self, texts: Sequence[str]) -> PieceTable:
        """`texts` as word pieces and vector lengths; the last tables built are reused.

        The texts of the newest table (and of older ones, while they hold fewer than
        `_CACHE_SIZE` texts in all) are found again by two hashes of their text, so a
        reload of unchanged knowledge tokenizes nothing. The cache then costs 20 bytes a
        text beside the table the index keeps anyway: a dict of 1.1 million texts and
        their rows would cost 200.
        """
        keys = _TextKeys.of(texts)
        with self._lock:
            generations = self._generations
        source = np.full(len(texts), -1, dtype=np.int64)  # which table each text is from
        rows = np.zeros(len(texts), dtype=np.int64)  # and its row there
        tables: list[PieceTable] = []
        for generation in generations:
            missing = np.flatnonzero(source < 0)
            if not len(missing):
                break
            found, where = generation.keys.find(keys.subset(missing))
            if len(found):
                source[missing[found]] = len(tables)
                rows[missing[found]] = generation.rows[where]
                tables.append(generation.table)
        missing = np.flatnonzero(source < 0)
        if len(missing):
            source[missing] = len(tables)
            rows[missing] = np.arange(len(missing))
            tables.append(self._computed_pieces([texts[row] for row in missing.tolist()]))
        table = _assembled(tables, source, rows)
        order = keys.order()
        generation = _Generation(table, keys.subset(order), order)
        with self._lock:
            kept, total = [generation], len(texts)
            for older in self._generations:
                total += len(older.table)
                if total > _CACHE_SIZE:
                    break
                kept.append(older)
            self._generations = tuple(kept)
        with self._counting:
            self.computed += len(missing)
        return table

    def _computed_pieces(self, texts: list[str]) -> PieceTable:
        """The word pieces and vector lengths of `texts`, computed a chunk at a time."""
        chunks: list[npt.NDArray[np.uint16]] = []
        lengths = np.zeros(len(texts), dtype=np.int64)
        norms = np.zeros(len(texts), dtype=np.float32)
        for first in range(0, len(texts), _CHUNK):
            ids, counts = self._word_pieces(texts[first : first + _CHUNK])
            # As unit_rows measures each row: the same lengths, to the last bit.
            sums = self._summed(ids, counts)
            norms[first : first + len(counts)] = np.linalg.norm(sums, axis=1)
            lengths[first : first + len(counts)] = counts
            chunks.append(ids.astype(np.uint16))
        starts = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        pieces = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.uint16)
        return PieceTable(pieces, starts, norms)


@dataclass(frozen=True, slots=True)
class PieceTable:
    """Texts as their word pieces: a text's vector is the unit-length sum of its pieces'."""

    ids: npt.NDArray[np.uint16]  # every text's word-piece ids, text after text
    starts: npt.NDArray[np.int64]  # text i's are ids[starts[i] : starts[i + 1]]
    norms: npt.NDArray[np.float32]  # the length of each text's summed vector (0: none)

    def __len__(self) -> int:
        return len(self.norms)


@dataclass(frozen=True, slots=True)
class _TextKeys:
    """Two independent 64-bit hashes per text: the texts' identity, 16 bytes each."""

    first: npt.NDArray[np.int64]
    second: npt.NDArray[np.int64]

    @classmethod
    def of(cls, texts: Sequence[str]) -> _TextKeys:
        first = np.zeros(len(texts), dtype=np.int64)
        second = np.zeros(len(texts), dtype=np.int64)
        # A chunk at a time: one call over a million texts keeps the GIL from answers.
        for start in range(0, len(texts), _KEY_CHUNK):
            give_way()
            chunk = texts[start : start + _KEY_CHUNK]
            first[start : start + len(chunk)] = np.fromiter(map(hash, chunk), np.int64)
            # The text with one more character: a different message to the same hash.
            second[start : start + len(chunk)] = [hash(text + "\0") for text in chunk]
        return cls(first, second)

    def subset(self, rows: npt.NDArray[np.int64]) -> _TextKeys:
        return _TextKeys(self.first[rows], self.second[rows])

    def order(self) -> npt.NDArray[np.int64]:
        """The rows sorted by both keys."""
        return np.lexsort((self.second, self.first)).astype(np.int64)

    def find(self, keys: _TextKeys) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Which of `keys` these (sorted) keys hold, and where: (positions in keys, here)."""
        if not len(self.first) or not len(keys.first):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        where = np.zeros(len(keys.first), dtype=np.int64)
        for start in range(0, len(where), _KEY_CHUNK):
            give_way()
            end = start + _KEY_CHUNK
            where[start:end] = np.searchsorted(self.first, keys.first[start:end])
        np.minimum(where, len(self.first) - 1, out=where)
        # Two texts with the same first hash: only the first of them is found (the other
        # is computed again), never a wrong one.
        hit = (self.first[where] == keys.first) & (self.second[where] == keys.second)
        found = np.flatnonzero(hit)
        return found, where[found].astype(np.int64)


@dataclass(frozen=True, slots=True)
class _Generation:
    """One table built by `pieces`, and its texts' keys, sorted, with each one's row."""

    table: PieceTable
    keys: _TextKeys
    rows: npt.NDArray[np.int64]


def _assembled(
    tables: list[PieceTable], source: npt.NDArray[np.int64], rows: npt.NDArray[np.int64]
) -> PieceTable:
    """The table whose text i is row `rows[i]` of `tables[source[i]]`."""
    if len(tables) == 1 and np.array_equal(rows, np.arange(len(tables[0]))):
        return tables[0]  # all of one table, in its order (all new, or an unchanged reload)
    count = len(source)
    lengths = np.zeros(count, dtype=np.int64)
    norms = np.zeros(count, dtype=np.float32)
    for number, table in enumerate(tables):
        mine = source == number
        lengths[mine] = np.diff(table.starts)[rows[mine]]
        norms[mine] = table.norms[rows[mine]]
    starts = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    ids = np.zeros(int(starts[-1]), dtype=np.uint16)
    # A chunk of texts at a time: the positions of 1.1 million texts' pieces at once are
    # a few hundred MB.
    for first in range(0, count, _SCORED_CHUNK):
        give_way()
        chunk = slice(first, first + _SCORED_CHUNK)
        for number, table in enumerate(tables):
            mine = np.flatnonzero(source[chunk] == number) + first
            if len(mine):
                taken = runs(table.starts[rows[mine]], lengths[mine])
                ids[runs(starts[mine], lengths[mine])] = table.ids[taken]
    return PieceTable(ids, starts, norms)


# safetensors refuses headers past 100 MB; one this long is a damaged or foreign file.
_MAX_HEADER_BYTES = 100_000_000
# The safetensors dtypes a weights file may store (little-endian, as the format is).
_SAFETENSORS_DTYPES: dict[str, np.dtype[np.float16 | np.float32]] = {
    "F16": np.dtype("<f2"),
    "F32": np.dtype("<f4"),
}


def _mapped_tensor(path: Path, name: str) -> npt.NDArray[np.float16 | np.float32]:
    """Tensor `name` of a safetensors file, read-only and mapped from the file, not read.

    The file is an 8-byte little-endian header length, a JSON header (each tensor's dtype,
    shape and byte offsets after the header), then the data. Mapping it costs nothing at
    start-up (safetensors' `load_file` copies all 16 MB: 15-40 ms of `runbot ask`), and
    only the pages of the word pieces a text uses are ever read.
    """
    with path.open("rb") as file:
        size = int.from_bytes(file.read(8), "little")
        total = os.fstat(file.fileno()).st_size
        if not 0 < size <= min(_MAX_HEADER_BYTES, total - 8):
            raise ValueError(f"{path} is not a safetensors file (header of {size:,} bytes)")
        header = json.loads(file.read(size))
        mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    tensor = header.get(name) if isinstance(header, dict) else None
    if not isinstance(tensor, dict):
        raise ValueError(f"{path} holds no tensor {name}")
    dtype = _SAFETENSORS_DTYPES.get(str(tensor.get("dtype")))
    if dtype is None:
        raise ValueError(f"{name} is stored as {tensor.get('dtype')}, not F16 or F32")
    try:
        shape = tuple(int(length) for length in tensor.get("shape", ()))
        begin, end = (int(offset) for offset in tensor.get("data_offsets", (0, -1)))
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name}'s shape or offsets in {path} are not numbers") from error
    count = int(np.prod(shape))
    fits = 0 <= begin <= end and 8 + size + end <= len(mapped)
    if (
        len(shape) != 2
        or shape[1] != DIMENSIONS
        or not fits
        or end - begin != count * dtype.itemsize
    ):
        raise ValueError(f"{name}'s bytes do not fit its shape {shape} in {path}")
    weights: npt.NDArray[np.float16 | np.float32] = np.frombuffer(
        mapped, dtype=dtype, count=count, offset=8 + size + begin
    ).reshape(shape)
    return weights


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

    def __len__(self) -> int:
        """How many examples."""
        return len(self._vectors)

    def example_vectors(self) -> npt.NDArray[np.float32]:
        """Every example's unit vector, entry by entry (for bot.classifier)."""
        return self._vectors

    def closest(self, questions: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """For each row of `questions`, its highest cosine similarity with any example."""
        if not len(self):
            return np.zeros(len(questions), dtype=np.float32)
        best: npt.NDArray[np.float32] = (questions @ self._vectors.T).max(axis=1)
        return best

    def within(self, question: npt.NDArray[np.float32], similarity: float, margin: float) -> bool:
        """Whether an example comes within `margin` of `similarity` to `question`: whether
        `similarity - closest(question) < margin` (an index without examples: closest 0)."""
        return similarity - float(self.closest(question[np.newaxis, :])[0]) < margin

    def similarities(self, question: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Each entry's highest cosine similarity between `question` and one of its examples."""
        if not len(self):
            return np.zeros(len(self._starts) - 1, dtype=np.float32)
        best: npt.NDArray[np.float32] = np.maximum.reduceat(
            self._example_scores(question), self._starts[:-1]
        )
        return best

    @property
    def probed(self) -> bool:
        """Whether the examples are clustered (`PieceIndex.nearby`), not only scored all."""
        return False

    def nearby(self, question: npt.NDArray[np.float32], count: int) -> npt.NDArray[np.int64]:
        """About the `count` entries nearest `question`: only a `probed` index knows."""
        raise ValueError("this index scores every example: it has no clusters to probe")

    def similarities_of(
        self, question: npt.NDArray[np.float32], entries: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float32]:
        """`similarities(question)[entries]`."""
        return self.similarities(question)[entries]

    def _example_scores(self, question: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Every example's cosine similarity with `question`."""
        scores: npt.NDArray[np.float32] = self._vectors @ question
        return scores


class PieceIndex(SemanticIndex):
    """Example questions as their word pieces (`PieceTable`), for a static model.

    An example's vector is the sum of its word pieces' vectors over its length, so its
    similarity to a question is the sum of its word pieces' similarities to the question,
    over its length: one product of the question with each word piece the examples use,
    then a sum per example. The same scores as the vectors' (within float32 rounding, a
    few parts in ten million) in about 40 bytes an example instead of 1 KiB.
    """

    def __init__(
        self,
        table: PieceTable,
        weights: npt.NDArray[np.float16 | np.float32],
        starts: npt.NDArray[np.int64],
        probes: Probes | None = None,
    ) -> None:
        """`table` holds the examples, entry i's from `starts[i]` to `starts[i+1]`.

        From `PROBED_FROM_EXAMPLES` examples on they are clustered (or `probes` is
        reused: the same table's), so that `nearby` need not score them all.
        """
        super().__init__(np.zeros((0, DIMENSIONS), dtype=np.float32), starts)
        self._table = table
        used = np.zeros(len(weights), dtype=bool)
        used[table.ids] = True
        self._used = np.flatnonzero(used)
        # The word pieces the examples use, as float32 (a few hundred to 32,000 rows).
        self._piece_vectors = weights[self._used].astype(np.float32)
        self._position = np.zeros(len(weights), dtype=np.int64)  # a word piece's row there
        self._position[self._used] = np.arange(len(self._used))
        self._vocabulary = len(weights)
        lengths = np.diff(table.starts)
        self._all_filled = bool((lengths > 0).all()) and bool((table.norms > 0).all())
        bounds = np.append(np.arange(0, len(table), _SCORED_CHUNK), len(table))
        self._chunk_pieces = max(int(np.diff(table.starts[bounds]).max(initial=0)), 1)
        self.probes = probes
        if probes is None and len(table) >= PROBED_FROM_EXAMPLES:
            clusters = clustered(self._unit_vectors, len(table), cluster_count(len(table)))
            # A copy of the examples in cluster order (40 bytes each): a cluster's word
            # pieces are then one slice, scored as fast as scoring them all.
            grouped = _assembled([table], np.zeros(len(table), np.int64), clusters.order)
            self.probes = Probes(clusters, grouped)

    def __len__(self) -> int:
        return len(self._table)

    def example_vectors(self) -> npt.NDArray[np.float32]:
        return self._unit_vectors(np.arange(len(self), dtype=np.int64))

    def closest(self, questions: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        best = np.zeros(len(questions), dtype=np.float32)
        if len(self):
            for row, question in enumerate(questions):
                best[row] = self._example_scores(question).max()
        return best

    def within(self, question: npt.NDArray[np.float32], similarity: float, margin: float) -> bool:
        """`SemanticIndex.within`, the closest clusters first: it stops at the first example
        close enough, which is usually in the first few (an example's score is the same
        bits in any order, and `similarity - score` only falls as the score rises)."""
        if self.probes is None or not len(self):
            return super().within(question, similarity, margin)
        clusters, grouped = self.probes.clusters, self.probes.table
        per_piece = self._per_piece(question)
        ranked = np.argsort(-products(clusters.centroids, question))
        held = np.cumsum(np.diff(clusters.bounds)[ranked])
        budget = probe_budget(len(self._table))
        first = scored = 0
        while first < len(ranked):  # about as many examples a pass as `nearby` scores
            last = int(np.searchsorted(held, scored + budget)) + 1
            probed = np.sort(ranked[first:last])
            firsts, lasts = clusters.bounds[probed], clusters.bounds[probed + 1]
            scores = _scored(grouped, runs(firsts, lasts - firsts), per_piece, firsts, lasts)
            if len(scores) and similarity - float(scores.max()) < margin:
                return True
            first, scored = last, int(held[min(last, len(held)) - 1])
        return False

    @property
    def probed(self) -> bool:
        return self.probes is not None

    def nearby(self, question: npt.NDArray[np.float32], count: int) -> npt.NDArray[np.int64]:
        """About the `count` entries with the examples most similar to `question`.

        Only the examples of the closest clusters are scored: an entry whose close
        examples all sit in other clusters is missed, so the caller rescores what it
        finds with `similarities_of` beside the candidates it has for other reasons.
        """
        if self.probes is None:
            raise ValueError("this index scores every example: it has no clusters to probe")
        clusters, grouped = self.probes.clusters, self.probes.table
        per_piece = self._per_piece(question)
        probed = np.sort(clusters.closest(question, probe_budget(len(self._table))))
        firsts, lasts = clusters.bounds[probed], clusters.bounds[probed + 1]
        grouped_rows = runs(firsts, lasts - firsts)
        scores = _scored(grouped, grouped_rows, per_piece, firsts, lasts)
        rows = clusters.order[grouped_rows]
        wanted = min(count * _EXAMPLES_PER_FOUND, len(scores))
        if not wanted:
            return np.zeros(0, dtype=np.int64)
        closest = np.argpartition(-scores, wanted - 1)[:wanted]
        closest = closest[np.argsort(-scores[closest])]
        entries = np.searchsorted(self._starts, rows[closest], side="right") - 1
        found, first_seen = np.unique(entries, return_index=True)
        nearest: npt.NDArray[np.int64] = found[np.argsort(first_seen)][:count].astype(np.int64)
        return nearest

    def similarities_of(
        self, question: npt.NDArray[np.float32], entries: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float32]:
        """`similarities(question)[entries]`, to the last bit, scoring only their examples."""
        counts = self._starts[entries + 1] - self._starts[entries]
        rows = runs(self._starts[entries], counts)
        scores = _scored(self._table, rows, self._per_piece(question))
        starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
        best: npt.NDArray[np.float32] = np.maximum.reduceat(scores, starts)
        return best

    def _unit_vectors(self, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        """The examples' vectors (`rows`), to cluster them: summed in another order than
        `_summed`'s, so equal to the scored vectors only within float32 rounding."""
        give_way()
        table = self._table
        starts = table.starts[rows]
        lengths = table.starts[rows + 1] - starts
        vectors = np.zeros((len(rows), DIMENSIONS), dtype=np.float32)
        # The k-th word piece of every example at once: whole rows gathered and added
        # (a reduceat down 256 columns was 20 times slower).
        for offset in range(int(lengths.max(initial=0))):
            give_way()
            having = np.flatnonzero(lengths > offset)
            pieces = self._position[table.ids[starts[having] + offset]]
            vectors[having] += self._piece_vectors[pieces]
        return unit_rows(vectors)

    def _per_piece(self, question: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Every word piece's similarity to `question` (0 for those no example uses)."""
        per_piece = np.zeros(self._vocabulary, dtype=np.float32)
        per_piece[self._used] = products(
            self._piece_vectors, question.astype(np.float32, copy=False)
        )
        return per_piece

    def _example_scores(self, question: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        per_piece = self._per_piece(question)
        table = self._table
        scores = np.zeros(len(table), dtype=np.float32)
        # One buffer for every chunk's word-piece similarities, small enough to stay in cache.
        values = np.empty(self._chunk_pieces, dtype=np.float32)
        for first in range(0, len(table), _SCORED_CHUNK):
            last = min(first + _SCORED_CHUNK, len(table))
            begin, end = int(table.starts[first]), int(table.starts[last])
            if begin == end:
                continue
            found = values[: end - begin]
            np.take(per_piece, table.ids[begin:end], out=found)
            starts = table.starts[first:last] - begin
            norms = table.norms[first:last]
            if self._all_filled:
                chunk = scores[first:last]
                np.add.reduceat(found, starts, out=chunk)
                chunk /= norms
                continue
            # An example with no word pieces (or a zero vector) scores 0, as a zero row did.
            filled = np.diff(table.starts[first : last + 1]) > 0
            sums = np.zeros(last - first, dtype=np.float32)
            sums[filled] = np.add.reduceat(found, starts[filled])
            np.divide(sums, norms, out=scores[first:last], where=norms > 0)
        return scores


def _scored(
    table: PieceTable,
    rows: npt.NDArray[np.int64],
    per_piece: npt.NDArray[np.float32],
    firsts: npt.NDArray[np.int64] | None = None,
    lasts: npt.NDArray[np.int64] | None = None,
) -> npt.NDArray[np.float32]:
    """The examples' (`rows`) similarities, summed and scaled as `PieceIndex` scores all.

    `rows` may be the runs `firsts[k]` to `lasts[k]`: their pieces are then a slice of the
    table a run, copied as slices instead of gathered a piece at a time. The similarities are
    looked up with `np.take`: indexing with the uint16 ids took twice as long (1.3 ms for a
    question's 680,000 pieces at 100,000 entries).
    """
    if firsts is None or lasts is None:
        lengths = table.starts[rows + 1] - table.starts[rows]
        found = np.take(per_piece, table.ids[runs(table.starts[rows], lengths)])
        offsets = np.cumsum(lengths) - lengths
    else:
        bounds = zip(firsts.tolist(), lasts.tolist(), strict=True)
        piece_firsts, piece_lasts = table.starts[firsts], table.starts[lasts]
        spans = zip(piece_firsts.tolist(), piece_lasts.tolist(), strict=True)
        found = np.take(per_piece, np.concatenate([table.ids[first:last] for first, last in spans]))
        # Each example's first piece, counted from the first piece of all the runs.
        example_firsts = np.concatenate([table.starts[first:last] for first, last in bounds])
        run_pieces = piece_lasts - piece_firsts
        before = np.cumsum(run_pieces) - run_pieces
        offsets = example_firsts - np.repeat(piece_firsts - before, lasts - firsts)
        lengths = np.diff(offsets, append=len(found))
    filled = lengths > 0
    sums = np.zeros(len(rows), dtype=np.float32)
    if filled.any():
        sums[filled] = np.add.reduceat(found, offsets[filled])
    norms = table.norms[rows]
    scores = np.zeros(len(rows), dtype=np.float32)
    np.divide(sums, norms, out=scores, where=norms > 0)
    return scores


@dataclass(frozen=True, slots=True)
class Probes:
    """A `PieceIndex`'s clusters, and its examples in their order (`Clusters.order`)."""

    clusters: Clusters
    table: PieceTable
