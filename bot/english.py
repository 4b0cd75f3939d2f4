"""Is a word ordinary English? Misspelling correction must leave real words alone.

Without this, "start" would be "corrected" to "star" and "rubs" to "ribs" simply because
the knowledge base happens to use those words.
"""

from __future__ import annotations

from functools import cache

from english_words import get_english_words_set

__all__ = ["is_english_word"]

_SUFFIXES = ("s", "es", "ed", "d", "ing", "ly", "er", "est")


@cache
def _dictionary() -> frozenset[str]:
    # GCIDE (the GNU Collaborative International Dictionary of English): 114,000 headwords,
    # loaded in ~40 ms, only the first time a question holds a word runbot does not know.
    return frozenset(get_english_words_set(["gcide"], alpha=True, lower=True))


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
