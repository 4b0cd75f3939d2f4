"""Shared fixtures: the real knowledge base, and small knowledge directories to break."""

from __future__ import annotations

import logging
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.answering import Brain
from bot.knowledge.load import load_knowledge
from bot.service import RunbotService
from bot.settings import PROJECT_ROOT
from tests.postgres import PostgresServer, missing_postgres, temporary_postgres

KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
# Loggers whose levels the `runbot` command (bot.logs) sets, process-wide.
CONFIGURED_LOGGERS = ["", "telegram", "discord", "httpcore", "aiohttp", "httpx", "watchfiles"]

SOURCES = """\
sources:
  article:
    title: "Running: How to Overcome Muscle Cramps"
    author: Anna Weber
    publisher: Linked Fitness Community
  miller-2022:
    title: Exercise-associated muscle cramps
    author: Miller KC et al.
    publisher: Journal of Athletic Training
    year: 2022
"""
VOCABULARY = """\
synonyms:
  cramp: [charley horse]
  side stitch: [stitch, stich]
filler: [how, do, i, a, the, what, is]
off_topic: [shin splints]
"""
RED_FLAGS = """\
emergency_message: Stop running and call your local emergency number.
doctor_message: See a doctor soon.
emergency_numbers:
  - {number: "112", where: EU}
red_flags:
  - id: chest-pain
    name: chest pain
    level: emergency
    patterns: [chest pain]
    cite: [miller-2022]
"""
ENTRIES = """\
topic: Easing a cramp
entries:
  - id: stretch-a-cramp
    title: Stretching out a cramp
    questions:
      - how do i stretch out a cramp
      - stretching a calf cramp
    answer: Stretch the muscle gently as soon as the cramp starts.
    source:
      ref: article
      section: How Can I Make a Cramp Go Away?
    related: [side-stitch]
  - id: side-stitch
    title: Side stitches
    questions:
      - what to do about a side stitch
      - stitch while running
    answer: Grab the painful area to ease the tension without breaking stride.
    caveat:
      text: Relief techniques are anecdotal.
      cite: [miller-2022]
    source:
      ref: article
"""


def write_knowledge(directory: Path, changes: dict[str, str] | None = None) -> Path:
    """A small valid knowledge directory; `changes` replaces files by relative path."""
    files = {
        "sources.yaml": SOURCES,
        "vocabulary.yaml": VOCABULARY,
        "red_flags.yaml": RED_FLAGS,
        "entries/easing.yaml": ENTRIES,
        **(changes or {}),
    }
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return directory


@pytest.fixture(autouse=True)
def served_record_kept_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A running runbot records what it serves (RUNBOT_SERVED_RECORD): never in the project."""
    monkeypatch.setenv("RUNBOT_SERVED_RECORD", str(tmp_path / "runbot-served.json"))


@pytest.fixture
def small_knowledge(tmp_path: Path) -> Path:
    return write_knowledge(tmp_path / "knowledge")


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A copy of the real knowledge base that a test may edit."""
    return Path(shutil.copytree(KNOWLEDGE_DIR, tmp_path / "knowledge"))


@pytest.fixture(scope="session")
def brain() -> Brain:
    return Brain(load_knowledge(KNOWLEDGE_DIR))


@pytest.fixture
def service() -> RunbotService:
    return RunbotService(KNOWLEDGE_DIR)


@pytest.fixture(autouse=True)
def logging_levels_restored() -> Iterator[None]:
    """Tests that run `main()` change logging levels for the whole process: put them back."""
    levels = {name: logging.getLogger(name).level for name in CONFIGURED_LOGGERS}
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One temporary PostgreSQL server for the whole session (tests/postgres.py)."""
    reason = missing_postgres()
    if reason is not None:
        pytest.skip(reason)
    with temporary_postgres() as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A new, empty database on the session's server, as RUNBOT_DB names it."""
    return postgres_server.new_database()
