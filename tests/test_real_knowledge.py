"""What must hold for the real knowledge whatever moderators write: read from the YAML itself.

Never counts or exact texts (moderators change those every week): only invariants.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import yaml

from tests.helpers import KNOWLEDGE_DIR


def read(name: str) -> Any:
    return yaml.safe_load((KNOWLEDGE_DIR / name).read_text(encoding="utf-8"))


ENTRY_FILES = sorted((KNOWLEDGE_DIR / "entries").glob("*.yaml"))
ENTRIES = [entry for path in ENTRY_FILES for entry in read(f"entries/{path.name}")["entries"]]
SOURCES = set(read("sources.yaml")["sources"])
RED_FLAGS = read("red_flags.yaml")["red_flags"]


def test_there_is_knowledge_to_answer_from() -> None:
    assert ENTRY_FILES
    assert ENTRIES
    assert RED_FLAGS


def test_entry_and_red_flag_ids_are_unique() -> None:
    for ids in ([entry["id"] for entry in ENTRIES], [flag["id"] for flag in RED_FLAGS]):
        assert [found for found, times in Counter(ids).items() if times > 1] == []


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry["id"])
def test_every_entry_cites_declared_sources_and_relates_to_real_entries(
    entry: dict[str, Any],
) -> None:
    assert entry["source"]["ref"] in SOURCES
    if "caveat" in entry:
        assert set(entry["caveat"]["cite"]) <= SOURCES
    assert set(entry.get("related", [])) <= {other["id"] for other in ENTRIES}
    assert entry["questions"]
    assert entry["answer"].strip()


@pytest.mark.parametrize("flag", RED_FLAGS, ids=lambda flag: flag["id"])
def test_every_red_flag_has_patterns_a_level_and_declared_sources(flag: dict[str, Any]) -> None:
    assert flag["patterns"]
    assert flag["level"] in {"emergency", "doctor"}
    assert set(flag["cite"]) <= SOURCES


def test_every_file_in_entries_is_read() -> None:
    # An entries file with another ending is refused at load; none ships.
    assert sorted((KNOWLEDGE_DIR / "entries").iterdir()) == ENTRY_FILES
