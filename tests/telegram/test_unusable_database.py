"""A question log that cannot be used never stops runbot: it answers, and says so once."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.telegram.process import runbot_process
from tests.telegram.updates import private

MODERATORS_CHAT = -1009876543210


def corrupt(path: Path) -> None:
    path.write_bytes(os.urandom(8192))


def malformed(path: Path) -> None:
    """A real database whose pages were damaged (a disk fault, a bad copy)."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE questions (id INTEGER PRIMARY KEY, question TEXT)")
        db.executemany("INSERT INTO questions (question) VALUES (?)", [("x" * 500,)] * 100)
    db.close()
    data = path.read_bytes()
    path.write_bytes(data[:100] + os.urandom(len(data) - 100))


def a_folder(path: Path) -> None:
    path.mkdir()


def read_only(path: Path) -> None:
    """A database file nobody may write (root ignores permissions: make it immutable)."""
    sqlite3.connect(path).close()
    path.chmod(0o444)
    if os.geteuid() == 0:
        made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
        if made.returncode != 0:
            pytest.skip("cannot make a file read-only for root here (no chattr)")


@pytest.fixture
def cleanup_read_only(tmp_path: Path) -> Iterator[None]:
    yield
    if shutil.which("chattr"):
        subprocess.run(["chattr", "-R", "-i", str(tmp_path)], capture_output=True, check=False)


@pytest.mark.usefixtures("cleanup_read_only")
@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (corrupt, "file is not a database"),
        (malformed, "database disk image is malformed"),
        (a_folder, "unable to open database file"),
        (read_only, "attempt to write a readonly database"),
    ],
    ids=["corrupt", "malformed", "folder", "read-only"],
)
async def test_runbot_answers_without_the_log_and_tells_the_moderators_once(
    tmp_path: Path, spoil: Callable[[Path], None], reason: str
) -> None:
    database = tmp_path / "broken.db"
    spoil(database)

    async with runbot_process(
        tmp_path,
        RUNBOT_DB=str(database),
        TELEGRAM_MODERATOR_CHAT_ID=str(MODERATORS_CHAT),
        RUNBOT_WATCH_KNOWLEDGE="false",
    ) as runbot:
        [notice] = await runbot.api.wait_for("sendMessage")
        await runbot.api.push(private("what to do about a side stitch"))
        sent = await runbot.api.wait_for("sendMessage", 2)

    assert notice["chat_id"] == MODERATORS_CHAT
    assert notice["text"].startswith(f"The question log ({database}) cannot be used: {reason}.")
    assert "runbot answers as usual" in notice["text"]
    assert sent[1]["text"].startswith("<b>Easing a side stitch</b>")
    said = [line for line in runbot.log_lines if "cannot be used" in line]
    assert len(said) == 1
    assert "Traceback" not in runbot.log
