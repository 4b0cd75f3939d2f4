"""What several test modules share, imported by name (conftest files only define fixtures).

The knowledge bases tests read, and the core's pieces built from a few lines of vocabulary,
so a table test reads the piece it tests and nothing of the real knowledge.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from bot.knowledge import RedFlagFile, VocabularyFile
from bot.matcher import MatchIndex
from bot.normalize import Normalizer
from bot.semantic import DIMENSIONS, SemanticIndex
from bot.settings import PROJECT_ROOT

# What moderators edit: tests read it only for what must hold whatever they write.
KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
# The one knowledge base tests write their expectations against.
TEST_KNOWLEDGE = Path(__file__).parent / "fixtures" / "knowledge"

# --- the test knowledge base, and copies of it to break ----------------------------------


def _fixture(name: str) -> str:
    return (TEST_KNOWLEDGE / name).read_text(encoding="utf-8")


# Its files as text, for tests that write a changed copy (`write_knowledge(dir, {...})`).
SOURCES = _fixture("sources.yaml")
VOCABULARY = _fixture("vocabulary.yaml")
RED_FLAGS = _fixture("red_flags.yaml")
ENTRIES = _fixture("entries/easing.yaml")  # stretch-a-cramp and massage-a-cramp
STITCH_ENTRIES = _fixture("entries/side-stitch.yaml")  # side-stitch, a topic of its own


def write_knowledge(directory: Path, changes: dict[str, str] | None = None) -> Path:
    """A copy of the test knowledge in `directory`; `changes` replaces files by relative path."""
    shutil.copytree(TEST_KNOWLEDGE, directory, dirs_exist_ok=True)
    for name, text in (changes or {}).items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return directory


def write_synthetic_with_article(directory: Path, entries: int) -> list[str]:
    """`entries` synthetic entries (tests/bench.py) with the article's among them in
    `directory`; the synthetic questions."""
    from tests.bench import write_synthetic  # the bench's generator, imported only here

    questions = write_synthetic(directory, entries)
    for found in (KNOWLEDGE_DIR / "entries").glob("*.yaml"):
        shutil.copy(found, directory / "entries" / f"article-{found.name}")
    return questions


def utf16_units(text: str) -> int:
    """A message's length as Telegram and Discord count it: UTF-16 code units (a character
    beyond the Basic Multilingual Plane, as most emoji, is a surrogate pair: two). Counted
    by code point, apart from the adapters' own length functions."""
    return sum(2 if ord(character) > 0xFFFF else 1 for character in text)


# --- the core's pieces, built directly ---------------------------------------------------

SMALL_VOCABULARY = VocabularyFile(
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


def normalizer(*known_text: str, vocabulary: VocabularyFile = SMALL_VOCABULARY) -> Normalizer:
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


DAY = 86_400.0


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


LOCKER = (
    "import sqlite3, sys\n"
    "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "db.execute('BEGIN EXCLUSIVE')\n"
    "print('locked', flush=True)\n"
    "sys.stdin.read()\n"
)


@contextlib.contextmanager
def locked_by_another_program(path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holds the database's write lock until the block ends."""
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert locker.stdout is not None
    assert locker.stdin is not None
    try:
        assert locker.stdout.readline().strip() == "locked"
        yield locker
    finally:
        locker.stdin.close()
        locker.wait(10)
        locker.stdout.close()
