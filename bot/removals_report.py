"""What `runbot kb check` says about an edit's removals, compared with what runbot serves."""

from __future__ import annotations

import datetime
from pathlib import Path

from bot.knowledge import KnowledgeBase, KnowledgeError
from bot.knowledge.load import load_knowledge
from bot.removals import Inventory, removed
from bot.served import read_served_record

__all__ = ["removals_report"]


def removals_report(knowledge: KnowledgeBase, against: Path | None, served_record: Path) -> str:
    """Lines naming what `knowledge` lacks compared with folder `against`, or with what a
    running runbot last recorded serving; empty when nothing is removed."""
    if against is not None:
        try:
            before = Inventory.of(load_knowledge(against))
        except KnowledgeError:
            return f"Cannot compare with {against}: its knowledge does not load.\n"
        where = str(against)
    else:
        record = read_served_record(served_record)
        if record is None:
            return ""
        before = record.inventory
        when = datetime.datetime.fromtimestamp(record.recorded_at, datetime.UTC)
        where = f"what runbot serves (recorded {when:%Y-%m-%d %H:%M} UTC in {served_record})"
    removals = removed(before, Inventory.of(knowledge))
    if not removals:
        return ""
    lines = [f"Compared with {where}: this edit removes {removals.summary}:"]
    lines += [f"  {line}" for line in removals.lines()]
    lines.append(
        "If that is intended: a running runbot holds this edit until a moderator confirms it "
        "(/reload on Telegram, /kb reload on Discord)."
    )
    return "\n".join(lines) + "\n"
