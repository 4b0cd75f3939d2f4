"""Rank knowledge entries for a question.

Each entry is represented by its title and example questions (never its answer prose). A
question is scored against every example by two signals:

* weighted token overlap: each token weighs its inverse document frequency over entries,
  so rare, meaningful words ("stitch", "sweat") count far more than words most entries
  share ("cramp", "run"). Words of the question that the knowledge base never uses count
  as unexplained weight, and words naming a subject runbot has no advice on ("shin
  splints") count double: a question mostly about something else cannot ride on one
  shared word. The overlap is an F-score leaning on how much of the *question* is
  explained.
* rapidfuzz's token-sort ratio between the normalised question and the example, which
  rewards the same words in a similar arrangement.

The overlap is computed for all examples at once with an inverted index and numpy, so the
cost grows with the examples sharing a word with the question, not with the whole
knowledge base; rapidfuzz then refines only the best few.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz

from bot.normalize import Normalized, Normalizer

if TYPE_CHECKING:  # numpy.typing costs 25 ms at start-up, and only mypy needs it
    import numpy.typing as npt

__all__ = ["Candidate", "MatchIndex", "ScoringWeights"]


@dataclass(frozen=True, slots=True)
class ScoringWeights:
    """How the signals combine; calibrated with `runbot eval --dev`."""

    recall_bias: float = 1.0  # F-beta: how much more question coverage counts than example's
    string_weight: float = 0.1  # share of the rapidfuzz signal in the final score
    unknown_word_factor: float = 1.0  # weight of a word the KB never uses, in units of max idf
    off_topic_factor: float = 2.0  # weight of an off-topic word, in units of max idf
    # Even a word every entry uses says something: without this floor, "cramp" would weigh
    # nothing and "stretches before a run" would match "stretching a cramp" on "stretch".
    min_weight: float = 1.2
    entry_weight: float = 0.5  # share of the whole-entry signal (vs the best single example)
    coverage: float = 3.0  # a word in 1/coverage of an entry's examples is central to it
    refine_limit: int = 12  # entries re-scored with rapidfuzz


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entry and how well the question matches it (0..1), with the closest example."""

    entry_id: str
    score: float
    example: str
    # The share of the question's weight this entry explains: low means the question is
    # mostly about something else, however well its few shared words match.
    coverage: float = 1.0


class MatchIndex:
    """An immutable index of example questions; build once per knowledge base."""

    def __init__(
        self,
        examples: Iterable[tuple[str, str]],
        normalizer: Normalizer,
        weights: ScoringWeights | None = None,
    ) -> None:
        """Index `(entry_id, example text)` pairs."""
        self.normalizer = normalizer
        self.weights = weights or ScoringWeights()
        entry_ids: list[str] = []
        entry_number: dict[str, int] = {}
        example_entry: list[int] = []
        example_tokens: list[frozenset[str]] = []
        self.example_text: list[str] = []
        self.example_normalized: list[str] = []
        for entry_id, text in examples:
            normalized = normalizer.normalize(text)
            if not normalized.tokens:
                continue
            number = entry_number.setdefault(entry_id, len(entry_ids))
            if number == len(entry_ids):
                entry_ids.append(entry_id)
            example_entry.append(number)
            example_tokens.append(frozenset(normalized.tokens))
            self.example_text.append(text)
            self.example_normalized.append(" ".join(sorted(set(normalized.tokens))))
        self.entry_ids = tuple(entry_ids)
        self._example_entry = np.asarray(example_entry, dtype=np.int32)

        entries_with: dict[str, set[int]] = defaultdict(set)
        postings: dict[str, list[int]] = defaultdict(list)
        for number, tokens in enumerate(example_tokens):
            for token in tokens:
                entries_with[token].add(example_entry[number])
                postings[token].append(number)
        entry_count = max(len(entry_ids), 1)
        self._idf = {
            token: max(math.log((entry_count + 1) / (len(entries) + 0.5)), self.weights.min_weight)
            for token, entries in entries_with.items()
        }
        self._max_idf = math.log((entry_count + 1) / 0.5)
        self._postings = {
            token: np.asarray(numbers, dtype=np.int32) for token, numbers in postings.items()
        }
        self._example_mass = np.asarray(
            [sum(self._idf[token] for token in tokens) for tokens in example_tokens],
            dtype=np.float64,
        )
        # Each entry as a whole: the share of its examples using each word.
        examples_of = np.bincount(self._example_entry, minlength=len(entry_ids))
        uses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for number, tokens in enumerate(example_tokens):
            for token in tokens:
                uses[token][example_entry[number]] += 1
        self._profile: dict[str, tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]]] = {}
        entry_mass = np.zeros(len(entry_ids), dtype=np.float64)
        for token, counts in uses.items():
            entries = np.fromiter(counts, dtype=np.int32, count=len(counts))
            share = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            share /= examples_of[entries]
            self._profile[token] = (entries, share)
            entry_mass[entries] += self._idf[token] * share
        self._entry_mass = entry_mass

    def __len__(self) -> int:
        return len(self.example_text)

    def weight(self, token: str, off_topic: frozenset[str] = frozenset()) -> float:
        """How much `token` says about a question's subject."""
        if token in off_topic:
            return self.weights.off_topic_factor * self._max_idf
        return self._idf.get(token, self.weights.unknown_word_factor * self._max_idf)

    def knows(self, token: str) -> bool:
        return token in self._idf

    def rank(self, question: Normalized, limit: int = 3) -> list[Candidate]:
        """The best `limit` entries for `question`, best first; empty when nothing overlaps."""
        tokens = set(question.tokens)
        if not tokens or not len(self):
            return []
        query_mass = sum(self.weight(token, question.off_topic) for token in tokens)
        matched = np.zeros(len(self), dtype=np.float64)
        touched: list[npt.NDArray[np.int32]] = []
        for token in tokens:
            postings = self._postings.get(token)
            if postings is not None and token not in question.off_topic:
                matched[postings] += self._idf[token]
                touched.append(postings)
        if not touched:
            return []
        numbers = np.unique(np.concatenate(touched))
        example_recall = matched[numbers] / query_mass
        example_f = self._f_beta(matched[numbers] / self._example_mass[numbers], example_recall)
        entry_recall, entry_f = self._entry_scores(tokens, question.off_topic, query_mass)

        # The best example of each entry, then each entry's blend of the two signals.
        order = np.argsort(-example_f, kind="stable")
        entries, first = np.unique(self._example_entry[numbers[order]], return_index=True)
        best = order[first]
        share = self.weights.entry_weight
        blended = (1 - share) * example_f[best] + share * entry_f[entries]
        coverage = np.maximum(example_recall[best], entry_recall[entries])

        query_text = " ".join(sorted(tokens))
        string_weight = self.weights.string_weight
        candidates = []
        for position in np.argsort(-blended, kind="stable")[: self.weights.refine_limit].tolist():
            example = int(numbers[best[position]])
            similarity = fuzz.token_sort_ratio(query_text, self.example_normalized[example]) / 100
            score = (1 - string_weight) * float(blended[position]) + string_weight * similarity
            entry_id = self.entry_ids[int(entries[position])]
            candidates.append(
                Candidate(entry_id, score, self.example_text[example], float(coverage[position]))
            )
        candidates.sort(key=lambda candidate: -candidate.score)
        return candidates[:limit]

    def _f_beta(
        self, precision: npt.NDArray[np.float64], recall: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.float64]:
        beta2 = self.weights.recall_bias**2
        denominator = beta2 * precision + recall
        scores: npt.NDArray[np.float64] = np.divide(
            (1 + beta2) * precision * recall,
            denominator,
            out=np.zeros_like(denominator),
            where=denominator > 0,
        )
        return scores

    def _entry_scores(
        self, tokens: set[str], off_topic: frozenset[str], query_mass: float
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Per entry as a whole: how much of the question it covers, and its F-score."""
        covered = np.zeros(len(self.entry_ids), dtype=np.float64)
        expected = np.zeros(len(self.entry_ids), dtype=np.float64)
        for token in tokens:
            profile = self._profile.get(token)
            if profile is None or token in off_topic:
                continue
            entries, share = profile
            weight = self._idf[token]
            covered[entries] += weight * np.minimum(1.0, share * self.weights.coverage)
            expected[entries] += weight * share
        recall = covered / query_mass
        precision = np.divide(
            expected, self._entry_mass, out=np.zeros_like(expected), where=self._entry_mass > 0
        )
        return recall, self._f_beta(precision, recall)
