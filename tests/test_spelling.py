"""Spelling correction read directly: the deletion index, and which words the normaliser fixes."""

from __future__ import annotations

import pytest

from bot.spelling import _SCANNED_LOOKUPS, SpellingIndex
from tests.helpers import normalizer

WORDS = SpellingIndex(["cramp", "crimp", "stretch", "stitch", "hydration", "marathon"])


@pytest.mark.parametrize(
    ("typed", "max_edits", "nearest"),
    [
        ("cramp", 0, "cramp"),  # a known word is its own nearest
        ("cramo", 1, "cramp"),  # one letter wrong
        ("crmap", 1, "cramp"),  # two letters swapped count as one edit
        ("cram", 1, "cramp"),  # one letter missing
        ("crampp", 1, "cramp"),  # one letter too many
        ("hydratoin", 1, "hydration"),
        ("hydrtoin", 1, None),  # a letter missing and a swap: two edits
        ("hydrtoin", 2, "hydration"),
        ("crump", 1, "cramp"),  # as close to "crimp": the first in alphabetical order wins
        ("cramo", 0, None),
        ("zebra", 2, None),
        ("cramo", 3, None),  # more edits than the index files words under: nothing
    ],
)
def test_the_nearest_known_word_within_the_allowed_edits(
    typed: str, max_edits: int, nearest: str | None
) -> None:
    assert WORDS.nearest(typed, max_edits) == nearest


def test_an_empty_index_knows_no_word() -> None:
    assert SpellingIndex([]).nearest("cramp", 2) is None


# The normaliser knows these words (and the vocabulary's); "star" and "ribs" are there to
# tempt it.
KNOWN = normalizer(
    "how do i stretch out a cramp",
    "star jumps before a race",
    "sore ribs after a fall",
    "stitch while running",
    "how much water to drink for hydration",
    "marathon fuelling",
)


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("cramo", "cramp"),
        ("crmap", "cramp"),
        ("strech", "stretch"),
        ("marathn", "marathon"),
        # eight letters or more: two edits allowed
        ("hydrtion", "hydration"),
        ("hydratoin", "hydration"),
        # under eight letters: one edit only
        ("strch", "strch"),
        # real English words are never "corrected" into the knowledge base's words
        ("start", "start"),
        ("rubs", "rubs"),
        ("stars", "stars"),
        # known words stay as they are
        ("star", "star"),
        ("cramp", "cramp"),
        # the first letter is rarely mistyped: a word starting otherwise is left alone
        ("xramp", "xramp"),
        # too short to correct safely, or not a word
        ("cap", "cap"),
        ("cr4mp", "cr4mp"),
        ("c" + "ramp" * 8, "c" + "ramp" * 8),
        # never into a filler word: the word would vanish from the question
        ("wjat", "wjat"),
    ],
)
def test_misspellings_are_fixed_and_real_words_left_alone(typed: str, read_as: str) -> None:
    assert KNOWN.correct(typed) == read_as


def test_a_tie_between_two_known_words_goes_to_the_first_in_order() -> None:
    # "strtch" is one edit from "stitch" and from "stretch".
    assert KNOWN.correct("strtch") == "stitch"


def test_a_misspelling_inside_a_phrase_still_makes_the_phrase() -> None:
    assert KNOWN.normalize("a charley hrose in my calf").tokens == ("cramp", "in", "calf")


def test_corrected_text_is_what_the_sentence_vectors_read() -> None:
    assert KNOWN.corrected("Crmap after my MARATHN!") == "cramp after my marathon"


def test_a_lazy_index_measures_every_word_at_first_then_files_them_and_finds_the_same() -> None:
    known = ["cramp", "crimp", "stretch", "stitch", "hydration", "marathon"]
    lazy = SpellingIndex(known, lazy=True)
    typos = [
        (typed, edits)
        for typed in ("cramo", "crump", "hydrtoin", "zebra", "cramp", "crmap")
        for edits in (0, 1, 2)
    ]
    assert len(typos) > _SCANNED_LOOKUPS
    for typed, edits in typos[:_SCANNED_LOOKUPS]:
        assert lazy.nearest(typed, edits) == WORDS.nearest(typed, edits)
    assert lazy._hashes is None  # nothing filed yet: `runbot ask` seldom needs it
    for typed, edits in typos[_SCANNED_LOOKUPS:]:
        assert lazy.nearest(typed, edits) == WORDS.nearest(typed, edits)
    assert lazy._hashes is not None
