"""Wrong settings, files and networks: one line naming what to fix, exit 2, no traceback."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from adapters.cli import main

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
    import discord


@pytest.fixture(autouse=True)
def no_env_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.setenv("RUNBOT_DB", str(tmp_path / "runbot.db"))


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    return lines[0]


@pytest.mark.parametrize(
    ("setting", "value", "expected"),
    [
        (
            "RUNBOT_RETENTION_DAYS",
            "abc",
            "runbot: RUNBOT_RETENTION_DAYS: 'abc' is not valid; expected a whole number of "
            "days, 1 or more (see .env.example)",
        ),
        (
            "RUNBOT_LOG_LEVEL",
            "verbose",
            "runbot: RUNBOT_LOG_LEVEL: 'VERBOSE' is not valid; expected DEBUG, INFO, WARNING or "
            "ERROR (see .env.example)",
        ),
        (
            "TELEGRAM_MODERATOR_IDS",
            "1234,@alice",
            "runbot: TELEGRAM_MODERATOR_IDS: '@alice' is not valid; expected numeric Telegram "
            "user ids, comma-separated, e.g. 1234,5678 (see .env.example)",
        ),
        (
            "RUNBOT_HEALTH_PORT",
            "99999",
            "runbot: RUNBOT_HEALTH_PORT: '99999' is not valid; expected a port number from 1 to "
            "65535 (see .env.example)",
        ),
        (
            "RUNBOT_LOG_FORMAT",
            "xml",
            "runbot: RUNBOT_LOG_FORMAT: 'xml' is not valid; expected text or json "
            "(see .env.example)",
        ),
    ],
)
def test_a_wrong_setting_is_one_line_naming_it_and_what_is_expected(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    setting: str,
    value: str,
    expected: str,
) -> None:
    monkeypatch.setenv(setting, value)

    assert main(["ask", "hi"]) == 2

    assert one_line_error(capsys) == expected


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            {"DISCORD_SHARD_IDS": "0,1"},
            "runbot: DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT (all workers' total) "
            "(see .env.example)",
        ),
        (
            {"DISCORD_SHARD_IDS": "2", "DISCORD_SHARD_COUNT": "2"},
            "runbot: DISCORD_SHARD_IDS: each shard number must be below 2 (see .env.example)",
        ),
    ],
)
def test_shards_that_do_not_add_up_are_one_line_too(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    settings: dict[str, str],
    expected: str,
) -> None:
    for name, value in settings.items():
        monkeypatch.setenv(name, value)

    assert main(["ask", "hi"]) == 2

    assert one_line_error(capsys) == expected


def test_a_wrong_setting_in_the_env_file_is_reported_the_same_way(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".env").write_text("RUNBOT_WATCH_KNOWLEDGE=sometimes\n", encoding="utf-8")

    assert main(["ask", "hi"]) == 2

    assert one_line_error(capsys).startswith(
        "runbot: RUNBOT_WATCH_KNOWLEDGE: 'sometimes' is not valid; expected true or false"
    )


def test_eval_of_a_missing_file_names_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--file", "/nonexistent.yaml"]) == 2

    assert one_line_error(capsys) == (
        "runbot: eval --file /nonexistent.yaml: cannot read it (No such file or directory)"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cases:\n  - q: [\n", "bad.yaml:3:1: expected the node content, but found '<stream end>'"),
        ("cases:\n  - q: hi\n", "bad.yaml: case 1, field expect: Field required"),
        ("", "bad.yaml: the file has no `cases:`"),
    ],
    ids=["not-yaml", "missing-field", "empty"],
)
def test_eval_of_a_malformed_file_says_where_and_what_a_case_looks_like(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")

    assert main(["eval", "--file", str(bad)]) == 2

    line = one_line_error(capsys)
    assert line.startswith(f"runbot: eval --file {tmp_path}/{expected}")
    assert line.endswith("a list of `q:` question and `expect:` entry id)")


def test_discord_sync_without_network_is_one_line_not_an_aiohttp_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    token = "discord-token-never-printed"
    monkeypatch.setenv("DISCORD_BOT_TOKEN", token)
    # Nothing listens on port 9: the connection is refused, as with no network.
    monkeypatch.setattr(discord.http.Route, "BASE", "http://127.0.0.1:9/api/v10")

    assert main(["discord", "--sync"]) == 2

    line = one_line_error(capsys)
    assert line.startswith("runbot: discord --sync could not register the commands (Client")
    assert line.endswith("check DISCORD_BOT_TOKEN and the network")
    assert token not in line


def test_run_without_a_platform_or_a_terminal_says_what_to_set(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("DISCORD_BOT_TOKEN", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # as in a container or a service

    assert main(["run"]) == 2

    assert one_line_error(capsys).startswith("runbot: run: no platform is configured")
