"""What an inline button means, packed into Telegram's 64-byte `callback_data` and back."""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram.constants import InlineKeyboardButtonLimit

__all__ = [
    "AskModerator",
    "ChooseEntry",
    "ChooseEntryToTeach",
    "ChooseTopic",
    "ConfirmReload",
    "IgnoreRequest",
    "ListTopics",
    "Press",
    "TeachGap",
    "UndoTeach",
    "Vote",
    "encode",
    "parse",
]

_ENTRY = "entry"
_TOPIC = "topic"
_VOTE = "vote"
_TOPICS = "topics"
_RELOAD = "reload"
_TEACH = "teach"
_PICK = "pick"
_UNDO = "untaught"
_ASK = "askmod"
_ASK_YES = "askmodyes"
_IGNORE = "ignore"
_REQUEST = re.compile(r"[0-9a-f]{12}")
_TOKEN = re.compile(r"[0-9a-f]{12}")
_OFFER = re.compile(r"[0-9a-f]{10}")
_ENTRY_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
# ASCII digits only: str.isdigit() also accepts "²", which int() rejects.
_INDEX = re.compile(r"[0-9]{1,3}")


@dataclass(frozen=True, slots=True)
class ChooseEntry:
    """The runner picked an entry (a suggestion or a topic's question): answer it."""

    entry_id: str


@dataclass(frozen=True, slots=True)
class ChooseTopic:
    """The runner picked a topic from /topics (by its position): show its entries."""

    index: int


@dataclass(frozen=True, slots=True)
class ListTopics:
    """Back to the list of all topics."""


@dataclass(frozen=True, slots=True)
class Vote:
    """Helpful / not helpful on one answered reply."""

    reply_id: str
    helpful: bool


@dataclass(frozen=True, slots=True)
class ConfirmReload:
    """A moderator's answer to a reload held because it removes red flags or entries."""

    token: str
    remove: bool


@dataclass(frozen=True, slots=True)
class TeachGap:
    """A moderator teaches a gap's question (by its token) to an entry."""

    token: str
    entry_id: str


@dataclass(frozen=True, slots=True)
class ChooseEntryToTeach:
    """A moderator wants to pick the entry to teach a gap's question to."""

    token: str


@dataclass(frozen=True, slots=True)
class UndoTeach:
    """A moderator takes a question they taught back out of the entry."""

    token: str
    entry_id: str


@dataclass(frozen=True, slots=True)
class AskModerator:
    """A runner wants their question (by its reply) sent to the moderators; `consent` once
    they said yes to what that shares."""

    reply_id: str
    consent: bool


@dataclass(frozen=True, slots=True)
class IgnoreRequest:
    """A moderator ignores a runner's request (the runner is not told)."""

    request_id: str


Press = (
    AskModerator
    | IgnoreRequest
    | (
        ChooseEntry
        | ChooseTopic
        | ListTopics
        | Vote
        | ConfirmReload
        | TeachGap
        | ChooseEntryToTeach
    )
    | UndoTeach
)


def encode(press: Press) -> str:
    """The callback_data for a button; raises ValueError if it would not fit in 64 bytes."""
    match press:
        case ChooseEntry(entry_id):
            data = f"{_ENTRY}:{entry_id}"
        case ChooseTopic(index):
            data = f"{_TOPIC}:{index}"
        case ListTopics():
            data = _TOPICS
        case Vote(reply_id, helpful):
            data = f"{_VOTE}:{reply_id}:{'y' if helpful else 'n'}"
        case ConfirmReload(token, remove):
            data = f"{_RELOAD}:{token}:{'y' if remove else 'n'}"
        case TeachGap(token, entry_id):
            data = f"{_TEACH}:{token}:{entry_id}"
        case ChooseEntryToTeach(token):
            data = f"{_PICK}:{token}"
        case UndoTeach(token, entry_id):
            data = f"{_UNDO}:{token}:{entry_id}"
        case AskModerator(reply_id, consent):
            data = f"{_ASK_YES if consent else _ASK}:{reply_id}"
        case IgnoreRequest(request_id):
            data = f"{_IGNORE}:{request_id}"
    if len(data.encode()) > InlineKeyboardButtonLimit.MAX_CALLBACK_DATA:
        raise ValueError(f"callback data too long for Telegram: {data!r}")
    return data


def parse(data: str | None) -> Press | None:
    """The press a callback_data stands for; None for anything we did not send.

    Callback data comes from the client and can be forged: never raise on it.
    """
    kind, _, rest = (data or "").partition(":")
    if kind == _ENTRY and rest:
        return ChooseEntry(rest)
    if kind == _TOPIC and _INDEX.fullmatch(rest):
        return ChooseTopic(int(rest))
    if kind == _TOPICS and not rest:
        return ListTopics()
    if kind == _VOTE:
        reply_id, _, verdict = rest.rpartition(":")
        if reply_id and verdict in {"y", "n"}:
            return Vote(reply_id, verdict == "y")
    if kind == _RELOAD:
        token, _, verdict = rest.partition(":")
        if _TOKEN.fullmatch(token) and verdict in {"y", "n"}:
            return ConfirmReload(token, verdict == "y")
    if kind in {_TEACH, _UNDO}:
        token, _, entry_id = rest.partition(":")
        if _OFFER.fullmatch(token) and _ENTRY_ID.fullmatch(entry_id):
            return TeachGap(token, entry_id) if kind == _TEACH else UndoTeach(token, entry_id)
    if kind == _PICK and _OFFER.fullmatch(rest):
        return ChooseEntryToTeach(rest)
    if kind in {_ASK, _ASK_YES} and re.fullmatch(r"[A-Za-z0-9]{1,32}", rest):
        return AskModerator(rest, kind == _ASK_YES)
    if kind == _IGNORE and _REQUEST.fullmatch(rest):
        return IgnoreRequest(rest)
    return None
