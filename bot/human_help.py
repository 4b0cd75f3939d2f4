"""Ask a human: a runner's question runbot could not answer goes, with their consent, to the
moderators, and a moderator's reply goes back to the chat where they asked.

Requests are kept in the question log's database (its tables: bot.migrations), so they
survive a restart and any worker can close them. Moderators see
only the question's text and the kind of chat it came from. Where to deliver the reply (an
adapter's opaque address: a chat id, a channel id) is kept only while the request is
pending, and forgotten with the question's text once a moderator answers or ignores it, or
after the retention period. A runner has at most one pending request per platform.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from enum import StrEnum

from bot.db import Connection
from bot.question_log import QuestionLogStore

__all__ = ["HumanRequest", "HumanRequests", "RequestOutcome"]

_DAY = 86_400.0


class RequestOutcome(StrEnum):
    SENT = "sent"  # new, pending: post it to the moderators
    ALREADY_PENDING = "already pending"  # this runner already waits for a moderator
    NOT_YOURS = "not yours"  # someone else's question (a button pressed in a group)
    UNKNOWN = "unknown"  # no such question kept (too old, a red flag, the log was off)


@dataclass(frozen=True, slots=True)
class HumanRequest:
    """A question waiting for (or answered by) a moderator."""

    id: str
    platform: str
    question: str
    origin: str  # the kind of chat, in words: "a private chat", "a group"
    address: str  # the adapter's own: where the reply goes


class HumanRequests:
    """Pending requests to the moderators, in the question log's database."""

    def __init__(self, question_log: QuestionLogStore) -> None:
        self._log = question_log

    def request(
        self, reply_id: str, platform: str, asker: str, origin: str, address: str
    ) -> tuple[RequestOutcome, HumanRequest | None]:
        """Ask the moderators the question `reply_id` answered, for the person who asked it."""
        asker_hash = self._log.voter_hash(platform, asker)
        cutoff = time.time() - self._log.retention_days * _DAY

        def work(db: Connection) -> tuple[RequestOutcome, HumanRequest | None]:
            db.execute("DELETE FROM human_requests WHERE asked_at < ?", (cutoff,))
            outcome, question = _askable(db, reply_id, asker_hash)
            if question is None:
                return outcome, None
            request = HumanRequest(secrets.token_hex(6), platform, question, origin, address)
            added = db.execute(
                "INSERT INTO human_requests (id, platform, asker_hash, question, origin,"
                " address, asked_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')"
                " ON CONFLICT DO NOTHING",
                (request.id, platform, asker_hash, request.question, origin, address, time.time()),
            ).rowcount
            if not added:
                return RequestOutcome.ALREADY_PENDING, None
            return RequestOutcome.SENT, request

        return self._log.call(work)

    def preview(
        self, reply_id: str, platform: str, asker: str
    ) -> tuple[RequestOutcome, str | None]:
        """What `request` would do now, without doing it: its outcome and, when it would be
        sent, the question's text (to show the runner exactly what the moderators would see
        before they agree). `request` checks again: this is only a preview."""
        asker_hash = self._log.voter_hash(platform, asker)
        cutoff = time.time() - self._log.retention_days * _DAY

        def work(db: Connection) -> tuple[RequestOutcome, str | None]:
            outcome, question = _askable(db, reply_id, asker_hash)
            if question is None:
                return outcome, None
            waiting = db.execute(
                "SELECT 1 FROM human_requests WHERE platform = ? AND asker_hash = ?"
                " AND status = 'pending' AND asked_at >= ?",
                (platform, asker_hash, cutoff),
            ).fetchone()
            if waiting is not None:
                return RequestOutcome.ALREADY_PENDING, None
            return RequestOutcome.SENT, question

        return self._log.call(work)

    def posted(self, request_id: str, message: str) -> None:
        """Remember the moderators' message that shows the request (replies find it)."""
        self._log.call(
            lambda db: db.execute(
                "UPDATE human_requests SET posted = ? WHERE id = ?", (message, request_id)
            )
        )

    def shown_in(self, platform: str, message: str) -> str | None:
        """The pending request the moderators' message `message` shows, if any."""
        row = self._log.call(
            lambda db: db.execute(
                "SELECT id FROM human_requests WHERE platform = ? AND posted = ?"
                " AND status = 'pending'",
                (platform, message),
            ).fetchone()
        )
        return None if row is None else str(row[0])

    def close(self, request_id: str, status: str) -> HumanRequest | None:
        """Mark a pending request answered or ignored; returns it (once) to deliver the
        reply, and forgets its text and address."""

        def work(db: Connection) -> HumanRequest | None:
            row = db.execute(
                "SELECT platform, question, origin, address FROM human_requests"
                " WHERE id = ? AND status = 'pending'",
                (request_id,),
            ).fetchone()
            if row is None:
                return None
            # Pending still: another worker may have closed it since (PostgreSQL makes this
            # wait for that worker's commit, then finds it closed).
            closed = db.execute(
                "UPDATE human_requests SET status = ?, question = NULL, address = NULL"
                " WHERE id = ? AND status = 'pending'",
                (status, request_id),
            ).rowcount
            if not closed:
                return None
            return HumanRequest(request_id, row[0], row[1], row[2], row[3])

        return self._log.call(work)


def _askable(db: Connection, reply_id: str, asker_hash: str) -> tuple[RequestOutcome, str | None]:
    """The question `reply_id` answered, if it is kept and this person asked it."""
    row = db.execute(
        "SELECT question, asker_hash FROM questions WHERE reply_id = ?", (reply_id,)
    ).fetchone()
    if row is None or row[0] is None:
        return RequestOutcome.UNKNOWN, None
    if row[1] != asker_hash:
        return RequestOutcome.NOT_YOURS, None
    return RequestOutcome.SENT, str(row[0])
