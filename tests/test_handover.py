"""A reload builds beside answers without starving them, and frees the replaced brain off the
answering path, only once no answer uses it."""

from __future__ import annotations

import sys
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest

from bot.handover import answering, give_way, retire, sharing_the_gil


class _Part:
    pass


class _Brain:
    def __init__(self) -> None:
        self.index = _Part()
        self.knowledge = _Part()


def _freed(ref: weakref.ref[_Part], within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while ref() is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    return ref() is None


def test_a_retired_brain_is_freed_in_parts_by_the_retiring_thread() -> None:
    brain = _Brain()
    index = weakref.ref(brain.index)
    retire(brain)
    del brain
    assert _freed(index)


def test_a_retired_brain_an_answer_still_uses_is_kept_until_it_is_done() -> None:
    brain = _Brain()
    in_flight = brain  # what an answer running on the old brain holds
    knowledge = weakref.ref(brain.knowledge)
    retire(brain)
    del brain
    time.sleep(0.1)
    assert in_flight.knowledge is knowledge()  # not taken apart under the answer
    del in_flight
    assert _freed(knowledge)


def test_sharing_the_gil_puts_the_switch_interval_back() -> None:
    before = sys.getswitchinterval()
    with sharing_the_gil():
        assert sys.getswitchinterval() < before
    assert sys.getswitchinterval() == before


def test_overlapping_builds_restore_the_switch_interval() -> None:
    import sys

    from bot.handover import sharing_the_gil

    before = sys.getswitchinterval()
    first, second = sharing_the_gil(), sharing_the_gil()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # ends first, out of order
    assert sys.getswitchinterval() < before  # the second build still runs
    second.__exit__(None, None, None)
    assert sys.getswitchinterval() == before


def _pauses_while_building_for(
    seconds: float, monkeypatch: pytest.MonkeyPatch, around: AbstractContextManager[object]
) -> list[float]:
    """The pauses `give_way()` takes in a loop that works `seconds`, inside `around`."""
    pauses: list[float] = []
    sleep = time.sleep
    this_thread = threading.get_ident()

    def recorded(pause: float) -> None:
        if threading.get_ident() == this_thread:  # not the retiring thread's waits
            pauses.append(pause)
        sleep(pause)

    monkeypatch.setattr(time, "sleep", recorded)
    with around:
        start = time.perf_counter()
        while time.perf_counter() - start < seconds:
            give_way()
    return pauses


@contextmanager
def _building_beside_an_answer() -> Iterator[None]:
    with answering(), sharing_the_gil():
        yield


def test_a_build_pauses_for_an_answer_in_flight(monkeypatch: pytest.MonkeyPatch) -> None:
    pauses = _pauses_while_building_for(0.02, monkeypatch, _building_beside_an_answer())
    assert pauses
    assert all(0 < pause <= 0.01 for pause in pauses)


def test_a_build_runs_flat_out_when_nothing_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _pauses_while_building_for(0.02, monkeypatch, sharing_the_gil()) == []


def test_an_answer_itself_never_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    # give_way() in code an answer runs (a lazy index built on a first question) is free.
    assert _pauses_while_building_for(0.02, monkeypatch, answering()) == []
