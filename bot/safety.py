"""The red-flag screen: questions describing signs that need a doctor, not self-care advice.

It runs before any matching. A pattern matches when all of its words appear close together
in the question (after the same normalisation as matching, so typos and slang are caught
too): "cramp ... 10 minutes" in one breath is a long cramp, but not across a paragraph. The
screen never diagnoses: it names what the runner described and hands off to medical care.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.knowledge import RedFlag, RedFlagFile
from bot.normalize import Normalized, Normalizer

__all__ = ["RedFlagScreen", "Screening"]

# A pattern's words must fall within this many words more than the pattern has.
WINDOW_SLACK = 8


@dataclass(frozen=True, slots=True)
class Screening:
    """The red flags a question describes; empty when it describes none."""

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


class RedFlagScreen:
    """Built once per knowledge base and never changed."""

    def __init__(self, red_flags: RedFlagFile, normalizer: Normalizer) -> None:
        self._patterns: list[_Pattern] = []
        for flag in red_flags.red_flags:
            for pattern in flag.patterns:
                normalized = normalizer.normalize(pattern)
                forms = {frozenset(normalized.every_token), frozenset(normalized.stems)}
                forms.discard(frozenset())
                if forms:
                    self._patterns.append(_Pattern(tuple(forms), flag))

    def screen(self, question: Normalized) -> Screening:
        # Words inside a joined phrase still count: "jaw and back pain" is "jaw pain".
        sequences = (question.every_token, question.stems)
        present = {*question.every_token, *question.stems}
        flags: dict[str, RedFlag] = {}
        for pattern in self._patterns:
            if pattern.flag.id in flags:
                continue
            for form in pattern.forms:
                if form <= present and any(_close_together(form, s) for s in sequences):
                    flags[pattern.flag.id] = pattern.flag
                    break
        # Emergencies first, so the reply leads with the most urgent sign.
        ordered = sorted(flags.values(), key=lambda flag: flag.level != "emergency")
        return Screening(tuple(ordered))


def _close_together(words: frozenset[str], sequence: Sequence[str]) -> bool:
    """Whether `sequence` holds all of `words` within len(words) + WINDOW_SLACK positions."""
    found = sorted((position, word) for position, word in enumerate(sequence) if word in words)
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
