"""What a knowledge change takes away: red flags, their patterns, emergency numbers, entries.

A half-saved or mistaken edit can be perfectly valid YAML and still drop most of the
red-flag screen. A reload that removes any of these is held until a moderator confirms it
(`bot.service`), and `runbot kb check` lists them before the edit is ever loaded.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from bot.knowledge import KnowledgeBase

__all__ = ["Inventory", "Removals", "removed"]

_NAMED = 8  # items named per line; the rest are counted


def _same(phrase: str) -> str:
    """Patterns that differ only in case or spacing are the same pattern."""
    return " ".join(phrase.casefold().split())


@dataclass(frozen=True, slots=True)
class Inventory:
    """The parts of a knowledge base that must never disappear unnoticed."""

    red_flags: tuple[tuple[str, tuple[str, ...]], ...]  # (id, patterns), in file order
    emergency_numbers: tuple[str, ...]
    entries: tuple[str, ...]

    @classmethod
    def of(cls, knowledge: KnowledgeBase) -> Inventory:
        screen = knowledge.red_flags
        return cls(
            red_flags=tuple((flag.id, tuple(flag.patterns)) for flag in screen.red_flags),
            emergency_numbers=tuple(number.number for number in screen.emergency_numbers),
            entries=tuple(knowledge.entries),
        )

    def to_json(self) -> dict[str, object]:
        return {
            "red_flags": {flag_id: list(patterns) for flag_id, patterns in self.red_flags},
            "emergency_numbers": list(self.emergency_numbers),
            "entries": list(self.entries),
        }

    @classmethod
    def from_json(cls, data: object) -> Inventory:
        """Raises ValueError unless `data` is what `to_json` wrote."""
        if not isinstance(data, dict) or not isinstance(data.get("red_flags"), dict):
            raise ValueError("not an inventory")
        flags = [
            (str(flag_id), _strings(patterns)) for flag_id, patterns in data["red_flags"].items()
        ]
        return cls(
            red_flags=tuple(flags),
            emergency_numbers=_strings(data.get("emergency_numbers")),
            entries=_strings(data.get("entries")),
        )


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("not a list of text")
    return tuple(value)


@dataclass(frozen=True, slots=True)
class Removals:
    """What a new knowledge base lacks that the one it would replace had."""

    red_flags: tuple[str, ...] = ()
    patterns: tuple[tuple[str, str], ...] = ()  # (red flag id, pattern) of kept red flags
    emergency_numbers: tuple[str, ...] = ()
    entries: tuple[str, ...] = ()
    red_flags_before: int = 0

    def __bool__(self) -> bool:
        return bool(self.red_flags or self.patterns or self.emergency_numbers or self.entries)

    @property
    def token(self) -> str:
        """Names exactly this set of removals: a moderator confirms what they were shown."""
        material = json.dumps(
            [self.red_flags, self.patterns, self.emergency_numbers, self.entries]
        ).encode()
        return hashlib.sha256(material).hexdigest()[:12]

    @property
    def summary(self) -> str:
        """One phrase: "18 of 19 red flags, 2 red-flag patterns and 1 entry"."""
        parts = []
        if self.red_flags:
            parts.append(f"{len(self.red_flags)} of {self.red_flags_before} red flags")
        if self.patterns:
            parts.append(_count(len(self.patterns), "red-flag pattern"))
        if self.emergency_numbers:
            parts.append(_count(len(self.emergency_numbers), "emergency number"))
        if self.entries:
            parts.append(_count(len(self.entries), "entry", "entries"))
        return " and ".join(", ".join(parts).rsplit(", ", 1)) if parts else "nothing"

    def lines(self) -> tuple[str, ...]:
        """One line per kind of removal, naming what goes."""
        lines = []
        if self.red_flags:
            lines.append(f"red flags removed: {_names(self.red_flags)}")
        if self.patterns:
            described = [f"'{pattern}' ({flag_id})" for flag_id, pattern in self.patterns]
            lines.append(f"red-flag patterns removed: {_names(described)}")
        if self.emergency_numbers:
            lines.append(f"emergency numbers removed: {_names(self.emergency_numbers)}")
        if self.entries:
            lines.append(f"entries removed: {_names(self.entries)}")
        return tuple(lines)


def removed(before: Inventory, after: Inventory) -> Removals:
    """What `after` no longer has of `before`."""
    kept = dict(after.red_flags)
    patterns = []
    for flag_id, old_patterns in before.red_flags:
        if flag_id not in kept:
            continue
        still = {_same(pattern) for pattern in kept[flag_id]}
        patterns += [(flag_id, p) for p in old_patterns if _same(p) not in still]
    numbers = set(after.emergency_numbers)
    entries = set(after.entries)
    return Removals(
        red_flags=tuple(flag_id for flag_id, _ in before.red_flags if flag_id not in kept),
        patterns=tuple(patterns),
        emergency_numbers=tuple(n for n in before.emergency_numbers if n not in numbers),
        entries=tuple(entry_id for entry_id in before.entries if entry_id not in entries),
        red_flags_before=len(before.red_flags),
    )


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def _names(items: Sequence[str]) -> str:
    named = ", ".join(items[:_NAMED])
    more = len(items) - _NAMED
    return f"{named} and {more} more" if more > 0 else named
