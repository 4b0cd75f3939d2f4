"""The real `runbot` command in its own process, talking to the Bot API stand-in.

For what only a whole process shows: signals, start-up with a broken database, and (in
tests/probes/) figures measured from outside.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.telegram.helpers import KNOWLEDGE, TOKEN
from tests.telegram.standin import BotApiStandIn

RUNBOT = Path(sys.executable).with_name("runbot")
START_SECONDS = 20.0  # imports and the knowledge: generous for a busy 2-core machine


@dataclass
class RunbotProcess:
    """`runbot <command>` serving Telegram through `api`; its log lines as they come."""

    process: asyncio.subprocess.Process
    api: BotApiStandIn
    log_lines: list[str] = field(default_factory=list)
    _reader: asyncio.Task[None] = field(init=False)

    def __post_init__(self) -> None:
        self._reader = asyncio.create_task(self._read_log())

    @property
    def log(self) -> str:
        return "\n".join(self.log_lines)

    async def signal_and_wait(self, sent: signal.Signals, seconds: float = 20) -> int:
        """Send `sent` and wait for the process to end; its exit code."""
        self.process.send_signal(sent)
        async with asyncio.timeout(seconds):
            code = await self.process.wait()
        await self._reader
        return code

    async def _read_log(self) -> None:
        assert self.process.stderr is not None
        async for line in self.process.stderr:
            self.log_lines.append(line.decode(errors="replace").rstrip("\n"))


def runbot_environment(api: BotApiStandIn, directory: Path, **settings: str) -> dict[str, str]:
    """The environment of a runbot serving the stand-in, with its files in `directory`."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        # Set to run another checkout of runbot (the probes compare before and after).
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": api.base_url,
        "RUNBOT_KNOWLEDGE_DIR": str(KNOWLEDGE),
        "RUNBOT_DB": str(directory / "runbot.db"),
        "RUNBOT_SERVED_RECORD": str(directory / "runbot-served.json"),
        "RUNBOT_LOG_LEVEL": "INFO",
    }
    environment.update(settings)
    return environment


async def start_runbot(
    api: BotApiStandIn, directory: Path, command: tuple[str, ...], settings: dict[str, str]
) -> RunbotProcess:
    """Start `runbot COMMAND` against `api`, its log read as it comes."""
    process = await asyncio.create_subprocess_exec(
        str(RUNBOT),
        *command,
        env=runbot_environment(api, directory, **settings),
        cwd=directory,  # so that no .env of the project is read
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    return RunbotProcess(process, api)


@contextlib.asynccontextmanager
async def runbot_process(
    directory: Path, *command: str, ready_on: str = "getUpdates", **settings: str
) -> AsyncIterator[RunbotProcess]:
    """Start `runbot COMMAND` (default: telegram) against a new stand-in; ready once it has
    called `ready_on` (polling; setWebhook in webhook mode).

    Anything still running afterwards is killed.
    """
    api = BotApiStandIn(token=TOKEN)
    await api.start()
    running = await start_runbot(api, directory, command or ("telegram",), settings)
    process = running.process
    try:
        ready = asyncio.create_task(api.wait_for(ready_on, seconds=START_SECONDS))
        ended = asyncio.create_task(process.wait())
        await asyncio.wait([ready, ended], return_when=asyncio.FIRST_COMPLETED)
        if not ready.done():
            ready.cancel()
            await running._reader
            raise AssertionError(f"runbot ended with {process.returncode}:\n{running.log}")
        ended.cancel()
        await ready
        yield running
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        if not running._reader.done():
            running._reader.cancel()
        await api.stop()
