"""Safe YAML reading that remembers where every value came from.

PyYAML's `safe_load` forgets line numbers and silently keeps the last of two equal keys.
Moderators need both: errors that point at a line, and a duplicated key reported as such.
Anchors, aliases and merge keys are refused.

Values mean exactly what `yaml.safe_load` makes of them (YAML 1.1: `~` and `null` are None,
`2022` an int, `yes`/`no`/`on`/`off` booleans, quoted text always text). Two things make
loading a big knowledge base fast: plain text, nearly every value, is taken straight from
the parsed node, and positions are worked out only when something asks for one (an error
or a warning), by parsing that one file again.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from yaml import MarkedYAMLError, YAMLError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.cycle_collector import collector_paused
from bot.handover import give_way
from bot.knowledge.positions import Positions, YamlPath
from bot.knowledge.problems import KnowledgeError, Problem, Severity

try:  # libyaml's parser is several times faster and reports the same line and column marks.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

__all__ = ["Located", "Positions", "YamlPath", "load_located_yaml", "record_positions"]

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
# `<<: *name` copies another mapping in. It is refused like an alias, and never expanded:
# nested merges multiply the way nested aliases do, and no knowledge file needs them.
_MERGE = "tag:yaml.org,2002:merge"
_VALUE = "tag:yaml.org,2002:value"  # a key written `=`: safe_load reads it as text
_MERGE_REFUSED = "merge keys (<<) are not allowed: write the fields out"


def _implicit_resolvers() -> tuple[
    dict[str, tuple[tuple[str, re.Pattern[str]], ...]], tuple[tuple[str, re.Pattern[str]], ...]
]:
    """SafeLoader's implicit resolvers by first character, each list with the wildcards."""
    registered: dict[str | None, list[tuple[str, re.Pattern[str]]]] = dict(
        _BaseLoader.yaml_implicit_resolvers
    )
    wildcard = tuple(registered.pop(None, []))
    by_first = {
        first: (*resolvers, *wildcard)
        for first, resolvers in registered.items()
        if first is not None
    }
    return by_first, wildcard


_RESOLVERS_BY_FIRST, _WILDCARD_RESOLVERS = _implicit_resolvers()


class _KnowledgeLoader(_BaseLoader):
    """SafeLoader resolving tags exactly as it does, minus work that knowledge files never need.

    `BaseResolver.resolve` concatenates two lists per scalar and consults path resolvers;
    SafeLoader registers none, so their bookkeeping (called twice per node) is skipped and
    a plain scalar is tried only against the implicit resolvers for its first character
    (all of SafeLoader's: bool, int, float, null, timestamp, merge, value).
    """

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        give_way()  # called once a node: a reload's reading pauses for answers in flight
        return

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in _RESOLVERS_BY_FIRST.get(value[:1], _WILDCARD_RESOLVERS):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP


@dataclass(frozen=True, slots=True)
class Located:
    """A YAML document as plain Python values, and where each value is written."""

    value: object
    positions: Positions

    def problem(self, path: YamlPath, message: str, severity: Severity = "error") -> Problem:
        return Problem.at(self.positions.location(path), message, severity)


def load_located_yaml(text: str, file: str) -> Located:
    """Parse one YAML document safely; raise KnowledgeError for syntax or duplicate keys."""
    loader = _KnowledgeLoader(text)
    problems: list[Problem] = []
    try:
        root = loader.get_single_node()
        value = None if root is None else _Builder(loader, file, problems).value(root)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = error.problem or str(error)
        if (mark and _is_tab(text, mark.line, mark.column)) or "tab character" in reason:
            # libyaml says only "found character that cannot start any token".
            reason = "a tab character here: indent with spaces, never tabs"
        raise KnowledgeError([Problem(file, line, column, f"invalid YAML: {reason}")]) from None
    except YAMLError as error:
        raise KnowledgeError([Problem(file, 1, 1, f"invalid YAML: {error}")]) from None
    except (ValueError, TypeError, OverflowError) as error:
        # PyYAML builds some values (dates, numbers) without a position to report.
        message = f"invalid YAML: a value cannot be read ({error})"
        raise KnowledgeError([Problem(file, 1, 1, message)]) from None
    finally:
        loader.dispose()
    if problems:
        raise KnowledgeError(problems)
    return Located(value, Positions(file, text))


def _is_tab(text: str, line: int, column: int) -> bool:
    """Whether the character at a (0-based) mark is a tab."""
    lines = text.splitlines()
    return line < len(lines) and lines[line][column : column + 1] == "\t"


def _mark(node: Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


_NOT_A_KEY: Hashable = object()


def _key(loader: _KnowledgeLoader, key_node: Node) -> Hashable:
    """The key a node stands for, or _NOT_A_KEY unless it is a word, number or boolean."""
    if key_node.__class__ is ScalarNode and key_node.tag == _STR:
        text: str = key_node.value
        return text
    key = loader.construct_object(key_node, deep=True)
    if not isinstance(key, str | int | float | bool) or key is None:
        return _NOT_A_KEY
    return key


def _pairs(node: MappingNode) -> list[tuple[Node, Node]]:
    """A mapping's pairs as written; merge keys stay unexpanded (the builder refuses them)."""
    pairs: list[tuple[Node, Node]] = node.value
    for key_node, _ in pairs:
        if key_node.tag == _VALUE:
            key_node.tag = _STR
    return pairs


class _Builder:
    """Turns a node tree into plain values, collecting duplicate and non-word keys."""

    def __init__(self, loader: _KnowledgeLoader, file: str, problems: list[Problem]) -> None:
        self.loader = loader
        self.file = file
        self.problems = problems
        self.seen: set[int] = set()

    def value(self, node: Node) -> object:
        if node.__class__ is not ScalarNode:
            # A list or mapping met twice is an alias (*name) of an anchor (&name). Refused:
            # nested aliases expand exponentially ("billion laughs") and no knowledge file
            # needs them.
            if id(node) in self.seen:
                line, column = _mark(node)
                message = "anchors and aliases (&name, *name) are not allowed: write it out"
                self.problems.append(Problem(self.file, line, column, message))
                return None
            self.seen.add(id(node))
        if node.__class__ is ScalarNode:
            # Text (nearly every value) is the node's own string; anything else (None,
            # numbers, booleans, dates, explicit tags) is built the way safe_load builds it.
            return node.value if node.tag == _STR else self.loader.construct_object(node)
        if isinstance(node, SequenceNode):
            return [
                item.value
                if item.__class__ is ScalarNode and item.tag == _STR
                else self.value(item)
                for item in node.value
            ]
        assert isinstance(node, MappingNode)
        return self.mapping(node)

    def mapping(self, node: MappingNode) -> dict[Hashable, object]:
        mapping: dict[Hashable, object] = {}
        # Where kept keys are written, to say where a repeated one was first: the last kept
        # key written the same way (`1` then `"1"`: the second), or failing that (`1` then
        # `true`) the kept key equal to it. Looked up, not searched: a file repeating
        # thousands of keys would otherwise take minutes.
        written: dict[str, int] = {}
        lines: dict[Hashable, int] = {}
        for key_node, value_node in _pairs(node):
            line, column = _mark(key_node)
            if key_node.tag == _MERGE:
                self.problems.append(Problem(self.file, line, column, _MERGE_REFUSED))
                continue
            key = _key(self.loader, key_node)
            if key is _NOT_A_KEY:
                self.problems.append(Problem(self.file, line, column, "a key must be a plain word"))
                continue
            if key in mapping:
                first_line = written.get(str(key)) or lines.get(key, 0)
                self.problems.append(
                    Problem(
                        self.file,
                        line,
                        column,
                        f"'{key}' appears twice (first on line {first_line})",
                    )
                )
                continue
            written[str(key)] = lines[key] = line
            if value_node.__class__ is ScalarNode and value_node.tag == _STR:
                mapping[key] = value_node.value
            else:
                mapping[key] = self.value(value_node)
        return mapping


def record_positions(text: str) -> dict[YamlPath, tuple[int, int]]:
    """Every path's position in a document that `load_located_yaml` already accepted."""
    with collector_paused():
        loader = _KnowledgeLoader(text)
        try:
            root = loader.get_single_node()
            if root is None:
                return {(): (1, 1)}
            positions: dict[YamlPath, tuple[int, int]] = {}
            _record(loader, root, (), positions)
            return positions
        finally:
            loader.dispose()


def _record(
    loader: _KnowledgeLoader, node: Node, path: YamlPath, positions: dict[YamlPath, tuple[int, int]]
) -> None:
    # A mapping's value is where its key is written: that key was recorded first.
    positions.setdefault(path, _mark(node))
    if isinstance(node, MappingNode):
        kept: set[Hashable] = set()
        for key_node, value_node in _pairs(node):
            if key_node.tag == _MERGE:
                continue
            key = _key(loader, key_node)
            if key is _NOT_A_KEY or key in kept:
                continue
            kept.add(key)
            child = (*path, str(key))
            positions[child] = _mark(key_node)
            _record(loader, value_node, child, positions)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _record(loader, item, (*path, index), positions)
