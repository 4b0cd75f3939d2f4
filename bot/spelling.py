"""The closest known word to a misspelt one, in time independent of the vocabulary's size.

A deletion index (the idea behind SymSpell): two words within k edits of each other share a
string that k or fewer deleted letters make of each (a substitution or a swap is one
deletion from each side, an insertion one from the longer). Every known word is filed
under the hashes of what deleting up to two of its letters leaves; a misspelt word looks
up its own deletions, and only the few words found there are measured with rapidfuzz's
Damerau-Levenshtein distance. The answer is exactly what
`process.extractOne(word, words, scorer=DamerauLevenshtein.distance, score_cutoff=k)`
over the whole sorted vocabulary returns: the fewest edits, then the first in order.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from bot.handover import give_way

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["SpellingIndex"]

MAX_EDITS = 2
_CHUNK = 20_000
# A lazy index measures every word for this many first lookups before it files them: a
# scan of the knowledge's thousand words is 0.1 ms, the filing 25 ms, and `runbot ask`
# seldom needs more than a couple (its red-flag screen's own words: "cooldown", "beeturia").
_SCANNED_LOOKUPS = 16


class SpellingIndex:
    """Known words, sorted, filed under their deletions; built once, never changed."""

    def __init__(self, words: Iterable[str], lazy: bool = False) -> None:
        """`lazy`: measure every word for the first few lookups (`_SCANNED_LOOKUPS`), and
        file the words under their deletions only if more come (a one-shot `runbot ask`
        seldom needs them: 25 ms saved). The same answers either way. A serving bot builds
        at once: at 100,000 entries the filing takes a second, which no runner's answer may
        wait for."""
        self.words = sorted(set(words))
        self._hashes: npt.NDArray[np.int64] | None = None
        self._numbers: npt.NDArray[np.int32] = np.zeros(0, np.int32)
        self._building = threading.Lock()
        self._scans_left = _SCANNED_LOOKUPS if lazy else 0
        if not lazy:
            self._build()

    def _build(self) -> None:
        hash_chunks: list[npt.NDArray[np.int64]] = []
        number_chunks: list[npt.NDArray[np.int32]] = []
        # In chunks: a list of millions of Python ints would take several times the memory.
        for first in range(0, len(self.words), _CHUNK):
            hashes: list[int] = []
            counts: list[int] = []
            for word in self.words[first : first + _CHUNK]:
                give_way()
                found = {hash(variant) for variant in _deletions(word, MAX_EDITS)}
                hashes.extend(found)
                counts.append(len(found))
            hash_chunks.append(np.asarray(hashes, dtype=np.int64))
            numbers = np.arange(first, first + len(counts), dtype=np.int32)
            number_chunks.append(np.repeat(numbers, counts))
        all_hashes = np.concatenate(hash_chunks) if hash_chunks else np.zeros(0, np.int64)
        # Python's string hash is only stable within one process, like the index itself;
        # a collision only adds a candidate, which the distance then rules out.
        order = np.argsort(all_hashes, kind="stable")
        self._numbers = (
            np.concatenate(number_chunks)[order] if number_chunks else np.zeros(0, np.int32)
        )
        self._hashes = all_hashes[order]  # last: a reader without the lock sees both or none

    def _filed(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
        if self._hashes is None:
            with self._building:
                if self._hashes is None:
                    self._build()
        assert self._hashes is not None
        return self._hashes, self._numbers

    def nearest(self, word: str, max_edits: int) -> str | None:
        """The known word fewest edits (at most `max_edits`) from `word`; ties: the first."""
        if not self.words or not 0 <= max_edits <= MAX_EDITS:
            return None
        if self._hashes is None and self._scans_left > 0:
            # Every word measured: the index only narrows them down to the few sharing a
            # deletion with `word`, which holds all those within `max_edits` (module doc).
            self._scans_left -= 1  # a race between threads only scans once more
            return self._closest(word, self.words, max_edits)
        filed, numbers_filed = self._filed()
        keys = np.fromiter(
            (hash(variant) for variant in _deletions(word, max_edits)), dtype=np.int64
        )
        starts = np.searchsorted(filed, keys, side="left")
        ends = np.searchsorted(filed, keys, side="right")
        hits = [numbers_filed[start:end] for start, end in zip(starts, ends, strict=True)]
        numbers = np.unique(np.concatenate(hits)) if hits else np.zeros(0, np.int32)
        if not len(numbers):
            return None
        candidates = [self.words[number] for number in numbers.tolist()]  # in sorted order
        return self._closest(word, candidates, max_edits)

    @staticmethod
    def _closest(word: str, candidates: list[str], max_edits: int) -> str | None:
        """The first of `candidates` (in sorted order) fewest edits from `word`, if any is
        within `max_edits`."""
        match = process.extractOne(
            word, candidates, scorer=DamerauLevenshtein.distance, score_cutoff=max_edits
        )
        return None if match is None else str(match[0])


def _deletions(word: str, most: int) -> set[str]:
    """`word` with every choice of up to `most` of its letters deleted."""
    found = {word}
    layer = {word}
    for _ in range(most):
        layer = {text[:i] + text[i + 1 :] for text in layer for i in range(len(text))}
        found |= layer
    return found
