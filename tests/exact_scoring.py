"""Exact, unoptimised scoring: what the fast paths in bot/ must agree with.

Each function is a drop-in for one method (patched in by tests/test_identical_answers.py):
the plainest way to compute the same thing, one token or one word at a time. They read
the index's private arrays on purpose: the same data, scored the slow way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from bot.matcher import LexicalScores, MatchIndex
from bot.normalize import Normalized
from bot.spelling import SpellingIndex

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["exact_lexical", "exact_nearest"]


def exact_nearest(index: SpellingIndex, word: str, max_edits: int) -> str | None:
    """The closest known word by a pass over the whole vocabulary."""
    match = process.extractOne(
        word, index.words, scorer=DamerauLevenshtein.distance, score_cutoff=max_edits
    )
    return None if match is None else str(match[0])


def _shares(
    index: MatchIndex, postings: npt.NDArray[np.int32]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """The entries whose examples are `postings`, and the share of each one's examples."""
    owners = np.searchsorted(index.starts, postings, side="right") - 1
    entries, uses = np.unique(owners, return_counts=True)
    share: npt.NDArray[np.float64] = uses / np.diff(index.starts)[entries]
    return entries, share


def exact_lexical(
    index: MatchIndex, question: Normalized, *, lenient: bool = False, rough: bool = False
) -> LexicalScores | None:
    """Every entry's lexical scores, token by token, with the F-score written out (exact
    even when asked for `rough` ones, which a shortlist then takes as they are)."""
    tokens = index.counted_tokens(question)
    if not tokens or not len(index):
        return None
    matched = np.zeros(len(index), dtype=np.float64)
    overlapping = False
    for token in sorted(tokens):  # the order runbot sums them in, whatever the hash seed
        postings = index._postings_of(token)
        if postings is not None and token not in question.off_topic:
            matched[postings] += index.weight(token)  # its idf: the examples use it
            overlapping = True
    if not overlapping:
        return None
    if lenient:
        tokens = {t for t in tokens if index._idf_of(t) is not None or t in question.off_topic}
    query_mass = sum(index.weight(token, question.off_topic) for token in sorted(tokens))
    example_recall = matched / query_mass
    weights = index.weights
    beta = weights.lenient_recall_bias if lenient else weights.recall_bias
    example_f = _f_beta(matched / index._example_mass, example_recall, beta)
    covered = np.zeros(len(index.entry_ids), dtype=np.float64)
    expected = np.zeros(len(index.entry_ids), dtype=np.float64)
    for token in sorted(tokens):
        postings = index._postings_of(token)
        if postings is None or token in question.off_topic:
            continue
        entries, share = _shares(index, postings)
        weight = index.weight(token)
        covered[entries] += weight * np.minimum(1.0, share * weights.coverage)
        expected[entries] += weight * share
    entry_recall = covered / query_mass
    entry_mass = index._entry_mass
    precision = np.divide(expected, entry_mass, out=np.zeros_like(expected), where=entry_mass > 0)
    entry_f = _f_beta(precision, entry_recall, beta)
    starts = index.starts[:-1]
    best_f = np.maximum.reduceat(example_f, starts)
    blended = (1 - weights.entry_weight) * best_f + weights.entry_weight * entry_f
    examples = _Dense(example_f, example_recall)
    return LexicalScores(tokens, blended, examples, entry_recall, index.starts)


@dataclass(frozen=True)
class _Dense:
    """Every example's figures, computed up front (bot.overlap.ExampleScores)."""

    f_scores: npt.NDArray[np.float64]
    recalls: npt.NDArray[np.float64]

    def recall(self, rows: npt.NDArray[np.int64] | None = None) -> npt.NDArray[np.float64]:
        return self.recalls if rows is None else self.recalls[rows]

    def f(self, rows: npt.NDArray[np.int64] | None = None) -> npt.NDArray[np.float64]:
        return self.f_scores if rows is None else self.f_scores[rows]


def _f_beta(
    precision: npt.NDArray[np.float64], recall: npt.NDArray[np.float64], beta: float
) -> npt.NDArray[np.float64]:
    beta2 = beta**2
    denominator = beta2 * precision + recall
    scores: npt.NDArray[np.float64] = np.divide(
        (1 + beta2) * precision * recall,
        denominator,
        out=np.zeros_like(denominator),
        where=denominator > 0,
    )
    return scores
