"""Turn one question into one Reply: red-flag screen, small talk, matching, outcome.

Pure: the same knowledge and question always give the same reply.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from bot import messages
from bot.decision import Decision, Thresholds, decide
from bot.focus import find_focus
from bot.handover import give_way
from bot.knowledge import KnowledgeBase
from bot.knowledge.models import spelled_out
from bot.matcher import MatchIndex, ScoringWeights
from bot.memory import release_freed_memory
from bot.normalize import SMALL_TALK_WORDS, Normalized, Normalizer, words
from bot.ranking import Ranker, RankingWeights
from bot.reply import Attribution, Caveat, Citation, Reply, Status, Suggestion, SuggestionKind
from bot.safety import RedFlagScreen, Screening, ScreenLimits
from bot.semantic import shared_embedder
from bot.story_model import shared_story_embedder

__all__ = ["Brain", "Thresholds"]

# Past this many examples a build's freed temporaries are given back to the system
# (bot.memory); below it there is little to give back, and `runbot ask` saves the 2 ms.
_RELEASE_AFTER_EXAMPLES = 20_000

# The longest message a platform delivers (Telegram's limit); longer text is not read.
MAX_QUESTION_CHARS = 4096
# Where one question ends and the next begins: "why do i cramp and how can i prevent it"
# asks two things, each answered on its own.
_CLAUSE_BREAK = re.compile(
    r"[?!.;\n]+|\b(?:also|plus|and also|another thing)\b"
    r"|\b(?:and|or)\s+(?=(?:how|what|why)\b"
    r"|(?:should|can|could|do|does|will|would)\s+(?:i|you|we|they|it|my)\b)",
    re.IGNORECASE,
)
# The parts of a message answered on their own, from its start: each part is ranked, and
# a pasted wall of questions must not cost sixty rankings.
_MAX_PARTS = 6
# A part of a message needs this many meaningful words to be answered on its own.
_MIN_CLAUSE_TOKENS = 2
# Who a greeting is addressed to: "good morning bot" is a greeting, not a question about bots.
_ADDRESSEES = frozenset(["bot", "runbot", "there", "everyone", "all", "folks", "guys", "team"])
_THANKS = frozenset(["thanks", "thank", "thx", "ty", "cheers", "ta"])
_FAREWELLS = frozenset(["bye", "goodbye", "cya", "later"])


class Brain:
    """A knowledge base with its normaliser, rankings and red-flag screen, ready to answer.

    Immutable: a reload builds a new Brain, so a question in flight finishes on the old one.
    """

    def __init__(
        self,
        knowledge: KnowledgeBase,
        thresholds: Thresholds | None = None,
        weights: ScoringWeights | None = None,
        ranking: RankingWeights | None = None,
        screen_limits: ScreenLimits | None = None,
        semantic: bool = True,
        read_posts: bool = True,
        one_shot: bool = False,
    ) -> None:
        """`semantic=False` leaves out the meaning signals (for comparisons in `make bench`);
        `read_posts=False` reads long posts with the static vectors, not the post reader;
        `one_shot=True` (`runbot ask`) builds what only some questions need when one first
        does, instead of up front: the same answers, a faster start, a slower first such
        question (a serving bot builds everything at once, off the answering path)."""
        self.knowledge = knowledge
        self.thresholds = thresholds or Thresholds()
        examples = list(_examples(knowledge))
        known_text = [text for _, text in examples]
        signs = knowledge.red_flags.red_flags
        known_text += [phrase for flag in signs for phrase in flag.phrases]
        self.normalizer = Normalizer(knowledge.vocabulary, known_text, lazy=one_shot)
        # Normalised once here, for the index's neutral words and for the red-flag screen.
        patterns = {
            phrase: self.normalizer.normalize(phrase) for flag in signs for phrase in flag.phrases
        }
        # Only the words of plain patterns: a family's alternatives list everyday context
        # words ("slid down wall|floor", "swim"), and a question using one of those is no
        # denied sign ("does swimming help with cramps").
        plain = [pattern for flag in signs for pattern in flag.patterns if "|" not in pattern]
        sign_words = frozenset(
            token
            for pattern in plain
            for phrase in spelled_out(pattern)  # its words, as the screen reads them
            for token in patterns[phrase].tokens
        )
        self.index = MatchIndex(examples, self.normalizer, weights, neutral=sign_words)
        embedder = shared_embedder() if semantic else None
        story = shared_story_embedder if read_posts else None
        self.ranker = Ranker(self.index, embedder, self.normalizer, ranking, story)
        self.screen = RedFlagScreen(
            knowledge.red_flags,
            self.normalizer,
            embedder,
            self.ranker.semantic,
            screen_limits,
            normalized_patterns=patterns,
        )
        self._related, self._topics_of = _subjects(knowledge)
        # A phrase of filler words alone has no tokens: it names nothing, so it is left out.
        subjects = (
            (frozenset(self.normalizer.normalize(phrase).tokens), phrase)
            for phrase in knowledge.vocabulary.subject
        )
        # Each subject's tokens, and the first phrase the moderators wrote for them.
        firsts: dict[frozenset[str], str] = {}
        for tokens, phrase in subjects:
            if tokens:
                firsts.setdefault(tokens, phrase)
        self._subjects = tuple(firsts.items())
        del examples, known_text, patterns
        if len(self.index) >= _RELEASE_AFTER_EXAMPLES:
            release_freed_memory()

    # --- the one public question -> reply path ---------------------------------------------

    def answer(self, text: str) -> Reply:
        """The reply a runner gets for `text`."""
        text = _printable(text)
        screening = self.screen.screen(text)
        if screening:
            return self.urgent_reply(screening)
        if len(text) > MAX_QUESTION_CHARS:
            return Reply(Status.FALLBACK, messages.TOO_LONG, small_talk=True)
        small_talk = self._small_talk(text, self.normalizer.normalize(text))
        if small_talk is not None:
            return small_talk

        # Runners often ask several things at once: answer the whole message if it is clear,
        # else its first clear part, and offer what the other parts asked about.
        whole = self.decide(text)
        parts = [self.decide(part) for part in self._parts(text)]
        answered = [part for part in parts if part.status is Status.ANSWERED]
        if whole.status is Status.ANSWERED or answered:
            # Two clear questions: people put their main one first.
            several = len(answered) > 1 or whole.status is not Status.ANSWERED
            best = answered[0] if several else whole
            entry_id = best.candidates[0].entry_id
            # Unclear parts are offered too ("...? what about magnesium?").
            asked = [part for part in parts if part.status is not Status.FALLBACK]
            also = _distinct(part.candidates[0].entry_id for part in asked)
            also = [other for other in also if other != entry_id]
            if also:
                return self.entry_reply(entry_id, best.confidence, also=also)
            close = [candidate.entry_id for candidate in best.candidates[1:]]
            return self.entry_reply(entry_id, best.confidence, close=close)
        clarifying = [o for o in (whole, *parts) if o.status is Status.CLARIFY]
        if clarifying:
            return self._clarify_reply(max(clarifying, key=_confidence))
        return self._fallback_reply(whole.confidence)

    def prepare(self) -> None:
        """Load what the first long post would otherwise wait for (about a second)."""
        self.ranker.prepare()

    def decide(self, text: str) -> Decision:
        """Rank entries for `text` and decide: answer, ask which, or fall back."""
        focus = find_focus(text)
        if focus.is_long and not self.on_subject(text):
            return Decision(Status.FALLBACK, ())
        ranked = self.ranker.rank(text)
        asked = self.normalizer.normalize(focus.question)
        if focus.is_long:
            limits = self.thresholds.for_story()
        else:
            limits = self.thresholds.for_words(len(self.index.counted_tokens(asked)))
        return decide(ranked, limits, self.same_subject, bool(asked.off_topic))

    def on_subject(self, text: str) -> bool:
        """Whether `text` names something runbot has advice on (vocabulary `subject`).

        A forum post about a training plan or shin pain shares many words with the
        entries (run, race, calf, stretch); only a subject word says it is about cramps.
        """
        return self.names_subject(set(self.normalizer.normalize(text).tokens))

    def names_subject(self, tokens: set[str]) -> bool:
        """Whether normalised `tokens` hold a whole `subject` phrase (always, with none)."""
        return not self._subjects or bool(self._subjects_named(tokens))

    def _subjects_named(self, tokens: set[str]) -> list[str]:
        """The subject phrases whose every token is in `tokens`, as the moderators wrote them."""
        return [phrase for words, phrase in self._subjects if words <= tokens]

    def same_subject(self, first: str, second: str) -> bool:
        """Whether two entries answer one subject (one topic, or one lists the other)."""
        related = self._related
        if second in related.get(first, ()) or first in related.get(second, ()):
            return True
        return not self._topics_of.get(first, frozenset()).isdisjoint(
            self._topics_of.get(second, ())
        )

    def _parts(self, text: str) -> list[str]:
        """The parts of a message that ask something on their own (none if it is one part)."""
        focus = find_focus(text)
        if focus.has_story:  # a post: its question is read with its story, as one
            return []
        if len(focus.asking) > 1:
            parts = list(focus.asking)
        else:
            parts = [part for part in _CLAUSE_BREAK.split(focus.question) if part.strip()]
        parts = _joined_back_references(parts)
        if len(parts) < 2:  # one part: the whole message, already ranked
            return []
        meaningful = [
            part
            for part in parts
            if len(self.normalizer.normalize(part).tokens) >= _MIN_CLAUSE_TOKENS
        ]
        if len(meaningful) < 2:
            return []
        return self._with_subjects_carried(meaningful[:_MAX_PARTS])

    def _with_subjects_carried(self, parts: list[str]) -> list[str]:
        """`parts`, each naming no subject given the subject the part before it named:
        in "why do i cramp and how can i prevent it", "it" is the cramp."""
        carried: list[str] = []
        subject: list[str] = []
        for part in parts:
            named = self._subjects_named(set(self.normalizer.normalize(part).tokens))
            if named:
                subject = named
            carried.append(" ".join([part.strip(), *([] if named else subject)]))
        return carried

    def suggest(self, text: str, limit: int) -> tuple[Suggestion, ...]:
        """Entries best matching a partial question, best first (for autocomplete)."""
        ranked = self.index.rank(self.normalizer.normalize(text), limit=limit)
        chosen = _distinct(candidate.entry_id for candidate in ranked)
        if not ranked:
            chosen += [entry_id for entry_id in self.knowledge.entries if entry_id not in chosen]
        return self.suggestions(chosen[:limit])

    # --- replies ------------------------------------------------------------------------------

    def entry_reply(
        self,
        entry_id: str,
        confidence: float = 1.0,
        also: Iterable[str] = (),
        close: Iterable[str] = (),
    ) -> Reply:
        """The answered reply for one entry (also used when a runner picks a suggestion).

        Follow-ups are what else the runner asked (`also`), else the entries that came
        close (`close`), else the entry's related ones.
        """
        entry = self.knowledge.entries[entry_id]
        source = self.knowledge.sources[entry.source.ref]
        caveat = None
        if entry.caveat:
            caveat = Caveat(entry.caveat.text, self._citations(entry.caveat.cite))
        entries = self.knowledge.entries
        also = [item for item in also if item in entries and item != entry_id]
        close = [item for item in close if item in entries and item != entry_id]
        if also:
            follow_ups, kind = also, SuggestionKind.ALSO_ASKED
        elif close:
            related = [item for item in entry.related if item in entries and item not in close]
            follow_ups, kind = [*close, *related][:3], SuggestionKind.CLOSE
        else:
            follow_ups = [item for item in entry.related if item in entries]
            kind = SuggestionKind.RELATED
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
            suggestions_kind=kind,
            entry_id=entry.id,
            confidence=confidence,
        )

    def urgent_reply(self, screening: Screening) -> Reply:
        red_flags = self.knowledge.red_flags
        emergency = screening.emergency
        signs = _join_words([flag.name for flag in screening.flags])
        numbers = ", ".join(f"{n.number} ({n.where})" for n in red_flags.emergency_numbers)
        cited = _distinct(ref for flag in screening.flags for ref in flag.cite)
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
            basis=self._citations(cited),
            disclaimer=messages.URGENT_DISCLAIMER,
            confidence=1.0,
        )

    def _citations(self, source_ids: Iterable[str]) -> tuple[Citation, ...]:
        sources = self.knowledge.sources
        return tuple(Citation(ref, sources[ref].label) for ref in source_ids)

    def suggestions(self, entry_ids: Iterable[str]) -> tuple[Suggestion, ...]:
        entries = self.knowledge.entries
        return tuple(Suggestion(i, entries[i].title) for i in entry_ids if i in entries)

    def _clarify_reply(self, outcome: Decision) -> Reply:
        return Reply(
            status=Status.CLARIFY,
            body=messages.CLARIFY_INTRO,
            suggestions=self.suggestions(c.entry_id for c in outcome.candidates),
            suggestions_kind=SuggestionKind.CHOICES,
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


# A part that points back ("where do you find them?") continues the part before it.
_BACK_REFERENCES = frozenset(["them", "they", "those", "these"])


def _joined_back_references(parts: list[str]) -> list[str]:
    joined: list[str] = []
    for part in parts:
        if joined and _BACK_REFERENCES & set(words(part)):
            joined[-1] = f"{joined[-1]} {part}"
        else:
            joined.append(part)
    return joined


def _confidence(outcome: Decision) -> float:
    return outcome.confidence


def _subjects(
    knowledge: KnowledgeBase,
) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[int]]]:
    """Each entry's related entries, and the topics it is in (by number).

    Not each entry's whole topic spelt out: for 10,000 entries in topics of 100, that was a
    million references, 66 ms to free on every reload.
    """
    related = {entry.id: frozenset(entry.related) for entry in knowledge.entries.values()}
    topics_of: dict[str, set[int]] = {}
    for number, topic in enumerate(knowledge.topics):
        for entry_id in topic.entry_ids:
            topics_of.setdefault(entry_id, set()).add(number)
    return related, {entry_id: frozenset(found) for entry_id, found in topics_of.items()}


def _examples(knowledge: KnowledgeBase) -> Iterable[tuple[str, str]]:
    for entry in knowledge.entries.values():
        give_way()
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
