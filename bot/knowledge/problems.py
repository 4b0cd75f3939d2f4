"""Problems found in knowledge files, located by file, line and column for moderators."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

__all__ = ["KnowledgeError", "Location", "Problem", "Severity", "problem_report"]

Severity = Literal["error", "warning", "note"]


class Location(NamedTuple):
    """Where something is written: a file (relative to the knowledge directory), 1-based."""

    file: str
    line: int
    column: int


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong (or worth a second look) in a knowledge file."""

    file: str
    line: int
    column: int
    message: str
    severity: Severity = "error"

    @classmethod
    def at(cls, location: Location, message: str, severity: Severity = "error") -> Problem:
        return cls(location.file, location.line, location.column, message, severity)

    @property
    def location(self) -> Location:
        return Location(self.file, self.line, self.column)

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.file}:{self.line}:{self.column}: {prefix}{self.message}"


class KnowledgeError(Exception):
    """The knowledge files cannot be loaded; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(sorted(set(problems)))
        super().__init__("\n".join(str(problem) for problem in self.problems))


def problem_report(problems: Sequence[Problem], limit: int = 20) -> str:
    """The first `limit` problems, one per line, and how many more there are.

    A broken file can hold thousands of problems; the first few are the ones to fix.
    """
    lines = [str(problem) for problem in problems[:limit]]
    more = len(problems) - limit
    if more > 0:
        lines.append(f"...and {more} more problem{'s' if more > 1 else ''}")
    return "\n".join(lines)
