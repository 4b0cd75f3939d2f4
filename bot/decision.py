"""Decide what to do with ranked entries: answer, ask which one, or say runbot doesn't know.

A correct answer hidden behind "Did you mean" is a failure, and so is a confident wrong
answer. So: when one entry is clearly best, answer it and offer the runner-up as a
follow-up; ask only when the top entries are about different things and too close to
call, and never with a single choice; otherwise fall back honestly. A close call that the
entries' own examples settle (bot.classifier is sure of one of the candidates) is answered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from bot.ranking import Ranked
from bot.reply import Status

__all__ = ["Decision", "Thresholds", "decide"]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Outcome boundaries on the ranking score; calibrated on the tuning sets (`runbot eval`)."""

    answer: float = 0.35  # the best entry must score at least this to be answered...
    margin: float = 0.06  # ...and lead the best entry about something else by this much
    clarify: float = 0.35  # below this, no candidate is close enough to offer
    # A candidate explaining less of the question than this is not answered on words
    # alone: the question is mostly about something else ("shin splints when running").
    coverage: float = 0.3
    # A longer question holds more words no example uses ("pee is a normal colour and i
    # feel fine, i just want to know how to massage a cramp"): past this many counted
    # words, the coverage it needs shrinks in proportion, down to `least_coverage`.
    coverage_words: int = 6
    least_coverage: float = 0.15
    # ...and more when it names a subject runbot has no advice on ("stitches from surgery",
    # "runners trots"): its other words must explain more of it.
    off_topic_coverage: float = 0.45
    # ...unless its meaning is this close to one of the entry's examples.
    semantic_alone: float = 0.75
    clarify_band: float = 0.10  # candidates within this of the best are offered together
    # A close call is answered when the entry classifier gives one of the candidates that
    # would be offered at least this probability (more than all other entries together).
    settle: float = 0.5
    settle_lead: float = 0.2  # ...and lead the next of those candidates by this much
    # A long post (a story around its question) scores lower: most of its words are the
    # story's. Its own, lower, boundaries:
    story_answer: float = 0.28
    story_margin: float = 0.06
    story_clarify: float = 0.20
    story_coverage: float = 0.05
    story_off_topic_coverage: float = 0.05

    def for_words(self, count: int) -> Thresholds:
        """The boundaries for a one-part question of `count` counted words."""
        if count <= self.coverage_words:
            return self
        scaled = self.coverage * self.coverage_words / count
        return replace(self, coverage=max(self.least_coverage, scaled))

    def for_story(self) -> Thresholds:
        """The boundaries for a message with a story around its question."""
        return replace(
            self,
            answer=self.story_answer,
            margin=self.story_margin,
            clarify=min(self.clarify, self.story_clarify),
            coverage=self.story_coverage,
            off_topic_coverage=self.story_off_topic_coverage,
        )


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome for one message: answered (best first, then follow-ups), or the choices."""

    status: Status
    candidates: tuple[Ranked, ...]

    @property
    def confidence(self) -> float:
        return self.candidates[0].score if self.candidates else 0.0


def decide(
    ranked: Sequence[Ranked],
    limits: Thresholds,
    same_subject: Callable[[str, str], bool],
    off_topic: bool = False,
) -> Decision:
    """The outcome for candidates ranked best first.

    `same_subject(a, b)` says whether two entries answer one subject (related entries, or
    one topic): the runner-up of such a pair is a follow-up, not a reason to ask.
    `off_topic` says the question names a subject runbot has no advice on ("stitches
    from surgery"): then meaning alone cannot vouch for a candidate, only its words.
    """
    vouch = 2.0 if off_topic else limits.semantic_alone
    coverage = max(limits.coverage, limits.off_topic_coverage) if off_topic else limits.coverage
    plausible = tuple(
        candidate
        for candidate in ranked
        if candidate.coverage >= coverage or candidate.semantic >= vouch
    )
    if not plausible or plausible[0].score < limits.clarify:
        return Decision(Status.FALLBACK, plausible)
    best = plausible[0]
    # The best candidate about something else, however weak: a clear answer leads it.
    rivals = [c for c in ranked if c is not best and not same_subject(best.entry_id, c.entry_id)]
    lead = best.score - (rivals[0].score if rivals else 0.0)
    close = [
        candidate
        for candidate in plausible[1:]
        if candidate.score >= max(limits.clarify, best.score - limits.clarify_band)
    ]
    if best.score >= limits.answer and lead >= limits.margin:
        return Decision(Status.ANSWERED, (best, *close))
    # Worth asking only when something else is close; then the closest are all offered,
    # the best one's neighbours too (they may be what the runner asks).
    if any(not same_subject(best.entry_id, c.entry_id) for c in close):
        offered = (best, *close[:2])
        settled, *unsettled = sorted(offered, key=lambda candidate: -candidate.belief)
        runner_up = unsettled[0].belief if unsettled else 0.0
        # It settles which entry, not whether any: the one it picks must score enough to
        # be answered had it had no rival, and lead the other choices clearly. It reads
        # meaning, which cannot vouch for a message naming an off-topic subject.
        if (
            not off_topic
            and settled.belief >= limits.settle
            and settled.belief - runner_up >= limits.settle_lead
            and settled.score >= limits.answer
        ):
            others = (candidate for candidate in (best, *close) if candidate is not settled)
            return Decision(Status.ANSWERED, (settled, *others))
        return Decision(Status.CLARIFY, offered)
    # One plausible subject, not quite sure enough to answer: runbot doesn't know.
    return Decision(Status.FALLBACK, plausible)
