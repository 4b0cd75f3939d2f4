"""Settings read from the environment and `.env` as pydantic-settings read them (bot.settings).

The expected values are what runbot read with pydantic-settings 2.16 for the same input.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.settings import Settings, read_settings
from bot.usage import UsageError


@pytest.fixture(autouse=True)
def only_these_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.lower() in Settings.model_fields:
            monkeypatch.delenv(name)


def test_a_name_in_any_case_sets_its_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNBOT_LOG_LEVEL", "debug")
    monkeypatch.setenv("runbot_db", "x.db")
    monkeypatch.setenv("Telegram_Moderator_Ids", "1, 2;3")
    settings = read_settings()
    assert (settings.runbot_log_level, settings.runbot_db) == ("DEBUG", "x.db")
    assert settings.telegram_moderator_ids == [1, 2, 3]


def test_the_environment_wins_over_the_env_file_unless_it_is_empty(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("RUNBOT_DB=from-file.db\nRUNBOT_RETENTION_DAYS=7\n")
    monkeypatch.setenv("RUNBOT_DB", "")
    assert read_settings().runbot_db == "from-file.db"
    monkeypatch.setenv("RUNBOT_DB", "env.db")
    settings = read_settings()
    assert (settings.runbot_db, settings.runbot_retention_days) == ("env.db", 7)


def test_the_env_file_is_read_with_python_dotenvs_syntax(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME_DIR", "/h")
    (tmp_path / ".env").write_text(
        "export RUNBOT_LOG_FORMAT='JSON'\n"
        "# a comment\n"
        "RUNBOT_WATCH_KNOWLEDGE=false # trailing comment\n"
        "DISCORD_SHARD_COUNT=4\n"
        "DISCORD_SHARD_IDS=0,3\n"
        "RUNBOT_ASKER_SALT\n"  # no value: unset
        "RUNBOT_HEALTH_PORT=\n"  # empty: unset
        'RUNBOT_LOG_FILE="${HOME_DIR}/runbot.log"\n'
        'TELEGRAM_BOT_TOKEN="abc def"\n'
        "runbot_stop_seconds=3.5\n"
        "UNRELATED=1\n"
    )
    settings = read_settings()
    assert settings.runbot_log_format == "json"
    assert settings.runbot_watch_knowledge is False
    assert (settings.discord_shard_count, settings.discord_shard_ids) == (4, [0, 3])
    assert (settings.runbot_asker_salt, settings.runbot_health_port) == (None, None)
    assert settings.runbot_log_file == Path("/h/runbot.log")
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() == "abc def"
    assert settings.runbot_stop_seconds == 3.5


def test_keywords_win_and_no_env_file_is_read_when_told(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("RUNBOT_DB=from-file.db\nRUNBOT_LOG_LEVEL=ERROR\n")
    settings = Settings(_env_file=None, runbot_db="kw.db")
    assert (settings.runbot_db, settings.runbot_log_level) == ("kw.db", "INFO")


def test_defaults_are_validated_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNBOT_RETENTION_DAYS", "0")
    with pytest.raises(UsageError, match="RUNBOT_RETENTION_DAYS: '0' is not valid"):
        read_settings()
