"""The one platform-neutral reply every adapter renders, and its plain-text form."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["Attribution", "Question", "Reply", "Status", "Suggestion", "render_text", "reply_json"]


@dataclass(frozen=True, slots=True)
class Question:
    """What a runner asked, wherever they asked it."""

    text: str
    platform: str = "console"
    # The platform's id for the asker. Only a salted hash of it is ever stored.
    asker: str | None = None


class Status(StrEnum):
    ANSWERED = "answered"  # a confident answer from one entry
    CLARIFY = "clarify"  # two or three close candidates: "Did you mean ...?"
    FALLBACK = "fallback"  # no advice on that (or small talk, or unusable input)
    URGENT = "urgent"  # a red flag: see a doctor / call the emergency number


@dataclass(frozen=True, slots=True)
class Suggestion:
    """An entry offered to the runner: a follow-up, or a candidate to choose."""

    id: str
    title: str


@dataclass(frozen=True, slots=True)
class Attribution:
    """Where an answer comes from."""

    title: str
    author: str
    publisher: str
    url: str | None = None
    section: str | None = None

    @property
    def line(self) -> str:
        where = f', section "{self.section}"' if self.section else ""
        link = f" {self.url}" if self.url else ""
        # An organisation that is both author and publisher is named once.
        by = f" by {self.author}" if self.author != self.publisher else ""
        return f'Source: "{self.title}"{by}, {self.publisher}{where}.{link}'


@dataclass(frozen=True, slots=True)
class Reply:
    """Everything a platform needs to show one reply; adapters render it, never alter it."""

    status: Status
    body: str
    headline: str | None = None
    caveat: str | None = None
    attribution: Attribution | None = None
    disclaimer: str | None = None
    suggestions: tuple[Suggestion, ...] = ()
    suggestions_intro: str | None = None
    entry_id: str | None = None
    confidence: float = 0.0
    # Greetings, thanks and empty input: replied to kindly, but not a knowledge gap.
    small_talk: bool = False
    reply_id: str = field(default="", compare=False)

    @property
    def text(self) -> str:
        return render_text(self)


def render_text(reply: Reply, numbered: bool = False) -> str:
    """The whole reply as plain text, exactly as a console or JSON user reads it.

    `numbered` lists the suggestions as 1., 2., ... for a chat that answers by number.
    """
    parts: list[str] = []
    if reply.headline:
        parts.append(reply.headline)
    parts.append(reply.body)
    if reply.caveat:
        parts.append(reply.caveat)
    if reply.suggestions:
        listed = "\n".join(
            f"{f'{number}.' if numbered else '•'} {suggestion.title}"
            for number, suggestion in enumerate(reply.suggestions, start=1)
        )
        parts.append(f"{reply.suggestions_intro}\n{listed}" if reply.suggestions_intro else listed)
    if reply.attribution:
        parts.append(reply.attribution.line)
    if reply.disclaimer:
        parts.append(reply.disclaimer)
    return "\n\n".join(parts)


def reply_json(reply: Reply) -> dict[str, object]:
    """The stable JSON form of `runbot ask --json` (documented in the README)."""
    source = None
    if reply.attribution and reply.status is Status.ANSWERED:
        source = {
            "title": reply.attribution.title,
            "author": reply.attribution.author,
            "publisher": reply.attribution.publisher,
            "url": reply.attribution.url,
        }
    return {
        "status": reply.status.value,
        "entry": reply.entry_id,
        "confidence": round(reply.confidence, 3),
        "text": reply.text,
        "source": source,
        "suggestions": [{"id": item.id, "title": item.title} for item in reply.suggestions],
    }
