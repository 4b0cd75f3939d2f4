"""Knowledge problems as GitHub Actions workflow commands, shown on the changed lines.

`::error file=knowledge/entries/a.yaml,line=12,col=9::message` makes GitHub annotate that
line of a pull request. Paths are relative to the repository root, as GitHub expects.
"""

from __future__ import annotations

from pathlib import Path

from bot.knowledge import Problem

__all__ = ["github_annotation", "repository_path"]


def github_annotation(problem: Problem, folder: str) -> str:
    """One workflow command for `problem`, whose file is relative to `folder`."""
    file = f"{folder}/{problem.file}" if folder else problem.file
    properties = f"file={_property(file)},line={problem.line},col={problem.column}"
    command = "notice" if problem.severity == "note" else problem.severity
    return f"::{command} {properties}::{_data(problem.message)}"


def repository_path(directory: Path) -> str:
    """`directory` relative to the root of the git repository holding it (else to the
    current folder, else as given), in the form GitHub names files: `knowledge`."""
    resolved = directory.resolve()
    for candidate in (resolved, *resolved.parents):
        if (candidate / ".git").exists():
            return resolved.relative_to(candidate).as_posix().removeprefix(".")
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix().removeprefix(".")
    except ValueError:
        return resolved.as_posix()


# The escapes GitHub's runner undoes (actions/toolkit, command.ts).
def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
