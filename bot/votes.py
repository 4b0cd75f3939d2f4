"""Helpful / not helpful votes: one per person per answer, kept across restarts.

The book decides what a vote is (counted, the same again, changed, or on an answer runbot
does not know) from this run's votes and, for answers from before, the question log; so
the reply to a voter can say the truth. When the log is shared with other workers, a vote
this run has not seen is always looked up there: the runner may have voted through another.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
from collections import OrderedDict
from enum import StrEnum
from typing import Protocol

from bot.db import DatabaseError

__all__ = ["VoteBook", "VoteLog", "VoteOutcome"]

log = logging.getLogger(__name__)

# Answers (and votes) of this run remembered in memory; older ones are looked up in the log.
_REMEMBERED = 100_000


class VoteOutcome(StrEnum):
    COUNTED = "counted"  # the person's first vote on this answer
    SAME_AGAIN = "same again"  # they had voted the same: still counted once
    CHANGED = "changed"  # they had voted the other way: now counted this way
    UNKNOWN = "unknown"  # not an answer runbot knows (too old, or never logged)
    FAILED = "failed"  # the question log could not be read just now: not counted


class VoteLog(Protocol):
    """Where votes are kept (bot.question_log.QuestionLogStore)."""

    @property
    def shared(self) -> bool: ...

    def record_vote(
        self, reply_id: str, platform: str, voter: str | None, helpful: bool
    ) -> None: ...

    def vote_on(
        self, reply_id: str, platform: str, voter: str | None
    ) -> tuple[bool, bool | None]: ...


class VoteBook:
    """This run's answers and votes, in front of the question log; thread-safe."""

    def __init__(self, vote_log: VoteLog | None) -> None:
        self._log = vote_log
        self._salt = secrets.token_hex(16)  # only for keys in memory, never stored
        self._answers: OrderedDict[str, None] = OrderedDict()
        self._votes: OrderedDict[tuple[str, str], bool] = OrderedDict()
        self._lock = threading.Lock()  # one vote at a time: a double click counts once
        self.helpful = 0
        self.not_helpful = 0

    def answered(self, reply_id: str) -> None:
        """An answer runners may vote on was just given."""
        with self._lock:
            self._answers[reply_id] = None
            if len(self._answers) > _REMEMBERED:
                self._answers.popitem(last=False)

    def vote(self, reply_id: str, platform: str, voter: str | None, helpful: bool) -> VoteOutcome:
        """Record one person's vote on an answer, and say what it was."""
        key = (reply_id, self._voter_key(platform, voter))
        with self._lock:
            shared = self._log is not None and self._log.shared
            # Shared: this run's memory may be out of date (they voted through another worker).
            look_up = shared or (key not in self._votes and reply_id not in self._answers)
        known, logged = True, None
        if look_up:
            if self._log is None:
                return VoteOutcome.UNKNOWN
            try:  # outside the lock: it may wait seconds for the database
                known, logged = self._log.vote_on(reply_id, platform, voter)
            except DatabaseError as error:
                log.warning("could not look up a vote in the question log: %s", error)
                return VoteOutcome.FAILED
        with self._lock:
            counted_here = self._votes.get(key)
            # This run's own answer may still wait in the log's queue.
            if not known and reply_id not in self._answers:
                return VoteOutcome.UNKNOWN
            # The log may not hold this run's own vote yet (it is queued, or a double click
            # looked it up at the same moment): what this run counted then stands.
            previous = logged if logged is not None else counted_here
            if previous is None:
                outcome = VoteOutcome.COUNTED
            elif previous == helpful:
                return VoteOutcome.SAME_AGAIN
            else:
                outcome = VoteOutcome.CHANGED
            self._count(helpful, +1)
            if counted_here is not None:  # the counts are this run's: take back its vote
                self._count(counted_here, -1)
            self._votes[key] = helpful
            self._votes.move_to_end(key)
            if len(self._votes) > _REMEMBERED:
                self._votes.popitem(last=False)
        if self._log is not None:
            self._log.record_vote(reply_id, platform, voter, helpful)
        return outcome

    def _count(self, helpful: bool, change: int) -> None:
        if helpful:
            self.helpful += change
        else:
            self.not_helpful += change

    def _voter_key(self, platform: str, voter: str | None) -> str:
        material = f"{self._salt}:{platform}:{voter}".encode()
        return hashlib.sha256(material).hexdigest()[:24]
