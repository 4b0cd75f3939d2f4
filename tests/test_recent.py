"""bot.recent: the last few results of a pure function, kept by argument."""

from __future__ import annotations

import pickle
import sys
import threading

import pytest

from bot.recent import Recent


def test_a_kept_result_is_returned_and_an_unknown_argument_is_not() -> None:
    recent: Recent[str, int] = Recent(2)
    recent.put("calf", 1)
    assert recent.get("calf") == 1
    assert recent.get("hamstring") is None


def test_the_oldest_result_goes_first_when_it_is_full() -> None:
    recent: Recent[str, int] = Recent(2)
    recent.put("calf", 1)
    recent.put("hamstring", 2)
    recent.put("calf", 3)  # put again: now the newest
    recent.put("quad", 4)
    assert (recent.get("hamstring"), recent.get("calf"), recent.get("quad")) == (None, 3, 4)
    assert len(recent) == 2


def test_a_pickled_copy_is_empty_and_keeps_its_size() -> None:
    recent: Recent[str, int] = Recent(1)
    recent.put("calf", 1)
    copy = pickle.loads(pickle.dumps(recent))
    assert copy.get("calf") is None
    copy.put("hamstring", 2)
    copy.put("quad", 3)
    assert len(copy) == 1


def test_it_keeps_at_least_one_result() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Recent(0)


def test_threads_putting_at_once_never_exceed_its_size() -> None:
    # Threads switched as often as the interpreter allows, so that one thread's put runs
    # between another's check of the size and its insert unless the lock keeps them apart.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    recent: Recent[int, int] = Recent(8)
    largest = 0
    failures: list[BaseException] = []

    def put_many(offset: int) -> None:
        nonlocal largest
        try:
            for key in range(offset, offset + 20_000):
                recent.put(key, key)
                largest = max(largest, len(recent))
        except BaseException as error:  # a KeyError or RuntimeError from a torn dict
            failures.append(error)

    try:
        threads = [threading.Thread(target=put_many, args=(n * 100_000,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert failures == []
    assert largest <= 8
