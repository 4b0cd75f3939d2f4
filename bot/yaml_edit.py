"""Add or remove one item of a list in a YAML file and change nothing else.

ruamel.yaml reads the file round-trip (comments, order, quotes and flow or block style kept)
and writes it back. Two things it would get wrong are put right: comment lines after a
list's last item belong to that item, so an item appended would land below them; and a
removed item takes such lines with it. Whatever ruamel.yaml cannot keep exactly (a flow list
over several lines, an unusual indentation) is caught before anything is written: the new
text must differ from the old by the one item's line and nothing else.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.tokens import CommentToken
from ruamel.yaml.util import load_yaml_guess_indent

__all__ = ["EditRefusedError", "add_item", "remove_item"]

YamlPath = Sequence[str | int]
# Wider than any line moderators write: ruamel.yaml would fold longer plain text.
_WIDTH = 4096


class EditRefusedError(Exception):
    """The edit cannot be made without changing more than the one item (says where)."""


def add_item(text: str, path: YamlPath, value: str) -> tuple[str, int]:
    """`text` with `value` appended to the list at `path`, and the (1-based) line it is on."""
    newline, text = _newline(text)
    document, yaml = _load(text)
    items = _list_at(document, path)
    last = len(items) - 1
    items.append(value)
    _move_trailing_comments(items, last, last + 1)
    edited = _dump(yaml, document)
    line = _only_line_changed(text, edited, "insert")
    return edited.replace("\n", newline), line


def remove_item(text: str, path: YamlPath, index: int) -> tuple[str, int]:
    """`text` without item `index` of the list at `path`, and the line it was on."""
    newline, text = _newline(text)
    document, yaml = _load(text)
    items = _list_at(document, path)
    if index > 0:
        _move_trailing_comments(items, index, index - 1, source_removed=True)
    del items[index]
    edited = _dump(yaml, document)
    line = _only_line_changed(text, edited, "delete")
    return edited.replace("\n", newline), line


def _newline(text: str) -> tuple[str, str]:
    """The file's line ending (Windows editors write \\r\\n), and the text with \\n."""
    if "\r\n" in text:
        return "\r\n", text.replace("\r\n", "\n")
    return "\n", text


def _load(text: str) -> tuple[Any, YAML]:
    try:
        _, indent, dash_offset = load_yaml_guess_indent(text)
        yaml = YAML()  # round-trip
        yaml.preserve_quotes = True
        yaml.width = _WIDTH
        yaml.indent(mapping=2, sequence=indent or 4, offset=dash_offset or 0)
        return yaml.load(text), yaml
    except YAMLError as error:
        raise EditRefusedError(f"the file is not valid YAML ({error})") from None


def _dump(yaml: YAML, document: Any) -> str:
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def _list_at(document: Any, path: YamlPath) -> CommentedSeq:
    node = document
    for part in path:
        in_list = isinstance(part, int) and isinstance(node, CommentedSeq) and part < len(node)
        if not (in_list or (isinstance(node, CommentedMap) and part in node)):
            raise EditRefusedError(f"the file has no {'/'.join(map(str, path))}")
        node = node[part]
    if not isinstance(node, CommentedSeq):
        raise EditRefusedError(f"{path[-1]} is not a list")
    return node


def _move_trailing_comments(
    items: CommentedSeq, source: int, target: int, *, source_removed: bool = False
) -> None:
    """Move the comment lines written after item `source` to after item `target`.

    ruamel.yaml keeps an item's end-of-line comment and every comment line up to the next
    item (or key) in one token of that item. Only the lines after the end of the line move;
    the source keeps its end-of-line comment unless it is `source_removed`.
    """
    tokens = items.ca.items.get(source)
    if not tokens or tokens[0] is None:
        return
    token = tokens[0]
    end_of_line, _, following = token.value.partition("\n")
    if not following:
        return
    if end_of_line.strip() and not source_removed:
        tokens[0] = CommentToken(end_of_line + "\n", CommentMark(token.column), None)
    else:
        del items.ca.items[source]
    kept = items.ca.items.get(target)
    if kept and kept[0] is not None:
        mark = CommentMark(kept[0].column)
        kept[0] = CommentToken(kept[0].value + following, mark, None)
    else:
        items.ca.items[target] = [CommentToken("\n" + following, CommentMark(0), None)]
        items.ca.items[target] += [None, None, None]


def _only_line_changed(old: str, new: str, kind: str) -> int:
    """The line the edit changed; refused if it changed anything else.

    A block list gains (or loses) one whole line; a flow list (`[a, b]`) changes one.
    """
    before, after = old.splitlines(keepends=True), new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if len(changes) == 1:
        tag, start, end, new_start, new_end = changes[0]
        if tag == kind and (end - start) + (new_end - new_start) == 1:
            return (new_start if kind == "insert" else start) + 1
        if tag == "replace" and end - start == 1 and new_end - new_start == 1:
            return start + 1
    first = changes[0][1] + 1 if changes else 1
    raise EditRefusedError(
        f"runbot cannot change the list without rewriting other lines too (from line "
        f"{first}, e.g. a list written over several lines in [ ]): edit the file by hand"
    )
