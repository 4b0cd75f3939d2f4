"""The composition root: the platform registry, and the import rules that keep it the only one."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.cli import main
from adapters.platforms import PLATFORMS, configured
from bot.settings import PROJECT_ROOT, Settings


@pytest.fixture(autouse=True)
def no_tokens_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for platform in PLATFORMS:
        monkeypatch.delenv(platform.token_setting, raising=False)


@pytest.mark.parametrize(
    ("tokens", "started"),
    [
        ({}, []),
        ({"discord_bot_token": "d"}, ["discord"]),
        ({"telegram_bot_token": "t"}, ["telegram"]),
        ({"discord_bot_token": "d", "telegram_bot_token": "t"}, ["telegram", "discord"]),
    ],
)
def test_the_platforms_with_a_token_start_in_the_registrys_order(
    tokens: dict[str, str], started: list[str]
) -> None:
    settings = Settings(_env_file=None, **tokens)
    assert [platform.name for platform in configured(settings)] == started


@pytest.mark.parametrize("name", [platform.name for platform in PLATFORMS])
def test_each_platform_has_its_runbot_command(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit:
        main([name, "--help"])
    assert exit.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: runbot {name} ")


@pytest.mark.parametrize(
    "line",
    [
        "import adapters",
        "import adapters.cli",
        "from adapters import platforms",
        "from adapters.discord_bot.app import serve",
    ],
)
def test_ruff_refuses_any_import_of_adapters_in_the_core(line: str) -> None:
    ruff = [sys.executable, "-m", "ruff", "check", "--select", "TID251", "--no-fix"]
    checked = subprocess.run(
        [*ruff, "--output-format", "concise", "--stdin-filename", "bot/probe.py", "-"],
        input=f"{line}\n",
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=False,
    )
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "TID251 `adapters` is banned" in checked.stdout


def _imported(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_only_the_discord_wiring_module_imports_the_client_commands_and_views() -> None:
    package = PROJECT_ROOT / "adapters" / "discord_bot"
    wired = {f"adapters.discord_bot.{name}" for name in ("app", "client", "commands", "views")}
    importers = {
        path.stem: sorted(_imported(path) & wired)
        for path in sorted(package.glob("*.py"))
        if _imported(path) & wired
    }
    # commands.py sends replies with the views' buttons; nothing imports back up.
    assert importers == {
        "app": [
            "adapters.discord_bot.client",
            "adapters.discord_bot.commands",
            "adapters.discord_bot.views",
        ],
        "commands": ["adapters.discord_bot.views"],
    }
