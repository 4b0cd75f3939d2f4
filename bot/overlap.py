"""A question's weighted word overlap with every example and entry, a block at a time.

At 100,000 entries a question's postings (1.3 million, most of them its common words')
were scattered into arrays of 1.1 million examples, and each F-score step was another
pass over them: 9 MB arrays, a dozen times a question, and half an answer's time went
to memory. Here the examples are scored a block of entries at a time, each block's
arrays small enough to stay in the processor's cache, and only the entries' scores are
kept. An example's own figures are recomputed for the few examples asked about later
(`ExampleOverlap`). The entries as a whole are scored in one pass: a tenth as many, and
each token's weight is multiplied in when the index is built.

Every sum is added token by token in the order the caller gives, as one scatter of all
the postings adds them, so the scores are the same to the last bit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = [
    "BLOCK_EXAMPLES",
    "KEPT_UP_TO",
    "ROUGH_ERROR",
    "EntryScores",
    "ExampleOverlap",
    "ExampleScores",
    "TokenProfile",
    "blend",
    "f_beta",
    "scored",
]

# Examples scored at a time: a block's half-dozen float64 arrays take about 3 MB (at
# 100,000 entries 1 << 15 and 1 << 17 were slower; 10,000 entries take 2 blocks).
BLOCK_EXAMPLES = 1 << 16
# Up to this many examples (10,000 entries have 110,000) every example's matched weight is
# kept (0.9 MB); beyond, the few examples asked about are looked up in the postings.
KEPT_UP_TO = 1 << 18
_LEAST_POSITIVE = float(np.nextafter(0.0, 1.0))  # 5e-324
# A rough blended score is within this of the exact one: the F-scores' two ways (and the
# sums added in another order) differ by a few dozen roundings of a score at most 1, each
# a relative 1e-16.
ROUGH_ERROR = 1e-12


class ExampleScores(Protocol):
    """Each example's share of the question it explains, and its F-score, by row."""

    def recall(self, rows: npt.NDArray[np.int64] | None = None) -> npt.NDArray[np.float64]:
        """Of `rows` (of every example if None)."""

    def f(self, rows: npt.NDArray[np.int64] | None = None) -> npt.NDArray[np.float64]:
        """Of `rows` (of every example if None)."""


@dataclass(frozen=True, slots=True)
class ExampleOverlap:
    """One question's overlap with the examples, computed for the rows asked about."""

    postings: tuple[npt.NDArray[np.int32], ...]  # a token's examples (sorted), token by token
    weights: tuple[float, ...]  # each token's weight, added in this order
    example_mass: npt.NDArray[np.float64]
    query_mass: float
    beta: float
    # Every example's matched weight, kept by `scored` when there are at most
    # `KEPT_UP_TO` examples: looking a few up in the postings costs more there.
    kept: npt.NDArray[np.float64] | None = None
    # Token by token, whether each example uses it, as bits (np.packbits), for the tokens
    # most examples use (None for the others): rough scores add those without postings.
    dense: tuple[npt.NDArray[np.uint8] | None, ...] = ()

    def matched(self, rows: npt.NDArray[np.int64] | None = None) -> npt.NDArray[np.float64]:
        """The question's weight each of `rows` (every example if None) uses."""
        if self.kept is not None:
            return self.kept.copy() if rows is None else self.kept[rows]
        if rows is None:
            lengths = [len(found) for found in self.postings]
            everything = np.concatenate([*self.postings, np.zeros(0, dtype=np.int32)])
            repeated = np.repeat(np.array(self.weights, dtype=np.float64), lengths)
            every = np.bincount(everything, weights=repeated, minlength=len(self.example_mass))
            return every.astype(np.float64, copy=False)
        matched = np.zeros(len(rows), dtype=np.float64)
        for found, weight in zip(self.postings, self.weights, strict=True):
            if len(found):
                at = np.minimum(_positions(found, rows), len(found) - 1)
                matched[found[at] == rows] += weight
        return matched

    def recall(self, rows: npt.NDArray[np.int64] | None = None) -> npt.NDArray[np.float64]:
        recall: npt.NDArray[np.float64] = self.matched(rows) / self.query_mass
        return recall

    def f(self, rows: npt.NDArray[np.int64] | None = None) -> npt.NDArray[np.float64]:
        matched = self.matched(rows)
        mass = self.example_mass if rows is None else self.example_mass[rows]
        return f_beta(matched / mass, matched / self.query_mass, self.beta)


@dataclass(frozen=True, slots=True)
class TokenProfile:
    """The entries using one token (sorted), with its weight times how central it is to
    each (what it covers of the question) and times its share of their examples."""

    entries: npt.NDArray[np.int32]
    covers: npt.NDArray[np.float64]
    expects: npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class EntryScores:
    """Every entry's scores for one question (arrays indexed by entry)."""

    blended: npt.NDArray[np.float64]
    recall: npt.NDArray[np.float64]  # how much of the question the entry as a whole explains
    whole: npt.NDArray[np.float64]  # its F-score as a whole, times its share of the blend


def scored(
    overlap: ExampleOverlap,
    profiles: list[TokenProfile],
    starts: npt.NDArray[np.int64],
    entry_mass: npt.NDArray[np.float64],
    entry_weight: float,
    rough: bool = False,
) -> EntryScores:
    """Every entry's blended score and its recall as a whole.

    Entry i's examples are rows starts[i]:starts[i + 1] (each entry has at least one).
    Its blended score mixes its best example's F-score with its own as a whole. `rough`
    finds the best examples' F-scores in one division an example, not three: each
    blended score is then within `ROUGH_ERROR` of the exact one (`blend` makes it exact).
    """
    entry_recall, whole = _whole_entries(profiles, entry_mass, overlap.query_mass, overlap.beta)
    whole *= entry_weight
    best = _best_examples(overlap, starts, rough)
    return EntryScores(blend(best, whole, entry_weight), entry_recall, whole)


def blend(
    best: npt.NDArray[np.float64], whole: npt.NDArray[np.float64], entry_weight: float
) -> npt.NDArray[np.float64]:
    """Blended scores from the best examples' F-scores (overwritten) and `EntryScores.whole`."""
    best *= 1 - entry_weight
    best += whole
    return best


def _whole_entries(
    profiles: list[TokenProfile],
    entry_mass: npt.NDArray[np.float64],
    query_mass: float,
    beta: float,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Each entry's recall and F-score as a whole: its 100,000 figures at once fit the cache."""
    users = np.concatenate([profile.entries for profile in profiles] + [np.zeros(0, np.int32)])
    empty = [np.zeros(0, dtype=np.float64)]
    covers = np.concatenate([profile.covers for profile in profiles] + empty)
    expects = np.concatenate([profile.expects for profile in profiles] + empty)
    covered = _sums(users, covers, len(entry_mass))
    expected = _sums(users, expects, len(entry_mass))
    recall = covered / query_mass
    precision = np.divide(expected, entry_mass, out=np.zeros_like(expected), where=entry_mass > 0)
    return recall, f_beta(precision, recall, beta)


def _best_examples(
    overlap: ExampleOverlap, starts: npt.NDArray[np.int64], rough: bool
) -> npt.NDArray[np.float64]:
    """Each entry's best example F-score, a block of examples at a time (`scored`)."""
    entry_count = len(starts) - 1
    bounds = np.searchsorted(starts, np.arange(0, int(starts[-1]), BLOCK_EXAMPLES))
    bounds = np.unique(np.append(bounds, entry_count))
    example_bounds = starts[bounds]
    # Rough scores add a common token's weight from its bits, in any order: not so the
    # exact ones (added token by token), nor the matched weights kept for them.
    dense = overlap.dense if rough and overlap.kept is None else ()
    dense = dense or (None,) * len(overlap.postings)
    pairs = zip(dense, overlap.weights, strict=True)
    bits = [(found, weight) for found, weight in pairs if found is not None]
    sparse = [k for k, found in enumerate(dense) if found is None]
    weights = np.array([overlap.weights[k] for k in sparse], dtype=np.float64)
    cuts = [_positions(overlap.postings[k], example_bounds) for k in sparse]
    best = np.empty(entry_count, dtype=np.float64)
    query_mass, beta = overlap.query_mass, overlap.beta
    for block in range(len(bounds) - 1):
        first, last = int(bounds[block]), int(bounds[block + 1])
        begin, end = int(example_bounds[block]), int(example_bounds[block + 1])
        parts = [
            overlap.postings[k][cut[block] : cut[block + 1]]
            for k, cut in zip(sparse, cuts, strict=True)
        ]
        rows = np.concatenate([*parts, np.zeros(0, dtype=np.int32)])
        rows -= begin
        repeated = np.repeat(weights, [len(part) for part in parts])
        matched = _sums(rows, repeated, end - begin)
        for found, weight in bits:
            matched += weight * _unpacked(found, begin, end)
        if overlap.kept is not None:
            overlap.kept[begin:end] = matched
        mass = overlap.example_mass[begin:end]
        if rough:  # F = (1 + b^2) m / (b^2 Q + M), with m matched, Q the question's mass
            matched /= mass + beta**2 * query_mass
            example_f = matched
        else:
            example_f = f_beta(matched / mass, matched / query_mass, beta)
        best[first:last] = np.maximum.reduceat(example_f, starts[first:last] - begin)
    if rough:
        best *= 1 + beta**2
    return best


def _unpacked(bits: npt.NDArray[np.uint8], begin: int, end: int) -> npt.NDArray[np.uint8]:
    """Bits `begin` to `end` of `bits` (np.packbits), one 0 or 1 a byte."""
    byte = begin // 8
    unpacked: npt.NDArray[np.uint8] = np.unpackbits(bits[byte : (end + 7) // 8])
    return unpacked[begin - 8 * byte : end - 8 * byte]


def _positions(found: npt.NDArray[np.int32], keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """`np.searchsorted(found, keys)`, the keys cast to `found`'s type: given int64 keys,
    numpy casts `found` instead, a copy of up to a million postings (0.8 ms) each call."""
    positions: npt.NDArray[np.int64] = np.searchsorted(found, keys.astype(found.dtype))
    return positions


def _sums(
    keys: npt.NDArray[np.int32], weights: npt.NDArray[np.float64], size: int
) -> npt.NDArray[np.float64]:
    """The weights added up by key, in order (np.bincount of nothing gives integers)."""
    return np.bincount(keys, weights=weights, minlength=size).astype(np.float64, copy=False)


def f_beta(
    precision: npt.NDArray[np.float64], recall: npt.NDArray[np.float64], beta: float
) -> npt.NDArray[np.float64]:
    """(1 + b^2) P R / (b^2 P + R), 0 where both are 0; in place, as few passes as it takes."""
    beta2 = beta**2
    if beta2 == 1.0:  # 1.0 * P is P to the last bit: a pass saved
        denominator = precision + recall
    else:
        denominator = beta2 * precision
        denominator += recall
    numerator = (1 + beta2) * precision
    numerator *= recall
    # The denominator is 0 only where the numerator is; raised to the least positive float
    # there, a plain division gives those 0 and every other quotient unchanged, in a
    # quarter of the time a division `where=denominator > 0` takes (110,000 examples).
    np.maximum(denominator, _LEAST_POSITIVE, out=denominator)
    scores: npt.NDArray[np.float64] = np.divide(numerator, denominator, out=numerator)
    return scores
