"""Discord lists runbot's commands and options in words defined in bot/messages.py."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from discord import app_commands

from adapters.discord_bot import commands
from bot.messages import Discord


def _worded() -> set[str]:
    return {value for name, value in vars(Discord).items() if name.isupper()}


def test_every_command_and_option_description_comes_from_the_wording_module() -> None:
    group = commands.KnowledgeCommands()
    listed: list[Any] = [
        commands.ask,
        commands.topics,
        commands.source,
        commands.help_command,
        group,
        *group.commands,
    ]
    descriptions = [item.description for item in listed]
    descriptions += [
        parameter.description
        for item in listed
        if isinstance(item, app_commands.Command)
        for parameter in item.parameters
    ]
    assert set(descriptions) <= _worded()


def test_the_commands_module_writes_no_description_of_its_own() -> None:
    tree = ast.parse(Path(commands.__file__).read_text(encoding="utf-8"))
    written = [
        (node.lineno, keyword.arg)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if isinstance(keyword.value, ast.Constant | ast.JoinedStr)
        and isinstance(getattr(keyword.value, "value", ""), str)
        and keyword.arg not in {"name"}
    ]
    assert not written
