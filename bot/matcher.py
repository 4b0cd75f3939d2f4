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

The overlap is computed for all examples at once with an inverted index and numpy, so the
cost grows with the examples sharing a word with the question; rapidfuzz then refines only
the best few entries.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import numpy as np
from rapidfuzz import fuzz

from bot.normalize import Normalized, Normalizer

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
    coverage: npt.NDArray[np.float64]
    example_f: npt.NDArray[np.float64]


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
        by_entry: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
        for entry_id, text in examples:
            tokens = tuple(dict.fromkeys(normalizer.normalize(text).tokens))
            if tokens:
                by_entry[entry_id].append((text, tokens))
        # Examples are stored entry by entry, so each entry owns one contiguous slice.
        self.entry_ids = tuple(by_entry)
        example_text: list[str] = []
        example_normalized: list[str] = []
        token_numbers: dict[str, int] = {}
        pair_example: list[int] = []
        pair_token: list[int] = []
        starts = [0]
        for found in by_entry.values():
            for text, tokens in found:
                number = len(example_text)
                example_text.append(text)
                example_normalized.append(" ".join(sorted(tokens)))
                for token in tokens:
                    pair_example.append(number)
                    pair_token.append(token_numbers.setdefault(token, len(token_numbers)))
            starts.append(len(example_text))
        # Tuples: of strings only, the cycle collector stops walking them after one look.
        self.example_text = tuple(example_text)
        self.example_normalized = tuple(example_normalized)
        # Words the examples use are never neutral: they mean what the examples mean.
        used = {token for text in self.example_normalized for token in text.split()}
        self._neutral = neutral - used
        # Entry i's examples are example_text[starts[i] : starts[i + 1]].
        self.starts = np.asarray(starts, dtype=np.int64)
        entry_count = len(self.entry_ids)
        self._example_entry = np.repeat(
            np.arange(entry_count, dtype=np.int32), np.diff(self.starts)
        )
        self._build_weights(
            token_numbers,
            np.asarray(pair_example, dtype=np.int64),
            np.asarray(pair_token, dtype=np.int64),
        )

    def _build_weights(
        self,
        token_numbers: dict[str, int],
        pair_example: npt.NDArray[np.int64],
        pair_token: npt.NDArray[np.int64],
    ) -> None:
        """Token weights, postings, and each entry's word profile, all with numpy."""
        entry_count = max(len(self.entry_ids), 1)
        token_count = len(token_numbers)
        pair_entry = self._example_entry[pair_example].astype(np.int64)
        # How many examples of each entry use each token; and in how many entries it occurs.
        entry_token, uses = np.unique(pair_entry * token_count + pair_token, return_counts=True)
        profile_entry, profile_token = np.divmod(entry_token, token_count)
        entries_with = np.bincount(profile_token, minlength=token_count)
        idf = np.maximum(np.log((entry_count + 1) / (entries_with + 0.5)), self.weights.min_weight)
        tokens = list(token_numbers)
        self._idf: dict[str, float] = dict(zip(tokens, idf.tolist(), strict=True))
        self._max_idf = math.log((entry_count + 1) / 0.5)
        self._example_mass = np.bincount(
            pair_example, weights=idf[pair_token], minlength=len(self.example_text)
        )
        self._postings = _group(tokens, pair_token, pair_example.astype(np.int32))

        examples_of = np.diff(self.starts)
        share = uses / examples_of[profile_entry]
        self._entry_mass = np.bincount(
            profile_entry, weights=idf[profile_token] * share, minlength=len(self.entry_ids)
        )
        entries_by_token = _group(tokens, profile_token, profile_entry.astype(np.int32))
        shares_by_token = _group(tokens, profile_token, share)
        # Per token: the entries using it, its share of their examples, and how central it
        # is to each (the share that counts as covering the question, at most 1).
        self._profile = {
            token: (
                entries_by_token[token],
                shares_by_token[token],
                np.minimum(1.0, shares_by_token[token] * self.weights.coverage),
            )
            for token in tokens
        }

    def __len__(self) -> int:
        return len(self.example_text)

    def weight(self, token: str, off_topic: frozenset[str] = frozenset()) -> float:
        """How much `token` says about a question's subject."""
        if token in off_topic:
            return self.weights.off_topic_factor * self._max_idf
        return self._idf.get(token, self.weights.unknown_word_factor * self._max_idf)

    def lexical(self, question: Normalized, *, lenient: bool = False) -> LexicalScores | None:
        """Every entry's lexical score and coverage for `question`; None when nothing overlaps.

        `lenient` leaves out the words the knowledge base never uses: for the story around
        a question, whose words may help choose an entry but must not count against one.
        """
        tokens = set(question.tokens) - self._neutral
        if not tokens or not len(self):
            return None
        scored = [t for t in tokens if t in self._postings and t not in question.off_topic]
        if not scored:
            return None
        if lenient:
            tokens = {t for t in tokens if t in self._idf or t in question.off_topic}
        query_mass = sum(self.weight(token, question.off_topic) for token in tokens)
        beta = self.weights.lenient_recall_bias if lenient else self.weights.recall_bias
        # One scatter for all the question's postings (np.bincount), instead of one per token.
        idf = np.asarray([self._idf[token] for token in scored])
        postings = [self._postings[token] for token in scored]
        matched = np.bincount(
            np.concatenate(postings),
            weights=np.repeat(idf, [len(found) for found in postings]),
            minlength=len(self),
        )
        # Token by token, as before this scatter, so the sums (and the answers) are the same
        # to the last bit; the F-scores are written as before too, for the same reason.
        example_recall = matched / query_mass
        example_f = _f_beta(matched / self._example_mass, example_recall, beta)
        if lenient:  # the same tokens, but the filtered set's order: sums are order-sensitive
            scored = [t for t in tokens if t in self._postings and t not in question.off_topic]
        entry_recall, entry_f = self._entry_scores(scored, query_mass, beta)
        # Each entry's best example (entries own contiguous slices), blended with the
        # whole-entry signal.
        starts = self.starts[:-1]
        best_f = np.maximum.reduceat(example_f, starts)
        share = self.weights.entry_weight
        blended = (1 - share) * best_f + share * entry_f
        # Coverage by the best example or the whole entry (an entry's best-scoring example
        # explains at most its own recall; the maximum over the slice bounds it cheaply).
        coverage = np.maximum(np.maximum.reduceat(example_recall, starts), entry_recall)
        return LexicalScores(tokens, blended, coverage, example_f)

    def best_example(self, scores: LexicalScores, entry: int) -> int:
        start, end = int(self.starts[entry]), int(self.starts[entry + 1])
        return start + int(np.argmax(scores.example_f[start:end]))

    def refine(self, scores: LexicalScores, entry: int) -> float:
        """The lexical score of one entry with rapidfuzz's word-order signal mixed in."""
        query_text = " ".join(sorted(scores.tokens))
        example = self.best_example(scores, entry)
        similarity = fuzz.token_sort_ratio(query_text, self.example_normalized[example]) / 100
        string_weight = self.weights.string_weight
        return (1 - string_weight) * float(scores.blended[entry]) + string_weight * similarity

    def rank(self, question: Normalized, limit: int = 3) -> list[Candidate]:
        """The best `limit` entries for `question`, best first; empty when nothing overlaps."""
        scores = self.lexical(question)
        if scores is None:
            return []
        limit_refine = min(self.weights.refine_limit, len(scores.blended))
        top = np.argpartition(-scores.blended, limit_refine - 1)[:limit_refine]
        candidates = [
            Candidate(
                self.entry_ids[entry],
                self.refine(scores, entry),
                self.example_text[self.best_example(scores, entry)],
                float(scores.coverage[entry]),
            )
            for entry in top.tolist()
            if scores.blended[entry] > 0
        ]
        candidates.sort(key=lambda candidate: (-candidate.score, candidate.entry_id))
        return candidates[:limit]

    def _entry_scores(
        self, scored: list[str], query_mass: float, beta: float
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Per entry as a whole: how much of the question it covers, and its F-score."""
        profiles = [self._profile[token] for token in scored]
        idf = np.repeat([self._idf[token] for token in scored], [len(p[0]) for p in profiles])
        entries = np.concatenate([entries for entries, _, _ in profiles])
        count = len(self.entry_ids)
        covered = np.bincount(
            entries,
            weights=idf * np.concatenate([central for _, _, central in profiles]),
            minlength=count,
        )
        expected = np.bincount(
            entries,
            weights=idf * np.concatenate([share for _, share, _ in profiles]),
            minlength=count,
        )
        recall = covered / query_mass
        precision = np.divide(
            expected, self._entry_mass, out=np.zeros_like(expected), where=self._entry_mass > 0
        )
        return recall, _f_beta(precision, recall, beta)


def _f_beta(
    precision: npt.NDArray[np.float64], recall: npt.NDArray[np.float64], beta: float
) -> npt.NDArray[np.float64]:
    """(1 + b^2) P R / (b^2 P + R), 0 where both are 0; in place, as few passes as it takes."""
    beta2 = beta**2
    denominator = beta2 * precision
    denominator += recall
    numerator = (1 + beta2) * precision
    numerator *= recall
    scores: npt.NDArray[np.float64] = np.divide(
        numerator, denominator, out=numerator, where=denominator > 0
    )
    return scores


def _group(
    keys: list[str], key_numbers: npt.NDArray[np.int64], values: npt.NDArray[ArrayT]
) -> dict[str, npt.NDArray[ArrayT]]:
    """Split `values` into one array per key (`key_numbers[i]` is the key of `values[i]`)."""
    order = np.argsort(key_numbers, kind="stable")
    bounds = np.searchsorted(key_numbers[order], np.arange(len(keys) + 1))
    ordered = values[order]
    return {key: ordered[bounds[n] : bounds[n + 1]] for n, key in enumerate(keys)}
