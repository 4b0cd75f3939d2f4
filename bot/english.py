"""Is a word ordinary English? Misspelling correction must leave real words alone.

Without this, "start" would be "corrected" to "star" and "rubs" to "ribs" simply because
the knowledge base happens to use those words.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources

__all__ = ["is_english_word"]

_SUFFIXES = ("s", "es", "ed", "d", "ing", "ly", "er", "est")


@cache
def _dictionary() -> str:
    # SCOWL size 70, American and British (134,000 words with their inflections; licence in
    # bot/data/english-words.LICENSE), one a line in sorted order, loaded the first time a
    # message holds a word runbot does not know (building the knowledge does: red-flag
    # examples hold such words). Kept as one string and searched by bisection: splitting it
    # into 134,000 words for a dict cost 35 ms of every `runbot ask`, for a few hundred
    # look-ups, and a string is invisible to the cycle collector.
    packed = resources.files("bot").joinpath("data", "english-words.txt.gz").read_bytes()
    return gzip.decompress(packed).decode("ascii")


def _listed(word: str, dictionary: str) -> bool:
    """True if `word` is one of the lines of `dictionary` (sorted lines, newline-separated)."""
    low, high = 0, len(dictionary)  # `low` is always the start of a line; `high` just after one
    while low < high:
        middle = (low + high) // 2
        start = dictionary.rfind("\n", low, middle) + 1 or low
        end = dictionary.find("\n", start, high)
        if end < 0:
            end = high
        line = dictionary[start:end]
        if line == word:
            return True
        if line < word:
            low = end + 1
        else:
            high = start
    return False


def is_english_word(word: str) -> bool:
    """True for dictionary words and their regular inflections ("rubs", "started")."""
    words = _dictionary()
    if _listed(word, words):
        return True
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            if _listed(stem, words) or (
                suffix in {"ed", "ing", "er", "est"} and _listed(f"{stem}e", words)
            ):
                return True
    return False
