"""Fixtures: the real knowledge base, and small knowledge directories to break (tests.helpers)."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.answering import Brain
from bot.knowledge.load import load_knowledge
from bot.service import RunbotService
from tests.helpers import KNOWLEDGE_DIR, write_knowledge
from tests.postgres import PostgresServer, missing_postgres, temporary_postgres

# Loggers whose levels the `runbot` command (bot.logs) sets, process-wide.
CONFIGURED_LOGGERS = ["", "telegram", "discord", "httpcore", "aiohttp", "httpx", "watchfiles"]


@pytest.fixture(autouse=True)
def served_record_kept_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A running runbot records what it serves (RUNBOT_SERVED_RECORD): never in the project."""
    monkeypatch.setenv("RUNBOT_SERVED_RECORD", str(tmp_path / "runbot-served.json"))


@pytest.fixture(autouse=True)
def cache_kept_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`runbot ask` keeps the knowledge it read (RUNBOT_CACHE_DIR): never in the user's cache."""
    monkeypatch.setenv("RUNBOT_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def small_knowledge(tmp_path: Path) -> Path:
    return write_knowledge(tmp_path / "knowledge")


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A copy of the real knowledge base that a test may edit."""
    return Path(shutil.copytree(KNOWLEDGE_DIR, tmp_path / "knowledge"))


@pytest.fixture(scope="session")
def brain() -> Brain:
    return Brain(load_knowledge(KNOWLEDGE_DIR))


@pytest.fixture
def service() -> RunbotService:
    return RunbotService(KNOWLEDGE_DIR)


@pytest.fixture(autouse=True)
def logging_levels_restored() -> Iterator[None]:
    """Tests that run `main()` change logging levels for the whole process: put them back."""
    levels = {name: logging.getLogger(name).level for name in CONFIGURED_LOGGERS}
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One temporary PostgreSQL server for the whole session (tests/postgres.py)."""
    reason = missing_postgres()
    if reason is not None:
        pytest.skip(reason)
    with temporary_postgres() as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A new, empty database on the session's server, as RUNBOT_DB names it."""
    return postgres_server.new_database()
