"""The red-flag screen: questions describing signs that need a doctor, not self-care advice.

It runs before any matching. A pattern matches when all of its words appear in the question
(after the same normalisation as matching, so typos and slang are caught too). The screen
never diagnoses: it names what the runner described and hands off to medical care.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.knowledge import RedFlag, RedFlagFile
from bot.normalize import Normalized, Normalizer

__all__ = ["RedFlagScreen", "Screening"]


@dataclass(frozen=True, slots=True)
class Screening:
    """The red flags a question describes; empty when it describes none."""

    flags: tuple[RedFlag, ...]

    @property
    def emergency(self) -> bool:
        return any(flag.level == "emergency" for flag in self.flags)

    def __bool__(self) -> bool:
        return bool(self.flags)


class RedFlagScreen:
    """Immutable after construction; build once per knowledge base."""

    def __init__(self, red_flags: RedFlagFile, normalizer: Normalizer) -> None:
        self._patterns: list[tuple[frozenset[str], RedFlag]] = []
        for flag in red_flags.red_flags:
            for pattern in flag.patterns:
                tokens = frozenset(normalizer.normalize(pattern).every_token)
                if tokens:
                    self._patterns.append((tokens, flag))

    @property
    def pattern_count(self) -> int:
        return len(self._patterns)

    def screen(self, question: Normalized) -> Screening:
        # Words inside a joined phrase still count: "jaw and back pain" is "jaw pain".
        present = {*question.every_token, *question.stems}
        flags: dict[str, RedFlag] = {}
        for tokens, flag in self._patterns:
            if tokens <= present:
                flags.setdefault(flag.id, flag)
        # Emergencies first, so the reply leads with the most urgent sign.
        ordered = sorted(flags.values(), key=lambda flag: flag.level != "emergency")
        return Screening(tuple(ordered))
