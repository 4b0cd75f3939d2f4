"""Knowledge files that could stall or swamp a reload are refused quickly, with a short report."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.loading import load_knowledge
from bot.problems import KnowledgeError
from bot.service import RunbotService
from tests.conftest import VOCABULARY, write_knowledge


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
