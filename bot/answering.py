"""Turn one question into one Reply: red-flag screen, small talk, matching, outcome.

Pure: the same knowledge and question always give the same reply.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from bot import messages
from bot.loading import KnowledgeBase
from bot.matcher import Candidate, MatchIndex, ScoringWeights
from bot.normalize import SMALL_TALK_WORDS, Normalized, Normalizer, words
from bot.reply import Attribution, Reply, Status, Suggestion
from bot.safety import RedFlagScreen, Screening

__all__ = ["Brain", "Thresholds"]

# Past this many characters a message is not a question; the red-flag screen still reads it.
MAX_QUESTION_CHARS = 1000
_CLAUSE_BREAK = re.compile(r"[?!.;\n]+|\b(?:also|plus|and also|another thing)\b", re.IGNORECASE)
# A part of a message needs this many meaningful words to be answered on its own.
_MIN_CLAUSE_TOKENS = 2
# Who a greeting is addressed to: "good morning bot" is a greeting, not a question about bots.
_ADDRESSEES = frozenset(["bot", "runbot", "there", "everyone", "all", "folks", "guys", "team"])
_THANKS = frozenset(["thanks", "thank", "thx", "ty", "cheers", "ta"])
_FAREWELLS = frozenset(["bye", "goodbye", "cya", "later"])


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Outcome boundaries on the match score; calibrated on the tuning sets (`runbot eval`)."""

    answer: float = 0.40  # the best entry must score at least this to be answered...
    margin: float = 0.05  # ...and lead the runner-up by this much
    clarify: float = 0.35  # below this, no candidate is close enough to offer
    # A candidate explaining less of the question than this is never offered: the question
    # is mostly about something else ("shin splints when running" shares only "running").
    coverage: float = 0.3
    clarify_band: float = 0.10  # candidates within this of the best are offered together


@dataclass(frozen=True, slots=True)
class _Outcome:
    status: Status
    candidates: tuple[Candidate, ...]

    @property
    def confidence(self) -> float:
        return self.candidates[0].score if self.candidates else 0.0


class Brain:
    """A knowledge base with its normaliser, index and red-flag screen, ready to answer.

    Immutable: a reload builds a new Brain, so a question in flight finishes on the old one.
    """

    def __init__(
        self,
        knowledge: KnowledgeBase,
        thresholds: Thresholds | None = None,
        weights: ScoringWeights | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.thresholds = thresholds or Thresholds()
        examples = list(_examples(knowledge))
        known_text = [text for _, text in examples]
        known_text += [p for flag in knowledge.red_flags.red_flags for p in flag.patterns]
        self.normalizer = Normalizer(knowledge.vocabulary, known_text)
        self.index = MatchIndex(examples, self.normalizer, weights)
        self.screen = RedFlagScreen(knowledge.red_flags, self.normalizer)

    # --- the one public question -> reply path ---------------------------------------------

    def answer(self, text: str) -> Reply:
        """The reply a runner gets for `text`."""
        text = _printable(text)
        normalized = self.normalizer.normalize(text)
        screening = self.screen.screen(normalized)
        if screening:
            return self.urgent_reply(screening)
        if len(text) > MAX_QUESTION_CHARS:
            return Reply(Status.FALLBACK, messages.TOO_LONG, small_talk=True)
        small_talk = self._small_talk(text, normalized)
        if small_talk is not None:
            return small_talk

        # Runners often ask several things at once: answer the whole message if it is clear,
        # else its first clear part, and offer what the other parts asked about.
        whole = self.outcome(normalized)
        parts = [self.outcome(clause) for clause in self._clauses(text)]
        answered = [part for part in parts if part.status is Status.ANSWERED]
        if whole.status is Status.ANSWERED or answered:
            # Two clear questions: people put their main one first.
            several = len(answered) > 1 or whole.status is not Status.ANSWERED
            best = answered[0] if several else whole
            entry_id = best.candidates[0].entry_id
            # Unclear parts are offered too ("...? what about magnesium?").
            asked = [part for part in parts if part.status is not Status.FALLBACK]
            also = _distinct(part.candidates[0].entry_id for part in asked)
            return self.entry_reply(
                entry_id, best.confidence, also=[other for other in also if other != entry_id]
            )
        clarifying = [o for o in (whole, *parts) if o.status is Status.CLARIFY]
        if clarifying:
            return self._clarify_reply(max(clarifying, key=_confidence))
        return self._fallback_reply(whole.confidence)

    def _clauses(self, text: str) -> list[Normalized]:
        """The parts of a message that ask something on their own (none if it is one part)."""
        parts = [part for part in _CLAUSE_BREAK.split(text) if part.strip()]
        if len(parts) < 2:  # one part: the whole message, already ranked
            return []
        clauses = [self.normalizer.normalize(part) for part in parts]
        asking = [clause for clause in clauses if len(clause.tokens) >= _MIN_CLAUSE_TOKENS]
        return asking if len(asking) > 1 else []

    def outcome(self, question: Normalized) -> _Outcome:
        """Rank entries for `question` and decide: answer, ask which, or fall back."""
        limits = self.thresholds
        ranked = [
            candidate
            for candidate in self.index.rank(question, limit=4)
            if candidate.coverage >= limits.coverage
        ]
        if not ranked or ranked[0].score < limits.clarify:
            return _Outcome(Status.FALLBACK, tuple(ranked))
        best = ranked[0].score
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        if best >= limits.answer and best - runner_up >= limits.margin:
            return _Outcome(Status.ANSWERED, tuple(ranked))
        close = tuple(
            c for c in ranked[:3] if c.score >= max(limits.clarify, best - limits.clarify_band)
        )
        return _Outcome(Status.CLARIFY, close)

    def suggest(self, text: str, limit: int) -> tuple[Suggestion, ...]:
        """Entries best matching a partial question, best first (for autocomplete)."""
        ranked = self.index.rank(self.normalizer.normalize(text), limit=limit)
        chosen = _distinct(candidate.entry_id for candidate in ranked)
        if not ranked:
            chosen += [entry_id for entry_id in self.knowledge.entries if entry_id not in chosen]
        return self.suggestions(chosen[:limit])

    # --- replies ------------------------------------------------------------------------------

    def entry_reply(
        self, entry_id: str, confidence: float = 1.0, also: Iterable[str] = ()
    ) -> Reply:
        """The answered reply for one entry (also used when a runner picks a suggestion)."""
        entry = self.knowledge.entries[entry_id]
        source = self.knowledge.sources[entry.source.ref]
        caveat = None
        if entry.caveat:
            cited = "; ".join(self.knowledge.sources[ref].label for ref in entry.caveat.cite)
            caveat = f"Research note: {entry.caveat.text} ({cited})"
        also = [item for item in also if item in self.knowledge.entries]
        follow_ups = also or [item for item in entry.related if item in self.knowledge.entries]
        return Reply(
            status=Status.ANSWERED,
            headline=entry.title,
            body=entry.answer,
            caveat=caveat,
            attribution=Attribution(
                title=source.title,
                author=source.author,
                publisher=source.publisher,
                url=source.url,
                section=entry.source.section,
            ),
            disclaimer=messages.DISCLAIMER,
            suggestions=self.suggestions(follow_ups),
            suggestions_intro=messages.ALSO_ASKED_INTRO if also else messages.RELATED_INTRO,
            entry_id=entry.id,
            confidence=confidence,
        )

    def urgent_reply(self, screening: Screening) -> Reply:
        red_flags = self.knowledge.red_flags
        emergency = screening.emergency
        signs = _join_words([flag.name for flag in screening.flags])
        numbers = ", ".join(f"{n.number} ({n.where})" for n in red_flags.emergency_numbers)
        cited = _distinct(ref for flag in screening.flags for ref in flag.cite)
        basis = "; ".join(self.knowledge.sources[ref].label for ref in cited)
        body = "\n\n".join(
            [
                messages.URGENT_MENTIONED.format(signs=signs),
                red_flags.emergency_message if emergency else red_flags.doctor_message,
                messages.URGENT_NUMBERS.format(numbers=numbers),
            ]
        )
        return Reply(
            status=Status.URGENT,
            headline=(
                messages.URGENT_EMERGENCY_HEADLINE if emergency else messages.URGENT_DOCTOR_HEADLINE
            ),
            body=body,
            caveat=messages.URGENT_BASIS.format(sources=basis) if basis else None,
            disclaimer=messages.URGENT_DISCLAIMER,
            confidence=1.0,
        )

    def suggestions(self, entry_ids: Iterable[str]) -> tuple[Suggestion, ...]:
        entries = self.knowledge.entries
        return tuple(Suggestion(i, entries[i].title) for i in entry_ids if i in entries)

    def _clarify_reply(self, outcome: _Outcome) -> Reply:
        return Reply(
            status=Status.CLARIFY,
            body=messages.CLARIFY_INTRO,
            suggestions=self.suggestions(c.entry_id for c in outcome.candidates),
            confidence=outcome.confidence,
        )

    def _fallback_reply(self, confidence: float) -> Reply:
        topics = _join_words([topic.name.lower() for topic in self.knowledge.topics])
        body = " ".join(
            [
                messages.FALLBACK,
                messages.FALLBACK_TOPICS.format(topics=topics),
                messages.FALLBACK_PROFESSIONAL,
            ]
        )
        return Reply(Status.FALLBACK, body, confidence=confidence)

    def _small_talk(self, text: str, normalized: Normalized) -> Reply | None:
        said = words(text)
        if not said:
            return Reply(Status.FALLBACK, messages.EMPTY, small_talk=True)
        greeting_only = set(said) <= SMALL_TALK_WORDS | _ADDRESSEES
        meaningless = not normalized.tokens
        if (greeting_only or meaningless) and set(said) & SMALL_TALK_WORDS:
            if set(said) & _THANKS:
                message = messages.THANKS
            elif set(said) & _FAREWELLS:
                message = messages.FAREWELL
            else:
                message = messages.GREETING
            return Reply(Status.FALLBACK, message, small_talk=True)
        return None


def _confidence(outcome: _Outcome) -> float:
    return outcome.confidence


def _examples(knowledge: KnowledgeBase) -> Iterable[tuple[str, str]]:
    for entry in knowledge.entries.values():
        yield entry.id, entry.title
        for question in entry.questions:
            yield entry.id, question


def _printable(text: str) -> str:
    # Control characters (binary pasted by mistake, terminal escapes) carry no meaning;
    # invisible format characters (zero-width, soft hyphen) are dropped by words().
    return "".join(
        ch if ch.isprintable() or ch in "\n\t" or unicodedata.category(ch) == "Cf" else " "
        for ch in text
    ).strip()


def _distinct(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
