"""Turn what runners type into comparable tokens.

Steps: Unicode NFKC and casefold; words only (punctuation, emoji and control characters
dropped); misspelt words corrected against the words the knowledge base uses; light
stemming; the moderators' vocabulary (slang, variants, multi-word phrases) replaced by one
canonical token; filler words dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import Stemmer
from rapidfuzz.distance import DamerauLevenshtein

from bot.english import is_english_word
from bot.handover import give_way
from bot.knowledge import VocabularyFile
from bot.recent import Recent
from bot.spelling import SpellingIndex

__all__ = ["Normalized", "Normalizer", "phrase_key", "stem", "words"]

_WORD = re.compile(r"[^\W_]+")
_APOSTROPHES = re.compile(r"['’‘`´]")
# Unicode's invisible format characters (category Cf) that people's keyboards and pastes
# put inside words: soft hyphen, zero-width and joiner characters, direction marks, BOM.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufff9-\ufffb\U000e0001\U000e0020-\U000e007f]"
)
_STEMMER = Stemmer.Stemmer("english")
# Words shorter than this are never "corrected": at three letters every word is one typo
# away from many others.
_MIN_CORRECTABLE = 4
# An answer normalises its message and its parts several times (screen, ranker, decision).
_RECENT_TEXTS = 64
# No real word is longer; and a flood of unique giant "words" must not fill the caches.
_MAX_CORRECTABLE = 30
# A variant this close to its plain word is a misspelling of it, not another way to say it.
_TYPO_EDITS = 2


def words(text: str) -> list[str]:
    """Lower-cased words of `text`, without punctuation, emoji or apostrophes."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    # Invisible format characters (soft hyphens, zero-width spaces) join, never split:
    # "ch\u200best pain" is "chest pain".
    return _WORD.findall(_APOSTROPHES.sub("", _INVISIBLE.sub("", folded)))


def stem(word: str) -> str:
    """The English Snowball stem of one lower-case word."""
    if len(word) > _MAX_CORRECTABLE:
        return word  # not a word anyone stems; kept out of the cache
    return _cached_stem(word)


@lru_cache(maxsize=65536)
def _cached_stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(stem(word) for word in words(phrase))


def _canonical_token(phrase: str) -> str:
    return "_".join(phrase_key(phrase))


def _says_otherwise(variant: str, word: str) -> bool:
    """Whether `variant` says `word` in other words ("hammy", "charley horse"), not with
    the word itself or a misspelling of it ("side stitch", "side stich")."""
    return not any(
        DamerauLevenshtein.distance(said, own) <= _TYPO_EDITS
        for said in words(variant)
        for own in words(word)
    )


@dataclass(frozen=True, slots=True)
class Normalized:
    """A question as tokens.

    `tokens` are the meaningful ones (filler dropped), `every_token` keeps filler words too
    (the red-flag screen needs "passed out", not just "passed"), and `off_topic` holds the
    tokens naming subjects runbot has no advice on.
    """

    tokens: tuple[str, ...]
    every_token: tuple[str, ...]
    off_topic: frozenset[str]
    # The word stems before phrases were joined ("back pain" stays "back", "pain" here).
    stems: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


class Normalizer:
    """Normalises text with one knowledge base's vocabulary (only its caches change)."""

    def __init__(
        self, vocabulary: VocabularyFile, known_text: Iterable[str], lazy: bool = False
    ) -> None:
        """`lazy`: build the spelling index when a first word needs correcting (one-shot use)."""
        phrases: dict[tuple[str, ...], str] = {}
        # The same variants as words a sentence model reads: "hammy keeps locking up" is
        # read as "hamstring keeps cramp", which it understands.
        plain: dict[tuple[str, ...], str] = {}
        for word, variants in vocabulary.synonyms.items():
            canonical = _canonical_token(word)
            for phrase in (word, *variants):
                key = phrase_key(phrase)
                if key:
                    phrases[key] = canonical
                    if _says_otherwise(phrase, word):
                        plain[key] = " ".join(words(word))
        off_topic: set[str] = set()
        for phrase in vocabulary.off_topic:
            key = phrase_key(phrase)
            # A phrase that is also a synonym keeps its synonym's meaning: marking it off-topic
            # would make every question about that synonym's word off-topic.
            if key and key not in phrases:
                phrases[key] = "_".join(key)
                off_topic.add(phrases[key])
        self._phrases = phrases
        self._plain = plain
        # Phrase lengths (longest first) by first word: most words start no phrase at all.
        lengths: dict[str, set[int]] = defaultdict(set)
        for key in phrases:
            lengths[key[0]].add(len(key))
        self._phrase_lengths = {
            word: sorted(found, reverse=True) for word, found in lengths.items()
        }
        self._filler = frozenset(stem(word) for word in _filler_words(vocabulary.filler))
        self._off_topic = frozenset(off_topic)

        known: set[str] = set()
        for text in (*known_text, *vocabulary.filler, *vocabulary.off_topic):
            give_way()
            known.update(words(text))
        for word, variants in vocabulary.synonyms.items():
            for phrase in (word, *variants):
                known.update(words(phrase))
        self._known = frozenset(known)
        filler_surface = {word for phrase in vocabulary.filler for word in words(phrase)}
        # Never "correct" a word into a filler word: that would just make it vanish.
        self.spelling = SpellingIndex(
            (
                word
                for word in known
                if len(word) >= _MIN_CORRECTABLE - 1 and word not in filler_surface
            ),
            lazy=lazy,
        )
        self._corrections: dict[str, str] = {}
        self._recent: Recent[str, Normalized] = Recent(_RECENT_TEXTS)

    def normalize(self, text: str) -> Normalized:
        """Tokens of `text`, ready for matching and the red-flag screen."""
        known = self._recent.get(text)
        if known is None:
            known = self._normalized(text)
            self._recent.put(text, known)
        return known

    def _normalized(self, text: str) -> Normalized:
        stems = [stem(self.correct(word)) for word in words(text)]
        tokens = self._replace_phrases(stems)
        kept = tuple(token for token in tokens if token not in self._filler)
        off_topic = frozenset(token for token in kept if token in self._off_topic)
        return Normalized(kept, tuple(tokens), off_topic, tuple(stems))

    def corrected(self, text: str) -> str:
        """`text` as lower-case words with misspellings corrected (for sentence vectors)."""
        return " ".join(self.correct(word) for word in words(text))

    def plain(self, text: str) -> str:
        """`text` corrected, with the vocabulary's variants (slang, typos, phrasings) said
        in their plain word, for a sentence model that doesn't know the slang."""
        fixed = [self.correct(word) for word in words(text)]
        return " ".join(self._replace_phrases([stem(word) for word in fixed], self._plain, fixed))

    def correct(self, word: str) -> str:
        """`word`, or the known word it is most likely a misspelling of."""
        if (
            word in self._known
            or not _MIN_CORRECTABLE <= len(word) <= _MAX_CORRECTABLE
            or not word.isalpha()
        ):
            return word
        cached = self._corrections.get(word)
        if cached is not None:
            return cached
        corrected = word if is_english_word(word) else self._nearest_known(word)
        if len(self._corrections) < 100_000:
            self._corrections[word] = corrected
        return corrected

    def _nearest_known(self, word: str) -> str:
        # One edit (a swap counts as one) in short words, two in long ones; and the word
        # must keep its first letter, which people rarely mistype.
        allowed_edits = 1 if len(word) < 8 else 2
        match = self.spelling.nearest(word, allowed_edits)
        if match is not None and match[0] == word[0]:
            return match
        return word

    def _replace_phrases(
        self,
        stems: Sequence[str],
        table: dict[tuple[str, ...], str] | None = None,
        others: Sequence[str] | None = None,
    ) -> list[str]:
        """`stems` with each phrase in `table` (the synonyms' tokens unless given) replaced
        by what it maps to, and every other word as `others` has it (the stem unless given)."""
        table = self._phrases if table is None else table
        others = stems if others is None else others
        result: list[str] = []
        position = 0
        while position < len(stems):
            for length in self._phrase_lengths.get(stems[position], ()):
                replacement = table.get(tuple(stems[position : position + length]))
                if replacement is not None:
                    result.append(replacement)
                    position += length
                    break
            else:
                result.append(others[position])
                position += 1
        return result


# Greetings and thanks never carry a question's meaning, whatever the vocabulary says.
SMALL_TALK_WORDS = frozenset(
    [
        "hi",
        "hello",
        "hey",
        "hiya",
        "heya",
        "yo",
        "howdy",
        "greetings",
        "morning",
        "evening",
        "afternoon",
        "good",
        "thanks",
        "thank",
        "thx",
        "ty",
        "cheers",
        "ta",
        "bye",
        "goodbye",
        "cya",
        "later",
        "ok",
        "okay",
        "cool",
        "great",
        "nice",
        "awesome",
    ]
)


def _filler_words(filler: Iterable[str]) -> Iterable[str]:
    for phrase in filler:
        yield from words(phrase)
    yield from SMALL_TALK_WORDS
