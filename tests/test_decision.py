"""The decision on ranked entries: answer the clear best, ask only between subjects, or say so."""

from __future__ import annotations

import pytest

from bot.decision import Thresholds, decide
from bot.ranking import Ranked
from bot.reply import Status

LIMITS = Thresholds(
    answer=0.35,
    margin=0.06,
    clarify=0.35,
    coverage=0.3,
    semantic_alone=0.75,
    off_topic_coverage=0.45,
)
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


def test_a_question_naming_an_off_topic_subject_needs_its_other_words_to_explain_more() -> None:
    # "when can I run after stitches from surgery": "stitch" and "run" explain a third of it
    stitches = ranked(("side-stitch", 0.6), coverage=0.35)
    assert decide(stitches, LIMITS, same_subject).status is Status.ANSWERED
    assert decide(stitches, LIMITS, same_subject, off_topic=True).status is Status.FALLBACK
    mostly_ours = ranked(("side-stitch", 0.6), coverage=0.5)
    assert decide(mostly_ours, LIMITS, same_subject, off_topic=True).status is Status.ANSWERED


def test_a_long_post_has_lower_boundaries() -> None:
    post = ranked(("causes", 0.30), ("stretch", 0.12), coverage=0.08)
    assert decide(post, LIMITS, same_subject).status is Status.FALLBACK
    assert decide(post, Thresholds().for_story(), same_subject).status is Status.ANSWERED


def test_a_long_post_too_close_to_call_is_asked_about_not_dropped() -> None:
    post = ranked(("causes", 0.24), ("stretch", 0.22), coverage=0.08)
    assert decide(post, LIMITS, same_subject).status is Status.FALLBACK
    assert decide(post, Thresholds().for_story(), same_subject).status is Status.CLARIFY


@pytest.mark.parametrize(
    ("scores", "status", "offered"),
    [
        # answered: at least 0.35, and 0.06 ahead of the best about something else
        ([("stretch", 0.36), ("causes", 0.29)], Status.ANSWERED, ["stretch"]),
        ([("stretch", 0.50), ("causes", 0.43)], Status.ANSWERED, ["stretch", "causes"]),
        # a runner-up within 0.10 follows the answer, one further behind does not
        ([("stretch", 0.70), ("massage", 0.61)], Status.ANSWERED, ["stretch", "massage"]),
        ([("stretch", 0.70), ("massage", 0.59)], Status.ANSWERED, ["stretch"]),
        # too close to another subject: the close ones are offered, at most three
        ([("stretch", 0.50), ("causes", 0.46)], Status.CLARIFY, ["stretch", "causes"]),
        (
            [("stretch", 0.50), ("causes", 0.48), ("hydration", 0.47), ("massage", 0.46)],
            Status.CLARIFY,
            ["stretch", "causes", "hydration"],
        ),
        # the best's own neighbours are offered too: they may be what was asked
        (
            [("stretch", 0.50), ("massage", 0.49), ("causes", 0.47)],
            Status.CLARIFY,
            ["stretch", "massage", "causes"],
        ),
        # nothing reaches 0.35: no answer and no choices
        ([("stretch", 0.34), ("causes", 0.20)], Status.FALLBACK, ["stretch", "causes"]),
        ([], Status.FALLBACK, []),
        # close to the best but under 0.35 itself: no second choice, so no question
        ([("stretch", 0.38), ("causes", 0.34)], Status.FALLBACK, ["stretch", "causes"]),
    ],
)
def test_outcomes_by_score(
    scores: list[tuple[str, float]], status: Status, offered: list[str]
) -> None:
    decision = decide(ranked(*scores), LIMITS, same_subject)
    assert decision.status is status
    assert [c.entry_id for c in decision.candidates] == offered


def test_a_clarification_never_offers_a_single_choice() -> None:
    outcomes = [
        decide(ranked(("stretch", best), ("causes", best - gap)), LIMITS, same_subject)
        for best in [0.36, 0.40, 0.5, 0.7, 0.9]
        for gap in [0.5, 0.2, 0.08, 0.05, 0.03, 0.01, 0.0]
    ]
    clarified = [o for o in outcomes if o.status is Status.CLARIFY]
    assert len(clarified) >= 10
    assert all(len(o.candidates) >= 2 for o in clarified)


@pytest.mark.parametrize(
    ("coverage", "semantic", "off_topic", "status"),
    [
        (0.30, 0.0, False, Status.ANSWERED),  # explains enough of the question
        (0.29, 0.0, False, Status.FALLBACK),
        (0.29, 0.75, False, Status.ANSWERED),  # its meaning vouches for it
        (0.29, 0.74, False, Status.FALLBACK),
        (0.44, 1.0, True, Status.FALLBACK),  # not when the question is off topic
        (0.45, 1.0, True, Status.ANSWERED),  # its words still can, explaining more
    ],
)
def test_coverage_and_meaning(
    coverage: float, semantic: float, off_topic: bool, status: Status
) -> None:
    candidates = ranked(("stretch", 0.8), coverage=coverage, semantic=semantic)
    assert decide(candidates, LIMITS, same_subject, off_topic=off_topic).status is status


def test_the_confidence_is_the_best_candidates_score() -> None:
    decision = decide(ranked(("stretch", 0.7), ("causes", 0.2)), LIMITS, same_subject)
    assert decision.confidence == 0.7
    assert decide([], LIMITS, same_subject).confidence == 0.0


def believed(*beliefs: tuple[str, float, float]) -> list[Ranked]:
    """Candidates with a score and the entry classifier's probability each."""
    return [Ranked(entry, score, score, 0.5, 1.0, belief) for entry, score, belief in beliefs]


def test_a_close_call_the_classifier_is_sure_of_is_answered_with_the_rest_as_follow_ups() -> None:
    close_call = believed(("stretch", 0.60, 0.2), ("causes", 0.58, 0.7), ("hydration", 0.55, 0.1))
    decision = decide(close_call, LIMITS, same_subject)
    assert decision.status is Status.ANSWERED
    assert [c.entry_id for c in decision.candidates] == ["causes", "stretch", "hydration"]


def test_a_close_call_the_classifier_is_unsure_of_is_still_asked() -> None:
    close_call = believed(("stretch", 0.60, 0.45), ("causes", 0.58, 0.40))
    decision = decide(close_call, LIMITS, same_subject)
    assert decision.status is Status.CLARIFY


def test_the_classifier_settles_only_between_the_choices_that_would_be_offered() -> None:
    # "hydration" is far behind: however sure the classifier is, the scores ruled it out.
    close_call = believed(("stretch", 0.60, 0.05), ("causes", 0.58, 0.05), ("hydration", 0.3, 0.9))
    assert decide(close_call, LIMITS, same_subject).status is Status.CLARIFY


def test_a_sure_classifier_does_not_rescue_a_question_nothing_matches() -> None:
    weak = believed(("stretch", 0.30, 0.95), ("causes", 0.29, 0.05))
    assert decide(weak, LIMITS, same_subject).status is Status.FALLBACK


def test_a_longer_question_needs_less_coverage_but_never_less_than_the_least() -> None:
    # 12 counted words: the bar halves (0.3 -> 0.15); 6 or fewer keep it.
    wordy = ranked(("stretch", 0.6), coverage=0.2)
    assert decide(wordy, LIMITS, same_subject).status is Status.FALLBACK
    assert decide(wordy, LIMITS.for_words(6), same_subject).status is Status.FALLBACK
    assert decide(wordy, LIMITS.for_words(12), same_subject).status is Status.ANSWERED
    barely = ranked(("stretch", 0.6), coverage=0.1)
    assert decide(barely, LIMITS.for_words(40), same_subject).status is Status.FALLBACK


def test_the_classifier_settles_which_entry_not_whether_any() -> None:
    # The close call is between candidates scoring too little to be answered at all.
    below = believed(("stretch", 0.33, 0.9), ("causes", 0.32, 0.05))
    limits = Thresholds(answer=0.35, clarify=0.30, margin=0.06, coverage=0.3)
    assert decide(below, limits, same_subject).status is Status.CLARIFY


def test_the_classifier_must_prefer_its_pick_clearly_to_the_other_choices() -> None:
    # Two entries: one always has at least half the probability; 0.55 to 0.45 is no choice.
    even = believed(("stretch", 0.60, 0.55), ("causes", 0.58, 0.45))
    assert decide(even, LIMITS, same_subject).status is Status.CLARIFY
    clear = believed(("stretch", 0.60, 0.65), ("causes", 0.58, 0.35))
    assert decide(clear, LIMITS, same_subject).status is Status.ANSWERED


def test_a_sure_classifier_cannot_pick_a_candidate_explaining_too_little_of_the_question() -> None:
    # "causes" is what the classifier believes, but its words explain little of the question.
    candidates = [
        Ranked("stretch", 0.60, 0.60, 0.5, 1.0, 0.1),
        Ranked("causes", 0.58, 0.58, 0.5, 0.1, 0.85),
        Ranked("hydration", 0.56, 0.56, 0.5, 1.0, 0.05),
    ]
    decision = decide(candidates, LIMITS, same_subject)
    assert decision.status is Status.CLARIFY
    assert "causes" not in [c.entry_id for c in decision.candidates]


def test_the_classifier_does_not_settle_a_message_naming_an_off_topic_subject() -> None:
    close_call = believed(("stretch", 0.60, 0.2), ("causes", 0.58, 0.7))
    assert decide(close_call, LIMITS, same_subject).status is Status.ANSWERED
    assert decide(close_call, LIMITS, same_subject, off_topic=True).status is Status.CLARIFY
