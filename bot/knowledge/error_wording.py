"""pydantic's validation errors, said in words a moderator understands."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails
from rapidfuzz import process

from bot.knowledge.yaml_reading import YamlPath

__all__ = ["describe", "error_path"]


def error_path(detail: ErrorDetails) -> YamlPath:
    """Where in the document the error is."""
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


def describe(detail: ErrorDetails, model: type[BaseModel]) -> str:
    """Say what is wrong in words a moderator understands."""
    kind = detail["type"]
    loc = error_path(detail)
    field = _name(loc)
    context = detail.get("ctx") or {}
    value = detail.get("input")
    if kind == "extra_forbidden":
        guess = process.extractOne(str(loc[-1]), sorted(_field_names(model)), score_cutoff=70)
        hint = f": did you mean '{guess[0]}'?" if guess else ""
        return f"unknown field {field}{hint}"
    if kind == "missing":
        return f"missing field {field}"
    if kind == "model_type" and not loc:
        fields = ", ".join(f"'{name}:'" for name in model.model_fields)
        return f"the file must be a set of fields ({fields})"
    if kind == "model_type":
        return f"{field} must be a set of fields, not a single value"
    if kind == "string_too_long" and isinstance(value, str):
        limit = context.get("max_length")
        return (
            f"{field} is {len(value)} characters long; the limit is {limit} "
            "so that a whole reply fits in one chat message"
        )
    if kind in {"too_short", "string_too_short"}:
        if isinstance(value, list | dict) and not value:
            return f"{field} is empty: add at least {context.get('min_length', 1)}"
        return f"{field} is empty"
    if kind == "string_pattern_mismatch":
        if loc[-1] == "url":
            return f"'{value}' is not a web address: it must start with http:// or https://"
        if loc[-1] == "number":
            return f"'{value}' is not a phone number: use digits, like 112"
        return (
            f"'{value}' is not a valid id: use lower-case words and digits joined by "
            "hyphens, like side-stitch"
        )
    if kind == "string_type":
        if isinstance(value, dict) and len(value) == 1:
            # `- note: this` is a one-field mapping to YAML: the colon and space made it one.
            key, said = next(iter(value.items()))
            return (
                f"{field} must be text, but its colon followed by a space makes it a "
                f"'field: value' pair: put it in quotes, like \"{key}: {said}\""
            )
        quote = " (put it in quotes)" if isinstance(value, bool | int | float) else ""
        return f"{field} must be text{quote}"
    if kind == "value_error" and "error" in context:
        return f"{field}: {context['error']}"
    if kind in {"list_type", "dict_type"}:
        expected = "a list (lines starting with '- ')" if kind == "list_type" else "a set of fields"
        return f"{field} must be {expected}"
    return f"{field}: {detail['msg']}" if loc else detail["msg"]


def _name(loc: tuple[str | int, ...]) -> str:
    """How a moderator would name the place: 'answer', or item 3 of 'questions'."""
    if not loc:
        return "the file"
    if isinstance(loc[-1], int):
        parent = next((part for part in reversed(loc) if isinstance(part, str)), "the list")
        return f"item {loc[-1] + 1} of '{parent}'"
    return f"'{loc[-1]}'"
