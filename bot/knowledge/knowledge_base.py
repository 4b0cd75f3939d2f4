"""The loaded knowledge: one validated, immutable KnowledgeBase, and where things are written."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from bot.knowledge.models import Entry, RedFlagFile, Source, VocabularyFile
from bot.knowledge.problems import Location

if TYPE_CHECKING:
    from bot.knowledge.positions import Positions, YamlPath

__all__ = [
    "ENTRIES_DIR",
    "RED_FLAGS_FILE",
    "SOURCES_FILE",
    "VOCABULARY_FILE",
    "EntryPlace",
    "KnowledgeBase",
    "Locations",
    "Topic",
]

SOURCES_FILE = "sources.yaml"
VOCABULARY_FILE = "vocabulary.yaml"
RED_FLAGS_FILE = "red_flags.yaml"
ENTRIES_DIR = "entries"


@dataclass(frozen=True, slots=True)
class Topic:
    """A group of entries, as moderators arranged them (one entries file each)."""

    name: str
    entry_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EntryPlace:
    """Where an entry is written: its file, its index in that file's list, how many questions."""

    file: str
    index: int
    questions: int


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
    locations: Locations

    def where(self, *key: str) -> Location:
        """Where `key` (see Locations) is written; the entries folder if it is none of them."""
        return self.locations.get(key, Location(ENTRIES_DIR, 1, 1))


class Locations(Mapping[tuple[str, ...], Location]):
    """Where entries, their questions, synonyms, sources and red flags are written, by key.

    The keys: ("entry", id), ("entry", id, "source" | "related" | "caveat"),
    ("question", id, "0"...), ("synonym", word), ("source", id), ("red_flag", "0"...).
    Read-only; a position is looked up (and its file's table of positions built) only when
    asked for.
    """

    __slots__ = ("_entries", "_files", "_red_flags", "_sources", "_synonyms")

    _ENTRY_FIELDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
        {"source": ("source",), "related": ("related",), "caveat": ("caveat", "cite")}
    )

    def __init__(
        self,
        files: Mapping[str, Positions],
        entries: Mapping[str, EntryPlace],
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

    def in_file(self, file: str, path: YamlPath) -> Location:
        """Where the deepest part of `path` that `file` contains is written."""
        return self._files[file].location(path)

    def in_entry(self, entry_id: str, *path: str | int) -> Location:
        """Where the deepest part of `path` inside the entry `entry_id` is written."""
        place = self._entries[entry_id]
        return self.in_file(place.file, ("entries", place.index, *path))

    def _find(self, key: tuple[str, ...]) -> tuple[str, YamlPath] | None:
        """The file and YAML path `key` stands for, if it is one of the keys."""
        if len(key) == 2:
            kind, name = key
            if kind == "entry" and name in self._entries:
                return self._entries[name].file, ("entries", self._entries[name].index, "id")
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
            if kind == "entry" and part in self._ENTRY_FIELDS:
                return place.file, ("entries", place.index, *self._ENTRY_FIELDS[part])
            if kind == "question" and isinstance(part, str) and part.isdecimal():
                number = int(part)
                if str(number) == part and number < place.questions:
                    return place.file, ("entries", place.index, "questions", number)
        return None

    def __getitem__(self, key: tuple[str, ...]) -> Location:
        found = self._find(key) if isinstance(key, tuple) else None
        if found is None:
            raise KeyError(key)
        return self.in_file(*found)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and self._find(key) is not None

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        for entry_id, place in self._entries.items():
            yield ("entry", entry_id)
            for part in self._ENTRY_FIELDS:
                yield ("entry", entry_id, part)
            for number in range(place.questions):
                yield ("question", entry_id, str(number))
        for word in self._synonyms:
            yield ("synonym", word)
        for source_id in self._sources:
            yield ("source", source_id)
        for number in range(self._red_flags):
            yield ("red_flag", str(number))

    def __len__(self) -> int:
        questions = sum(place.questions for place in self._entries.values())
        named = len(self._synonyms) + len(self._sources) + self._red_flags
        return 4 * len(self._entries) + questions + named
