"""The record of what a running runbot serves, so that `runbot kb check` can say what an
edit would remove before a moderator saves it (RUNBOT_SERVED_RECORD)."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge import KnowledgeBase
from bot.removals import Inventory

__all__ = ["ServedRecord", "read_served_record", "write_served_record"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ServedRecord:
    inventory: Inventory
    directory: str
    recorded_at: float


def write_served_record(path: Path, knowledge: KnowledgeBase) -> bool:
    """Record what is now served (atomically); False, logged, if it cannot be written."""
    record = {
        "directory": str(knowledge.directory),
        "recorded_at": time.time(),
        "served": Inventory.of(knowledge).to_json(),
    }
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(json.dumps(record, indent=1), encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        log.warning("could not record what runbot serves in %s: %s", path, error.strerror)
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        return False
    return True


def read_served_record(path: Path) -> ServedRecord | None:
    """The last record a running runbot wrote; None if there is none (or it is unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return ServedRecord(
            Inventory.from_json(data["served"]),
            str(data["directory"]),
            float(data["recorded_at"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
