"""Someone else's illness long ago: family history, not a sign the runner describes.

"My grandad had a DVT years ago after a long flight" and "my mum had a heart attack back
in 2015" name a red flag's words, but as history: the runner asks about their own cramps.
The red-flag screen reads such a clause without those words. Only a clause that says all
three is left out: whose it was (a relative or friend), that it happened ("had"), and when,
long ago ("years ago", "back in 2015", "in the 90s", "at 70", "after her hip operation").
"My husband had chest pain at the finish" names no such time: it is still screened.
"""

from __future__ import annotations

import re

__all__ = ["without_others_history"]

_SOMEONE_ELSE = (
    r"\b(?:my|his|her|our)\s+(?:late\s+|old\s+|older\s+|younger\s+|little\s+|big\s+)?"
    r"(?:mum|mom|mam|mother|dad|father|parents?|grand(?:ad|dad|pa|ma|mother|father|parents?)|"
    r"nan|nana|nanna|gran|granny|uncle|aunt|auntie|aunty|brother|sister|cousin|son|daughter|"
    r"wife|husband|partner|friend|mate|neighbou?r|colleague|coach)\b"
)
# What the clause may hold: no sentence end, and no turn to the runner's own story
# (", but", " and I", " so I").
_CLAUSE = r"(?:(?!\s(?:but|and\s+i|so\s+i|now\s+i|i'?m|i\s+am|i\s+have|i've)\b)[^,;:.!?()])*"
_LONG_AGO = (
    r"(?:\b(?:years?|decades?)\s+ago\b|\bback\s+in\b|\bin\s+the\s+(?:19|20)?\d0'?s\b|\bin\s+(?:19|20)\d\d\b"
    r"|\bwhen\s+(?:i|he|she|they)\s+(?:was|were)\b|\bat\s+(?:the\s+age\s+of\s+)?\d\d\b"
    r"(?!\s*(?:k|km|kms|miles?|mi|mins?|minutes?|secs?|seconds?|mph|kph|%|degrees|°|c|f)\b)"
    r"|\bafter\s+(?:his|her|their)\s+(?:hip|knee|heart|back)?\s*(?:operation|op|surgery)\b)"
)
_HISTORY = re.compile(
    _SOMEONE_ELSE + r"\s+(?:had|has\s+had|once\s+had|suffered|died\s+of)\b" + _CLAUSE,
    re.IGNORECASE,
)
_LONG_AGO_RE = re.compile(_LONG_AGO, re.IGNORECASE)


def without_others_history(text: str) -> str:
    """`text` without its clauses about someone else's illness long ago."""
    kept: list[str] = []
    position = 0
    for clause in _HISTORY.finditer(text):
        if _LONG_AGO_RE.search(clause.group(0)):
            kept.append(text[position : clause.start()])
            position = clause.end()
    if not position:
        return text
    kept.append(text[position:])
    return "".join(kept)
