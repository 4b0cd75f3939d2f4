"""`docker stop` (SIGTERM): runbot finishes the interactions it is answering, then exits."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.discord.helpers import KNOWLEDGE
from tests.discord.interactions import Interactions
from tests.discord.standin import DiscordStandIn

PROJECT = Path(__file__).resolve().parents[2]


async def test_sigterm_finishes_the_interaction_in_hand_then_exits(tmp_path: Path) -> None:
    standin = DiscordStandIn()
    await standin.start()
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": os.environ.get("PYTHONPATH") or str(PROJECT),
        "RUNBOT_TEST_DISCORD_API": standin.api_base,
        "RUNBOT_TEST_DISCORD_GATEWAY": standin.gateway_url,
        "DISCORD_BOT_TOKEN": "standin-token",
        "RUNBOT_KNOWLEDGE_DIR": str(KNOWLEDGE),
        "RUNBOT_DB": str(tmp_path / "runbot.db"),
        "RUNBOT_SERVED_RECORD": str(tmp_path / "served.json"),
    }
    runbot = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.discord.launch",
        "discord",
        env=environment,
        cwd=tmp_path,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(20):
            await standin.identified.wait()
        interaction = Interactions(standin).ask("how do I stop a calf cramp")
        release = standin.hold(standin.callback_path(interaction))  # a slow answer
        await standin.interact(interaction)  # the bot is answering it

        runbot.send_signal(signal.SIGTERM)
        await asyncio.sleep(0.3)  # the signal has arrived; the answer is still on its way
        release.set()
        async with asyncio.timeout(20):
            code = await runbot.wait()
        assert runbot.stderr is not None
        log = (await runbot.stderr.read()).decode()
    finally:
        if runbot.returncode is None:
            runbot.kill()
            await runbot.wait()
        await standin.stop()

    assert code == 0, log
    assert "SIGTERM received: finishing the work in hand" in log
    assert "failed" not in log
    assert "not finished" not in log
    assert standin.close_codes == [1000]
