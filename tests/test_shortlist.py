"""Rough lexical scores made exact where they count give what exact scoring gives.

2,000 synthetic entries (tests/bench.py's generator), whose weak matches tie exactly now
and then, and the tuning sets' questions (never the held-out ones).
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

import bot.overlap
from bot.answering import Brain
from bot.arrays import highest
from bot.evaluation import EVAL_SETS, load_cases
from bot.knowledge import VocabularyFile
from bot.knowledge.load import load_knowledge
from bot.matcher import MatchIndex
from bot.normalize import Normalizer
from bot.overlap import ROUGH_ERROR
from bot.ranking import Ranker
from bot.settings import PROJECT_ROOT
from bot.shortlist import Shortlist
from tests.exact_scoring import exact_lexical
from tests.helpers import write_synthetic_with_article

ENTRIES = 2_000
TUNING_QUESTIONS = [
    case.q
    for eval_set in EVAL_SETS
    for path in eval_set.paths(PROJECT_ROOT / "tests" / "eval")
    if "tuning" in path.name
    for case in load_cases(path)
]


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Brain, list[str]]:
    """The article's entries among synthetic ones (lexical signals only), and questions."""
    directory = Path(tmp_path_factory.mktemp("large"))
    questions = write_synthetic_with_article(directory, ENTRIES)
    brain = Brain(load_knowledge(directory), semantic=False, read_posts=False)
    return brain, questions + TUNING_QUESTIONS[::3]


@pytest.fixture(scope="module")
def examples(large: tuple[Brain, list[str]]) -> list[tuple[str, str]]:
    index = large[0].index
    return [
        (index.entry_ids[entry], index.example_text[row])
        for entry in range(len(index.entry_ids))
        for row in range(int(index.starts[entry]), int(index.starts[entry + 1]))
    ]


@pytest.fixture(params=["kept", "dense", "dense, blocks of 333"])
def scoring(
    request: pytest.FixtureRequest,
    large: tuple[Brain, list[str]],
    examples: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[Ranker, list[str]]:
    """The lexical ranker, its examples' figures kept (as up to 262,144 examples), or
    looked up and its common words' added from bits (as at 100,000 entries), in blocks
    that start at 0 or, 333 examples long, mid-byte of the bits."""
    brain, questions = large
    if request.param == "kept":
        return brain.ranker, questions
    monkeypatch.setattr(bot.overlap, "KEPT_UP_TO", 0)
    if request.param.endswith("333"):
        monkeypatch.setattr(bot.overlap, "BLOCK_EXAMPLES", 333)
    index = MatchIndex(examples, brain.normalizer)
    assert index._dense  # "cramp", "run"...: in most examples
    return Ranker(index, None, brain.normalizer), questions


def test_rough_scores_are_within_the_rough_error_and_made_exact_to_the_last_bit(
    scoring: tuple[Ranker, list[str]],
) -> None:
    ranker, questions = scoring
    index = ranker.lexical
    every = np.arange(len(index.entry_ids), dtype=np.int64)
    compared = 0
    for question in questions:
        normalized = ranker.normalizer.normalize(question)
        for lenient in (False, True):
            exact = index.lexical(normalized, lenient=lenient)
            rough = index.lexical(normalized, lenient=lenient, rough=True)
            if exact is None or rough is None:
                assert exact is rough is None
                continue
            assert np.abs(rough.blended - exact.blended).max() <= ROUGH_ERROR
            assert np.array_equal(rough.blended == 0, exact.blended == 0)
            # Every entry at once (one pass over every example) and a few (looked up).
            assert np.array_equal(rough.exact(every), exact.blended)
            assert np.array_equal(rough.exact(every[::97]), exact.blended[::97])
            assert np.array_equal(rough.entry_recall, exact.entry_recall)
            assert np.array_equal(exact.exact(every), exact.blended)
            compared += 1
    assert compared > 1000


def test_the_shortlist_is_the_best_of_every_entry_scored_exactly_and_refined(
    scoring: tuple[Ranker, list[str]],
) -> None:
    ranker, questions = scoring
    index = ranker.lexical
    every = np.arange(len(index.entry_ids), dtype=np.int64)
    compared = tied = 0
    for question in questions:
        normalized = ranker.normalizer.normalize(question)
        exact = index.lexical(normalized)
        rough = index.lexical(normalized, rough=True)
        if exact is None or rough is None:
            continue
        refined = ranker._refined(exact)
        shortlist = Shortlist(index, rough, refine_limit=12, count=32)
        assert sorted(shortlist.best.tolist()) == sorted(highest(refined, 32).tolist())
        assert np.array_equal(shortlist.lexical(every), refined)
        # Ties at the refined or the last place are taken in entry order, as `highest` does.
        blended, lexical = np.sort(exact.blended)[::-1], np.sort(refined)[::-1]
        tied += bool(blended[11] == blended[12] > 0 or lexical[31] == lexical[32] > 0)
        compared += 1
    assert compared > 500
    assert tied > 10, tied


def test_a_question_few_entries_overlap_fills_the_shortlist_with_the_first_others(
    large: tuple[Brain, list[str]],
) -> None:
    brain, _ = large
    # An entry's number is a word of its examples alone.
    rough = brain.index.lexical(brain.normalizer.normalize("1234"), rough=True)
    assert rough is not None
    shortlist = Shortlist(brain.index, rough, refine_limit=12, count=32)
    overlapping = np.flatnonzero(rough.blended > 0)
    assert 0 < len(overlapping) < 32
    others = np.flatnonzero(rough.blended == 0)[: 32 - len(overlapping)]
    assert sorted(shortlist.best.tolist()) == sorted([*overlapping.tolist(), *others.tolist()])


def test_scores_equal_but_for_their_last_bit_are_ranked_as_exact_scoring_ranks_them() -> None:
    # Entries whose examples are the same words in other orders: a word's weights are added
    # in another order, so their exact scores differ in the last bit, and rough scores
    # alone would put them in either order.
    rng = random.Random(1)
    words = list(
        dict.fromkeys(
            "".join(rng.choice("bcdfghjklmnprstvz") + rng.choice("aeiou") for _ in range(3))
            for _ in range(300)
        )
    )
    examples: list[tuple[str, str]] = []
    for group in range(60):
        shared = rng.sample(words, 7)
        for entry in range(40):
            for size in (5, 6, 7):
                rng.shuffle(shared)
                examples.append((f"entry-{group}-{entry}", " ".join(shared[:size])))
    vocabulary = VocabularyFile(synonyms={}, filler=["a", "the"], off_topic=[])
    normalizer = Normalizer(vocabulary, [text for _, text in examples])
    index = MatchIndex(examples, normalizer)
    ranker = Ranker(index, None, normalizer)
    every = np.arange(len(index.entry_ids), dtype=np.int64)
    questions = [" ".join(rng.sample(words, rng.randint(1, 4))) for _ in range(150)]
    questions += [
        " ".join(rng.sample(text.split(), rng.randint(1, 4)))
        for _, text in rng.sample(examples, 150)
    ]
    for question in questions:
        normalized = normalizer.normalize(question)
        exact, rough = index.lexical(normalized), index.lexical(normalized, rough=True)
        if exact is None or rough is None:
            continue
        refined = ranker._refined(exact)
        written_out = exact_lexical(index, normalized)
        assert written_out is not None
        assert np.array_equal(ranker._refined(written_out), refined), question
        shortlist = Shortlist(index, rough, refine_limit=12, count=32)
        assert sorted(shortlist.best.tolist()) == sorted(highest(refined, 32).tolist()), question
        assert np.array_equal(shortlist.lexical(every), refined), question
