"""Moderators' edits take effect without a restart; a bad edit never takes the bot down."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

from bot.messages import reload_report
from bot.reply import Question, Status
from bot.service import ReloadResult, RunbotService
from bot.watch import watch_knowledge
from tests.helpers import STITCH_ENTRIES

QUESTION = Question("stitch while running", "console")


def test_good_edit_is_swapped_in(small_knowledge: Path) -> None:
    service = RunbotService(small_knowledge)
    path = small_knowledge / "entries" / "side-stitch.yaml"
    path.write_text(
        STITCH_ENTRIES.replace(
            "Press on the painful area", "Breathe out slowly, press on the painful area"
        )
    )

    result = service.reload()

    assert result.ok
    assert reload_report(result).startswith("Knowledge reloaded: 3 entries")
    assert service.answer(QUESTION).body.startswith("Breathe out slowly")


def test_broken_edit_keeps_the_last_good_knowledge_and_says_where(small_knowledge: Path) -> None:
    service = RunbotService(small_knowledge)
    heard: list[ReloadResult] = []
    service.on_reload(heard.append)
    (small_knowledge / "entries" / "side-stitch.yaml").write_text(
        STITCH_ENTRIES.replace("    answer: Press", "    answr: Press")
    )

    result = service.reload()

    assert not result.ok
    assert (
        "entries/side-stitch.yaml:8:5: unknown field 'answr': did you mean 'answer'?"
        in reload_report(result)
    )
    assert "still serving the last good knowledge (3 entries)" in reload_report(result)
    # Adapters show the two parts apart: one sentence, then the file:line:column lines.
    assert "\n" not in result.headline
    assert result.headline.startswith("Knowledge NOT reloaded (2 problem(s))")
    assert any(line.startswith("entries/side-stitch.yaml:8:5: ") for line in result.details)
    assert reload_report(result) == "\n".join((result.headline, *result.details))
    assert heard == [result]
    reply = service.answer(QUESTION)
    assert (reply.status, reply.entry_id) == (Status.ANSWERED, "side-stitch")


def test_a_brain_taken_before_a_reload_keeps_answering_from_the_old_knowledge(
    small_knowledge: Path,
) -> None:
    service = RunbotService(small_knowledge)
    brain_before = service.brain
    (small_knowledge / "entries" / "side-stitch.yaml").write_text(
        STITCH_ENTRIES.replace("Press on the painful", "Hold the painful")
    )

    service.reload()

    assert service.brain is not brain_before
    assert brain_before.answer(QUESTION.text).body.startswith("Press on the painful")


async def wait_for(condition) -> None:
    """Poll until `condition()` holds; the file watcher has no event for "reload finished"."""
    async with asyncio.timeout(10):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.02)


@contextlib.asynccontextmanager
async def watching(
    service: RunbotService, debounce_ms: int = 50
) -> AsyncIterator[list[ReloadResult]]:
    """Run the knowledge watcher for one test; yields the reload results as they come."""
    results: list[ReloadResult] = []
    service.on_reload(results.append)
    stop = asyncio.Event()
    watcher = asyncio.create_task(watch_knowledge(service, stop=stop, debounce_ms=debounce_ms))
    await asyncio.sleep(0.3)  # let the watcher start
    try:
        yield results
    finally:
        stop.set()
        await watcher


async def test_watcher_reloads_after_a_save(small_knowledge: Path) -> None:
    service = RunbotService(small_knowledge)
    async with watching(service) as results:
        (small_knowledge / "entries" / "side-stitch.yaml").write_text(
            STITCH_ENTRIES.replace("Press on the painful", "Grab the painful")
        )
        await wait_for(lambda: results)

    assert results[-1].ok
    assert service.answer(QUESTION).body.startswith("Grab the painful")


async def test_watcher_handles_editors_that_save_by_renaming_a_temporary_file(
    small_knowledge: Path,
) -> None:
    service = RunbotService(small_knowledge)
    async with watching(service) as results:
        temporary = small_knowledge / "entries" / ".side-stitch.yaml.swp~"
        temporary.write_text(STITCH_ENTRIES.replace("Press on the painful", "Squeeze the painful"))
        os.replace(temporary, small_knowledge / "entries" / "side-stitch.yaml")
        await wait_for(
            lambda: results and results[-1].ok and "Squeeze" in service.answer(QUESTION).body
        )


async def test_a_burst_of_saves_ends_on_the_last_version(small_knowledge: Path) -> None:
    service = RunbotService(small_knowledge)
    path = small_knowledge / "entries" / "side-stitch.yaml"
    async with watching(service, debounce_ms=200) as results:
        for number in range(10):
            path.write_text(
                STITCH_ENTRIES.replace(
                    "Press on the painful", f"Version {number}, press on the painful"
                )
            )
            await asyncio.sleep(0.01)
        await wait_for(lambda: service.answer(QUESTION).body.startswith("Version 9,"))

    assert len(results) < 10  # debounced into fewer reloads than saves
    assert all(result.ok for result in results)


async def test_watcher_survives_a_broken_save_then_picks_up_the_fix(small_knowledge: Path) -> None:
    service = RunbotService(small_knowledge)
    path = small_knowledge / "entries" / "side-stitch.yaml"
    async with watching(service) as results:
        path.write_text("entries: [\n")
        await wait_for(lambda: results and not results[-1].ok)
        assert service.answer(QUESTION).entry_id == "side-stitch"
        path.write_text(
            STITCH_ENTRIES.replace("Press on the painful", "Fixed, press on the painful")
        )
        await wait_for(lambda: results[-1].ok)

    assert service.answer(QUESTION).body.startswith("Fixed,")


def test_the_console_chats_watcher_thread_reloads_and_stops(small_knowledge: Path) -> None:
    import threading
    import time

    from bot.watch import watch_knowledge_in_thread

    service = RunbotService(small_knowledge)
    reloaded = threading.Event()
    service.on_reload(lambda result: reloaded.set())
    watching = watch_knowledge_in_thread(service, debounce_ms=50)
    time.sleep(0.3)  # let the watcher start

    (small_knowledge / "entries" / "side-stitch.yaml").write_text(
        STITCH_ENTRIES.replace("Press on the painful", "Hug the painful")
    )

    assert reloaded.wait(10)
    watching.stop()
    assert not watching.thread.is_alive()
    assert service.answer(QUESTION).body.startswith("Hug the painful")


async def test_reload_results_reach_a_coroutine_on_the_adapters_loop_from_any_thread(
    small_knowledge: Path,
) -> None:
    service = RunbotService(small_knowledge)
    loop = asyncio.get_running_loop()
    heard: list[tuple[bool, bool]] = []
    done = asyncio.Event()

    async def notify(result: ReloadResult) -> None:
        heard.append((result.ok, asyncio.get_running_loop() is loop))
        done.set()

    stop = service.on_reload_in_this_loop(notify)
    await asyncio.to_thread(service.reload)  # as the file watcher's thread would
    async with asyncio.timeout(5):
        await done.wait()
    stop()
    service.reload()
    await asyncio.sleep(0.05)

    assert heard == [(True, True)]
