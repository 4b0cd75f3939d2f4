"""Reading an evaluation file for `runbot eval --file`, with errors its author can act on."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from bot.evaluation import EvalCase, load_cases
from bot.usage import UsageError

__all__ = ["case_problem", "read_cases"]

_EXPECTED = "(an evaluation file is YAML: `cases:`, a list of `q:` question and `expect:` entry id)"


def read_cases(path: Path) -> list[EvalCase]:
    """The cases in an evaluation file; UsageError says what is wrong with a bad one."""
    try:
        return load_cases(path)
    except OSError as error:
        raise UsageError(f"eval --file {path}: cannot read it ({error.strerror})") from None
    except UnicodeDecodeError:
        raise UsageError(f"eval --file {path}: not UTF-8 text {_EXPECTED}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise UsageError(f"eval --file {where}: {problem} {_EXPECTED}") from None
    except ValidationError as error:
        lines = [f"eval --file {path}: {case_problem(problem)}" for problem in error.errors()]
        lines[-1] += f" {_EXPECTED}"
        raise UsageError("\n".join(lines)) from None


def case_problem(problem: ErrorDetails) -> str:
    """'case 3, field expect: Field required', counting cases as people do (from 1)."""
    location = list(problem["loc"])
    where = []
    if location[:1] == ["cases"] and len(location) > 1 and isinstance(location[1], int):
        where.append(f"case {location[1] + 1}")
        location = location[2:]
    elif location[:1] == ["cases"]:
        where.append("cases")
        location = location[1:]
    if location:
        where.append("field " + ".".join(str(part) for part in location))
    if not where:  # the whole file: empty, or a list or text instead of `cases:`
        return "the file has no `cases:`"
    return f"{', '.join(where)}: {problem['msg']}"
