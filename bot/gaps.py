"""The gap report: what runners asked that runbot could not answer well, grouped.

Unanswered (fallback), unclear (clarify) and low-confidence answers are grouped by
similarity, most asked first; each group shows the nearest existing entry and its score,
so a moderator sees whether to add an example question to that entry or write a new one.
"""

from __future__ import annotations

import csv
import io
import json
import shlex
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from rapidfuzz import fuzz, process

from bot import messages
from bot.answering import Brain
from bot.messages import GAPS_HEADING, NO_GAPS, period
from bot.progress import Tracker, no_progress
from bot.question_log import LoggedQuestion
from bot.reply import Status

__all__ = ["Gap", "find_gaps", "format_gaps"]

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
    def times_asked(self) -> str:
        """How often, by how many people: "Asked 3 times by 2 people"."""
        return messages.gap_times_asked(self.count, self.askers)

    @property
    def outcomes(self) -> str:
        """What runbot did with these questions, in moderators' words."""
        labels = messages.GAP_OUTCOMES
        return ", ".join(labels.get(status, status) for status in self.statuses)

    @property
    def teach_command(self) -> str:
        """The command that adds the most asked wording to the nearest entry's examples."""
        entry = self.nearest_entry or "ENTRY"
        return f"runbot kb teach {entry} {shlex.quote(' '.join(self.examples[0].split()))}"

    @property
    def advice(self) -> str:
        if self.nearest_entry and self.nearest_score >= 0.25:
            return messages.GAP_ADVICE_TEACH.format(entry=self.nearest_entry)
        return messages.GAP_ADVICE_NEW


def is_gap(question: LoggedQuestion) -> bool:
    if question.status in (Status.FALLBACK, Status.CLARIFY):
        return True
    return question.status is Status.ANSWERED and question.confidence < LOW_CONFIDENCE


def find_gaps(
    brain: Brain,
    questions: Sequence[LoggedQuestion],
    limit: int = 20,
    progress: Tracker = no_progress,
) -> list[Gap]:
    """Group the gap questions by meaning, most asked first."""
    groups: list[list[LoggedQuestion]] = []
    keys: list[str] = []
    # Runners ask the same things in the same words: each distinct text is normalised and
    # matched once (a repeat lands where its first asking did).
    group_of: dict[str, int] = {}
    for question in progress(questions, "Grouping unanswered questions"):
        if not is_gap(question):
            continue
        known = group_of.get(question.question)
        if known is not None:
            groups[known].append(question)
            continue
        key = brain.normalizer.normalize(question.question).text or question.question.casefold()
        match = process.extractOne(key, keys, scorer=fuzz.token_set_ratio, score_cutoff=SAME_GROUP)
        if match is None:
            keys.append(key)
            groups.append([question])
            group_of[question.question] = len(groups) - 1
        else:
            groups[match[2]].append(question)
            group_of[question.question] = match[2]
    gaps = [_gap(brain, group) for group in groups]
    gaps.sort(key=lambda gap: (-gap.count, -gap.askers, gap.examples[0]))
    return gaps[:limit]


def _gap(brain: Brain, group: list[LoggedQuestion]) -> Gap:
    texts = list(dict.fromkeys(question.question for question in group))
    nearest = brain.ranker.rank(texts[0], limit=1)
    askers = {question.asker_hash for question in group if question.asker_hash}
    return Gap(
        examples=tuple(texts[:3]),
        count=len(group),
        askers=len(askers),
        statuses=tuple(sorted({question.status.value for question in group})),
        nearest_entry=nearest[0].entry_id if nearest else None,
        nearest_score=nearest[0].score if nearest else 0.0,
    )


def format_gaps(gaps: Sequence[Gap], style: str, days: int) -> str:
    """The gap report as a readable table, CSV, or JSON."""
    if style == "json":
        rows = [{**asdict(gap), "advice": gap.advice, "teach": gap.teach_command} for gap in gaps]
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    if style == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            ["count", "askers", "examples", "statuses", "nearest_entry", "score", "advice", "teach"]
        )
        for gap in gaps:
            writer.writerow(
                [
                    gap.count,
                    gap.askers,
                    " | ".join(gap.examples),
                    " ".join(gap.statuses),
                    gap.nearest_entry or "",
                    f"{gap.nearest_score:.2f}",
                    gap.advice,
                    gap.teach_command,
                ]
            )
        return out.getvalue()
    if not gaps:
        return f"{NO_GAPS.format(days=period(days))}\n"
    lines = [f"{GAPS_HEADING.format(days=period(days))}:", ""]
    for number, gap in enumerate(gaps, start=1):
        asked = gap.times_asked[0].lower() + gap.times_asked[1:]
        lines.append(f"{number}. {gap.examples[0]!r}  ({asked}; {', '.join(gap.statuses)})")
        lines.extend(f"     also: {example!r}" for example in gap.examples[1:])
        nearest = (
            f"'{gap.nearest_entry}' ({gap.nearest_score:.2f})" if gap.nearest_entry else "none"
        )
        lines.append(f"     nearest entry: {nearest} -> {gap.advice}")
        lines.append(f"     teach it: {gap.teach_command}")
    return "\n".join(lines) + "\n"
