"""Run the real runbot Telegram application against the Bot API stand-in."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.telegram_bot.app import serve
from bot.question_log import SqliteQuestionLog
from bot.service import RunbotService
from tests.telegram.helpers import KNOWLEDGE, TOKEN, StartBot, TelegramSession, telegram_settings
from tests.telegram.standin import BotApiStandIn


@pytest.fixture
def editable_knowledge(tmp_path: Path) -> Path:
    """A copy of the test knowledge that a test may edit."""
    return Path(shutil.copytree(KNOWLEDGE, tmp_path / "knowledge"))


@pytest.fixture
def knowledge_with_rivals(editable_knowledge: Path) -> Path:
    """The test knowledge with massaging in a topic of its own, unrelated to stretching.

    "calf cramp" then matches two entries about different things equally well: runbot
    asks which one is meant.
    """
    easing = editable_knowledge / "entries" / "easing.yaml"
    text = easing.read_text(encoding="utf-8")
    cut = text.index("  - id: massage-a-cramp")
    easing.write_text(text[:cut].replace("    related: [massage-a-cramp]\n", ""), "utf-8")
    massage = "topic: Massage\nentries:\n" + text[cut:]
    (editable_knowledge / "entries" / "massage.yaml").write_text(massage, encoding="utf-8")
    return editable_knowledge


@pytest.fixture
def knowledge_with_long_sources(editable_knowledge: Path) -> Path:
    """The test knowledge with 40 long-titled sources: /source then needs several messages."""
    title = "A very long study title about cramps & sodium <in> marathon runners " * 2
    extra = "".join(
        f"  study-{number:02d}:\n"
        f'    title: "{title.strip()} part {number}"\n'
        f"    author: Author {number} et al.\n"
        "    publisher: Journal of Long Titles\n"
        f"    year: {1990 + number}\n"
        for number in range(40)
    )
    sources = editable_knowledge / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return editable_knowledge


@pytest.fixture
async def start_bot(tmp_path: Path) -> AsyncIterator[StartBot]:
    """Start runbot on the stand-in (long polling); everything is stopped after the test.

    As `runbot telegram` does, the service keeps a question log unless
    RUNBOT_QUESTION_LOG is off (here: a fresh SQLite file per bot).
    """
    sessions: list[TelegramSession] = []
    question_logs: list[SqliteQuestionLog] = []

    async def start(knowledge: Path = KNOWLEDGE, **overrides: Any) -> TelegramSession:
        api = BotApiStandIn(token=TOKEN)
        base_url = await api.start()
        settings = telegram_settings(base_url, **overrides)
        question_log = None
        if settings.runbot_question_log:
            # A fresh file per bot, unless a test passes runbot_db (a restart, say).
            path = overrides.get("runbot_db") or tmp_path / f"runbot-{len(question_logs)}.db"
            salt = settings.runbot_asker_salt
            question_log = SqliteQuestionLog(
                path,
                settings.runbot_retention_days,
                salt=salt.get_secret_value() if salt else None,
            )
            question_logs.append(question_log)
        service = RunbotService(
            knowledge, question_log=question_log, ask_a_human=settings.runbot_ask_a_human
        )
        task = asyncio.create_task(serve(service, settings))
        session = TelegramSession(api, service, settings, task)
        sessions.append(session)
        # Started: polling asks for updates; a webhook is registered with Telegram.
        started = "setWebhook" if settings.telegram_webhook_url else "getUpdates"
        ready = asyncio.create_task(api.wait_for(started))
        await asyncio.wait([task, ready], return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            ready.cancel()
            task.result()  # raises why serve stopped
        await ready
        return session

    yield start
    for session in sessions:
        session.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await session.task
        await session.api.stop()
    for question_log in question_logs:
        question_log.close()


@pytest.fixture
async def bot(start_bot: StartBot) -> TelegramSession:
    """runbot on the test knowledge, with no moderators."""
    return await start_bot()
