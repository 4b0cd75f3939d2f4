"""Building and retiring a brain beside answering, so that answers are never starved.

Two threads share one GIL. While a reload builds, `sharing_the_gil()` makes the builder
hand the GIL over sooner when an answer asks for it (an answer gives it up at every large
numpy call, and waited up to 5 ms to get it back each time). That alone still left answers
at a fifth of their pace beside a 10,000-entry reload: an answer gives the GIL up a hundred
times and waits for it each time. So the build's loops call `give_way()`, and while any
answer is in flight (`answering()`) the builder pauses after each millisecond of work,
leaving answers the GIL to themselves. A replaced brain is freed by
`retire()` on a thread of its own, a part at a time: freed at once it held the GIL for
90 ms at 10,000 entries, and an answer in flight on it would have freed it itself.
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from bot.memory import release_freed_memory

__all__ = ["answering", "give_way", "retire", "sharing_the_gil"]

log = logging.getLogger(__name__)

# While building: how long the builder may keep the GIL when another thread wants it.
_BUILD_SWITCH_SECONDS = 0.0005
# A brain still used after this long (a slow answer, or someone kept it) is left to them.
_WAIT_FOR_ANSWERS_SECONDS = 60.0
_PAUSE_SECONDS = 0.002
# While answers are in flight, a builder works this long, then pauses this long.
_BUILD_WORK_SECONDS = 0.001
_BUILD_PAUSE_SECONDS = 0.002

_retiring: queue.SimpleQueue[object] = queue.SimpleQueue()
_retirer_lock = threading.Lock()
_retirer: threading.Thread | None = None


_sharing_lock = threading.Lock()
_sharing_depth = 0
_interval_before = 0.0

_answers_lock = threading.Lock()
_answers_in_flight = 0
_builder = threading.local()  # `depth` of builds on a thread, `worked_since` while in one


@contextmanager
def answering() -> Iterator[None]:
    """Mark an answer in flight: builders give way to it (see `give_way`)."""
    global _answers_in_flight
    with _answers_lock:
        _answers_in_flight += 1
    try:
        yield
    finally:
        with _answers_lock:
            _answers_in_flight -= 1


def give_way() -> None:
    """Called in a build's loops: on a building thread, pause while answers are in flight.

    Costs a global read when nothing answers, so it can sit in a loop over every example.
    """
    if not _answers_in_flight:
        return
    worked_since: float | None = getattr(_builder, "worked_since", None)
    if worked_since is None:
        return  # not a building thread: an answer, or a build outside sharing_the_gil
    now = time.perf_counter()
    if now - worked_since >= _BUILD_WORK_SECONDS:
        time.sleep(_BUILD_PAUSE_SECONDS)
        _builder.worked_since = time.perf_counter()


@contextmanager
def sharing_the_gil() -> Iterator[None]:
    """Build in the block: switch threads more often (process-wide, then as before), and
    make this thread's `give_way()` calls pause for answers in flight.

    Blocks may overlap (two services reloading): the interval comes back when the last ends.
    """
    global _sharing_depth, _interval_before
    with _sharing_lock:
        if _sharing_depth == 0:
            _interval_before = sys.getswitchinterval()
            sys.setswitchinterval(min(_interval_before, _BUILD_SWITCH_SECONDS))
        _sharing_depth += 1
    depth: int = getattr(_builder, "depth", 0)
    _builder.depth = depth + 1
    if depth == 0:
        _builder.worked_since = time.perf_counter()
    try:
        yield
    finally:
        _builder.depth -= 1
        if _builder.depth == 0:
            _builder.worked_since = None
        with _sharing_lock:
            _sharing_depth -= 1
            if _sharing_depth == 0:
                sys.setswitchinterval(_interval_before)


def retire(replaced: object) -> None:
    """Free `replaced` off the answering path, once no answer uses it any more.

    The caller must drop its own references to it right after the call.
    """
    global _retirer
    _retiring.put(replaced)
    with _retirer_lock:
        if _retirer is None or not _retirer.is_alive():
            _retirer = threading.Thread(target=_retire_forever, name="runbot-retire", daemon=True)
            _retirer.start()


def _retire_forever() -> None:
    while True:
        replaced = _retiring.get()
        try:
            _free_in_parts(replaced)
        except Exception:  # freeing must never take the process down
            log.exception("could not free a replaced brain in parts")
        del replaced
        release_freed_memory()  # what the replaced brain held, back to the system


def _free_in_parts(replaced: object) -> None:
    # Ours alone when only this frame and getrefcount's argument refer to it: the caller
    # passed it on (the queue no longer holds it) and no answer in flight has it.
    waited = 0.0
    while sys.getrefcount(replaced) > 3 and waited < _WAIT_FOR_ANSWERS_SECONDS:
        time.sleep(0.01)
        waited += 0.01
    if sys.getrefcount(replaced) > 3:
        return  # still in use: whoever drops it last frees it
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 14):
        # Freeing in parts trusts getrefcount to count every reference, as CPython up to
        # 3.13 does; elsewhere an answer could still be using it. Dropping it is safe.
        return
    parts = getattr(replaced, "__dict__", None)
    if parts is None:
        return
    for name in list(parts):
        parts.pop(name, None)  # one part freed, then answers get the GIL
        time.sleep(_PAUSE_SECONDS)
