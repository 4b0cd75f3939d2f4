"""Load the knowledge directory into one validated, immutable KnowledgeBase.

Every problem is collected (not just the first) and reported as `file:line:column: message`,
so a moderator can fix a whole edit in one pass.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from rapidfuzz import process

from bot.knowledge import (
    Entry,
    EntryFile,
    RedFlagFile,
    Source,
    SourceFile,
    VocabularyFile,
)
from bot.normalize import phrase_key
from bot.problems import KnowledgeError, Problem
from bot.yaml_positions import Located, Positions, collector_paused, load_located_yaml

__all__ = ["MAX_FILE_BYTES", "KnowledgeBase", "Topic", "load_knowledge"]

SOURCES_FILE = "sources.yaml"
VOCABULARY_FILE = "vocabulary.yaml"
RED_FLAGS_FILE = "red_flags.yaml"
ENTRIES_DIR = "entries"
# A topic file of long answers is well under 1 MB; anything this big is not knowledge.
MAX_FILE_BYTES = 5 * 1024 * 1024
_NOT_REGULAR = "not a regular file (a pipe, device or folder): runbot reads only ordinary files"

ModelT = TypeVar("ModelT", bound=BaseModel)
Where = tuple[str, int, int]


@dataclass(frozen=True, slots=True)
class Topic:
    """A group of entries, as moderators arranged them (one entries file each)."""

    name: str
    entry_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """Everything runbot knows, validated; never mutated (a reload builds a new one)."""

    directory: Path
    entries: Mapping[str, Entry]
    topics: tuple[Topic, ...]
    sources: Mapping[str, Source]
    vocabulary: VocabularyFile
    red_flags: RedFlagFile
    # Where things were written, for warnings that point moderators at a line.
    locations: Mapping[tuple[str, ...], Where]

    def where(self, *key: str) -> Where:
        return self.locations.get(key, (ENTRIES_DIR, 1, 1))


def load_knowledge(directory: Path) -> KnowledgeBase:
    """Read and validate every knowledge file; raise KnowledgeError listing all problems."""
    with collector_paused():
        return _load(directory)


def _load(directory: Path) -> KnowledgeBase:
    loader = _Loader(directory)
    sources = loader.load(directory / SOURCES_FILE, SourceFile)
    vocabulary = loader.load(directory / VOCABULARY_FILE, VocabularyFile)
    red_flags = loader.load(directory / RED_FLAGS_FILE, RedFlagFile)
    entry_paths = sorted((directory / ENTRIES_DIR).glob("*.yaml"))
    for ignored in sorted((directory / ENTRIES_DIR).glob("*.yml")):
        name = loader.name(ignored)
        loader.problems.append(Problem(name, 1, 1, "rename this file to end in .yaml to use it"))
    if not entry_paths:
        loader.problems.append(Problem(f"{ENTRIES_DIR}/", 1, 1, "no entries files (*.yaml) found"))
    entry_files = [(path, loader.load(path, EntryFile)) for path in entry_paths]
    if loader.problems or sources is None or vocabulary is None or red_flags is None:
        raise KnowledgeError(loader.problems)

    checker = _CrossChecker(loader, sources, vocabulary, red_flags, entry_files)
    knowledge = checker.build()
    if loader.problems:
        raise KnowledgeError(loader.problems)
    return knowledge


class _Loader:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.problems: list[Problem] = []
        self.located: dict[str, Located] = {}

    def name(self, path: Path) -> str:
        try:
            return path.relative_to(self.directory).as_posix()
        except ValueError:
            return str(path)

    def load(self, path: Path, model: type[ModelT]) -> ModelT | None:
        name = self.name(path)
        try:
            text = _read_text(path)
        except FileNotFoundError:
            self.problems.append(Problem(name, 1, 1, "file is missing"))
            return None
        except _UnreadableError as error:
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
        self.located[name] = located
        if located.value is None:
            self.problems.append(Problem(name, 1, 1, "file is empty"))
            return None
        try:
            return model.model_validate(located.value)
        except ValidationError as error:
            self.problems.extend(
                located.problem(_path(detail), _describe(detail, model))
                for detail in error.errors()
            )
            return None


class _UnreadableError(Exception):
    """A knowledge file that must not be read: not a regular file, or far too big."""


def _read_text(path: Path) -> str:
    """A regular file's text, read without ever blocking: a pipe or a device (which could
    block a reload forever, or never end) is refused before it is read, as is a huge file."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise _UnreadableError(_NOT_REGULAR)
    # O_NONBLOCK: should the path become a pipe after that check, opening it cannot block.
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    with open(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise _UnreadableError(_NOT_REGULAR)
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        size = max(len(data), os.stat(path).st_size) / 1024 / 1024
        limit = MAX_FILE_BYTES // 1024 // 1024
        raise _UnreadableError(
            f"the file is {size:.1f} MB; the limit is {limit} MB: split it into several "
            "entries files"
        )
    return data.decode("utf-8")


def _path(detail: ErrorDetails) -> tuple[str | int, ...]:
    # pydantic appends "[key]" to the location when a dict key itself is invalid.
    return tuple(part for part in detail["loc"] if part != "[key]")


def _field_names(model: type[BaseModel]) -> set[str]:
    names: set[str] = set()
    for field in model.model_fields.values():
        names.update(_nested_names(field.annotation))
    return names | set(model.model_fields)


def _nested_names(annotation: Any) -> set[str]:
    names: set[str] = set()
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _field_names(annotation)
    for argument in getattr(annotation, "__args__", ()):
        names |= _nested_names(argument)
    return names


def _describe(detail: ErrorDetails, model: type[BaseModel]) -> str:
    """Say what is wrong in words a moderator understands."""
    kind = detail["type"]
    loc = _path(detail)
    field = _name(loc)
    context = detail.get("ctx") or {}
    value = detail.get("input")
    if kind == "extra_forbidden":
        guess = process.extractOne(str(loc[-1]), sorted(_field_names(model)), score_cutoff=70)
        hint = f": did you mean '{guess[0]}'?" if guess else ""
        return f"unknown field {field}{hint}"
    if kind == "missing":
        return f"missing field {field}"
    if kind == "model_type" and not loc:
        fields = ", ".join(f"'{name}:'" for name in model.model_fields)
        return f"the file must be a set of fields ({fields})"
    if kind == "model_type":
        return f"{field} must be a set of fields, not a single value"
    if kind == "string_too_long" and isinstance(value, str):
        limit = context.get("max_length")
        return (
            f"{field} is {len(value)} characters long; the limit is {limit} "
            "so that a whole reply fits in one chat message"
        )
    if kind in {"too_short", "string_too_short"}:
        if isinstance(value, list | dict) and not value:
            return f"{field} is empty: add at least {context.get('min_length', 1)}"
        return f"{field} is empty"
    if kind == "string_pattern_mismatch":
        if loc[-1] == "url":
            return f"'{value}' is not a web address: it must start with http:// or https://"
        if loc[-1] == "number":
            return f"'{value}' is not a phone number: use digits, like 112"
        return (
            f"'{value}' is not a valid id: use lower-case words and digits joined by "
            "hyphens, like side-stitch"
        )
    if kind == "string_type":
        if isinstance(value, dict) and len(value) == 1:
            # `- note: this` is a one-field mapping to YAML: the colon and space made it one.
            key, said = next(iter(value.items()))
            return (
                f"{field} must be text, but its colon followed by a space makes it a "
                f"'field: value' pair: put it in quotes, like \"{key}: {said}\""
            )
        quote = " (put it in quotes)" if isinstance(value, bool | int | float) else ""
        return f"{field} must be text{quote}"
    if kind in {"list_type", "dict_type"}:
        expected = "a list (lines starting with '- ')" if kind == "list_type" else "a set of fields"
        return f"{field} must be {expected}"
    return f"{field}: {detail['msg']}" if loc else detail["msg"]


def _name(loc: tuple[str | int, ...]) -> str:
    """How a moderator would name the place: 'answer', or item 3 of 'questions'."""
    if not loc:
        return "the file"
    if isinstance(loc[-1], int):
        parent = next((part for part in reversed(loc) if isinstance(part, str)), "the list")
        return f"item {loc[-1] + 1} of '{parent}'"
    return f"'{loc[-1]}'"


class _CrossChecker:
    """Checks that span files: ids unique, every reference resolvable."""

    def __init__(
        self,
        loader: _Loader,
        sources: SourceFile,
        vocabulary: VocabularyFile,
        red_flags: RedFlagFile,
        entry_files: list[tuple[Path, EntryFile | None]],
    ) -> None:
        self.loader = loader
        self.sources = sources
        self.vocabulary = vocabulary
        self.red_flags = red_flags
        self.entry_files = [(path, file) for path, file in entry_files if file is not None]
        # Where each entry is written: its file, its index there, its number of questions.
        self.entry_places: dict[str, tuple[str, int, int]] = {}

    def at(self, file: str, path: tuple[str | int, ...]) -> Where:
        line, column = self.loader.located[file].position(path)
        return (file, line, column)

    def entry_at(self, entry_id: str, *path: str | int) -> Where:
        file, index, _ = self.entry_places[entry_id]
        return self.at(file, ("entries", index, *path))

    def error(self, where: Where, message: str) -> None:
        self.loader.problems.append(Problem(where[0], where[1], where[2], message))

    def build(self) -> KnowledgeBase:
        entries: dict[str, Entry] = {}
        topics: list[Topic] = []
        places = self.entry_places
        for path, entry_file in self.entry_files:
            name = self.loader.name(path)
            topics.append(Topic(entry_file.topic, tuple(entry.id for entry in entry_file.entries)))
            for index, entry in enumerate(entry_file.entries):
                if entry.id in entries:
                    first = self.entry_at(entry.id, "id")
                    self.error(
                        self.at(name, ("entries", index, "id")),
                        f"duplicate id '{entry.id}' (first used at {first[0]}:{first[1]})",
                    )
                    continue
                entries[entry.id] = entry
                places[entry.id] = (name, index, len(entry.questions))
        self._check_entry_references(entries)
        self._check_duplicate_questions(entries)
        self._check_red_flags()
        self._check_vocabulary()
        files = {
            name: self.loader.located[name].positions
            for name in {
                SOURCES_FILE,
                VOCABULARY_FILE,
                RED_FLAGS_FILE,
                *(place[0] for place in places.values()),
            }
        }
        return KnowledgeBase(
            directory=self.loader.directory,
            entries=MappingProxyType(entries),
            topics=tuple(topics),
            sources=MappingProxyType(dict(self.sources.sources)),
            vocabulary=self.vocabulary,
            red_flags=self.red_flags,
            locations=_Locations(
                files,
                places,
                tuple(self.vocabulary.synonyms),
                tuple(self.sources.sources),
                len(self.red_flags.red_flags),
            ),
        )

    def _check_source_ids(self, ids: Iterable[str], where: Callable[[], Where]) -> None:
        for source_id in ids:
            if source_id not in self.sources.sources:
                self.error(where(), f"unknown source '{source_id}': declare it in {SOURCES_FILE}")

    def _check_entry_references(self, entries: Mapping[str, Entry]) -> None:
        for entry in entries.values():
            entry_id = entry.id
            self._check_source_ids([entry.source.ref], partial(self.entry_at, entry_id, "source"))
            if entry.caveat:
                self._check_source_ids(
                    entry.caveat.cite, partial(self.entry_at, entry_id, "caveat", "cite")
                )
            for related in entry.related:
                if related == entry_id:
                    self.error(
                        self.entry_at(entry_id, "related"), f"'{entry_id}' lists itself as related"
                    )
                elif related not in entries:
                    guess = process.extractOne(related, list(entries), score_cutoff=70)
                    hint = f": did you mean '{guess[0]}'?" if guess else ""
                    self.error(
                        self.entry_at(entry_id, "related"),
                        f"related entry '{related}' does not exist{hint}",
                    )

    def _check_duplicate_questions(self, entries: Mapping[str, Entry]) -> None:
        """A question may lead to one entry only. Both places are reported, each naming the
        other: which of the two is the new one, only the moderator knows."""
        owner: dict[str, tuple[str, int]] = {}
        first_owner = owner.setdefault
        for entry_id, entry in entries.items():
            keys = [" ".join(question.casefold().split()) for question in entry.questions]
            for number, key in enumerate(keys):
                first_id, first_number = first_owner(key, (entry_id, number))
                if first_id == entry_id:  # repeated within one entry: a warning (bot.lint)
                    continue
                here = self.entry_at(entry_id, "questions", number)
                there = self.entry_at(first_id, "questions", first_number)
                question = entry.questions[number]
                self.error(
                    here,
                    f"question '{question}' is also an example of '{first_id}' "
                    f"({there[0]}:{there[1]})",
                )
                self.error(
                    there,
                    f"question '{entries[first_id].questions[first_number]}' is also an "
                    f"example of '{entry_id}' ({here[0]}:{here[1]})",
                )

    def _check_red_flags(self) -> None:
        seen: set[str] = set()
        for index, flag in enumerate(self.red_flags.red_flags):
            if flag.id in seen:
                where = self.at(RED_FLAGS_FILE, ("red_flags", index, "id"))
                self.error(where, f"duplicate red flag id '{flag.id}'")
            seen.add(flag.id)
            self._check_source_ids(
                flag.cite, partial(self.at, RED_FLAGS_FILE, ("red_flags", index, "cite"))
            )
            for number, pattern in enumerate(flag.patterns):
                if not phrase_key(pattern):
                    where = self.at(RED_FLAGS_FILE, ("red_flags", index, "patterns", number))
                    self.error(where, f"pattern '{pattern}' has no words, so it can never match")

    def _check_vocabulary(self) -> None:
        # Variants are compared as runbot reads them (stemmed): "spasm" and "spasms" are one.
        meaning: dict[tuple[str, ...], str] = {}
        for word in self.vocabulary.synonyms:
            meaning[phrase_key(word)] = word
        for word, variants in self.vocabulary.synonyms.items():
            if not phrase_key(word):
                where = self.at(VOCABULARY_FILE, ("synonyms", word))
                self.error(where, f"'{word}' has no letters or digits, so it can never match")
            for index, variant in enumerate(variants):
                key = phrase_key(variant)
                where = self.at(VOCABULARY_FILE, ("synonyms", word, index))
                if not key:
                    self.error(
                        where, f"'{variant}' has no letters or digits, so it can never match"
                    )
                    continue
                first = meaning.setdefault(key, word)
                if first != word:
                    self.error(where, f"'{variant}' is listed under both '{first}' and '{word}'")
        for field in ("filler", "off_topic"):
            for index, phrase in enumerate(getattr(self.vocabulary, field)):
                if not phrase_key(phrase):
                    where = self.at(VOCABULARY_FILE, (field, index))
                    self.error(where, f"'{phrase}' has no letters or digits, so it can never match")


class _Locations(Mapping[tuple[str, ...], Where]):
    """Where entries, their questions, synonyms and sources are written, by key.

    The keys: ("entry", id), ("entry", id, "source" | "related" | "caveat"),
    ("question", id, "0"...), ("synonym", word), ("source", id). Read-only; a position is
    looked up (and its file's table of positions built) only when asked for.
    """

    __slots__ = ("_entries", "_files", "_red_flags", "_sources", "_synonyms")

    _ENTRY_FIELDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
        {"source": ("source",), "related": ("related",), "caveat": ("caveat", "cite")}
    )

    def __init__(
        self,
        files: Mapping[str, Positions],
        entries: Mapping[str, tuple[str, int, int]],
        synonyms: tuple[str, ...],
        sources: tuple[str, ...],
        red_flags: int = 0,
    ) -> None:
        self._files = MappingProxyType(dict(files))
        self._red_flags = red_flags
        self._entries = MappingProxyType(dict(entries))
        # Ordered sets: looked up by word or id, and listed in file order.
        self._synonyms = MappingProxyType(dict.fromkeys(synonyms))
        self._sources = MappingProxyType(dict.fromkeys(sources))

    def _find(self, key: tuple[str, ...]) -> tuple[str, tuple[str | int, ...]] | None:
        """The file and YAML path `key` stands for, if it is one of the keys."""
        if len(key) == 2:
            kind, name = key
            if kind == "entry" and name in self._entries:
                file, index, _ = self._entries[name]
                return file, ("entries", index, "id")
            if kind == "synonym" and name in self._synonyms:
                return VOCABULARY_FILE, ("synonyms", name)
            if kind == "source" and name in self._sources:
                return SOURCES_FILE, ("sources", name)
            if kind == "red_flag" and name.isdecimal() and int(name) < self._red_flags:
                return RED_FLAGS_FILE, ("red_flags", int(name), "id")
        elif len(key) == 3:
            kind, entry_id, part = key
            place = self._entries.get(entry_id) if isinstance(entry_id, str) else None
            if place is None:
                return None
            file, index, questions = place
            if kind == "entry" and part in self._ENTRY_FIELDS:
                return file, ("entries", index, *self._ENTRY_FIELDS[part])
            if kind == "question" and isinstance(part, str) and part.isdecimal():
                number = int(part)
                if str(number) == part and number < questions:
                    return file, ("entries", index, "questions", number)
        return None

    def __getitem__(self, key: tuple[str, ...]) -> Where:
        found = self._find(key) if isinstance(key, tuple) else None
        if found is None:
            raise KeyError(key)
        file, path = found
        line, column = self._files[file].position(path)
        return (file, line, column)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and self._find(key) is not None

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        for entry_id, (_, _, questions) in self._entries.items():
            yield ("entry", entry_id)
            for part in self._ENTRY_FIELDS:
                yield ("entry", entry_id, part)
            for number in range(questions):
                yield ("question", entry_id, str(number))
        for word in self._synonyms:
            yield ("synonym", word)
        for source_id in self._sources:
            yield ("source", source_id)
        for number in range(self._red_flags):
            yield ("red_flag", str(number))

    def __len__(self) -> int:
        questions = sum(place[2] for place in self._entries.values())
        named = len(self._synonyms) + len(self._sources) + self._red_flags
        return 4 * len(self._entries) + questions + named
