"""What several test modules share, imported by name (conftest files only define fixtures).

The knowledge bases tests read, and the core's pieces built from a few lines of vocabulary,
so a table test reads the piece it tests and nothing of the real knowledge.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from bot.knowledge import RedFlagFile, VocabularyFile
from bot.matcher import MatchIndex
from bot.normalize import Normalizer
from bot.semantic import DIMENSIONS, SemanticIndex
from bot.settings import PROJECT_ROOT

# What moderators edit: tests read it only for what must hold whatever they write.
KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"

# --- the core's pieces, built directly ---------------------------------------------------

VOCABULARY = VocabularyFile(
    synonyms={"cramp": ["charley horse"], "side stitch": ["stitch", "side ache"]},
    filler=["how", "do", "i", "a", "the", "what", "is", "my", "to", "about", "should"],
    off_topic=["shin splints"],
)
# Two examples per entry; "cramp" is shared by two entries, "side stitch" by one.
EXAMPLES = (
    ("stretch-a-cramp", "how do i stretch out a cramp"),
    ("stretch-a-cramp", "stretching a calf cramp"),
    ("massage-a-cramp", "should i massage a cramp"),
    ("massage-a-cramp", "rubbing a cramped calf"),
    ("side-stitch", "what to do about a side stitch"),
    ("side-stitch", "stitch while running"),
    ("drink-water", "how much water should i drink"),
    ("drink-water", "drinking during a marathon"),
)


def normalizer(*known_text: str, vocabulary: VocabularyFile = VOCABULARY) -> Normalizer:
    """A Normalizer knowing `known_text` (default: the examples' words)."""
    return Normalizer(vocabulary, known_text or [text for _, text in EXAMPLES])


def match_index(neutral: Iterable[str] = ()) -> MatchIndex:
    return MatchIndex(EXAMPLES, normalizer(), neutral=frozenset(neutral))


def red_flag_file(*flags: dict[str, Any], harmless: Iterable[str] = ()) -> RedFlagFile:
    """A red_flags.yaml of `flags` (each: id, level, patterns, and optionally examples)."""
    return RedFlagFile.model_validate(
        {
            "emergency_message": "Stop running and call your local emergency number.",
            "doctor_message": "See a doctor soon.",
            "emergency_numbers": [{"number": "112", "where": "EU"}],
            "harmless": list(harmless),
            "red_flags": [{"name": flag["id"], "cite": ["miller-2022"], **flag} for flag in flags],
        }
    )


def semantic_index(vectors: list[list[float]], starts: list[int]) -> SemanticIndex:
    """Example vectors (padded with zeros to the model's width), entry i's at starts[i]:."""
    rows = np.zeros((len(vectors), DIMENSIONS), dtype=np.float32)
    for row, vector in zip(rows, vectors, strict=True):
        row[: len(vector)] = vector
    return SemanticIndex(rows, np.asarray(starts, dtype=np.int64))


NO_ANSWERS = semantic_index([], [0])
