"""The lexical signal read directly: MatchIndex over a handful of examples."""

from __future__ import annotations

import math

import pytest

from bot.matcher import MatchIndex
from tests.helpers import EXAMPLES, match_index, normalizer

INDEX = match_index()
READ = normalizer()


def ranked_ids(question: str) -> list[str]:
    return [candidate.entry_id for candidate in INDEX.rank(READ.normalize(question))]


@pytest.mark.parametrize(
    ("question", "entries"),
    [
        ("stretching my calf cramp", ["stretch-a-cramp", "massage-a-cramp"]),
        ("massage a cramp", ["massage-a-cramp", "stretch-a-cramp"]),
        # synonyms meet their entry: "side ache" and "stitch" are "side stitch"
        ("side ache", ["side-stitch"]),
        ("stitch while running", ["side-stitch"]),
        ("water in a marathon", ["drink-water"]),
        # nothing shared with any example: no candidate at all
        ("best trail shoes", []),
        ("how do i", []),
    ],
)
def test_entries_sharing_words_with_the_question_best_first(
    question: str, entries: list[str]
) -> None:
    assert ranked_ids(question) == entries


def test_each_candidate_brings_its_closest_example() -> None:
    best = INDEX.rank(READ.normalize("massage a cramp"))[0]
    assert best.example == "should i massage a cramp"
    assert best.coverage == pytest.approx(1.0)


def test_a_question_word_for_word_an_example_scores_one() -> None:
    [best] = INDEX.rank(READ.normalize("stitch while running"))
    assert best.score == pytest.approx(1.0)


def test_rank_returns_at_most_the_limit() -> None:
    assert len(INDEX.rank(READ.normalize("cramp"), limit=1)) == 1


def test_a_rare_word_weighs_more_than_a_shared_one_and_unknown_words_most() -> None:
    entries = len({entry for entry, _ in EXAMPLES})  # 4
    most = math.log((entries + 1) / 0.5)
    # "cramp" is in two of four entries: its idf, log(5 / 2.5), is under the 1.2 floor.
    assert INDEX.weight("cramp") == pytest.approx(1.2)
    assert INDEX.weight("side_stitch") == pytest.approx(math.log((entries + 1) / 1.5))
    assert INDEX.weight("zebra") == pytest.approx(most)
    # A subject runbot has no advice on counts twice as much as an unknown word.
    assert INDEX.weight("shin_splint", frozenset({"shin_splint"})) == pytest.approx(2 * most)


def test_a_question_mostly_about_something_else_is_covered_less() -> None:
    def coverage(question: str) -> float:
        [best] = INDEX.rank(READ.normalize(question))
        assert best.entry_id == "side-stitch"
        return best.coverage

    covered = coverage("stitch while running")
    unknown_word = coverage("zebras while running")
    off_topic = coverage("shin splints while running")
    assert covered > unknown_word > off_topic


@pytest.mark.parametrize("amount", ["30", "25k", "500ml", "2h", "1.5", "30mins", "10miles"])
def test_a_distance_or_time_in_the_story_is_not_held_against_a_match(amount: str) -> None:
    [plain] = INDEX.rank(READ.normalize("stitch while running"))
    [with_amount] = INDEX.rank(READ.normalize(f"stitch while running {amount}"))
    assert with_amount.coverage == pytest.approx(plain.coverage)
    assert with_amount.score == pytest.approx(plain.score, abs=0.05)


def test_neutral_words_count_neither_for_nor_against() -> None:
    neutral = match_index(neutral=["nausea"])
    plain, with_neutral = (
        neutral.rank(READ.normalize(text)) for text in ["a side stitch", "nausea, a side stitch"]
    )
    assert with_neutral == plain
    # Without the neutral word, the same word counts against the match.
    [unknown] = INDEX.rank(READ.normalize("nausea, a side stitch"))
    assert unknown.score < plain[0].score


def test_a_neutral_word_the_examples_use_keeps_its_meaning() -> None:
    neutral = match_index(neutral=["water"])
    assert [c.entry_id for c in neutral.rank(READ.normalize("water"))] == ["drink-water"]


def test_an_index_without_examples_ranks_nothing() -> None:
    assert MatchIndex([], READ).rank(READ.normalize("cramp")) == []
    assert len(MatchIndex([], READ)) == 0


def test_examples_of_only_filler_are_left_out() -> None:
    index = MatchIndex([("stretch", "how do i"), ("stretch", "stretch a cramp")], READ)
    assert index.example_text == ("stretch a cramp",)
