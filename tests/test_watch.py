"""The knowledge watcher follows the configured path and never loads a half-written file."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from bot.reply import Question
from bot.service import RunbotService
from bot.watch import watch_knowledge
from tests.helpers import STITCH_ENTRIES, write_knowledge

QUESTION = Question("stitch while running", "console")


async def wait_for(condition: Callable[[], object], seconds: float = 30) -> None:
    """Poll until `condition()` holds; the watcher has no event for "reload finished".

    `seconds` only stops a hung test: a reload trains the entry classifiers, which took
    over 5 s on a loaded 2-core machine; a passing test never waits that long."""
    async with asyncio.timeout(seconds):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.02)


@contextlib.asynccontextmanager
async def watching(
    service: RunbotService, directory: Path, settle_ms: int = 50
) -> AsyncIterator[None]:
    stop = asyncio.Event()
    watcher = asyncio.create_task(
        watch_knowledge(
            service, directory, stop=stop, debounce_ms=50, settle_ms=settle_ms, check_every=0.05
        )
    )
    await asyncio.sleep(0.3)  # let the watcher start
    try:
        yield
    finally:
        stop.set()
        async with asyncio.timeout(5):
            await watcher


def edited(directory: Path, words: str) -> None:
    (directory / "entries" / "side-stitch.yaml").write_text(
        STITCH_ENTRIES.replace("Press on the painful", f"{words}, press on the painful"),
        encoding="utf-8",
    )


def answers_with(service: RunbotService, words: str) -> Callable[[], bool]:
    return lambda: service.answer(QUESTION).body.startswith(words)


async def test_edits_in_a_folder_moved_into_place_are_reloaded(tmp_path: Path) -> None:
    knowledge = write_knowledge(tmp_path / "knowledge")
    service = RunbotService(knowledge)
    async with watching(service, knowledge):
        write_knowledge(tmp_path / "release-2")
        knowledge.rename(tmp_path / "release-1")
        (tmp_path / "release-2").rename(knowledge)  # as a deploy swaps folders
        await asyncio.sleep(0.3)
        edited(knowledge, "After the deploy")
        await wait_for(answers_with(service, "After the deploy"))


async def test_edits_in_a_folder_deleted_and_recreated_are_reloaded(tmp_path: Path) -> None:
    knowledge = write_knowledge(tmp_path / "knowledge")
    service = RunbotService(knowledge)
    async with watching(service, knowledge):
        shutil.rmtree(knowledge)
        write_knowledge(knowledge)
        await asyncio.sleep(0.3)
        edited(knowledge, "Recreated")
        await wait_for(answers_with(service, "Recreated"))


async def test_a_repointed_symlink_is_followed(tmp_path: Path) -> None:
    write_knowledge(tmp_path / "v1")
    write_knowledge(tmp_path / "v2")
    knowledge = tmp_path / "knowledge"
    knowledge.symlink_to(tmp_path / "v1")
    service = RunbotService(knowledge)
    async with watching(service, knowledge):
        (tmp_path / "next").symlink_to(tmp_path / "v2")
        os.replace(tmp_path / "next", knowledge)  # `ln -sfn v2 knowledge`, atomically
        await asyncio.sleep(0.3)
        edited(tmp_path / "v2", "Version two")
        await wait_for(answers_with(service, "Version two"))
        edited(tmp_path / "v1", "Old version")  # no longer what the path names
        await asyncio.sleep(0.5)

    assert service.answer(QUESTION).body.startswith("Version two")


async def test_a_replaced_folder_is_reloaded_at_once(tmp_path: Path) -> None:
    knowledge = write_knowledge(tmp_path / "knowledge")
    service = RunbotService(knowledge)
    async with watching(service, knowledge):
        release = write_knowledge(tmp_path / "release-2")
        edited(release, "Deployed")
        knowledge.rename(tmp_path / "release-1")
        release.rename(knowledge)
        await wait_for(answers_with(service, "Deployed"))


async def test_a_file_written_in_place_slowly_is_loaded_only_once_complete(
    knowledge_copy: Path,
) -> None:
    """An editor that writes in place leaves valid but truncated YAML between its writes."""
    service = RunbotService(knowledge_copy)
    flags = len(service.brain.knowledge.red_flags.red_flags)
    served: list[tuple[bool, int]] = []
    service.on_reload(
        lambda result: served.append((result.ok, len(service.brain.knowledge.red_flags.red_flags)))
    )
    path = knowledge_copy / "red_flags.yaml"
    text = path.read_text(encoding="utf-8") + "\n# saved again\n"
    chunk = len(text) // 40 + 1
    async with watching(service, knowledge_copy, settle_ms=300):
        with path.open("r+", encoding="utf-8") as file:
            file.truncate(0)
            for start in range(0, len(text), chunk):
                file.write(text[start : start + chunk])
                file.flush()
                await asyncio.sleep(0.02)
        await wait_for(lambda: served)
        await asyncio.sleep(0.5)  # any further reload of the same burst

    assert served
    assert all(entry == (True, flags) for entry in served), served
