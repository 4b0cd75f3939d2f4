"""Load the knowledge directory into one validated, immutable KnowledgeBase.

Every problem is collected (not just the first) and reported as `file:line:column: message`,
so a moderator can fix a whole edit in one pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
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
    EntryPlace,
    KnowledgeBase,
    Locations,
    Topic,
)
from bot.knowledge.models import Entry, EntryFile, RedFlagFile, SourceFile, VocabularyFile
from bot.knowledge.positions import Positions
from bot.knowledge.problems import KnowledgeError, Problem
from bot.knowledge.yaml_reading import load_located_yaml

__all__ = ["MAX_FILE_BYTES", "load_knowledge"]

ModelT = TypeVar("ModelT", bound=BaseModel)


def load_knowledge(directory: Path) -> KnowledgeBase:
    """Read and validate every knowledge file; raise KnowledgeError listing all problems."""
    with collector_paused():
        return _load(directory)


def _load(directory: Path) -> KnowledgeBase:
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

    read = [(name, file) for name, file in entry_files if file is not None]
    knowledge = _assemble(directory, sources, vocabulary, red_flags, read, reader.positions)
    problems = cross_file_errors(knowledge, read)
    if problems:
        raise KnowledgeError(problems)
    return knowledge


def _assemble(
    directory: Path,
    sources: SourceFile,
    vocabulary: VocabularyFile,
    red_flags: RedFlagFile,
    entry_files: list[tuple[str, EntryFile]],
    positions: Mapping[str, Positions],
) -> KnowledgeBase:
    """The files read, as one KnowledgeBase; of two entries with one id, the first is kept."""
    entries: dict[str, Entry] = {}
    places: dict[str, EntryPlace] = {}
    for name, entry_file in entry_files:
        for index, entry in enumerate(entry_file.entries):
            if entry.id not in entries:
                entries[entry.id] = entry
                places[entry.id] = EntryPlace(name, index, len(entry.questions))
    return KnowledgeBase(
        directory=directory,
        entries=MappingProxyType(entries),
        topics=tuple(
            Topic(file.topic, tuple(entry.id for entry in file.entries)) for _, file in entry_files
        ),
        sources=MappingProxyType(dict(sources.sources)),
        vocabulary=vocabulary,
        red_flags=red_flags,
        locations=Locations(
            positions,
            places,
            tuple(vocabulary.synonyms),
            tuple(sources.sources),
            len(red_flags.red_flags),
        ),
    )


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
