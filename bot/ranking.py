"""Rank entries for a message: lexical signals and meaning, the question above its story.

Two signals score every entry (on a knowledge base of 20,000 examples or more, meaning
scores only the candidates found near the question: bot.probing):

* lexical (bot.matcher): weighted word overlap with the entry's title and examples, and
  rapidfuzz's word-order similarity. Precise on short questions: a rare shared word
  ("stitch", "quinine") is strong evidence, and words runbot knows nothing about count
  against a match, so a question mostly about something else is not answered.
* semantic (bot.semantic): cosine similarity of sentence vectors with the closest
  example. It connects words the vocabulary lacks ("treatment", "relieve", "foam roll").

A long message is read twice. Its asking sentences (bot.focus) are scored strictly; the
whole message is scored leniently, its unknown words not counted against an entry, so the
story can help choose an entry but never sinks one. Its meaning is read by a small
transformer (bot.story_model), which follows a story better than averaged word vectors,
and weighs more than its words, most of which are the story's.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from bot.arrays import highest
from bot.classifier import CLASSIFIER_LIMIT, EntryClassifier
from bot.focus import find_focus
from bot.handover import give_way
from bot.matcher import LexicalScores, MatchIndex
from bot.normalize import Normalized, Normalizer
from bot.semantic import DIMENSIONS, CachedEmbedder, SemanticIndex, SentenceEmbedder
from bot.shortlist import Shortlist

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["STORY_EXAMPLE_LIMIT", "Ranked", "Ranker", "RankingWeights"]

log = logging.getLogger(__name__)

# The post reader embeds every example once (about 1.3 ms each on 2 cores, cached by
# text). Past this many examples that would hold up a reload for seconds, so long posts
# are read with the static vectors instead.
STORY_EXAMPLE_LIMIT = 5_000
# A large knowledge base's candidates (`Ranker._rank_candidates`): the best lexical
# matches, and the entries nearest in meaning to each reading.
_LEXICAL_CANDIDATES = 32
_SEMANTIC_CANDIDATES = 32


@dataclass(frozen=True, slots=True)
class RankingWeights:
    """How the signals combine; calibrated on the tuning sets (`runbot eval --set ...`)."""

    lexical: float = 0.6  # share of the lexical signal; the rest is the semantic one
    # Cosine similarity of unrelated sentences sits around this for static vectors; the
    # semantic signal counts only what lies above it, rescaled to 0..1.
    semantic_floor: float = 0.45
    story: float = 0.8  # how much the lenient reading of the whole message may count
    refine_limit: int = 12  # entries re-scored with rapidfuzz
    # A long message read by the post reader: the lexical share, and the similarity of
    # unrelated texts for that model.
    story_lexical: float = 0.28
    story_semantic_floor: float = 0.3
    # How a long post's readings are averaged (a maximum lets one lucky reading win):
    story_whole_words: float = 0.3  # the whole post's words, beside its asking sentences' (1)
    story_question: float = 0.3  # the post reader's share on the asking sentences (vs whole)
    story_static: float = 0.3  # the static vectors' share of the meaning, beside the reader's
    story_static_question: float = 0.5  # their share on the asking sentences (vs whole)
    # The post reader's share of the entry probabilities (bot.classifier), beside the
    # static vectors'.
    story_belief: float = 0.7


@dataclass(frozen=True, slots=True)
class Ranked:
    """One entry's standing for a message (all scores 0..1)."""

    entry_id: str
    score: float
    lexical: float
    semantic: float
    # The share of the question's weight this entry explains: low means the question is
    # mostly about something else, however well its few shared words match.
    coverage: float
    # The probability that the message belongs to this entry, learnt from the entries'
    # examples (bot.classifier); 0 where no classifier read it (short questions, large
    # knowledge bases).
    belief: float = 0.0


class Ranker:
    """Scores entries with both signals; built once per knowledge base, never changed."""

    def __init__(
        self,
        lexical: MatchIndex,
        embedder: SentenceEmbedder | None,
        normalizer: Normalizer,
        weights: RankingWeights | None = None,
        story: Callable[[], CachedEmbedder] | None = None,
    ) -> None:
        """Without an `embedder`, rank on the lexical signal alone (for comparisons).

        `story` gives the post reader; it is asked for on the first long message (or
        by `prepare`), so a one-line question never loads it.
        """
        self.lexical = lexical
        self.normalizer = normalizer
        self.weights = weights or RankingWeights()
        self._embedder = embedder
        self.semantic: SemanticIndex
        if embedder is None:
            self.semantic = SemanticIndex(np.zeros((0, DIMENSIONS), np.float32), lexical.starts)
        else:  # the examples as word pieces: a vector each would be 1 KiB
            texts = [_corrected(normalizer, text) for text in lexical.example_text]
            self.semantic = embedder.index(texts, lexical.starts)
            del texts
        self._words = _Reader(embedder, self.semantic, self.weights.semantic_floor, normalizer)
        few_enough = len(lexical.example_text) <= STORY_EXAMPLE_LIMIT
        self._story = story if embedder is not None and few_enough else None
        self._story_reader: _Reader | None = None
        self._beliefs: _Beliefs | None = None
        self._story_lock = threading.Lock()

    def prepare(self) -> None:
        """Load the post reader and embed the examples with it now, not on a first post."""
        self._post_reader()

    @property
    def reads_posts(self) -> bool:
        """Whether the post reader is loaded and has embedded this knowledge's examples."""
        return self._story_reader is not None

    def rank(self, text: str, limit: int = 4) -> list[Ranked]:
        """The best `limit` entries for the message `text`, best first."""
        focus = find_focus(text)
        signals: _Signals | None = None
        story = self._post_reader() if focus.is_long else None
        if story is not None:
            try:
                signals = self._read_post(focus.question, text, story)
                share = self.weights.story_lexical
            except Exception:  # the post reader failed on this post: the static vectors read it
                log.exception("the post reader failed on a post; read with the static vectors")
        if signals is None and self.semantic.probed:
            return self._rank_candidates(focus.question, text, focus.is_long, limit)
        if signals is None:
            signals = self._read(focus.question, text, focus.is_long, self._words)
            share = self.weights.lexical if self._embedder is not None else 1.0
        score = share * signals.lexical + (1 - share) * signals.semantic
        count = min(limit, len(score))
        if not count:
            return []
        top = np.argpartition(-score, count - 1)[:count]
        belief = signals.belief[top] if signals.belief is not None else np.zeros(count)
        return self._ranked(
            top,
            score[top],
            signals.lexical[top],
            signals.semantic[top],
            signals.coverage[top],
            belief,
        )

    def _rank_candidates(self, question: str, text: str, long: bool, limit: int) -> list[Ranked]:
        """`rank` on a large knowledge base: only the candidates get semantic scores.

        The candidates are the best lexical matches and the entries with examples near
        each reading (`SemanticIndex.nearby`); each gets its exact semantic score, from
        all its examples, so a candidate's standing is what scoring every entry gives.
        """
        readings = [(question, 1.0)]
        if long:  # the whole message too, its unknown words not held against it
            readings.append((text, self.weights.story))
        vectors = [(self._words.vectors(reading), weight) for reading, weight in readings]
        nearby = [
            self.semantic.nearby(v, _SEMANTIC_CANDIDATES) for read, _ in vectors for v in read
        ]
        # A question alone is scored roughly, and exactly where it counts (bot.shortlist).
        asked = self.lexical.lexical(self.normalizer.normalize(question), rough=not long)
        whole = None
        if asked is not None and not long:
            limit_refined = self.weights.refine_limit
            shortlist = Shortlist(self.lexical, asked, limit_refined, _LEXICAL_CANDIDATES)
            entries = np.unique(np.concatenate([shortlist.best, *nearby]))
            lexical = shortlist.lexical(entries)
        else:
            refined = self._refined(asked)
            if long:
                whole = self.lexical.lexical(self.normalizer.normalize(text), lenient=True)
                np.maximum(refined, self.weights.story * self._refined(whole), out=refined)
            count = min(_LEXICAL_CANDIDATES, len(refined))
            best_lexical = np.argpartition(-refined, count - 1)[:count]
            entries = np.unique(np.concatenate([best_lexical, *nearby]))
            lexical = refined[entries]
        semantic = np.zeros(len(entries), dtype=np.float64)
        for read, weight in vectors:
            np.maximum(semantic, weight * self._words.scores_of(read, entries), out=semantic)
        share = self.weights.lexical
        score = share * lexical + (1 - share) * semantic
        best = np.argsort(-score, kind="stable")[:limit]
        chosen = entries[best]
        coverage = np.zeros(len(chosen), dtype=np.float64)
        for scores in (asked, whole):  # the larger of the readings' (0 without any)
            if scores is not None:
                np.maximum(coverage, scores.coverage_of(chosen), out=coverage)
        beliefs = np.zeros(len(chosen))
        return self._ranked(chosen, score[best], lexical[best], semantic[best], coverage, beliefs)

    def _ranked(
        self,
        entries: npt.NDArray[np.int64],
        score: npt.NDArray[np.float64],
        lexical: npt.NDArray[np.float64],
        semantic: npt.NDArray[np.float64],
        coverage: npt.NDArray[np.float64],
        belief: npt.NDArray[np.float64],
    ) -> list[Ranked]:
        """`entries` with their signals (each array in the same order), best first."""
        ranked = [
            Ranked(
                entry_id=self.lexical.entry_ids[entry],
                score=float(score[row]),
                lexical=float(lexical[row]),
                semantic=float(semantic[row]),
                coverage=float(coverage[row]),
                belief=float(belief[row]),
            )
            for row, entry in enumerate(entries.tolist())
        ]
        ranked.sort(key=lambda r: (-r.score, r.entry_id))
        return ranked

    def _read(self, question: str, text: str, long: bool, reader: _Reader) -> _Signals:
        signals = self._signals(self.normalizer.normalize(question), question, reader)
        if long:  # the whole message, its unknown words not held against it
            whole = self._signals(self.normalizer.normalize(text), text, reader, lenient=True)
            signals.take_larger(whole, self.weights.story)
        return signals

    def _read_post(self, question: str, text: str, story: _Reader) -> _Signals:
        """A long post, read by both models and both ways, the readings averaged.

        The two models err on different posts, and so do the asking sentences and the
        whole post: their average ranks the right entry first more often than any one.
        """
        weights = self.weights
        read_whole, words_whole = story.vectors(text), self._words.vectors(text)
        asked = self._signals(self.normalizer.normalize(question), question, story)
        whole = self._signals(
            self.normalizer.normalize(text), text, story, lenient=True, vectors=read_whole
        )
        lexical = (asked.lexical + weights.story_whole_words * whole.lexical) / (
            1 + weights.story_whole_words
        )
        read = _mix(asked.semantic, whole.semantic, weights.story_question)
        static = _mix(
            self._words.scores(question),
            self._words.scores_for(words_whole),
            weights.story_static_question,
        )
        semantic = _mix(static, read, weights.story_static)
        coverage = np.maximum(asked.coverage, whole.coverage)
        belief = None
        # A post without a word piece either model knows would get the prior alone.
        if self._beliefs is not None and read_whole[:1].any() and words_whole[:1].any():
            belief = _mix(
                self._beliefs.read.beliefs(read_whole[0]),
                self._beliefs.words.beliefs(words_whole[0]),
                weights.story_belief,
            )
        return _Signals(lexical, semantic, coverage, belief)

    def _post_reader(self) -> _Reader | None:
        if self._story is None:
            return None
        with self._story_lock:
            if self._story_reader is None and self._story is not None:
                try:
                    embedder = self._story()
                    vectors = embedder.embed(self.lexical.example_text)
                except Exception as error:  # a broken model must not cost any runner a reply
                    # Answering goes on: long posts are read with the static vectors.
                    log.warning("long posts are read without the post reader: %s", error)
                    self._story = None
                    return None
                index = SemanticIndex(vectors, self.lexical.starts)
                self._beliefs = self._learnt_beliefs(vectors)
                floor = self.weights.story_semantic_floor
                self._story_reader = _Reader(embedder, index, floor)
            return self._story_reader

    def _learnt_beliefs(self, read: npt.NDArray[np.float32]) -> _Beliefs | None:
        """Classifiers of the post reader's and the static vectors (`read`: the former)."""
        pairs = len(self.lexical.example_text) * len(self.lexical.entry_ids)
        if self._embedder is None or pairs > CLASSIFIER_LIMIT:
            return None
        try:
            words = self.semantic.example_vectors()  # from the word pieces: nothing embedded
            starts = self.lexical.starts
            return _Beliefs(EntryClassifier.fit(read, starts), EntryClassifier.fit(words, starts))
        except Exception:  # close calls are then asked about, as without it
            log.exception("the entry classifiers could not be trained")
            return None

    def _signals(
        self,
        question: Normalized,
        text: str,
        reader: _Reader,
        lenient: bool = False,
        vectors: npt.NDArray[np.float32] | None = None,
    ) -> _Signals:
        """One reading's signals; `vectors`: `reader.vectors(text)` if already computed."""
        scores = self.lexical.lexical(question, lenient=lenient)
        lexical = self._refined(scores)
        coverage = scores.coverage if scores is not None else np.zeros(len(lexical))
        semantic = reader.scores(text) if vectors is None else reader.scores_for(vectors)
        return _Signals(lexical, semantic, coverage)

    def _refined(self, scores: LexicalScores | None) -> npt.NDArray[np.float64]:
        """Lexical scores, the best few with rapidfuzz's word-order signal mixed in."""
        if scores is None:
            return np.zeros(len(self.lexical.entry_ids), dtype=np.float64)
        refined = scores.blended.copy()
        # Ties in entry order, as bot.shortlist takes them: which ones `np.argpartition`
        # takes depends on every score.
        top = highest(refined, self.weights.refine_limit)
        top = top[refined[top] > 0]
        refined[top] = self.lexical.refine(scores, top.tolist())
        return refined


@dataclass(frozen=True, slots=True)
class _Reader:
    """One way of reading meaning: a model, the examples' vectors, and its floor."""

    embedder: CachedEmbedder | None
    index: SemanticIndex
    floor: float
    # The static vectors read spelling-corrected text (and its slang in plain words); the
    # post reader reads it as typed.
    normalizer: Normalizer | None = None

    def scores(self, text: str) -> npt.NDArray[np.float64]:
        """Each entry's similarity to `text` above the floor, rescaled to 0..1."""
        return self.scores_for(self.vectors(text))

    def scores_for(self, vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        """`scores` of the text whose readings are `vectors` (`vectors(text)`)."""
        if self.embedder is None:  # no model: the index is empty, all score 0
            similarity = self.index.similarities(np.zeros(0, dtype=np.float32))
        else:
            similarity = np.max([self.index.similarities(v) for v in vectors], axis=0)
        return self._rescaled(similarity)

    def vectors(self, text: str) -> npt.NDArray[np.float32]:
        """The readings of `text` as vectors: the closest reading counts for an entry."""
        if self.embedder is None:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        readings = [text]
        if self.normalizer is not None:
            # Read as typed and with slang in plain words ("hammy keeps locking up":
            # "hamstring keeps cramp"); the closer reading counts.
            typed, plain = self.normalizer.corrected(text), self.normalizer.plain(text)
            readings = [typed] if typed == plain else [typed, plain]
        return self.embedder.embed(readings, remember=False)

    def scores_of(
        self, vectors: npt.NDArray[np.float32], entries: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float64]:
        """`scores` of `entries` alone, for the readings' `vectors`."""
        similarity = np.max([self.index.similarities_of(v, entries) for v in vectors], axis=0)
        return self._rescaled(similarity)

    def _rescaled(self, similarity: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        rescaled: npt.NDArray[np.float64] = np.clip(
            (similarity.astype(np.float64) - self.floor) / (1 - self.floor), 0, 1
        )
        return rescaled


@dataclass(frozen=True, slots=True)
class _Signals:
    """Every entry's lexical and semantic score and lexical coverage for one reading."""

    lexical: npt.NDArray[np.float64]
    semantic: npt.NDArray[np.float64]
    coverage: npt.NDArray[np.float64]
    belief: npt.NDArray[np.float64] | None = None  # entry probabilities, where learnt

    def take_larger(self, other: _Signals, weight: float) -> None:
        """Keep, signal by signal, the larger of this reading and `weight` x `other`."""
        np.maximum(self.lexical, weight * other.lexical, out=self.lexical)
        np.maximum(self.semantic, weight * other.semantic, out=self.semantic)
        np.maximum(self.coverage, other.coverage, out=self.coverage)


@dataclass(frozen=True, slots=True)
class _Beliefs:
    """The entry classifiers of the post reader's vectors and of the static ones."""

    read: EntryClassifier
    words: EntryClassifier


def _mix(
    first: npt.NDArray[np.float64], second: npt.NDArray[np.float64], share: float
) -> npt.NDArray[np.float64]:
    """`share` of `first` and the rest of `second`."""
    mixed: npt.NDArray[np.float64] = share * first + (1 - share) * second
    return mixed


def _corrected(normalizer: Normalizer, text: str) -> str:
    give_way()
    return normalizer.corrected(text)
