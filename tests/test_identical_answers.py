"""The fast paths give the answers exact scoring gives, on every evaluation set.

Held-out questions are only compared, never shown: a failure reports counts, not text.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import numpy.typing as npt
import pytest

import bot.overlap
from bot.answering import Brain
from bot.decision import Decision
from bot.evaluation import EVAL_SETS, load_cases
from bot.knowledge.load import load_knowledge
from bot.matcher import MatchIndex
from bot.normalize import words
from bot.settings import PROJECT_ROOT
from bot.spelling import SpellingIndex
from tests.exact_scoring import exact_lexical, exact_nearest
from tests.helpers import KNOWLEDGE_DIR

EVAL_DIR = PROJECT_ROOT / "tests" / "eval"
QUESTIONS = [
    case.q
    for eval_set in EVAL_SETS
    for path in eval_set.paths(EVAL_DIR)
    for case in load_cases(path)
]

Outcome = tuple[str, tuple[str, ...], float]


def outcome(decision: Decision) -> Outcome:
    """What the runner would get: answer, ask which, or fall back, and with which entries."""
    return (
        decision.status.value,
        tuple(candidate.entry_id for candidate in decision.candidates),
        round(decision.confidence, 9),
    )


@contextmanager
def exact_scoring() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SpellingIndex, "nearest", exact_nearest)
        patch.setattr(MatchIndex, "lexical", exact_lexical)
        yield


# Long posts are compared as the static vectors read them: the post reader's transformer is
# untouched by the fast paths and would make this test take half a minute.
@pytest.fixture(scope="module")
def fast_brain() -> Brain:
    return Brain(load_knowledge(KNOWLEDGE_DIR), read_posts=False)


@pytest.fixture(scope="module")
def exact_brain() -> Brain:
    with exact_scoring():
        return Brain(load_knowledge(KNOWLEDGE_DIR), read_posts=False)


def test_the_evaluation_sets_are_all_there() -> None:
    assert all(path.is_file() for s in EVAL_SETS for path in s.paths(EVAL_DIR))
    assert len(QUESTIONS) > 1000


def test_every_decision_on_the_evaluation_sets_is_the_exact_scorings(
    fast_brain: Brain, exact_brain: Brain
) -> None:
    fast = [outcome(fast_brain.decide(question)) for question in QUESTIONS]
    with exact_scoring():
        exact = [outcome(exact_brain.decide(question)) for question in QUESTIONS]
    differing = sum(a != b for a, b in zip(fast, exact, strict=True))
    assert differing == 0


def test_lexical_scores_match_exact_scoring_on_every_evaluation_question(brain: Brain) -> None:
    index = brain.index
    compared = differing = 0
    for question in QUESTIONS:
        for lenient in (False, True):
            normalized = brain.normalizer.normalize(question)
            fast = index.lexical(normalized, lenient=lenient)
            exact = exact_lexical(index, normalized, lenient=lenient)
            compared += 1
            if fast is None or exact is None:
                differing += (fast is None) != (exact is None)
                continue
            same = (
                fast.tokens == exact.tokens
                and _same(fast.blended, exact.blended)
                and _same(fast.example_recall, exact.example_recall)
                and _same(fast.entry_recall, exact.entry_recall)
                and _same(fast.coverage, exact.coverage)
                and _same(fast.example_f, exact.example_f)
            )
            differing += not same
    assert compared == 2 * len(QUESTIONS)
    assert differing == 0


def test_lexical_scores_are_the_same_scored_a_few_examples_at_a_time(
    brain: Brain, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The article's examples fit in one block: blocks of 7 cut through entries' neighbours.
    # And its examples' figures are kept; here they are looked up, as past KEPT_UP_TO.
    monkeypatch.setattr(bot.overlap, "BLOCK_EXAMPLES", 7)
    monkeypatch.setattr(bot.overlap, "KEPT_UP_TO", 0)
    index = brain.index
    compared = differing = 0
    for question in QUESTIONS[::3]:
        normalized = brain.normalizer.normalize(question)
        for lenient in (False, True):
            fast = index.lexical(normalized, lenient=lenient)
            exact = exact_lexical(index, normalized, lenient=lenient)
            if fast is None or exact is None:
                differing += (fast is None) != (exact is None)
                continue
            compared += 1
            best = np.argsort(-exact.blended, kind="stable")[:12]
            exact_best = [
                int(index.starts[e])
                + int(np.argmax(exact.example_f[index.starts[e] : index.starts[e + 1]]))
                for e in best.tolist()
            ]
            differing += not (
                _same(fast.blended, exact.blended)
                and _same(fast.entry_recall, exact.entry_recall)
                and _same(fast.coverage_of(best), exact.coverage[best])
                and fast.best_examples(best).tolist() == exact_best
                and _same(fast.example_f, exact.example_f)
            )
    assert compared > 500
    assert differing == 0


def test_the_best_example_of_an_entry_is_the_first_with_the_highest_f_score(brain: Brain) -> None:
    index = brain.index
    compared = differing = 0
    for question in QUESTIONS[::5]:
        scores = index.lexical(brain.normalizer.normalize(question))
        if scores is None:
            continue
        every = scores.example_f
        for entry in np.argsort(-scores.blended, kind="stable")[:12].tolist():
            start, end = int(index.starts[entry]), int(index.starts[entry + 1])
            differing += scores.best_example(entry) != start + int(np.argmax(every[start:end]))
            compared += 1
    assert compared > 1000
    assert differing == 0


def test_the_coverage_of_a_few_entries_is_theirs_among_every_entrys(brain: Brain) -> None:
    index = brain.index
    rng = np.random.default_rng(14)
    compared = 0
    for question in QUESTIONS[::5]:
        scores = index.lexical(brain.normalizer.normalize(question))
        if scores is None:
            continue
        entries = np.unique(rng.integers(0, len(index.entry_ids), 8))
        best = np.argsort(-scores.blended, kind="stable")[:4]
        for chosen in (entries, best, best[:0]):
            assert _same(scores.coverage_of(chosen), scores.coverage[chosen])
        compared += 1
    assert compared > 100


def test_spelling_corrections_match_a_pass_over_the_whole_vocabulary(brain: Brain) -> None:
    spelling = brain.normalizer.spelling
    typed = {word for question in QUESTIONS for word in words(question)}
    typed |= set(_misspellings(spelling.words, random.Random(14), 1500))
    checked = differing = corrected = 0
    for word in sorted(typed):
        for edits in (1, 2):
            found = spelling.nearest(word, edits)
            checked += 1
            corrected += found is not None and found != word
            differing += found != exact_nearest(spelling, word, edits)
    assert checked > 5000
    assert corrected > 1000  # the comparison covers real corrections, not only misses
    assert differing == 0


def _misspellings(known: list[str], rng: random.Random, count: int) -> Iterator[str]:
    """Known words with one or two typos: a letter changed, added, dropped or swapped."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    for _ in range(count):
        word = list(rng.choice(known))
        for _ in range(rng.randint(1, 2)):
            at = rng.randrange(len(word))
            kind = rng.randrange(4)
            if kind == 0:
                word[at] = rng.choice(letters)
            elif kind == 1:
                word.insert(at, rng.choice(letters))
            elif kind == 2 and len(word) > 1:
                del word[at]
            elif at + 1 < len(word):
                word[at], word[at + 1] = word[at + 1], word[at]
        yield "".join(word)


def _same(first: npt.NDArray[np.float64], second: npt.NDArray[np.float64]) -> bool:
    """Equal to the last bit: a tie broken differently could change which entry wins."""
    return bool(np.array_equal(first, second))


_SCORES_IN_A_PROCESS = """
import sys
from bot.answering import Brain
from bot.evaluation import EVAL_SETS, load_cases
from bot.knowledge.load import load_knowledge
from bot.settings import PROJECT_ROOT
written = next(s for s in EVAL_SETS if s.name == "written")
questions = [c.q for p in written.paths(PROJECT_ROOT / "tests/eval") for c in load_cases(p)]
brain = Brain(load_knowledge(PROJECT_ROOT / "knowledge"), read_posts=False)
for question in questions[:400]:
    print([(c.entry_id, c.score) for c in brain.ranker.rank(question)])
"""


def test_every_process_scores_a_question_the_same_whatever_its_hash_seed() -> None:
    # Sets iterate in an order that changes with PYTHONHASHSEED; floating-point sums over
    # them must not, or a near tie is broken one way in one worker and another in the next.
    def scores(seed: str) -> str:
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _SCORES_IN_A_PROCESS],
            capture_output=True,
            text=True,
            env=environment,
            check=True,
            cwd=PROJECT_ROOT,
        )
        return done.stdout

    first = scores("0")
    assert first.count("\n") == 400
    assert scores("6") == first
