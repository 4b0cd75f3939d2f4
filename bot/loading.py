"""Load the knowledge directory into one validated, immutable KnowledgeBase.

Every problem is collected (not just the first) and reported as `file:line:column: message`,
so a moderator can fix a whole edit in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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
from bot.problems import KnowledgeError, Problem
from bot.yaml_positions import Located, load_located_yaml

__all__ = ["KnowledgeBase", "Topic", "load_knowledge"]

SOURCES_FILE = "sources.yaml"
VOCABULARY_FILE = "vocabulary.yaml"
RED_FLAGS_FILE = "red_flags.yaml"
ENTRIES_DIR = "entries"

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
    loader = _Loader(directory)
    sources = loader.load(directory / SOURCES_FILE, SourceFile)
    vocabulary = loader.load(directory / VOCABULARY_FILE, VocabularyFile)
    red_flags = loader.load(directory / RED_FLAGS_FILE, RedFlagFile)
    entry_paths = sorted((directory / ENTRIES_DIR).glob("*.yaml"))
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
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.problems.append(Problem(name, 1, 1, "file is missing"))
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
    field = str(loc[-1]) if loc else ""
    context = detail.get("ctx") or {}
    value = detail.get("input")
    if kind == "extra_forbidden":
        guess = process.extractOne(field, sorted(_field_names(model)), score_cutoff=70)
        hint = f": did you mean '{guess[0]}'?" if guess else ""
        return f"unknown field '{field}'{hint}"
    if kind == "missing":
        return f"missing field '{field}'"
    if kind == "model_type" and not loc:
        fields = ", ".join(f"'{name}:'" for name in model.model_fields)
        return f"the file must be a set of fields ({fields})"
    if kind == "model_type":
        return f"'{field}' must be a set of fields, not a single value"
    if kind in {"string_too_long", "too_long"} and isinstance(value, str | list):
        limit = context.get("max_length")
        return (
            f"'{field}' is {len(value)} characters long; the limit is {limit} "
            "so that a whole reply fits in one chat message"
        )
    if kind in {"too_short", "string_too_short"}:
        if isinstance(value, list | dict) and not value:
            return f"'{field}' is empty: add at least {context.get('min_length', 1)}"
        return f"'{field}' is empty"
    if kind == "string_pattern_mismatch" and (
        field in {"id", "ref", "related", "cite"} or isinstance(loc[-1], int) or len(loc) == 2
    ):
        return (
            f"'{value}' is not a valid id: use lower-case words and digits joined by "
            "hyphens, like side-stitch"
        )
    if kind == "string_type":
        return f"'{field}' must be text"
    if kind in {"list_type", "dict_type"}:
        expected = "a list (lines starting with '- ')" if kind == "list_type" else "a set of fields"
        return f"'{field}' must be {expected}"
    return f"'{field}': {detail['msg']}" if field else detail["msg"]


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
        self.locations: dict[tuple[str, ...], Where] = {}

    def at(self, file: str, path: tuple[str | int, ...]) -> Where:
        line, column = self.loader.located[file].position(path)
        return (file, line, column)

    def error(self, where: Where, message: str) -> None:
        self.loader.problems.append(Problem(where[0], where[1], where[2], message))

    def build(self) -> KnowledgeBase:
        entries: dict[str, Entry] = {}
        topics: list[Topic] = []
        for path, entry_file in self.entry_files:
            name = self.loader.name(path)
            topics.append(Topic(entry_file.topic, tuple(entry.id for entry in entry_file.entries)))
            for index, entry in enumerate(entry_file.entries):
                where = self.at(name, ("entries", index, "id"))
                if entry.id in entries:
                    first = self.locations[("entry", entry.id)]
                    self.error(
                        where, f"duplicate id '{entry.id}' (first used at {first[0]}:{first[1]})"
                    )
                    continue
                entries[entry.id] = entry
                self.locations[("entry", entry.id)] = where
                for field in ("source", "related"):
                    self.locations[("entry", entry.id, field)] = self.at(
                        name, ("entries", index, field)
                    )
                self.locations[("entry", entry.id, "caveat")] = self.at(
                    name, ("entries", index, "caveat", "cite")
                )
                for number in range(len(entry.questions)):
                    self.locations[("question", entry.id, str(number))] = self.at(
                        name, ("entries", index, "questions", number)
                    )
        self._check_entry_references(entries)
        self._check_duplicate_questions(entries)
        self._check_red_flags()
        self._check_vocabulary()
        self._record_sources()
        return KnowledgeBase(
            directory=self.loader.directory,
            entries=MappingProxyType(entries),
            topics=tuple(topics),
            sources=MappingProxyType(dict(self.sources.sources)),
            vocabulary=self.vocabulary,
            red_flags=self.red_flags,
            locations=MappingProxyType(self.locations),
        )

    def _check_source_ids(self, ids: Iterable[str], where: Where) -> None:
        for source_id in ids:
            if source_id not in self.sources.sources:
                self.error(where, f"unknown source '{source_id}': declare it in {SOURCES_FILE}")

    def _check_entry_references(self, entries: Mapping[str, Entry]) -> None:
        for entry in entries.values():
            self._check_source_ids(
                [entry.source.ref], self.locations[("entry", entry.id, "source")]
            )
            if entry.caveat:
                self._check_source_ids(
                    entry.caveat.cite, self.locations[("entry", entry.id, "caveat")]
                )
            for related in entry.related:
                where = self.locations[("entry", entry.id, "related")]
                if related == entry.id:
                    self.error(where, f"'{entry.id}' lists itself as related")
                elif related not in entries:
                    guess = process.extractOne(related, list(entries), score_cutoff=70)
                    hint = f": did you mean '{guess[0]}'?" if guess else ""
                    self.error(where, f"related entry '{related}' does not exist{hint}")

    def _check_duplicate_questions(self, entries: Mapping[str, Entry]) -> None:
        owner: dict[str, str] = {}
        for entry in entries.values():
            for number, question in enumerate(entry.questions):
                key = " ".join(question.casefold().split())
                first = owner.setdefault(key, entry.id)
                if first != entry.id:
                    where = self.locations[("question", entry.id, str(number))]
                    self.error(where, f"question '{question}' is also an example of '{first}'")

    def _check_red_flags(self) -> None:
        seen: set[str] = set()
        for index, flag in enumerate(self.red_flags.red_flags):
            where = self.at(RED_FLAGS_FILE, ("red_flags", index, "id"))
            if flag.id in seen:
                self.error(where, f"duplicate red flag id '{flag.id}'")
            seen.add(flag.id)
            self._check_source_ids(flag.cite, self.at(RED_FLAGS_FILE, ("red_flags", index, "cite")))

    def _check_vocabulary(self) -> None:
        meaning: dict[str, str] = {}
        for word in self.vocabulary.synonyms:
            meaning[word.casefold()] = word
        for word, variants in self.vocabulary.synonyms.items():
            self.locations[("synonym", word)] = self.at(VOCABULARY_FILE, ("synonyms", word))
            for index, variant in enumerate(variants):
                key = variant.casefold()
                first = meaning.setdefault(key, word)
                if first != word and key != word.casefold():
                    where = self.at(VOCABULARY_FILE, ("synonyms", word, index))
                    self.error(where, f"'{variant}' is listed under both '{first}' and '{word}'")

    def _record_sources(self) -> None:
        for source_id in self.sources.sources:
            self.locations[("source", source_id)] = self.at(SOURCES_FILE, ("sources", source_id))
