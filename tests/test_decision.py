"""The decision on ranked entries: answer the clear best, ask only between subjects, or say so."""

from __future__ import annotations

from bot.decision import Thresholds, decide
from bot.ranking import Ranked
from bot.reply import Status

LIMITS = Thresholds(answer=0.35, margin=0.06, clarify=0.35, coverage=0.3, semantic_alone=0.75)
SUBJECTS = {"stretch": "easing", "massage": "easing", "causes": "why", "hydration": "prevent"}


def same_subject(first: str, second: str) -> bool:
    return SUBJECTS[first] == SUBJECTS[second]


def ranked(
    *scores: tuple[str, float], coverage: float = 1.0, semantic: float = 0.5
) -> list[Ranked]:
    return [Ranked(entry, score, score, semantic, coverage) for entry, score in scores]


def test_a_clear_best_is_answered_with_the_close_ones_as_follow_ups() -> None:
    decision = decide(
        ranked(("stretch", 0.70), ("massage", 0.66), ("causes", 0.50)), LIMITS, same_subject
    )
    assert decision.status is Status.ANSWERED
    assert [c.entry_id for c in decision.candidates] == ["stretch", "massage"]


def test_a_runner_up_on_the_same_subject_never_makes_it_ask() -> None:
    decision = decide(ranked(("stretch", 0.60), ("massage", 0.60)), LIMITS, same_subject)
    assert decision.status is Status.ANSWERED


def test_two_close_subjects_are_offered_as_choices() -> None:
    decision = decide(ranked(("stretch", 0.60), ("causes", 0.57)), LIMITS, same_subject)
    assert decision.status is Status.CLARIFY
    assert [c.entry_id for c in decision.candidates] == ["stretch", "causes"]


def test_a_single_unsure_candidate_falls_back_instead_of_asking_about_one_choice() -> None:
    decision = decide(ranked(("stretch", 0.36), ("causes", 0.32)), LIMITS, same_subject)
    assert decision.status is Status.FALLBACK


def test_a_candidate_explaining_little_of_the_question_is_not_answered() -> None:
    decision = decide(ranked(("stretch", 0.8), coverage=0.1), LIMITS, same_subject)
    assert decision.status is Status.FALLBACK


def test_meaning_alone_vouches_for_a_candidate_unless_the_question_is_off_topic() -> None:
    close_in_meaning = ranked(("stretch", 0.8), coverage=0.1, semantic=0.9)
    assert decide(close_in_meaning, LIMITS, same_subject).status is Status.ANSWERED
    off_topic = decide(close_in_meaning, LIMITS, same_subject, off_topic=True)
    assert off_topic.status is Status.FALLBACK


def test_a_long_post_has_lower_boundaries() -> None:
    post = ranked(("causes", 0.25), ("stretch", 0.12), coverage=0.08)
    assert decide(post, LIMITS, same_subject).status is Status.FALLBACK
    assert decide(post, Thresholds().for_story(), same_subject).status is Status.ANSWERED
