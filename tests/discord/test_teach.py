"""/kb gaps teach buttons: moderators teach a gap's question to an entry, and can undo it."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.question_log import SqliteQuestionLog
from bot.reply import Question, Status
from bot.service import RunbotService
from tests.discord.helpers import KNOWLEDGE, MODERATOR_ID, buttons, latest
from tests.discord.interactions import Interactions
from tests.discord.standin import DiscordStandIn

GAP = "quickest way to get rid of a charley horse"  # answered, but only just


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(KNOWLEDGE, tmp_path / "knowledge"))


@pytest.fixture
def question_log(tmp_path: Path) -> Iterator[SqliteQuestionLog]:
    with SqliteQuestionLog(tmp_path / "runbot.db") as question_log:
        yield question_log


@pytest.fixture
def service(knowledge_dir: Path, question_log: SqliteQuestionLog) -> RunbotService:
    return RunbotService(knowledge_dir, question_log=question_log)


async def press(
    standin: DiscordStandIn,
    running: Interactions,
    message: dict[str, Any],
    custom_id: str,
    user: str = str(MODERATOR_ID),
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Click as `user`: the callback's body, and the follow-up's (or the callback's) message."""
    click = running.click(message, custom_id)
    click["member"]["user"]["id"] = user
    callback = await standin.interact(click)
    if callback.body["type"] == 5:  # deferred: the answer is a follow-up
        await standin.wait_for_call(standin.followup_path(click))
    return callback.body, latest(standin)


async def gap_report(
    standin: DiscordStandIn, running: Interactions, service: RunbotService
) -> dict[str, Any]:
    service.answer(Question(GAP, "discord", "1300000000000000011"))
    interaction = running.kb("gaps", user_id=str(MODERATOR_ID))
    await standin.interact(interaction)
    await standin.wait_for_call(standin.followup_path(interaction))
    return latest(standin)


async def test_a_moderator_teaches_a_gap_to_its_nearest_entry_and_undoes_it(
    running: Interactions, standin: DiscordStandIn, service: RunbotService, knowledge_dir: Path
) -> None:
    easing = knowledge_dir / "entries" / "easing-a-cramp.yaml"
    before = easing.read_bytes()
    report = await gap_report(standin, running, service)
    assert list(buttons(report))[:2] == ["1. Teach to stretch-a-cramp", "1. Choose entry"]

    _, taught = await press(
        standin, running, report, buttons(report)["1. Teach to stretch-a-cramp"]
    )

    # Where the question went, and how many entries there are, counted in the files:
    # moderators' edits move both.
    line = easing.read_text(encoding="utf-8").splitlines().index(f"      - {GAP}") + 1
    entries = sum(
        len(re.findall(r"^  - id: ", path.read_text(encoding="utf-8"), re.MULTILINE))
        for path in (knowledge_dir / "entries").glob("*.yaml")
    )
    assert taught["content"].startswith(
        f'Taught "{GAP}" to `stretch-a-cramp` (entries/easing-a-cramp.yaml:{line}).\n'
        f"Knowledge reloaded: {entries} entries"
    )
    assert taught["flags"] & 64
    reply = service.answer(Question(GAP, "discord", "1300000000000000012"))
    assert (reply.status, reply.entry_id) == (Status.ANSWERED, "stretch-a-cramp")
    assert reply.confidence >= 0.65  # no longer a gap

    _, undone = await press(standin, running, taught, buttons(taught)["Undo"])

    assert undone["content"].startswith(f'Took "{GAP}" back out of `stretch-a-cramp`')
    assert easing.read_bytes() == before


async def test_a_moderator_chooses_the_entry(
    running: Interactions, standin: DiscordStandIn, service: RunbotService
) -> None:
    report = await gap_report(standin, running, service)

    _, choice = await press(standin, running, report, buttons(report)["1. Choose entry"])
    assert choice["content"] == f'Teach "{GAP}" to which entry?'
    (massage,) = [
        cid for label, cid in buttons(choice).items() if label.startswith("massage-a-cramp:")
    ]
    _, taught = await press(standin, running, choice, massage)

    assert taught["content"].startswith(f'Taught "{GAP}" to `massage-a-cramp`')
    assert service.brain.knowledge.entries["massage-a-cramp"].questions[-1] == GAP


async def test_teach_buttons_are_refused_to_members(
    running: Interactions, standin: DiscordStandIn, service: RunbotService, knowledge_dir: Path
) -> None:
    easing = knowledge_dir / "entries" / "easing-a-cramp.yaml"
    before = easing.read_bytes()
    report = await gap_report(standin, running, service)

    callback, _ = await press(
        standin,
        running,
        report,
        buttons(report)["1. Teach to stretch-a-cramp"],
        "1300000000000000010",
    )

    assert callback["data"]["content"] == "Sorry, /kb is for runbot's moderators on this server."
    assert easing.read_bytes() == before
