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
def _dictionary() -> dict[str, None]:
    # SCOWL size 70, American and British (134,000 words with their inflections; licence in
    # bot/data/english-words.LICENSE), loaded in ~35 ms, only the first time a question
    # holds a word runbot does not know.
    packed = resources.files("bot").joinpath("data", "english-words.txt.gz").read_bytes()
    # A dict, not a frozenset: a dict of strings is invisible to the cycle collector, which
    # would otherwise walk 134,000 words in every full collection.
    return dict.fromkeys(gzip.decompress(packed).decode("ascii").split())


def is_english_word(word: str) -> bool:
    """True for dictionary words and their regular inflections ("rubs", "started")."""
    words = _dictionary()
    if word in words:
        return True
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            if stem in words or (suffix in {"ed", "ing", "er", "est"} and f"{stem}e" in words):
                return True
    return False
