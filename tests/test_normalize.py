"""Normalising what runners type: spelling fixes that leave real words alone, and phrases."""

from __future__ import annotations

import pytest

from bot.answering import Brain
from bot.knowledge import VocabularyFile
from bot.normalize import words
from bot.reply import Status
from tests.helpers import normalizer


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("stretchng", "stretching"),
        ("hydratoin", "hydration"),
        ("marathn", "marathon"),
        # real English words are never "corrected" into the knowledge base's words
        ("start", "start"),
        ("rubs", "rubs"),
        ("feint", "feint"),
        # too short to correct safely
        ("cap", "cap"),
    ],
)
def test_misspellings_are_corrected_but_real_words_are_left_alone(
    brain: Brain, typed: str, read_as: str
) -> None:
    assert brain.normalizer.correct(typed) == read_as


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("charley horse in my calf", "cramp"),
        ("my hammy seized up", "hamstr"),
        ("side ache on every run", "stitch"),
        ("i took some lytes", "electrolyt"),
    ],
)
def test_slang_and_phrases_become_the_knowledge_bases_words(
    brain: Brain, text: str, token: str
) -> None:
    assert token in brain.normalizer.normalize(text).tokens


def test_filler_goes_but_the_red_flag_screen_still_sees_it(brain: Brain) -> None:
    normalized = brain.normalizer.normalize("hey guys i passed out")
    assert "guy" not in normalized.tokens
    assert "hey" not in normalized.tokens
    assert len(normalized.every_token) > len(normalized.tokens)


def test_off_topic_subjects_are_marked(brain: Brain) -> None:
    assert brain.normalizer.normalize("shin splints after my run").off_topic
    assert not brain.normalizer.normalize("calf cramp after my run").off_topic


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("my hammy keeps locking up", "my hamstring keeps cramp"),
        ("charley horse in my calf", "cramp in my calf"),
        ("side ache on every run", "stitch on every run"),
        ("stretchng after my run", "stretching after my run"),
        # a subject runbot has no advice on stays as typed
        ("shin splints after my run", "shin splints after my run"),
    ],
)
def test_the_sentence_model_reads_slang_in_plain_words(
    brain: Brain, typed: str, plain: str
) -> None:
    assert brain.normalizer.plain(typed) == plain


def test_slang_the_vocabulary_knows_reaches_the_meaning_signal(brain: Brain) -> None:
    slang = "hammy keeps locking up around 30k, what can I do"
    best = brain.ranker.rank(slang)[0]
    assert best.semantic > 0
    assert brain.decide(slang).status is not Status.FALLBACK


# --- the Normalizer read directly, with a vocabulary of a few lines ----------------------

PLAIN = normalizer()


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        # a synonym's variants become its one token, several words or one
        ("charley horse in my calf", ("cramp", "in", "calf")),
        ("side ache on a run", ("side_stitch", "on", "run")),
        ("stitch on a run", ("side_stitch", "on", "run")),
        # the longest phrase wins: "side stitch" is one token, not "side" and a stitch
        ("a side stitch", ("side_stitch",)),
        # a phrase's words apart are no phrase
        ("my side has a stitch", ("side", "has", "side_stitch")),
        ("charley, the horse", ("charley", "hors")),
        # stemmed, so inflections meet: "stretching" is "stretch"
        ("stretching cramps", ("stretch", "cramp")),
        # filler goes
        ("how do i stop it", ("stop", "it")),
    ],
)
def test_phrases_and_filler(text: str, tokens: tuple[str, ...]) -> None:
    assert PLAIN.normalize(text).tokens == tokens


def test_filler_is_kept_for_the_red_flag_screen_and_stems_before_phrases() -> None:
    normalized = PLAIN.normalize("what is a charley horse")
    assert normalized.tokens == ("cramp",)
    assert normalized.every_token == ("what", "is", "a", "cramp")
    assert normalized.stems == ("what", "is", "a", "charley", "hors")


@pytest.mark.parametrize(
    ("text", "off_topic"),
    [
        ("shin splints after my run", {"shin_splint"}),
        ("my shin splint is back", {"shin_splint"}),
        ("my shin hurts", set()),
        ("a side stitch", set()),
    ],
)
def test_off_topic_phrases_are_marked(text: str, off_topic: set[str]) -> None:
    assert PLAIN.normalize(text).off_topic == off_topic


def test_an_off_topic_phrase_that_is_also_a_synonym_keeps_the_synonym() -> None:
    vocabulary = VocabularyFile(synonyms={"side stitch": ["side ache"]}, off_topic=["side ache"])
    normalized = normalizer("side stitch", vocabulary=vocabulary).normalize("a side ache")
    assert normalized.tokens == ("a", "side_stitch")
    assert normalized.off_topic == frozenset()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Calf CRAMP!!", ["calf", "cramp"]),
        ("don't stop", ["dont", "stop"]),  # apostrophes join, straight or curly
        ("don\u2019t stop", ["dont", "stop"]),
        ("ch\u200best pain", ["chest", "pain"]),  # a zero-width space joins too
        ("cramp\u00a0\U0001f3c3\u200d\u2640\ufe0f again", ["cramp", "again"]),  # emoji go
        ("\ufb01nal mile", ["final", "mile"]),  # NFKC: the "fi" ligature is two letters
        ("Stra\u00dfe", ["strasse"]),  # casefold, not lower
        ("1.5 litres", ["1", "5", "litres"]),
        ("under_score", ["under", "score"]),
    ],
)
def test_words_of_a_message(text: str, found: list[str]) -> None:
    assert words(text) == found


def test_a_message_normalised_again_is_the_same_and_not_computed_again(brain: Brain) -> None:
    normalizer = brain.normalizer
    message = "my hammy locked up at mile 20 and i cant stretch it out"
    first = normalizer.normalize(message)
    assert normalizer.normalize(message) is first
    for number in range(100):  # only the latest few are kept
        normalizer.normalize(f"another runner's message number {number}")
    again = normalizer.normalize(message)
    assert again == first
    assert again is not first


@pytest.mark.parametrize(
    ("text", "reads_why"),
    [("y do i keep cramping at km 30", True), ("45 y/o runner, calf cramps on long runs", False)],
)
def test_y_is_why_only_where_it_asks(brain: Brain, text: str, reads_why: bool) -> None:
    why = brain.normalizer.normalize("why").every_token[0]
    assert (why in brain.normalizer.normalize(text).every_token) is reads_why
