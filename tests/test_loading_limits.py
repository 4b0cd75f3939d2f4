"""Knowledge files that could stall or swamp a reload are refused quickly, with a short report."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError
from bot.knowledge.load import MAX_FILE_BYTES, load_knowledge
from bot.reply import Question
from bot.service import RunbotService
from tests.helpers import VOCABULARY, write_knowledge


def problems_for(directory: Path, changes: dict[str, str]) -> list[str]:
    write_knowledge(directory, changes)
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(directory)
    return [str(problem) for problem in raised.value.problems]


def test_merge_keys_are_refused_like_aliases(tmp_path: Path) -> None:
    # `<<: *name` copies another mapping in; nested, it multiplies like aliases do.
    vocabulary = (
        VOCABULARY
        + "base: &base {a: x, b: y}\n"
        + "copy:\n  <<: *base\n  c: z\n"
        + "both: {<<: [*base, *base]}\n"
    )

    problems = problems_for(tmp_path, {"vocabulary.yaml": vocabulary})

    assert "vocabulary.yaml:8:3: merge keys (<<) are not allowed: write the fields out" in problems
    assert "vocabulary.yaml:10:8: merge keys (<<) are not allowed: write the fields out" in problems


def test_nested_merge_keys_are_refused_before_they_multiply(tmp_path: Path) -> None:
    levels = "".join(
        f"a{n}: &a{n} {{{', '.join(f'm{i}: {{<<: *a{n - 1}}}' for i in range(10))}}}\n"
        for n in range(1, 9)
    )
    vocabulary = VOCABULARY + "a0: &a0 {k0: {x: 1}, k1: x}\n" + levels

    problems = problems_for(tmp_path, {"vocabulary.yaml": vocabulary})

    merges = [problem for problem in problems if "merge keys (<<)" in problem]
    assert len(merges) == 80  # each written once, none expanded
    assert len(problems) < 200


def test_a_reload_with_thousands_of_problems_logs_only_the_first_ones(
    small_knowledge: Path, caplog: pytest.LogCaptureFixture
) -> None:
    service = RunbotService(small_knowledge)
    words = "".join(f"  word{number}: ['!!!']\n" for number in range(3000))
    (small_knowledge / "vocabulary.yaml").write_text(
        VOCABULARY.replace("synonyms:\n", "synonyms:\n" + words), encoding="utf-8"
    )

    with caplog.at_level(logging.WARNING, logger="bot.service"):
        result = service.reload()

    assert not result.ok
    assert len(result.problems) == 3000
    [record] = [r for r in caplog.records if r.name == "bot.service"]
    lines = record.getMessage().splitlines()
    assert len(lines) <= 22
    assert lines[-1] == "...and 2980 more problems"


@contextlib.contextmanager
def released_if_stuck(fifo: Path) -> Iterator[None]:
    """If a reader is stuck opening `fifo` (no writer yet), open and close it so it goes on."""
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


async def test_a_pipe_in_entries_is_reported_not_waited_on(small_knowledge: Path) -> None:
    service = RunbotService(small_knowledge)
    fifo = small_knowledge / "entries" / "pipe.yaml"
    os.mkfifo(fifo)

    with released_if_stuck(fifo):
        result = await asyncio.wait_for(asyncio.to_thread(service.reload), timeout=5)

    assert not result.ok
    assert [str(problem) for problem in result.problems] == [
        "entries/pipe.yaml:1:1: not a regular file (a pipe, device or folder): "
        "runbot reads only ordinary files"
    ]
    assert service.answer(Question("stitch while running")).entry_id == "side-stitch"


def test_a_device_in_entries_is_reported_not_read(small_knowledge: Path) -> None:
    (small_knowledge / "entries" / "null.yaml").symlink_to("/dev/null")

    problems = problems_for(small_knowledge, {})

    assert problems == [
        "entries/null.yaml:1:1: not a regular file (a pipe, device or folder): "
        "runbot reads only ordinary files"
    ]


def test_a_file_too_big_to_be_knowledge_is_not_read(small_knowledge: Path) -> None:
    huge = small_knowledge / "entries" / "huge.yaml"
    huge.write_text("# " + "x" * MAX_FILE_BYTES + "\n", encoding="utf-8")

    problems = problems_for(small_knowledge, {})

    assert problems == [
        "entries/huge.yaml:1:1: the file is 5.0 MB; the limit is 5 MB: split it into "
        "several entries files"
    ]
