"""Two `runbot telegram` workers in webhook mode behind one address, sharing one PostgreSQL:
each update is answered once by the worker it reached, the moderators' reports count what
both saw, and a runner's vote counts once whichever worker it reaches."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import psycopg
import pytest

from adapters.cli import main
from bot.knowledge_version import knowledge_version
from tests.telegram.helpers import (
    HOOK_PATH,
    KNOWLEDGE,
    SECRET,
    TOKEN,
    free_port,
    wait_until_listening,
)
from tests.telegram.process import START_SECONDS, RunbotProcess, start_runbot
from tests.telegram.standin import BotApiStandIn
from tests.telegram.updates import button_press, private

SALT = "one-salt-for-every-worker"
ANSWERED = [
    "what to do about a side stitch",
    "how do I stretch out a cramp?",
    "stitch while running",
]
UNANSWERED = [
    "which running shoes are best for trail ultras",
    "how do i pick a marathon training plan",
    "what should i eat the night before a race",
]
THANKS = "Thanks! Glad it helped."
ALREADY = "You already voted on this answer; your vote counts once."


@contextlib.asynccontextmanager
async def worker(
    api: BotApiStandIn, folder: Path, database: str, port: int, health_port: int
) -> AsyncIterator[RunbotProcess]:
    """`runbot telegram` in webhook mode on `port`, its question log in `database`."""
    settings = {
        "RUNBOT_DB": database,
        "RUNBOT_ASKER_SALT": SALT,
        "RUNBOT_WATCH_KNOWLEDGE": "false",
        "RUNBOT_HEALTH_PORT": str(health_port),
        "TELEGRAM_WEBHOOK_URL": f"https://runbot.example.org/{HOOK_PATH}",
        "TELEGRAM_WEBHOOK_LISTEN": "127.0.0.1",
        "TELEGRAM_WEBHOOK_PORT": str(port),
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
    }
    running = await start_runbot(api, folder, ("telegram",), settings)
    process = running.process
    try:
        yield running
    finally:
        if process.returncode is None:
            process.terminate()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(20):
                    await process.wait()
        if process.returncode is None:
            process.kill()
            await process.wait()
        await running._reader


async def post(http: aiohttp.ClientSession, port: int, update: dict[str, Any]) -> None:
    """POST an update to a worker's webhook as Telegram (or the front proxy) would."""
    async with http.post(
        f"http://127.0.0.1:{port}/{HOOK_PATH}",
        data=json.dumps(update),
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET},
    ) as response:
        assert response.status == 200


async def stored(database: str, table: str, count: int) -> None:
    """Wait until `table` holds `count` rows: the workers write in the background."""
    for _ in range(500):
        async with await psycopg.AsyncConnection.connect(database) as db:
            cursor = await db.execute(f"SELECT COUNT(*) FROM {table}")
            row = await cursor.fetchone()
        if row is not None and row[0] >= count:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"{table} never held {count} rows")


async def healthz(port: int) -> dict[str, Any]:
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/healthz") as r:
        body: dict[str, Any] = await r.json()
        return body


def runbot(capsys: pytest.CaptureFixture[str], *command: str) -> str:
    """What `runbot COMMAND` prints (run in this process: the reports need no platform)."""
    capsys.readouterr()
    assert main(list(command)) == 0
    return capsys.readouterr().out


async def test_two_workers_answer_each_update_once_and_share_the_reports(
    tmp_path: Path,
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    api = BotApiStandIn(token=TOKEN)
    await api.start()
    ports = [free_port(), free_port()]
    health_ports = [free_port(), free_port()]
    try:
        async with (
            worker(api, tmp_path / "a", postgres_url, ports[0], health_ports[0]) as first,
            worker(api, tmp_path / "b", postgres_url, ports[1], health_ports[1]) as second,
        ):
            await api.wait_for("setWebhook", 2, seconds=START_SECONDS)
            for port in ports:
                await wait_until_listening(port)
            questions = [*ANSWERED, *UNANSWERED]
            async with aiohttp.ClientSession() as http:
                for number, text in enumerate(questions):
                    update = {**private(text, user=5000 + number), "update_id": 100 + number}
                    await post(http, ports[number % 2], update)
                sent = await api.wait_for("sendMessage", len(questions))
                await stored(postgres_url, "questions", len(questions))

                # A vote through the first worker, then the same through the second.
                [answer] = [call for call in sent if int(call["chat_id"]) == 5000]
                helpful = answer.keyboard[-1][0][1]
                vote = button_press(helpful, answer.fields, user_id=5000)
                await post(http, ports[0], {**vote, "update_id": 200})
                [toast] = await api.wait_for("answerCallbackQuery")
                await stored(postgres_url, "votes", 1)
                await post(http, ports[1], {**vote, "update_id": 201})
                toasts = await api.wait_for("answerCallbackQuery", 2)

            versions = [(await healthz(port))["knowledge_version"] for port in health_ports]
        logs = first.log + second.log
    finally:
        await api.stop()

    assert Counter(int(call["chat_id"]) for call in sent) == {
        5000 + number: 1 for number in range(len(questions))
    }
    assert len(api.sent("sendMessage")) == len(questions)  # nobody answered twice
    assert [toast["text"], toasts[1]["text"]] == [THANKS, ALREADY]
    version = knowledge_version(KNOWLEDGE)
    assert versions == [version, version]
    assert logs.count(f"serving knowledge version {version}") == 2

    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.setenv("RUNBOT_DB", postgres_url)
    monkeypatch.setenv("RUNBOT_KNOWLEDGE_DIR", str(KNOWLEDGE))
    gaps = json.loads(runbot(capsys, "kb", "gaps", "--format", "json"))
    assert sum(gap["count"] for gap in gaps) == len(UNANSWERED)
    assert {example for gap in gaps for example in gap["examples"]} == set(UNANSWERED)
    stats = {
        line.split()[0]: [int(figure) for figure in line.split()[1:]]
        for line in runbot(capsys, "kb", "stats").splitlines()[1:]
    }
    assert stats["side-stitch"] == [2, 1, 0]  # answered twice, one helpful vote
    assert stats["stretch-a-cramp"] == [1, 0, 0]
