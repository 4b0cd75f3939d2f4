"""Finding what a message asks: the question sentences of a post, and the story around them."""

from __future__ import annotations

import pytest

from bot.focus import find_focus, sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I cramp at mile 20. What can I do?", ["I cramp at mile 20.", "What can I do?"]),
        ("I drink 1.5 litres. Is that enough?", ["I drink 1.5 litres.", "Is that enough?"]),
        ("Splits over mile 25. Cramps hit", ["Splits over mile 25.", "Cramps hit"]),
        ("help!!! stitch\nagain", ["help!!!", "stitch", "again"]),
        ("...", []),
    ],
)
def test_sentences_end_at_stops_and_line_breaks_but_not_inside_numbers(
    text: str, expected: list[str]
) -> None:
    assert sentences(text) == expected


def test_a_short_message_is_all_question() -> None:
    focus = find_focus("calf cramp. what do i do")
    assert focus.sentences == ("calf cramp. what do i do",)
    assert not focus.is_long
    assert not focus.has_story


def test_a_forum_post_asks_in_its_last_sentences_and_tells_a_story_before() -> None:
    post = (
        "After 22 miles of my fourth marathon I suffered horrible cramps in both calves. "
        "I eased down and walked most of the last four miles. "
        "What can I do to stop it happening next time?"
    )
    focus = find_focus(post)

    assert focus.is_long
    assert focus.has_story
    assert focus.question == "What can I do to stop it happening next time?"


@pytest.mark.parametrize(
    "asking",
    [
        "any tips to prevent this",
        "I'm not sure what to do about it",
        "so what causes that",
        "wondering if salt would help",
        "should I stop and stretch next time",
    ],
)
def test_questions_without_a_question_mark_still_ask(asking: str) -> None:
    focus = find_focus(f"Did my first half marathon on Sunday and my calf locked up. {asking}")
    assert focus.question == asking


def test_a_story_opening_with_did_is_not_a_question() -> None:
    focus = find_focus(
        "Did my long run today and got a stitch again after 5 km. How do I avoid it?"
    )
    assert focus.question == "How do I avoid it?"


def test_a_post_that_never_asks_outright_is_read_whole() -> None:
    post = "My calves cramp on every run over ten miles. It has been like this for a year."
    focus = find_focus(post)
    assert focus.asking == ()
    assert focus.question == post
