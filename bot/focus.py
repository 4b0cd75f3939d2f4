"""Find what a message asks: runners tell their story first and ask last.

"After 22 miles of my fourth marathon I suffered horrible cramps. I eased down and walked
it in. What can I do?" asks one thing in its last sentence; the first two are context.
The sentences that ask carry the question; the story may help choose between entries but
must not drown the question in words the knowledge base never uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Focus", "find_focus", "sentences"]

# A sentence ends at . ! ? ; or a line break, but not inside a number ("1.5 litres").
_SENTENCE_END = re.compile(r"\.(?!\d)|(?<!\d)\.|[!?;]+|\n+|…")
_QUESTION_MARK = re.compile(r"\?")
# How questions start when people leave off the question mark ("did", "has" and "have"
# start stories as often: "Did my first half yesterday", "Have been running for years").
_ASKING_START = re.compile(
    r"^\W*(?:so|and|but|also|ok|okay|well|anyway|basically|hey|hi|guys|folks|please|pls)?\W*"
    r"(?:how|what|whats|what's|why|when|where|which|who|whos|should|shall|can|could|would|"
    r"will|is|isnt|isn't|are|arent|aren't|do|does|dont|don't|any|anyone|anybody|"
    r"tips?|advice|ideas?|suggestions?|help|wondering|i\s+wonder)\b",
    re.IGNORECASE,
)
# Asking phrases anywhere in a sentence ("... so what can I do", "I need advice on ...").
_ASKING_PHRASE = re.compile(
    r"\b(?:what\s+(?:can|should|do|would)\s+(?:i|we|you)|how\s+(?:do|can|should|would)\s+"
    r"(?:i|we|you)|should\s+i|can\s+i|is\s+it\s+(?:ok|okay|normal|worth|bad|safe|true)|"
    r"is\s+there|are\s+there|any\s+(?:tips|advice|ideas|suggestions|thoughts|help)|"
    r"(?:need|want|looking\s+for|appreciate)\s+(?:some\s+)?(?:help|advice|tips|ideas)|"
    r"(?:wondering|wonder)\s+(?:if|whether|why|how|what)|tell\s+me|help\s+me|"
    r"(?:not\s+sure|no\s+idea|dont\s+know|don't\s+know)\s+(?:what|how|why|if|whether)|"
    r"what\s+causes|why\s+(?:do|does|am|is)|how\s+to)\b",
    re.IGNORECASE,
)
# A message this short is its own question, whatever its shape.
_SHORT_WORDS = 12


@dataclass(frozen=True, slots=True)
class Focus:
    """A message as sentences, each marked as asking or telling the story around it."""

    sentences: tuple[str, ...]
    asks: tuple[bool, ...]

    @property
    def asking(self) -> tuple[str, ...]:
        return tuple(s for s, asks in zip(self.sentences, self.asks, strict=True) if asks)

    @property
    def question(self) -> str:
        """The sentences that ask (the whole message when none stands out)."""
        return " ".join(self.asking or self.sentences)

    @property
    def is_long(self) -> bool:
        """Whether the message is more than one short question."""
        return len(self.sentences) > 1

    @property
    def has_story(self) -> bool:
        """Whether some sentences tell rather than ask (a post, not a list of questions)."""
        return not all(self.asks)


def sentences(text: str) -> list[str]:
    """The sentences of `text`, each with its closing question mark kept."""
    found: list[str] = []
    start = 0
    for end in _SENTENCE_END.finditer(text):
        piece = text[start : end.end()].strip()
        if piece.strip(".!?;…\n "):
            found.append(piece)
        start = end.end()
    tail = text[start:].strip()
    if tail:
        found.append(tail)
    return found


@lru_cache(maxsize=256)  # one message is read by the ranker, the decision and its parts
def find_focus(text: str) -> Focus:
    """The sentences of `text`, marked asking or not; a short message is all question."""
    parts = sentences(text)
    if len(parts) < 2 or len(text.split()) <= _SHORT_WORDS:
        return Focus((text.strip(),), (True,))
    # A post that never asks outright has no asking sentences: all of it is the question.
    return Focus(tuple(parts), tuple(_asks(part) for part in parts))


def _asks(sentence: str) -> bool:
    return bool(
        _QUESTION_MARK.search(sentence)
        or _ASKING_START.match(sentence)
        or _ASKING_PHRASE.search(sentence)
    )
