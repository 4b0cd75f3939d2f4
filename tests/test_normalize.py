"""Normalising what runners type: spelling fixes that leave real words alone, and phrases."""

from __future__ import annotations

import pytest

from bot.answering import Brain
from bot.reply import Status


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
