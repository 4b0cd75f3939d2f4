"""The entry classifier: probabilities learnt from the entries' examples."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
import pytest

from bot.answering import Brain
from bot.classifier import EntryClassifier
from bot.decision import Thresholds
from bot.reply import Status


def unit(rows: list[list[float]]) -> npt.NDArray[np.float32]:
    vectors = np.array(rows, dtype=np.float32)
    normed: npt.NDArray[np.float32] = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return normed


# Two entries: the first's examples point one way, the second's another.
EXAMPLES = unit([[1, 0.1, 0], [1, -0.1, 0.1], [0.1, 1, 0], [-0.1, 1, 0.1], [0, 1, -0.1]])
STARTS = np.array([0, 2, 5])


def test_beliefs_are_probabilities_that_pick_the_entry_whose_examples_are_alike() -> None:
    classifier = EntryClassifier.fit(EXAMPLES, STARTS)
    first, second = unit([[1, 0.05, 0]])[0], unit([[0.05, 1, 0]])[0]
    assert classifier.beliefs(first).sum() == pytest.approx(1.0)
    assert classifier.beliefs(first)[0] > 0.8
    assert classifier.beliefs(second)[1] > 0.8


def test_the_same_examples_always_give_the_same_classifier() -> None:
    one, two = EntryClassifier.fit(EXAMPLES, STARTS), EntryClassifier.fit(EXAMPLES, STARTS)
    assert np.array_equal(one.weights, two.weights)
    assert np.array_equal(one.bias, two.bias)


def _blas_threads() -> list[int]:
    from threadpoolctl import threadpool_info

    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


class _WatchedVectors(np.ndarray):
    """Examples' vectors that note the BLAS threads each product with them runs with."""

    seen: ClassVar[list[list[int]]] = []

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if ufunc is np.matmul:
            _WatchedVectors.seen.append(_blas_threads())
        plain = [
            item.view(np.ndarray) if isinstance(item, _WatchedVectors) else item for item in inputs
        ]
        return getattr(ufunc, method)(*plain, **kwargs)


def test_training_uses_one_blas_thread_and_gives_back_the_process_its_threads() -> None:
    before = _blas_threads()
    assert before  # numpy's BLAS is found: the test can see what a limit does
    _WatchedVectors.seen = []

    EntryClassifier.fit(EXAMPLES.view(_WatchedVectors), STARTS)

    assert _WatchedVectors.seen  # the training's products were watched
    assert all(threads == [1] * len(before) for threads in _WatchedVectors.seen)
    assert _blas_threads() == before


# Both ask what to do about cramps late in a marathon; the story says it is about pacing
# and training (avoid-overworking), which the closest examples alone could not tell from
# the entries on causes and hydration.
POST = (
    "I have been running for two years and have finished two marathons. Both times my "
    "calves cramped badly from about mile 20 and I had to walk a lot of the last miles. "
    "I drink at every station and take gels. My long runs in training only went up to 16 "
    "miles and I ran the first half of both races faster than my plan. What can I do "
    "differently so my legs last the whole way?"
)


@pytest.mark.xdist_group("evaluation")
def test_a_long_post_is_read_by_the_classifiers_once_the_post_reader_is_loaded(
    brain: Brain,
) -> None:
    ranked = brain.ranker.rank(POST)
    assert brain.ranker.reads_posts
    assert sum(candidate.belief for candidate in ranked) > 0
    assert all(0.0 <= candidate.belief <= 1.0 for candidate in ranked)
    assert all(candidate.belief == 0.0 for candidate in brain.ranker.rank("calf cramp"))


@pytest.mark.xdist_group("evaluation")
def test_without_the_classifier_a_close_call_is_asked_and_with_it_answered(
    brain: Brain,
) -> None:
    unsettled = Brain(brain.knowledge, thresholds=Thresholds(settle=1.01))
    unsettled.prepare()
    settled = brain.decide(POST)
    assert settled.status is Status.ANSWERED
    assert settled.candidates[0].entry_id == "avoid-overworking"
    assert unsettled.decide(POST).status is not Status.ANSWERED
