"""Measure answer quality on labelled sets of realistic questions.

A case expects an entry id (it must be answered with that entry, or one listed in `also`),
"none" (it must not be answered: a fallback or a clarifying question is right) or "urgent"
(the red-flag reply). The sets come in two kinds, each with a tuning half that calibrated
the matcher and a held-out half never tuned on (a full `runbot eval` prints every set, so
the held-out figures are seen whenever it runs): questions written the way runners write,
and real questions copied from public running forums and Q&A columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from bot.answering import Brain
from bot.progress import Tracker, no_progress
from bot.reply import Status

__all__ = ["EVAL_SETS", "EvalCase", "EvalReport", "EvalSet", "evaluate", "load_cases"]

NONE = "none"
URGENT = "urgent"


@dataclass(frozen=True, slots=True)
class EvalSet:
    """A named evaluation set: one or more files of cases under tests/eval/."""

    name: str
    files: tuple[str, ...]
    held_out: bool
    description: str
    # Only the red-flag screen is measured: the look-alikes are all labelled "none",
    # in scope or not, so the answer figures mean nothing.
    screen_only: bool = False

    def paths(self, folder: Path) -> list[Path]:
        return [folder / name for name in self.files]


EVAL_SETS = (
    EvalSet(
        "written",
        ("tuning-1.yaml", "tuning-2.yaml", "tuning-3.yaml", "tuning-4.yaml"),
        held_out=False,
        description="written the way runners write; calibrated the matcher",
    ),
    EvalSet(
        "written-5",
        ("tuning-5.yaml",),
        held_out=False,
        description="written blind from the entries' titles and answers; measured, then tuned on",
    ),
    EvalSet(
        "real",
        ("real-tuning.yaml", "real-tuning-2.yaml", "real-tuning-3.yaml"),
        held_out=False,
        description="real posts from public running forums; calibrated the matcher",
    ),
    EvalSet(
        "real-5",
        ("real-tuning-5.yaml",),
        held_out=False,
        description="real posts collected blind on 2026-12-08; measured once, then tuned on",
    ),
    EvalSet(
        "red-flags",
        ("red-flags-tuning.yaml",),
        held_out=False,
        description="warning signs put casually, and harmless lookalikes; tuned the screen",
    ),
    EvalSet(
        "red-flags-2",
        ("red-flags-tuning-2.yaml",),
        held_out=False,
        description="warning signs put casually and look-alikes, written blind; tuned the screen",
        screen_only=True,
    ),
    EvalSet(
        "red-flags-3",
        ("red-flags-tuning-3.yaml",),
        held_out=False,
        description="warning signs put casually and look-alikes, written blind; tuned the screen",
        screen_only=True,
    ),
    EvalSet(
        "red-flags-4",
        ("red-flags-tuning-4.yaml",),
        held_out=False,
        description="warning signs put casually and look-alikes, written blind; tuned the screen",
        screen_only=True,
    ),
    EvalSet(
        "red-flags-5",
        ("red-flags-tuning-5.yaml",),
        held_out=False,
        description="warning signs put casually and look-alikes, written blind; tuned the screen",
        screen_only=True,
    ),
    EvalSet(
        "red-flags-6",
        ("red-flags-tuning-6.yaml",),
        held_out=False,
        description="signs in long posts or by effect, and look-alikes, written blind; tuned on",
        screen_only=True,
    ),
    EvalSet(
        "red-flags-holdout",
        ("red-flags-holdout.yaml",),
        held_out=True,
        description="warning signs and look-alikes written blind after the screen was tuned",
        screen_only=True,
    ),
    EvalSet(
        "written-holdout",
        ("written-holdout-4.yaml",),
        held_out=True,
        description="written independently, never tuned on (every runbot eval prints it)",
    ),
    EvalSet(
        "written-holdout-3",
        ("written-holdout-3.yaml",),
        held_out=True,
        description="written independently, never tuned on (every runbot eval prints it)",
    ),
    EvalSet(
        "written-holdout-2",
        ("written-holdout-2.yaml",),
        held_out=True,
        description="written independently, never tuned on (every runbot eval prints it)",
    ),
    EvalSet(
        "real-holdout",
        ("real-holdout-2.yaml",),
        held_out=True,
        description="real posts, never tuned on (every runbot eval prints it)",
    ),
    EvalSet(
        "real-holdout-4",
        ("real-holdout-4.yaml",),
        held_out=True,
        description="real posts collected blind on 2026-12-03, never tuned on",
    ),
)


class EvalCase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    q: str
    expect: str
    also: list[str] = Field(default_factory=list)
    # Where a real runner posted the question (an address), for sets copied from public posts.
    source: str | None = None

    @property
    def accepted(self) -> set[str]:
        return {self.expect, *self.also}


class _EvalFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cases: list[EvalCase]


def load_cases(path: Path) -> list[EvalCase]:
    return _EvalFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8"))).cases


@dataclass(frozen=True, slots=True)
class Miss:
    case: EvalCase
    status: Status
    entry_id: str | None
    confidence: float

    def __str__(self) -> str:
        got = self.entry_id or self.status.value
        if self.entry_id and self.status is not Status.ANSWERED:
            got = f"{self.status.value} ({self.entry_id}?)"
        return (
            f"expected {self.case.expect:<24} got {got:<30} {self.confidence:.2f}  {self.case.q!r}"
        )


@dataclass(frozen=True, slots=True)
class EvalReport:
    in_scope: int
    answered_correctly: int
    answered_wrongly: int
    # In-scope questions that got "Did you mean" or "I don't have advice on that yet".
    clarified: int
    fell_back: int
    out_of_scope: int
    correctly_not_answered: int
    red_flags: int
    red_flags_caught: int
    false_alarms: int
    misses: tuple[Miss, ...]

    @property
    def accuracy(self) -> float:
        return _share(self.answered_correctly, self.in_scope)

    @property
    def wrong_answer_rate(self) -> float:
        """Wrong answers among all questions that are not red flags: the worst bug."""
        return _share(self.answered_wrongly, self.in_scope + self.out_of_scope)

    @property
    def clarify_rate(self) -> float:
        return _share(self.clarified, self.in_scope)

    @property
    def fallback_rate(self) -> float:
        return _share(self.fell_back, self.in_scope)

    @property
    def false_alarm_rate(self) -> float:
        return _share(self.false_alarms, self.in_scope + self.out_of_scope)

    @property
    def rejection(self) -> float:
        return _share(self.correctly_not_answered, self.out_of_scope)

    @property
    def red_flag_recall(self) -> float:
        return _share(self.red_flags_caught, self.red_flags)

    def lines(self) -> list[str]:
        total = self.in_scope + self.out_of_scope + self.red_flags
        answerable = self.in_scope + self.out_of_scope
        rows = [
            ("in scope answered correctly", self.accuracy, self.answered_correctly, self.in_scope),
            ("wrong answers", self.wrong_answer_rate, self.answered_wrongly, answerable),
            ("in scope asked 'did you mean'", self.clarify_rate, self.clarified, self.in_scope),
            ("in scope fell back", self.fallback_rate, self.fell_back, self.in_scope),
            (
                "out of scope held back",
                self.rejection,
                self.correctly_not_answered,
                self.out_of_scope,
            ),
            ("red-flag recall", self.red_flag_recall, self.red_flags_caught, self.red_flags),
            ("false red-flag alarms", self.false_alarm_rate, self.false_alarms, answerable),
        ]
        return [f"questions: {total}"] + [
            f"{label + ':':<32} {share:6.1%}  ({part}/{whole})"
            for label, share, part, whole in rows
        ]


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def evaluate(
    brain: Brain, cases: Sequence[EvalCase], progress: Tracker = no_progress
) -> EvalReport:
    in_scope = correct = wrong = clarified = fell_back = 0
    out_of_scope = rejected = flags = caught = alarms = 0
    misses: list[Miss] = []
    for case in progress(cases, "Asking the evaluation questions"):
        reply = brain.answer(case.q)
        answered = reply.status is Status.ANSWERED
        if case.expect == URGENT:
            flags += 1
            ok = reply.status is Status.URGENT
            caught += ok
        elif case.expect == NONE:
            out_of_scope += 1
            ok = not answered and reply.status is not Status.URGENT
            rejected += ok
            wrong += answered
        else:
            in_scope += 1
            ok = answered and reply.entry_id in case.accepted
            correct += ok
            wrong += answered and not ok
            clarified += reply.status is Status.CLARIFY
            fell_back += reply.status is Status.FALLBACK
        alarms += case.expect != URGENT and reply.status is Status.URGENT
        if not ok:
            entry = reply.entry_id or (
                reply.suggestions[0].id
                if reply.status is Status.CLARIFY and reply.suggestions
                else None
            )
            misses.append(Miss(case, reply.status, entry, reply.confidence))
    return EvalReport(
        in_scope,
        correct,
        wrong,
        clarified,
        fell_back,
        out_of_scope,
        rejected,
        flags,
        caught,
        alarms,
        tuple(misses),
    )
