"""Safe YAML loading that remembers where every value came from.

PyYAML's `safe_load` forgets line numbers and silently keeps the last of two equal keys.
Moderators need both: errors that point at a line, and a duplicated key reported as such.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.problems import KnowledgeError, Problem

__all__ = ["Located", "Path", "load_located_yaml"]

# libyaml's parser is several times faster and reports the same line and column marks.
_FastSafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Located:
    """A YAML document as plain Python values, and the position of each value by path."""

    file: str
    value: object
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path) -> tuple[int, int]:
        """The (line, column) of the deepest part of `path` that the file contains."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(path[:end])
            if found:
                return found
        return (1, 1)

    def problem(self, path: Path, message: str, severity: str = "error") -> Problem:
        line, column = self.position(path)
        return Problem(
            self.file, line, column, message, "warning" if severity == "warning" else "error"
        )


def load_located_yaml(text: str, file: str) -> Located:
    """Parse one YAML document safely; raise KnowledgeError for syntax or duplicate keys."""
    loader = _FastSafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return Located(file, None, {(): (1, 1)})
        positions: dict[Path, tuple[int, int]] = {}
        problems: list[Problem] = []
        value = _build(loader, root, (), positions, problems, file)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = error.problem or str(error)
        raise KnowledgeError([Problem(file, line, column, f"invalid YAML: {reason}")]) from None
    except yaml.YAMLError as error:
        raise KnowledgeError([Problem(file, 1, 1, f"invalid YAML: {error}")]) from None
    finally:
        loader.dispose()
    if problems:
        raise KnowledgeError(problems)
    return Located(file, value, positions)


def _mark(node: Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _build(
    loader: yaml.SafeLoader | yaml.CSafeLoader,
    node: Node,
    path: Path,
    positions: dict[Path, tuple[int, int]],
    problems: list[Problem],
    file: str,
) -> object:
    positions.setdefault(path, _mark(node))
    if isinstance(node, MappingNode):
        loader.flatten_mapping(node)
        mapping: dict[Hashable, object] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) or key is None:
                line, column = _mark(key_node)
                problems.append(Problem(file, line, column, "a key must be a plain word"))
                continue
            if key in mapping:
                line, column = _mark(key_node)
                first_line = positions[(*path, str(key))][0]
                problems.append(
                    Problem(
                        file, line, column, f"'{key}' appears twice (first on line {first_line})"
                    )
                )
                continue
            child = (*path, str(key))
            positions[child] = _mark(key_node)
            mapping[key] = _build(loader, value_node, child, positions, problems, file)
        return mapping
    if isinstance(node, SequenceNode):
        return [
            _build(loader, item, (*path, index), positions, problems, file)
            for index, item in enumerate(node.value)
        ]
    assert isinstance(node, ScalarNode)
    return loader.construct_object(node)
