"""All of runbot's settings, read once at start-up from the environment and `.env`.

Every field is documented for operators in `.env.example`. A field's `description` says what
a valid value looks like: `read_settings` quotes it when a value is wrong.

Read as pydantic-settings reads them, without importing it (it imports asyncio and a dozen
cloud sources: 35-60 ms of every `runbot ask`): a variable names a field whatever its case,
the environment wins over `.env` (python-dotenv's syntax), and an empty value counts as
unset. Each value reaches the field's validation as the text it is.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from bot.usage import UsageError

__all__ = ["PROJECT_ROOT", "Settings", "default_cache_dir", "read_settings", "shipped_knowledge"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent

IdList = list[int]  # written comma-separated (Settings._comma_separated)
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]

_BOOL = "true or false"
_PORT = "a port number from 1 to 65535"
_CHAT_ID = "a numeric id"


def default_cache_dir() -> Path:
    """Where runbot keeps what it may rebuild: $XDG_CACHE_HOME/runbot, else ~/.cache/runbot."""
    configured = Path(os.environ.get("XDG_CACHE_HOME", ""))
    if configured.is_absolute():
        return configured / "runbot"
    try:
        return Path.home() / ".cache" / "runbot"
    except RuntimeError:  # no home (no HOME, no passwd entry): a copy there is never trusted
        # One folder a user: a copy in it is read only if this user alone can write there.
        user = os.getuid() if hasattr(os, "getuid") else "user"
        return Path(tempfile.gettempdir()) / f"runbot-cache-{user}"


def shipped_knowledge() -> Path:
    """The knowledge runbot ships with: the copy packaged inside an installed runbot (see
    pyproject.toml), else the `knowledge/` folder of this source checkout."""
    packaged = Path(__file__).resolve().parent / "_knowledge"
    return packaged if packaged.is_dir() else PROJECT_ROOT / "knowledge"


class Settings(BaseModel):
    """runbot's configuration. Secrets are SecretStr so they never print by accident.

    `Settings()` reads the environment and `.env` (`_env_file=None`: no file); keyword
    arguments win over both.
    """

    model_config = ConfigDict(extra="ignore", validate_default=True)

    def __init__(self, _env_file: str | Path | None = ".env", **values: Any) -> None:
        super().__init__(**{**_environment(_env_file), **values})

    # --- core ---
    runbot_knowledge_dir: Path = Field(default_factory=shipped_knowledge)
    runbot_log_level: LogLevel = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR")
    runbot_log_format: Literal["text", "json"] = Field(default="text", description="text or json")
    runbot_log_file: Path | None = None
    runbot_watch_knowledge: bool = Field(default=True, description=_BOOL)
    # An SQLite file (relative: the folder runbot runs in, never inside an installed
    # package), or a postgresql:// URL that several workers share (bot.db).
    runbot_db: str | Path = "runbot.db"
    runbot_served_record: Path = Path("runbot-served.json")
    # `runbot ask` keeps the Brain it built here (bot.warm_start).
    runbot_cache_dir: Path = Field(default_factory=default_cache_dir)
    runbot_question_log: bool = Field(default=True, description=_BOOL)
    runbot_retention_days: int = Field(
        default=30, ge=1, description="a whole number of days, 1 or more"
    )
    runbot_asker_salt: SecretStr | None = None
    runbot_health_listen: str = "127.0.0.1"
    runbot_health_port: int | None = Field(default=None, ge=1, le=65535, description=_PORT)
    # Opt-in: fallbacks and "not helpful" votes offer to send the question to the moderators.
    runbot_ask_a_human: bool = Field(default=False, description=_BOOL)
    runbot_stop_seconds: float = Field(
        default=25.0, ge=0, description="a number of seconds, 0 or more"
    )

    # --- Telegram ---
    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_moderator_ids: IdList = Field(
        default_factory=list,
        description="numeric Telegram user ids, comma-separated, e.g. 1234,5678",
    )
    telegram_moderator_chat_id: int | None = Field(default=None, description=_CHAT_ID)
    telegram_webhook_url: str | None = None
    telegram_webhook_listen: str = "0.0.0.0"
    telegram_webhook_port: int = Field(default=8443, ge=1, le=65535, description=_PORT)
    telegram_webhook_secret: SecretStr | None = None
    telegram_send_retry_seconds: float = Field(
        default=15.0, ge=0, description="a number of seconds, 0 or more"
    )

    # --- Discord ---
    discord_bot_token: SecretStr | None = None
    discord_guild_id: int | None = Field(default=None, description=_CHAT_ID)
    discord_moderator_role: str | None = None
    discord_moderator_ids: IdList = Field(
        default_factory=list, description="numeric Discord user ids, comma-separated"
    )
    discord_moderator_channel_id: int | None = Field(default=None, description=_CHAT_ID)
    # Several processes split the shards: each one names its own, out of the same count.
    discord_shard_count: int | None = Field(
        default=None, ge=1, description="a whole number of shards, 1 or more"
    )
    discord_shard_ids: IdList = Field(
        default_factory=list,
        description="shard numbers from 0 to DISCORD_SHARD_COUNT - 1, comma-separated, e.g. 0,1",
    )

    @field_validator(
        "telegram_moderator_ids", "discord_moderator_ids", "discord_shard_ids", mode="before"
    )
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        return value

    @field_validator("runbot_log_level", mode="before")
    @classmethod
    def _upper_case(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("runbot_log_format", mode="before")
    @classmethod
    def _lower_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _shards_within_the_count(self) -> Settings:
        if self.discord_shard_ids and self.discord_shard_count is None:
            raise ValueError("DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT (all workers' total)")
        count = self.discord_shard_count or 0
        if any(shard >= count for shard in self.discord_shard_ids):
            raise ValueError(f"DISCORD_SHARD_IDS: each shard number must be below {count}")
        return self


def read_settings() -> Settings:
    """The settings from the environment and `.env`; UsageError names each wrong one."""
    try:
        return Settings()
    except ValidationError as error:
        raise UsageError("\n".join(_explain(problem) for problem in error.errors())) from None


def _explain(problem: ErrorDetails) -> str:
    """One line for one invalid setting: its name, what was given, what is expected."""
    if not problem["loc"]:  # a check of several settings together says it all itself
        return f"{str(problem['msg']).removeprefix('Value error, ')} (see .env.example)"
    name = str(problem["loc"][0])
    field = Settings.model_fields.get(name)
    expected = field.description if field is not None and field.description else problem["msg"]
    given = problem.get("input")
    # A secret is never echoed; anything else is, so that the operator sees the typo.
    secret = field is not None and SecretStr in (field.annotation, *get_args(field.annotation))
    shown = f"{given!r} is not valid" if isinstance(given, str) and not secret else "not valid"
    return f"{name.upper()}: {shown}; expected {expected} (see .env.example)"


def _environment(env_file: str | Path | None) -> dict[str, str]:
    """The settings' values from `env_file` (if it is there), then the environment's."""
    fields = Settings.model_fields
    found: dict[str, str] = {}
    if env_file is not None:
        path = Path(env_file).expanduser()
        if path.is_file() or path.is_fifo():
            from dotenv import dotenv_values

            for name, value in dotenv_values(path, encoding="utf-8").items():
                if value and name.lower() in fields:  # a bare `NAME` line is None: unset
                    found[name.lower()] = value
    for name, value in os.environ.items():
        if value and name.lower() in fields:
            found[name.lower()] = value
    return found
