"""`docker stop` or Ctrl-C: runbot answers every update it has taken, then exits cleanly."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.telegram.process import runbot_process
from tests.telegram.updates import private

RUNNERS = range(1000, 1012)
EACH = 5  # messages per runner: not a flood (AIORateLimiter sends 30 a second)


@pytest.mark.parametrize("command", ["telegram", "run"])
@pytest.mark.parametrize("received", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_stopping_answers_every_update_in_hand(
    tmp_path: Path, command: str, received: signal.Signals
) -> None:
    async with runbot_process(tmp_path, command) as runbot:  # the knowledge watcher runs too
        for number in range(EACH):
            for runner in RUNNERS:
                await runbot.api.push(private(f"side stitch, take {number}", user=runner))
        await runbot.api.wait_for("sendMessage", seconds=20)  # they are in the bot's hands

        code = await runbot.signal_and_wait(received)

    answered = runbot.api.sent("sendMessage")
    assert len(answered) == EACH * len(RUNNERS), runbot.log
    assert all(call.status == 200 for call in answered)
    assert code == 0, runbot.log
    last_poll = runbot.api.sent("getUpdates")[-1]
    assert int(last_poll["offset"]) == EACH * len(RUNNERS) + 1  # all confirmed, and answered
    assert "Traceback" not in runbot.log
