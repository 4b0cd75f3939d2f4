"""The red-flag screen: messages describing signs that need a doctor, not self-care advice.

It runs before any matching, with two screens; either one is enough:

* patterns: a pattern matches when all of its words appear close together in the message,
  after the same normalisation as matching, so typos and slang are caught: "cramp ... 10
  minutes" in one breath (up to three sentences) is a long cramp, but not across a
  paragraph. Everyday phrases the
  moderators list as harmless ("so confused which gel to buy", "writer's cramp") are left
  out first, and a sign that is plainly denied right before it ("no chest pain") is not one.
  Someone else's illness long ago ("my dad had a heart attack years ago") is history, not
  a sign the runner describes: it is left out too (bot/others_history.py). A flag's
  not_when phrases ("beetroot" for pink urine), affirmed anywhere in the message, rule
  out that flag alone, after both screens have run; not from a sentence that only guesses
  ("probably just the beetroot").
* meaning: every sentence, and every run of up to three sentences, of the message is
  compared with the moderators' example descriptions of each sign ("a cramp in my chest
  that spreads to my arm"). A close one counts when it is closer to the sign than to any
  question runbot answers, so "calf cramp on a hot day" stays a cramp question.

The screen never diagnoses: it names what the runner described and hands off to care.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np

from bot.focus import sentences
from bot.knowledge import RedFlag, RedFlagFile
from bot.normalize import Normalized, Normalizer, stem, words
from bot.others_history import without_others_history
from bot.semantic import DIMENSIONS, SemanticIndex, SentenceEmbedder

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["RedFlagScreen", "ScreenLimits", "Screening"]

# A pattern's words must fall within this many words more than the pattern has.
WINDOW_SLACK = 10
# Everyday words a long post holds anyway: in a pattern ("cramp still there", "felt out
# of it", "cramp all night") each must stand within this many words of another of the
# pattern's words, or a story a sentence away ("...why I cramped. There are... but still")
# would match.
_FILLER_REACH = 2
_FILLER = frozenset(
    stem(word)
    for word in [
        "a", "all", "an", "any", "anything", "as", "at", "be", "being", "can", "could",
        "did", "for", "get", "go", "going", "got", "i", "in", "is", "it", "me", "my",
        "of", "on", "our", "out", "over", "so", "still", "than", "the", "there", "thing",
        "to", "up", "us", "was", "way", "went", "what", "where", "which",
    ]
)  # fmt: skip
# Words that deny what follows them ("no chest pain", "not dizzy", "without any swelling").
# "never" is not one: "never felt chest pain like this" describes a first time.
_NEGATIONS = frozenset(
    stem(word)
    for word in [
        "no",
        "not",
        "without",
        "nothing",
        "zero",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "wasnt",
        "arent",
    ]
)
# Only determiners may stand between a denial and what it denies: "no real chest pain",
# but "didn't feel the chest pain until I stopped" affirms it.
_DETERMINERS = frozenset(
    stem(word)
    for word in ["any", "a", "real", "sign", "signs", "of", "much", "in", "my", "feel", "feeling"]
)
# "nothing scary like chest pain", "no symptoms such as dizziness": a denial reaches over a
# word or two to an example it gives.
_EXAMPLE_WORDS = frozenset(["like", "as"])
_EXAMPLE_REACH = 3
# ...but not past how it feels or how sure the runner is: in "not sure, feels like my chest
# is being crushed" the denial is of being sure, and "like" describes the chest.
_EXAMPLE_STOPS = frozenset(
    stem(word) for word in ["feel", "feels", "felt", "seems", "seemed", "looks", "sure", "know"]
)
# "I don't feel like I'm going to pass out": a denial of feeling about to; the words
# between "like" and the sign say who and when, never what.
_FEEL = frozenset([stem("feel"), stem("felt")])
# Who: one of these, and only right after "like" ("like I'm going to", never "like I
# could, I was dizzy": a second subject starts a clause of its own).
_WHO = frozenset(stem(word) for word in ["i", "im", "he", "she", "they"])
_BEING = frozenset(stem(word) for word in ["am", "was", "were"])  # only right after who
# What makes it "about to": one of these, whole, then "be" or "get" at most. "didn't feel
# like going, was dizzy" wanted no run; it did not deny the dizziness.
_ABOUT_TO = tuple(
    tuple(stem(word) for word in phrase.split())
    for phrase in ["going to", "gonna", "about to", "would", "will", "might", "could"]
)
_BECOMING = frozenset(stem(word) for word in ["be", "get"])
# "no chest pain or dizziness": the denial reaches the next item of a short list.
_LIST_WORDS = frozenset(["or", "nor"])
_LIST_ITEM_WORDS = 3
# "didn't feel chest pain until I stopped", "no dizziness till the finish": a sign denied
# only until a moment happened then; a few words after it, "until" undoes the denial.
_UNTIL = frozenset(stem(word) for word in ["until", "till", "til"])
_UNTIL_REACH = 3
# "No, my chest is tight": a "no" set off at the start of a sentence answers a question; it
# denies nothing after it (and "my", "in" are determiners a denial reaches over).
_ANSWERING_NO = re.compile(r"^\W*(?:no+|nope|nah)\s*[,;:!\u2013\u2014-]", re.IGNORECASE)
# "probably just the beetroot haha", "I had beetroot. Maybe that's why?": a runner guessing at
# what explains a sign away has not ruled it out. A not_when phrase counts only from
# sentences with no such word in them or within a breath either side.
_DOUBT = re.compile(
    r"\b(?:probably|probs|prob|prolly|maybe|perhaps|possibly|likely|hopefully|presumably|"
    r"might|guess(?:ing)?|reckon|think|thinking|assum(?:e|ing)|suppose|could\s+(?:be|it|that)|"
    r"must\s+be|(?:is|was)\s+(?:it|that)\s+(?:the|just|from|because)|i\s+hope|not\s+sure|"
    r"unsure|wonder(?:ing)?)\b",
    re.IGNORECASE,
)
# "20 minutes in" says when a cramp began, and is harmless; "lasted 20 minutes in my calf"
# and "gone on 40 minutes straight" say how long it lasted, and keep their words.
_TIME_UNITS = frozenset({"minutes", "minute", "mins", "min", "hours", "hour", "hrs"})
_HOW_LONG = frozenset({"lasted", "lasting", "lasts", "last", "for", "on", "over", "been"})


def _says_how_long(said: list[str], position: int) -> bool:
    """Whether the time unit at `position` follows a number that says how long something
    went on ("lasted 30 minutes"), not when it began ("30 minutes in")."""
    if said[position] not in _TIME_UNITS:
        return False
    before = said[max(0, position - 3) : position - 1]  # the words before its number
    return any(word in _HOW_LONG for word in before)


# Where a harmless phrase ends at the latest: a comma, colon or dash between two words
# means they were not said as one phrase.
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]\u2013\u2014]|\s-\s")
# At most this many sentences are compared by meaning (patterns read every sentence).
_MAX_SENTENCES = 80
# The longest stretch of one window compared by meaning (twice a platform message).
_WINDOW_CHARS = 8192
# Sentences read together as one description.
_BREATH = 3
# At most this many signs a message is close to are weighed against runbot's answers
# (each may cost a pass over every example question: `SemanticIndex.within`).
_CONTRASTED = 4


@dataclass(frozen=True, slots=True)
class ScreenLimits:
    """When a sentence means a red flag; calibrated on the evaluation sets' red flags."""

    # As close as this to a moderator's example description: a red flag, whatever else.
    certain: float = 0.88
    # Closer than this, and closer to the sign than to any question runbot answers...
    similar: float = 0.55
    contrast: float = 0.20  # ...by this much,
    off_topic_contrast: float = 0.10  # and by this much more when it names an off-topic subject.


@dataclass(frozen=True, slots=True)
class Screening:
    """The red flags a message describes; empty when it describes none."""

    flags: tuple[RedFlag, ...]

    @property
    def emergency(self) -> bool:
        return any(flag.level == "emergency" for flag in self.flags)

    def __bool__(self) -> bool:
        return bool(self.flags)


@dataclass(frozen=True, slots=True)
class _Pattern:
    # The pattern as joined tokens and as plain stems: a synonym a moderator adds later
    # ("chest pain: [sore chest]") must not stop "pain in my chest" from matching.
    forms: tuple[frozenset[str], ...]
    flag: RedFlag
    # A number stays with its unit ("15 minutes", "15 long minutes"): "16 minutes for mile
    # 25. Cramps hit" is not "cramp 25 minutes". Each is (number, the word after it).
    quantities: tuple[tuple[str, str], ...]

    def quantities_in(self, sequence: Sequence[str], not_lasting: _NotLasting) -> bool:
        return all(_quantity_in(q, sequence, not_lasting) for q in self.quantities)


# What a length of time may belong to instead of a cramp: "a 25 minute run", "a 10 minute
# talk about cramps", "back to normal in 10 minutes of rest".
_ACTIVITIES = (
    "run", "runs", "jog", "walk", "race", "session", "workout", "interval", "talk", "chat",
    "call", "drive", "break", "rest", "wait", "nap", "meeting", "commute", "stretch", "warmup",
    "cooldown", "shower", "bath", "video", "class", "swim", "ride", "presentation", "lecture",
    "podcast",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _NotLasting:
    """Words that make "20 minutes" something other than how long a cramp lasted.

    "every 30 minutes", "runs of 25 minutes" and "a 25 minute run" say how often or how
    long the running went on; "cramped for 20 minutes" and "lasted 20 minutes" still count.
    """

    before: frozenset[str]  # right before the number: every, each, per, by (a margin)
    # When it began, not how long it lasted: "after 15 minutes", "2 hours 10 minutes".
    onset: frozenset[str]
    hours: frozenset[str]
    approximately: frozenset[str]  # about, around: read past them to the word before
    ongoing: frozenset[str]  # "still", "not easing after 20 minutes": it lasted
    activities: frozenset[str]  # a run, jog, walk... named right before or after it
    determiners: frozenset[str]  # "a 25 minute run", "my 40 minute jog"

    @classmethod
    def normalized(cls, normalizer: Normalizer) -> _NotLasting:
        def tokens(*plain: str) -> frozenset[str]:
            return frozenset(t for word in plain for t in normalizer.normalize(word).every_token)

        return cls(
            tokens("every", "each", "per", "by"),
            tokens("after", "within", "in"),
            tokens("hour", "hours"),
            tokens("about", "around", "roughly", "approximately", "approx", "maybe", "like"),
            tokens("still", "not", "hasnt", "hadnt", "wont", "easing", "gone", "stop"),
            tokens(*_ACTIVITIES),
            tokens("a", "an", "my", "the", "our", "his", "her", "their"),
        )


class _PatternIndex:
    """Phrases of the red flags, each matching when all its words are close and affirmed."""

    def __init__(
        self,
        phrases: Sequence[tuple[RedFlag, str]],
        normalizer: Normalizer,
        normalized_phrases: Mapping[str, Normalized] | None = None,
    ) -> None:
        """`normalized_phrases`: phrases the caller has normalised already (by `normalizer`)."""
        known = normalized_phrases or {}
        patterns: list[_Pattern] = []
        for flag, phrase in phrases:
            normalized = known.get(phrase)
            if normalized is None:
                normalized = normalizer.normalize(phrase)
            forms = {frozenset(normalized.every_token), frozenset(normalized.stems)}
            forms.discard(frozenset())
            tokens = normalized.every_token
            quantities = tuple(
                (number, unit) for number, unit in pairwise(tokens) if _is_number(number)
            )
            if forms:
                patterns.append(_Pattern(tuple(forms), flag, quantities))
        # Each pattern under the rarest word of each of its forms: a form matches only a
        # message holding all its words, so a message is checked against the patterns
        # whose rarest word it holds, not against every pattern saying "my" or "cramp".
        uses = Counter(word for pattern in patterns for form in pattern.forms for word in form)
        self._by_word: dict[str, list[_Pattern]] = {}
        for pattern in patterns:
            for word in {min(form, key=lambda w: (uses[w], w)) for form in pattern.forms}:
                self._by_word.setdefault(word, []).append(pattern)

    def matching(self, question: Normalized, not_lasting: _NotLasting) -> list[RedFlag]:
        """The flags with a phrase in `question`."""
        # Words inside a joined phrase still count: "jaw and back pain" is "jaw pain".
        sequences = (question.every_token, question.stems)
        present = {*question.every_token, *question.stems}
        found: dict[str, RedFlag] = {}
        candidates = {id(p): p for word in present for p in self._by_word.get(word, ())}
        for pattern in candidates.values():
            if pattern.flag.id in found:
                continue
            for form in pattern.forms:
                if (
                    form <= present
                    and any(_affirmed(form, s) for s in sequences)
                    and pattern.quantities_in(question.every_token, not_lasting)
                ):
                    found[pattern.flag.id] = pattern.flag
                    break
        return list(found.values())


class RedFlagScreen:
    """Built once per knowledge base and never changed."""

    def __init__(
        self,
        red_flags: RedFlagFile,
        normalizer: Normalizer,
        embedder: SentenceEmbedder | None,
        answers: SemanticIndex,
        limits: ScreenLimits | None = None,
        normalized_patterns: Mapping[str, Normalized] | None = None,
    ) -> None:
        """`normalized_patterns`: the flags' patterns as `normalizer` reads them, if the
        caller has them already (the Brain does: 500 patterns normalised once, not twice)."""
        self._normalizer = normalizer
        self._embedder = embedder
        self._answers = answers
        self.limits = limits or ScreenLimits()
        # Harmless phrases by their first word, longest first.
        self._harmless: dict[str, list[tuple[str, ...]]] = {}
        for phrase in sorted((tuple(words(p)) for p in red_flags.harmless), key=len, reverse=True):
            if phrase:
                self._harmless.setdefault(phrase[0], []).append(phrase)
        self._not_lasting = _NotLasting.normalized(normalizer)
        self._order = {flag.id: place for place, flag in enumerate(red_flags.red_flags)}
        signs = red_flags.red_flags
        self._patterns = _PatternIndex(
            [(flag, phrase) for flag in signs for phrase in flag.phrases],
            normalizer,
            normalized_patterns,
        )
        # "my wee went pink after the beetroot": phrases that say a message is not a sign.
        self._not_when = _PatternIndex(
            [(flag, phrase) for flag in signs for phrase in flag.not_when_phrases], normalizer
        )
        # Without an embedder, the screen reads patterns only (for comparisons).
        examples = [(flag, text) for flag in red_flags.red_flags for text in flag.examples]
        self._example_flags = [flag for flag, _ in examples] if embedder else []
        self._example_vectors = (
            embedder.embed([normalizer.corrected(t) for _, t in examples])
            if embedder
            else np.zeros((0, DIMENSIONS), np.float32)
        )

    def screen(self, text: str) -> Screening:
        """The red flags `text` describes, emergencies first."""
        # One breath: up to three sentences that follow each other ("I drank litres of
        # water. Now I have a headache and feel sick."). Words further apart describe other
        # things: "a gel every 40 minutes" is not the length of a cramp a paragraph on.
        text = without_others_history(text)
        parts = sentences(text) or [text]
        said = [
            self._normalizer.normalize(self._without_harmless(_ANSWERING_NO.sub("", part, 1)))
            for part in parts
        ]
        spans = [
            (start, start + size)
            for size in range(1, min(_BREATH, len(parts)) + 1)
            for start in range(len(parts) - size + 1)
        ]
        flags: dict[str, RedFlag] = {}
        ruled_out: set[str] = set()
        for start, end in spans:
            breath = _joined(said[start:end])
            for flag in self._patterns.matching(breath, self._not_lasting):
                flags.setdefault(flag.id, flag)
            vetoes = self._not_when.matching(breath, self._not_lasting)
            if vetoes and not _guessed_near(parts, start, end):
                ruled_out.update(flag.id for flag in vetoes)
        breaths = [" ".join(parts[start:end]) for start, end in spans if end <= _MAX_SENTENCES]
        for flag in self._by_meaning(breaths):
            flags.setdefault(flag.id, flag)
        for flag_id in ruled_out:
            flags.pop(flag_id, None)
        # Emergencies first, then as the moderators ordered them: never the order a set
        # of words happened to be read in, which changes from one process to the next.
        ordered = sorted(
            flags.values(), key=lambda flag: (flag.level != "emergency", self._order[flag.id])
        )
        return Screening(tuple(ordered))

    def _without_harmless(self, text: str) -> str:
        """`text` as words, without the moderators' harmless phrases (each within a clause:
        "I threw up, my hands were shaking" is not "threw up my hands")."""
        kept: list[str] = []
        for clause in _CLAUSE_BREAK.split(text):
            said = words(clause)
            position = 0
            while position < len(said):
                for phrase in self._harmless.get(said[position], ()):
                    if tuple(said[position : position + len(phrase)]) == phrase and not (
                        _says_how_long(said, position)
                    ):
                        position += len(phrase)
                        break
                else:
                    kept.append(said[position])
                    position += 1
        return " ".join(kept)

    def _by_meaning(self, windows: list[str]) -> list[RedFlag]:
        if self._embedder is None or not self._example_flags:
            return []
        # A window is compared by its first few thousand characters: a pasted megabyte in
        # one "sentence" would otherwise gather a vector per word piece, a GB at once.
        vectors = self._embedder.embed(
            [self._normalizer.corrected(w[:_WINDOW_CHARS]) for w in windows], remember=False
        )
        to_signs: npt.NDArray[np.float32] = vectors @ self._example_vectors.T
        limits = self.limits
        found: dict[str, RedFlag] = {}
        # The closest window to each sign that is not certain: (similarity, vector, flag).
        unsure: dict[str, tuple[float, float, npt.NDArray[np.float32], RedFlag]] = {}
        for window, row, vector in zip(windows, to_signs, vectors, strict=True):
            closest = int(np.argmax(row))
            similarity = float(row[closest])
            if similarity < limits.similar:
                continue
            flag = self._example_flags[closest]
            if similarity >= limits.certain:
                found.setdefault(flag.id, flag)
                continue
            # A window naming a subject runbot has no advice on ("how to breathe
            # properly") is more likely asking about that subject: it must stand further
            # from runbot's answers to count.
            contrast = limits.contrast
            if self._normalizer.normalize(window).off_topic:
                contrast += limits.off_topic_contrast
            if flag.id not in unsure or similarity > unsure[flag.id][0]:
                unsure[flag.id] = (similarity, contrast, vector, flag)
        candidates = [c for flag_id, c in unsure.items() if flag_id not in found]
        candidates.sort(key=lambda candidate: -candidate[0])
        candidates = candidates[:_CONTRASTED]
        for similarity, contrast, vector, flag in candidates:
            if not self._answers.within(vector, similarity, contrast):
                found.setdefault(flag.id, flag)
        return list(found.values())


def _guessed_near(parts: Sequence[str], start: int, end: int) -> bool:
    """Whether a sentence of `parts[start:end]`, or one within a breath of them, guesses."""
    reach = _BREATH - 1
    return any(_DOUBT.search(part) for part in parts[max(0, start - reach) : end + reach])


def _joined(parts: Sequence[Normalized]) -> Normalized:
    """Consecutive sentences, normalised one by one, as one text."""
    if len(parts) == 1:
        return parts[0]
    return Normalized(
        tokens=tuple(token for part in parts for token in part.tokens),
        every_token=tuple(token for part in parts for token in part.every_token),
        off_topic=frozenset(token for part in parts for token in part.off_topic),
        stems=tuple(stem for part in parts for stem in part.stems),
    )


def _affirmed(words: frozenset[str], sequence: Sequence[str]) -> bool:
    """Whether `sequence` holds all of `words` close together, none of them denied.

    Close together: within len(words) + WINDOW_SLACK positions, an everyday word of the
    pattern next to another of its words. A denied occurrence ("no pain at first, then
    chest pain") is left out, and the others may still match.
    """
    found = [
        (position, word)
        for position, word in enumerate(sequence)
        if word in words and not _denied(sequence, position, words)
    ]
    if len(words) > 1 and not words <= _FILLER:
        found = [
            (position, word)
            for position, word in found
            if word not in _FILLER
            or any(other != word and abs(at - position) <= _FILLER_REACH for at, other in found)
        ]
    width = len(words) + WINDOW_SLACK
    start = 0
    counts: dict[str, int] = {}
    for position, word in found:
        counts[word] = counts.get(word, 0) + 1
        while position - found[start][0] >= width:
            gone = found[start][1]
            counts[gone] -= 1
            if not counts[gone]:
                del counts[gone]
            start += 1
        if len(counts) == len(words):
            return True
    return False


_NUMBER_WORDS = frozenset(["ten", "fifteen", "twenty", "thirty", "forty", "sixty"])


def _quantity_in(
    quantity: tuple[str, str], sequence: Sequence[str], not_lasting: _NotLasting
) -> bool:
    number, unit = quantity
    for at, word in enumerate(sequence):
        if word != number or unit not in sequence[at + 1 : at + 3]:
            continue
        end = sequence.index(unit, at + 1)
        start = at
        # "after about 20 minutes": the word before the approximation says what it is.
        while start and sequence[start - 1] in not_lasting.approximately:
            start -= 1
        before = sequence[start - 1] if start else ""
        near = sequence[max(0, start - 4) : end + 3]
        ongoing = not_lasting.ongoing.intersection(near)
        if before in not_lasting.onset and not ongoing:
            continue  # "kicked in after 15 minutes"; but "still cramped after 15 minutes"
        if before in not_lasting.hours and start > 2 and sequence[start - 3] not in ("for", "last"):
            continue  # "my half took 2 hours 10 minutes"; but "cramped for 1 hour 20 minutes"
        of_a_run = before == "of" and at > 1 and sequence[at - 2] in not_lasting.activities
        # Only "a 25 minute run": "cramped for 25 minutes, run abandoned" still counts.
        a_run = (
            before in not_lasting.determiners
            and end + 1 < len(sequence)
            and sequence[end + 1] in not_lasting.activities
        )
        if before not in not_lasting.before and not of_a_run and not a_run:
            return True
    return False


def _is_number(token: str) -> bool:
    return token.isdigit() or token in _NUMBER_WORDS


def _denied_feeling_about_to(sequence: Sequence[str], before: int, own: frozenset[str]) -> bool:
    """Whether `sequence[: before + 1]` ends in a denied "feel like I'm going to (be)"."""
    end = before + 1
    if end and sequence[end - 1] in _BECOMING:
        end -= 1
    for phrase in _ABOUT_TO:
        if tuple(sequence[max(0, end - len(phrase)) : end]) == phrase:
            end -= len(phrase)
            break
    else:
        return False
    if end > 1 and sequence[end - 1] in _BEING and sequence[end - 2] in _WHO:
        end -= 1
    if end and sequence[end - 1] in _WHO:
        end -= 1
    like = end - 1
    if like < 2 or sequence[like] != "like" or sequence[like - 1] not in _FEEL:
        return False
    denial = like - 2
    while denial >= 0 and sequence[denial] in _DETERMINERS:
        denial -= 1
    return denial >= 0 and sequence[denial] in _NEGATIONS and sequence[denial] not in own


def _denied(
    sequence: Sequence[str], position: int, own: frozenset[str], first_item: bool = True
) -> bool:
    """Whether the words right before `position` deny it: "no chest pain", "not any pain".

    A denial that is itself one of the pattern's words (`own`: "didn't know where I
    was") denies nothing. A denial reaches over one earlier item of a list: "no chest
    pain or dizziness".
    """
    if _UNTIL.intersection(sequence[position + 1 : position + 1 + _UNTIL_REACH]):
        return False
    before = position - 1
    while before >= 0 and sequence[before] in _DETERMINERS:
        before -= 1
    if before >= 0 and sequence[before] in _EXAMPLE_WORDS:
        for start in range(before - 1, max(-1, before - 1 - _EXAMPLE_REACH), -1):
            if sequence[start] in _EXAMPLE_STOPS:
                break
            if sequence[start] in _NEGATIONS and sequence[start] not in own:
                return True
    if _denied_feeling_about_to(sequence, before, own):
        return True
    if before >= 0 and sequence[before] in _LIST_WORDS:
        # Back over the earlier item (a few words) to the denial in front of it, or to a
        # first item that is itself denied over an example or determiners ("nothing like
        # chest pain or feeling faint", "not in my chest or arm").
        for start in range(before - 1, max(-1, before - 1 - _LIST_ITEM_WORDS), -1):
            if sequence[start] in _NEGATIONS and sequence[start] not in own:
                return True
            if first_item and _denied(sequence, start, own, first_item=False):
                return True
        return False
    # Within a list's first item, a denial right before a word is one the loop above reaches
    # when it is close; further back it denies another thing: in "no cramps, just dizzy or
    # chest pain", "no" denies the cramps, not the chest pain.
    if not first_item and before == position - 1:
        return False
    return before >= 0 and sequence[before] in _NEGATIONS and sequence[before] not in own
