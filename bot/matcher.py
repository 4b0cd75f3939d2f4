"""Rank knowledge entries for a question.

Each entry is represented by its title and example questions (never its answer prose). A
question is scored against the entries with three signals:

* weighted token overlap with each example: each token weighs its inverse document
  frequency over entries, so rare, meaningful words ("stitch", "sweat") count far more than
  words most entries share ("cramp", "run"). Words of the question that the knowledge base
  never uses count as unexplained weight, and words naming a subject runbot has no advice
  on ("shin splints") count double: a question mostly about something else cannot ride on
  one shared word. The overlap is an F-score of how much of the question the example
  explains and how much of the example the question covers.
* the same overlap with the entry as a whole (how many of its examples use each word), so
  a question phrased unlike any single example still finds the entry it belongs to.
* rapidfuzz's token-sort ratio between the normalised question and the best example, which
  rewards the same words in a similar arrangement.

The overlap is computed for all examples with an inverted index and numpy, a block of
examples at a time (bot.overlap), so the cost grows with the examples sharing a word with
the question; rapidfuzz then refines only the best few entries.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import numpy as np
from rapidfuzz import fuzz

import bot.overlap as overlap_module
from bot.arrays import runs
from bot.handover import give_way
from bot.normalize import Normalized, Normalizer
from bot.overlap import ExampleOverlap, ExampleScores, TokenProfile, blend
from bot.overlap import scored as overlap_scores

# A number, with or without its unit ("30", "25k", "500ml", "2h"): the distance or time in
# a runner's story says nothing about which entry answers it, so an unknown one is not
# held against a match.
_AMOUNT = re.compile(r"\d+(?:[.,]\d+)?[a-z]{0,5}")
# Past one example in this many, `LexicalScores.exact` scores every example in one pass.
_LOOKED_UP_SHARE = 8

if TYPE_CHECKING:  # numpy.typing costs 25 ms at start-up, and only mypy needs it
    import numpy.typing as npt

__all__ = ["Candidate", "MatchIndex", "ScoringWeights"]

ArrayT = TypeVar("ArrayT", bound=np.generic)


@dataclass(frozen=True, slots=True)
class ScoringWeights:
    """How the signals combine; calibrated on the tuning sets (`runbot eval --set tuning`)."""

    recall_bias: float = 1.0  # F-beta: how much more question coverage counts than example's
    # A long post is read leniently: most of its words tell the story, so how much of an
    # example it contains counts far more than how much of it the example explains.
    lenient_recall_bias: float = 0.2
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


@dataclass(frozen=True, slots=True)
class LexicalScores:
    """One question's lexical signal for every entry (arrays indexed like `entry_ids`)."""

    tokens: set[str]
    blended: npt.NDArray[np.float64]
    # Each example's figures, computed for the examples asked about (bot.overlap).
    examples: ExampleScores
    # How much of the question each entry as a whole explains: an entry's coverage is the
    # larger of its own and its examples' best (`coverage_of`).
    entry_recall: npt.NDArray[np.float64]
    starts: npt.NDArray[np.int64]  # entry i's examples are starts[i]:starts[i + 1]
    # Given when `blended` is rough (within bot.overlap.ROUGH_ERROR of the exact scores):
    # each entry's share of its score as a whole, from which `exact` finishes any entry's.
    whole: npt.NDArray[np.float64] | None = None
    entry_weight: float = 0.0

    def exact(self, entries: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """`blended[entries]` as exact scoring gives it, to the last bit."""
        if self.whole is None or not len(entries):
            return self.blended[entries]
        first = self.starts[entries]
        sizes = self.starts[entries + 1] - first
        if int(sizes.sum()) * _LOOKED_UP_SHARE > int(self.starts[-1]):
            # Many entries (a knowledge base of near ties): one pass over every example
            # costs less than looking each of theirs up word by word, and adds the same.
            every = np.maximum.reduceat(self.examples.f(), self.starts[:-1])
            return blend(every[entries], self.whole[entries], self.entry_weight)
        example_f = self.examples.f(runs(first, sizes))
        best = np.maximum.reduceat(example_f, np.cumsum(sizes) - sizes)
        return blend(best, self.whole[entries], self.entry_weight)

    @property
    def example_f(self) -> npt.NDArray[np.float64]:
        """Every example's F-score (a pass over every example: `best_example` reads fewer)."""
        return self.examples.f()

    @property
    def example_recall(self) -> npt.NDArray[np.float64]:
        """How much of the question each example explains (a pass over every example)."""
        return self.examples.recall()

    @property
    def coverage(self) -> npt.NDArray[np.float64]:
        """Every entry's coverage (a pass over every example: `coverage_of` reads fewer)."""
        by_example = np.maximum.reduceat(self.example_recall, self.starts[:-1])
        coverage: npt.NDArray[np.float64] = np.maximum(by_example, self.entry_recall)
        return coverage

    def coverage_of(self, entries: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """`coverage[entries]`, reading only those entries' examples."""
        if not len(entries):
            return np.zeros(0, dtype=np.float64)
        first = self.starts[entries]
        sizes = self.starts[entries + 1] - first
        recall = self.examples.recall(runs(first, sizes))
        by_example = np.maximum.reduceat(recall, np.cumsum(sizes) - sizes)
        coverage: npt.NDArray[np.float64] = np.maximum(by_example, self.entry_recall[entries])
        return coverage

    def best_example(self, entry: int) -> int:
        """The example of `entry` that overlaps the question most (the first, if tied)."""
        return int(self.best_examples(np.array([entry], dtype=np.int64))[0])

    def best_examples(self, entries: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """`best_example` of each of `entries` (at least one), their examples read at once."""
        first = self.starts[entries]
        sizes = self.starts[entries + 1] - first
        example_f = self.examples.f(runs(first, sizes))
        offsets = np.cumsum(sizes) - sizes
        best = np.repeat(np.maximum.reduceat(example_f, offsets), sizes)
        at_best = np.flatnonzero(example_f == best)
        owners = np.repeat(np.arange(len(entries)), sizes)[at_best]
        _, firsts = np.unique(owners, return_index=True)  # each entry's first best
        found: npt.NDArray[np.int64] = first + at_best[firsts] - offsets
        return found


class MatchIndex:
    """An immutable index of example questions; build once per knowledge base."""

    def __init__(
        self,
        examples: Iterable[tuple[str, str]],
        normalizer: Normalizer,
        weights: ScoringWeights | None = None,
        neutral: frozenset[str] = frozenset(),
    ) -> None:
        """Index `(entry_id, example text)` pairs.

        `neutral` tokens never count for or against a match: the red-flag words a
        question that reached matching can only have denied ("no nausea, just a stitch").
        """
        self.normalizer = normalizer
        self.weights = weights or ScoringWeights()
        # Every example's tokens as numbers in arrays, example after example: Python lists
        # of 8 million ints and a tuple of tokens per example took several hundred MB at
        # 100,000 entries, which the allocator kept after they were freed.
        token_numbers: dict[str, int] = {}
        entry_numbers: dict[str, int] = {}
        example_entry = array("q")
        example_text: list[str] = []
        example_normalized: list[str] = []
        pair_token = array("q")  # example after example, each one's tokens in order
        token_counts = array("q")
        for entry_id, text in examples:
            give_way()
            tokens = dict.fromkeys(normalizer.normalize(text).tokens)
            if tokens:
                example_entry.append(entry_numbers.setdefault(entry_id, len(entry_numbers)))
                example_text.append(text)
                example_normalized.append(" ".join(sorted(tokens)))
                pair_token.extend(token_numbers.setdefault(t, len(token_numbers)) for t in tokens)
                token_counts.append(len(tokens))
        # Examples are stored entry by entry (in the order entries first appear), so each
        # entry owns one contiguous slice.
        order = np.argsort(np.frombuffer(example_entry, dtype=np.int64), kind="stable")
        counts = np.frombuffer(token_counts, dtype=np.int64)
        tokens_of = np.frombuffer(pair_token, dtype=np.int64)
        if not np.array_equal(order, np.arange(len(order))):
            ordered = order.tolist()
            example_text = [example_text[row] for row in ordered]
            example_normalized = [example_normalized[row] for row in ordered]
            first = np.cumsum(counts) - counts
            tokens_of = tokens_of[runs(first[order], counts[order])]
            counts = counts[order]
        # Tokens numbered in the order they first appear, entry by entry.
        _, first_seen = np.unique(tokens_of, return_index=True)
        renumbered = np.empty(len(first_seen), dtype=np.int64)
        renumbered[np.argsort(first_seen, kind="stable")] = np.arange(len(first_seen))
        pair_token_numbers = renumbered[tokens_of] if len(tokens_of) else tokens_of
        by_number = sorted(token_numbers, key=lambda token: renumbered[token_numbers[token]])
        self.entry_ids = tuple(sorted(entry_numbers, key=entry_numbers.__getitem__))
        # Tuples: of strings only, the cycle collector stops walking them after one look.
        self.example_text = tuple(example_text)
        self.example_normalized = tuple(example_normalized)
        # Words the examples use are never neutral: they mean what the examples mean.
        self._neutral = neutral - token_numbers.keys()
        # Entry i's examples are example_text[starts[i] : starts[i + 1]].
        entry_sizes = np.bincount(
            np.frombuffer(example_entry, dtype=np.int64), minlength=len(self.entry_ids)
        )
        self.starts = np.zeros(len(self.entry_ids) + 1, dtype=np.int64)
        np.cumsum(entry_sizes, out=self.starts[1:])
        entry_count = len(self.entry_ids)
        self._example_entry = np.repeat(
            np.arange(entry_count, dtype=np.int32), np.diff(self.starts)
        )
        pair_example = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
        self._build_weights(by_number, pair_example, pair_token_numbers)

    def _build_weights(
        self,
        tokens: list[str],
        pair_example: npt.NDArray[np.int64],
        pair_token: npt.NDArray[np.int64],
    ) -> None:
        """Token weights, postings, and each entry's word profile, all with numpy.

        Per token, its postings and profile are slices of flat arrays (a token's are at
        its number's `starts`): three small arrays for each of 200,000 tokens took 100 MB.
        """
        entry_count = max(len(self.entry_ids), 1)
        token_count = len(tokens)
        self._token_numbers: dict[str, int] = {token: n for n, token in enumerate(tokens)}
        pair_entry = self._example_entry[pair_example].astype(np.int64)
        # How many examples of each entry use each token; and in how many entries it occurs.
        entry_token, uses = np.unique(pair_entry * token_count + pair_token, return_counts=True)
        profile_entry, profile_token = np.divmod(entry_token, token_count)
        entries_with = np.bincount(profile_token, minlength=token_count)
        idf = np.maximum(np.log((entry_count + 1) / (entries_with + 0.5)), self.weights.min_weight)
        self._idf_values: npt.NDArray[np.float64] = idf
        self._max_idf = math.log((entry_count + 1) / 0.5)
        self._example_mass: npt.NDArray[np.float64] = np.bincount(
            pair_example, weights=idf[pair_token], minlength=len(self.example_text)
        ).astype(np.float64, copy=False)
        self._posting_starts, self._posting_examples = _grouped(
            token_count, pair_token, pair_example.astype(np.int32)
        )
        self._dense = self._dense_tokens()
        examples_of = np.diff(self.starts)
        share = uses / examples_of[profile_entry]
        expects = idf[profile_token] * share
        self._entry_mass: npt.NDArray[np.float64] = np.bincount(
            profile_entry, weights=expects, minlength=len(self.entry_ids)
        ).astype(np.float64, copy=False)
        # Per token: the entries using it, its share of their examples, and how central it
        # is to each (the share that counts as covering the question, at most 1); the last
        # two also times its weight, as a question sums them.
        self._profile_starts, self._profile_entries = _grouped(
            token_count, profile_token, profile_entry.astype(np.int32)
        )
        _, self._profile_expects = _grouped(token_count, profile_token, expects)
        central = np.minimum(1.0, share * self.weights.coverage)
        _, self._profile_covers = _grouped(token_count, profile_token, idf[profile_token] * central)

    def _dense_tokens(self) -> dict[int, npt.NDArray[np.uint8]]:
        """By token number, which examples use each token most examples use, as bits.

        Only past `KEPT_UP_TO` examples, where rough scores use them (bot.overlap): at
        100,000 entries one word is in 930,000 of 1.1 million examples, and adding its
        weight from 140 KB of bits instead of scattering its postings saves 1 ms a question.
        """
        examples = len(self.example_text)
        if examples <= overlap_module.KEPT_UP_TO:
            return {}
        common = np.flatnonzero(np.diff(self._posting_starts) * 2 >= examples)
        dense: dict[int, npt.NDArray[np.uint8]] = {}
        for number in common.tolist():
            uses = np.zeros(examples, dtype=bool)
            uses[
                self._posting_examples[
                    self._posting_starts[number] : self._posting_starts[number + 1]
                ]
            ] = True
            dense[number] = np.packbits(uses)
        return dense

    def _idf_of(self, token: str) -> float | None:
        """The weight of a token the examples use (None for any other)."""
        number = self._token_numbers.get(token)
        return None if number is None else float(self._idf_values[number])

    def _postings_of(self, token: str) -> npt.NDArray[np.int32] | None:
        """The examples using `token`, in order (None if none does)."""
        number = self._token_numbers.get(token)
        if number is None:
            return None
        starts = self._posting_starts
        return self._posting_examples[starts[number] : starts[number + 1]]

    def __len__(self) -> int:
        return len(self.example_text)

    def weight(self, token: str, off_topic: frozenset[str] = frozenset()) -> float:
        """How much `token` says about a question's subject."""
        if token in off_topic:
            return self.weights.off_topic_factor * self._max_idf
        idf = self._idf_of(token)
        return self.weights.unknown_word_factor * self._max_idf if idf is None else idf

    def counted_tokens(self, question: Normalized) -> set[str]:
        """The words of `question` that count for or against a match: not the neutral ones
        (unless off topic: "sleep" is a red-flag word and a subject runbot has no advice
        on), nor a number or amount the examples never use ("30", "25k")."""
        known = self._token_numbers
        return {
            token
            for token in set(question.tokens) - (self._neutral - question.off_topic)
            if token in known or not _AMOUNT.fullmatch(token)
        }

    def lexical(
        self, question: Normalized, *, lenient: bool = False, rough: bool = False
    ) -> LexicalScores | None:
        """Every entry's lexical score and coverage for `question`; None when nothing overlaps.

        `lenient` leaves out the words the knowledge base never uses: for the story around
        a question, whose words may help choose an entry but must not count against one.
        `rough` scores within bot.overlap.ROUGH_ERROR of the exact scores, with one division
        an example instead of three: for a caller that makes the few it needs exact (`exact`).
        """
        tokens = self.counted_tokens(question)
        if not tokens or not len(self):
            return None
        known = self._token_numbers
        # In one order, whatever the process's hash seed: floating-point sums depend on
        # it, and two examples tied but for the last bit would swap places between runs.
        scored = [t for t in sorted(tokens) if t in known and t not in question.off_topic]
        if not scored:
            return None
        if lenient:
            tokens = {t for t in tokens if t in known or t in question.off_topic}
        query_mass = sum(self.weight(token, question.off_topic) for token in sorted(tokens))
        beta = self.weights.lenient_recall_bias if lenient else self.weights.recall_bias
        numbers = [known[token] for token in scored]
        starts = self._posting_starts
        overlap = ExampleOverlap(
            tuple(self._posting_examples[starts[n] : starts[n + 1]] for n in numbers),
            tuple(self._idf_values[numbers].tolist()),
            self._example_mass,
            query_mass,
            beta,
            np.empty(len(self)) if len(self) <= overlap_module.KEPT_UP_TO else None,
            tuple(self._dense.get(n) for n in numbers) if self._dense else (),
        )
        profiles = [self._token_profile(known[token]) for token in scored]
        entry_weight = self.weights.entry_weight
        found = overlap_scores(
            overlap, profiles, self.starts, self._entry_mass, entry_weight, rough
        )
        # Coverage (by the best example or the whole entry) is left to `coverage_of`: a
        # large knowledge base needs it for a few entries, not a pass over every example.
        whole = found.whole if rough else None
        return LexicalScores(
            tokens, found.blended, overlap, found.recall, self.starts, whole, entry_weight
        )

    def _token_profile(self, number: int) -> TokenProfile:
        found = slice(self._profile_starts[number], self._profile_starts[number + 1])
        return TokenProfile(
            self._profile_entries[found], self._profile_covers[found], self._profile_expects[found]
        )

    def refine(self, scores: LexicalScores, entries: list[int]) -> list[float]:
        """The lexical scores of `entries` with rapidfuzz's word-order signal mixed in."""
        if not entries:
            return []
        chosen = np.array(entries, dtype=np.int64)
        examples = scores.best_examples(chosen).tolist()
        return [
            self._with_word_order(scores, blended, example)
            for blended, example in zip(scores.exact(chosen).tolist(), examples, strict=True)
        ]

    def _with_word_order(self, scores: LexicalScores, blended: float, example: int) -> float:
        query_text = " ".join(sorted(scores.tokens))
        similarity = fuzz.token_sort_ratio(query_text, self.example_normalized[example]) / 100
        string_weight = self.weights.string_weight
        return (1 - string_weight) * blended + string_weight * similarity

    def rank(self, question: Normalized, limit: int = 3) -> list[Candidate]:
        """The best `limit` entries for `question`, best first; empty when nothing overlaps."""
        scores = self.lexical(question)
        if scores is None:
            return []
        limit_refine = min(self.weights.refine_limit, len(scores.blended))
        top = np.argpartition(-scores.blended, limit_refine - 1)[:limit_refine]
        top = top[scores.blended[top] > 0]
        coverage = scores.coverage_of(top).tolist()
        examples = scores.best_examples(top).tolist() if len(top) else []
        refined = [
            self._with_word_order(scores, float(scores.blended[entry]), example)
            for entry, example in zip(top.tolist(), examples, strict=True)
        ]
        candidates = [
            Candidate(self.entry_ids[entry], score, self.example_text[example], share)
            for entry, score, example, share in zip(
                top.tolist(), refined, examples, coverage, strict=True
            )
        ]
        candidates.sort(key=lambda candidate: (-candidate.score, candidate.entry_id))
        return candidates[:limit]


def _grouped(
    key_count: int, key_numbers: npt.NDArray[np.int64], values: npt.NDArray[ArrayT]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[ArrayT]]:
    """`values` grouped by key, in order within each key: key k's are at starts[k]:starts[k+1]."""
    order = np.argsort(key_numbers, kind="stable")
    starts = np.searchsorted(key_numbers[order], np.arange(key_count + 1))
    return starts.astype(np.int64), values[order]
