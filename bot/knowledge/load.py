"""Load the knowledge directory into one validated, immutable KnowledgeBase.

Every problem is collected (not just the first) and reported as `file:line:column: message`,
so a moderator can fix a whole edit in one pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from bot.cycle_collector import collector_paused
from bot.handover import give_way
from bot.knowledge.checks import cross_file_errors
from bot.knowledge.error_wording import describe, error_path
from bot.knowledge.files import MAX_FILE_BYTES, UnreadableError, read_knowledge_file
from bot.knowledge.knowledge_base import (
    ENTRIES_DIR,
    RED_FLAGS_FILE,
    SOURCES_FILE,
    VOCABULARY_FILE,
    KnowledgeBase,
    KnowledgeFiles,
    assemble,
)
from bot.knowledge.models import EntryFile, RedFlagFile, SourceFile, VocabularyFile
from bot.knowledge.problems import KnowledgeError, Problem
from bot.knowledge.yaml_reading import Positions, load_located_yaml

__all__ = ["MAX_FILE_BYTES", "load_knowledge", "load_knowledge_files"]

ModelT = TypeVar("ModelT", bound=BaseModel)


def load_knowledge(directory: Path) -> KnowledgeBase:
    """Read and validate every knowledge file; raise KnowledgeError listing all problems."""
    return load_knowledge_files(directory)[1]


def load_knowledge_files(directory: Path) -> tuple[KnowledgeFiles, KnowledgeBase]:
    """load_knowledge, and the validated files it assembled (bot.knowledge.warm_start keeps
    them)."""
    with collector_paused():
        return _load(directory)


def _load(directory: Path) -> tuple[KnowledgeFiles, KnowledgeBase]:
    reader = _Reader(directory)
    sources = reader.read(directory / SOURCES_FILE, SourceFile)
    vocabulary = reader.read(directory / VOCABULARY_FILE, VocabularyFile)
    red_flags = reader.read(directory / RED_FLAGS_FILE, RedFlagFile)
    entry_paths = sorted((directory / ENTRIES_DIR).glob("*.yaml"))
    for ignored in sorted((directory / ENTRIES_DIR).glob("*.yml")):
        name = reader.name(ignored)
        reader.problems.append(Problem(name, 1, 1, "rename this file to end in .yaml to use it"))
    if not entry_paths:
        reader.problems.append(Problem(f"{ENTRIES_DIR}/", 1, 1, "no entries files (*.yaml) found"))
    entry_files = []
    for path in entry_paths:
        give_way()
        entry_files.append((reader.name(path), reader.read(path, EntryFile)))
    if reader.problems or sources is None or vocabulary is None or red_flags is None:
        raise KnowledgeError(reader.problems)

    read = tuple((name, file) for name, file in entry_files if file is not None)
    files = KnowledgeFiles(sources, vocabulary, red_flags, read, reader.positions)
    knowledge = assemble(directory, files)
    problems = cross_file_errors(knowledge, read)
    if problems:
        raise KnowledgeError(problems)
    return files, knowledge


class _Reader:
    """Reads knowledge files into their models, collecting every problem on the way."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.problems: list[Problem] = []
        self.positions: dict[str, Positions] = {}

    def name(self, path: Path) -> str:
        try:
            return path.relative_to(self.directory).as_posix()
        except ValueError:
            return str(path)

    def read(self, path: Path, model: type[ModelT]) -> ModelT | None:
        name = self.name(path)
        try:
            text = read_knowledge_file(path).decode("utf-8")
        except FileNotFoundError:
            self.problems.append(Problem(name, 1, 1, "file is missing"))
            return None
        except UnreadableError as error:
            self.problems.append(Problem(name, 1, 1, str(error)))
            return None
        except UnicodeDecodeError as error:
            self.problems.append(
                Problem(name, 1, 1, f"not UTF-8 text (byte {error.start}): save it as UTF-8")
            )
            return None
        except OSError as error:
            self.problems.append(Problem(name, 1, 1, f"cannot read: {error.strerror}"))
            return None
        try:
            located = load_located_yaml(text, name)
        except KnowledgeError as error:
            self.problems.extend(error.problems)
            return None
        self.positions[name] = located.positions
        if located.value is None:
            self.problems.append(Problem(name, 1, 1, "file is empty"))
            return None
        try:
            return model.model_validate(located.value)
        except ValidationError as error:
            self.problems.extend(
                located.problem(error_path(detail), describe(detail, model))
                for detail in error.errors()
            )
            return None
