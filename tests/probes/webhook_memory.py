"""Figures from outside: the memory of `runbot telegram` in webhook mode when 90 MB posts
without the secret arrive (one, then six at once), and what they were answered.

    python -m tests.probes.webhook_memory [--code DIR]

`--code DIR` runs another checkout of runbot (e.g. main, for the figures before a change).
Not a test: it prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp

from tests.telegram.process import runbot_process

HOOK = "telegram/hook"
SECRET = "probe-secret"
BODY = 90 * 1024 * 1024
CHUNK = 1024 * 1024


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident now, peak resident) of a process, in MB (Linux)."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


async def ninety_megabytes() -> AsyncIterator[bytes]:
    chunk = b" " * CHUNK
    for _ in range(BODY // CHUNK):
        yield chunk


async def post_without_secret(port: int) -> str:
    headers = {"Content-Type": "application/json", "Content-Length": str(BODY)}
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as http,
            http.post(
                f"http://127.0.0.1:{port}/{HOOK}", data=ninety_megabytes(), headers=headers
            ) as response,
        ):
            return str(response.status)
    except aiohttp.ClientError as error:
        return f"connection closed ({type(error).__name__})"


async def probe(work: Path) -> None:
    port = free_port()
    async with runbot_process(
        work,
        TELEGRAM_WEBHOOK_URL=f"https://runbot.example.org/{HOOK}",
        TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
        TELEGRAM_WEBHOOK_PORT=str(port),
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        RUNBOT_WATCH_KNOWLEDGE="false",
        ready_on="setWebhook",
    ) as runbot:
        await asyncio.sleep(1)
        pid = runbot.process.pid
        start, _ = memory_mb(pid)
        one = await post_without_secret(port)
        _, peak_one = memory_mb(pid)
        six = await asyncio.gather(*(post_without_secret(port) for _ in range(6)))
        _, peak_six = memory_mb(pid)
        after, _ = memory_mb(pid)
        print(f"resident at start: {start:.0f} MB")
        print(f"one 90 MB post without the secret: answered {one}; peak +{peak_one - start:.0f} MB")
        print(
            f"six at once: answered {sorted(set(six))}; peak +{peak_six - start:.0f} MB; "
            f"held afterwards +{after - start:.0f} MB"
        )
        runbot.process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, help="run this checkout of runbot instead")
    options = parser.parse_args()
    if options.code:
        os.environ["PYTHONPATH"] = str(options.code.resolve())
    print(f"runbot from {options.code or 'this checkout'}")
    with tempfile.TemporaryDirectory() as work:
        asyncio.run(probe(Path(work)))


if __name__ == "__main__":
    main()
