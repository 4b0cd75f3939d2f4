"""The one platform-neutral reply every adapter renders, and its plain-text form."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot import messages

__all__ = [
    "Attribution",
    "Caveat",
    "Citation",
    "Question",
    "Reply",
    "Status",
    "Suggestion",
    "SuggestionKind",
    "render_text",
    "reply_json",
]


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


class SuggestionKind(StrEnum):
    """What a reply's suggestions are, which decides how they are introduced."""

    RELATED = "related"  # the answered entry's related entries
    ALSO_ASKED = "also_asked"  # what else the runner's message asked about
    CLOSE = "close"  # entries that came close to the question
    CHOICES = "choices"  # "did you mean": the candidates; the body asks which


@dataclass(frozen=True, slots=True)
class Citation:
    """A source cited by a caveat or an urgent reply: its id in sources.yaml and its label."""

    source_id: str
    label: str


@dataclass(frozen=True, slots=True)
class Caveat:
    """Where the research disagrees with an answer, and the sources that say so."""

    text: str
    citations: tuple[Citation, ...]


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
        """The source as one line (bot.messages words it)."""
        return messages.source_line(self)


@dataclass(frozen=True, slots=True)
class Reply:
    """Everything a platform needs to show one reply; adapters render it, never alter it."""

    status: Status
    body: str
    headline: str | None = None
    caveat: Caveat | None = None
    # The sources an urgent reply's advice rests on.
    basis: tuple[Citation, ...] = ()
    attribution: Attribution | None = None
    disclaimer: str | None = None
    suggestions: tuple[Suggestion, ...] = ()
    # None: the suggestions are listed without an introduction.
    suggestions_kind: SuggestionKind | None = None
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
        parts.append(messages.research_note(reply.caveat))
    if reply.basis:
        parts.append(messages.urgent_basis(reply.basis))
    if reply.suggestions:
        listed = "\n".join(
            f"{f'{number}.' if numbered else '•'} {suggestion.title}"
            for number, suggestion in enumerate(reply.suggestions, start=1)
        )
        intro = messages.suggestions_intro(reply.suggestions_kind)
        parts.append(f"{intro}\n{listed}" if intro else listed)
    if reply.attribution:
        parts.append(reply.attribution.line)
    if reply.disclaimer:
        parts.append(reply.disclaimer)
    return "\n\n".join(parts)


def reply_json(reply: Reply) -> dict[str, object]:
    """The stable JSON form of `runbot ask --json` (documented in the README).

    `caveat`, `basis` and `suggestions_kind` came later: the first keys never change.
    """
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
        "suggestions_kind": reply.suggestions_kind.value if reply.suggestions_kind else None,
        "caveat": (
            {"text": reply.caveat.text, "cites": _citations_json(reply.caveat.citations)}
            if reply.caveat
            else None
        ),
        "basis": _citations_json(reply.basis),
    }


def _citations_json(citations: tuple[Citation, ...]) -> list[dict[str, str]]:
    return [{"source": citation.source_id, "label": citation.label} for citation in citations]
