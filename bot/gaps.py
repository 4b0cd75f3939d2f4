"""The gap report: what runners asked that runbot could not answer well, grouped.

Unanswered (fallback), unclear (clarify) and low-confidence answers are grouped by
similarity, most asked first; each group shows the nearest existing entry and its score,
so a moderator sees whether to add an example question to that entry or write a new one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.answering import Brain
from bot.question_log import LoggedQuestion
from bot.reply import Status

__all__ = ["Gap", "find_gaps"]

# Answers below this confidence are shown too: they were given, but only just.
LOW_CONFIDENCE = 0.65
# Two questions belong to one group when their normalised words are this similar (0-100).
SAME_GROUP = 75


@dataclass(frozen=True, slots=True)
class Gap:
    """Questions that mean the same thing, and what the knowledge base offers for them."""

    examples: tuple[str, ...]
    count: int
    askers: int
    statuses: tuple[str, ...]
    nearest_entry: str | None
    nearest_score: float

    @property
    def advice(self) -> str:
        if self.nearest_entry and self.nearest_score >= 0.4:
            return f"add an example question to '{self.nearest_entry}'"
        return "write a new entry (or add the words to vocabulary.yaml)"


def is_gap(question: LoggedQuestion) -> bool:
    if question.status in (Status.FALLBACK, Status.CLARIFY):
        return True
    return question.status is Status.ANSWERED and question.confidence < LOW_CONFIDENCE


def find_gaps(brain: Brain, questions: Sequence[LoggedQuestion], limit: int = 20) -> list[Gap]:
    """Group the gap questions by meaning, most asked first."""
    groups: list[list[LoggedQuestion]] = []
    keys: list[str] = []
    for question in questions:
        if not is_gap(question):
            continue
        key = brain.normalizer.normalize(question.question).text or question.question.casefold()
        match = process.extractOne(key, keys, scorer=fuzz.token_set_ratio, score_cutoff=SAME_GROUP)
        if match is None:
            keys.append(key)
            groups.append([question])
        else:
            groups[match[2]].append(question)
    gaps = [_gap(brain, group) for group in groups]
    gaps.sort(key=lambda gap: (-gap.count, -gap.askers, gap.examples[0]))
    return gaps[:limit]


def _gap(brain: Brain, group: list[LoggedQuestion]) -> Gap:
    texts = list(dict.fromkeys(question.question for question in group))
    nearest = brain.index.rank(brain.normalizer.normalize(texts[0]), limit=1)
    askers = {question.asker_hash for question in group if question.asker_hash}
    return Gap(
        examples=tuple(texts[:3]),
        count=len(group),
        askers=len(askers),
        statuses=tuple(sorted({question.status.value for question in group})),
        nearest_entry=nearest[0].entry_id if nearest else None,
        nearest_score=nearest[0].score if nearest else 0.0,
    )
