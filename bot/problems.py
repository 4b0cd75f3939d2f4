"""Problems found in knowledge files, located by file, line and column for moderators."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["KnowledgeError", "Problem"]


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong (or worth a second look) in a knowledge file."""

    file: str
    line: int
    column: int
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.file}:{self.line}:{self.column}: {prefix}{self.message}"


class KnowledgeError(Exception):
    """The knowledge files cannot be loaded; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(sorted(set(problems)))
        super().__init__("\n".join(str(problem) for problem in self.problems))
