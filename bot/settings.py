"""All of runbot's settings, read once at start-up from the environment and `.env`.

Every field is documented for operators in `.env.example`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["PROJECT_ROOT", "Settings"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent

IdList = Annotated[list[int], NoDecode]


class Settings(BaseSettings):
    """runbot's configuration. Secrets are SecretStr so they never print by accident."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", env_ignore_empty=True, extra="ignore"
    )

    # --- core ---
    runbot_knowledge_dir: Path = PROJECT_ROOT / "knowledge"
    runbot_log_level: str = "INFO"
    runbot_watch_knowledge: bool = True
    runbot_db: Path = PROJECT_ROOT / "runbot.db"
    runbot_question_log: bool = True
    runbot_retention_days: int = Field(default=30, ge=1)
    runbot_asker_salt: SecretStr | None = None

    # --- Telegram ---
    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_moderator_ids: IdList = Field(default_factory=list)
    telegram_moderator_chat_id: int | None = None
    telegram_webhook_url: str | None = None
    telegram_webhook_listen: str = "0.0.0.0"
    telegram_webhook_port: int = 8443
    telegram_webhook_secret: SecretStr | None = None

    # --- Discord ---
    discord_bot_token: SecretStr | None = None
    discord_guild_id: int | None = None
    discord_moderator_role: str | None = None
    discord_moderator_ids: IdList = Field(default_factory=list)
    discord_moderator_channel_id: int | None = None

    @field_validator("telegram_moderator_ids", "discord_moderator_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
        return value

    @property
    def platforms(self) -> list[str]:
        """The platforms with a token configured, in the order they start."""
        configured = []
        if self.telegram_bot_token is not None:
            configured.append("telegram")
        if self.discord_bot_token is not None:
            configured.append("discord")
        return configured
