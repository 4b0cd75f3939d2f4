"""The English dictionary read by bisection: it must answer exactly as a set of its words."""

from __future__ import annotations

import gzip
from importlib import resources

from bot.english import _dictionary, _listed, is_english_word


def _words() -> list[str]:
    packed = resources.files("bot").joinpath("data", "english-words.txt.gz").read_bytes()
    return gzip.decompress(packed).decode("ascii").removesuffix("\n").split("\n")


def test_the_word_list_is_sorted_one_word_a_line() -> None:
    # Bisection relies on it: an unsorted or blank line would hide words.
    words = _words()
    assert all(words), "a blank line"
    assert words == sorted(set(words))


def test_every_listed_word_is_found_and_its_near_neighbours_are_not() -> None:
    words = _words()
    listed = set(words)
    dictionary = _dictionary()
    for word in words[::7] + words[:50] + words[-50:]:
        assert _listed(word, dictionary), word
        for near in (word + "q", word[:-1], "a" + word, word + "zzz", word.upper()):
            assert _listed(near, dictionary) == (near in listed), near


def test_words_before_the_first_and_after_the_last_are_not_found() -> None:
    dictionary = _dictionary()
    words = _words()
    for outside in ("", "0", "A", words[0][:-1] or "!", words[-1] + "z", "\uffff"):
        assert _listed(outside, dictionary) == (outside in set(words))


def test_inflections_of_listed_words_are_english() -> None:
    assert is_english_word("start")
    assert is_english_word("started")
    assert is_english_word("rubs")
    assert is_english_word("stretching")
    assert not is_english_word("crampz")
