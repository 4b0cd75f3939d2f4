"""The moderators' guide (knowledge/README.md) matches reality: each worked example, done
on a copy of the knowledge exactly as the guide shows it, passes `kb check --strict`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.answering import Brain
from bot.knowledge.checks import lint
from bot.knowledge.load import load_knowledge
from bot.reply import Status
from tests.helpers import KNOWLEDGE_DIR

GUIDE = KNOWLEDGE_DIR / "README.md"


def section(number: int) -> str:
    """Worked example `number` of the guide, as it is written."""
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(f"\n### {number}. ")
    end = text.find("\n### ", start + 1)
    return text[start : end if end > 0 else text.index("\n## ", start)]


def worked_example(number: int) -> list[str]:
    """The YAML blocks of worked example `number`, as the guide prints them."""
    return re.findall(r"```yaml\n(.*?)```", section(number), re.DOTALL)


def append(path: Path, block: str) -> None:
    """Add `block` at the end of `path`, where the guide says it goes."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n\n" + block, encoding="utf-8")


def strictly_checked(knowledge: Path) -> Brain:
    """The brain for `knowledge`, which must load without errors or warnings."""
    brain = Brain(load_knowledge(knowledge))
    assert [str(found) for found in lint(brain) if found.severity != "note"] == []
    return brain


def test_example_1_adds_a_question_to_an_entry(knowledge_copy: Path) -> None:
    (block,) = worked_example(1)
    entry_id = re.search(r"- id: (\S+)", block)[1]  # type: ignore[index]
    before, new = re.search(r"\n(\s+- .+)\n(\s+- .+?)\s+# <- new", block).groups()  # type: ignore[union-attr]
    path = knowledge_copy / "entries" / "easing-a-cramp.yaml"
    text = path.read_text(encoding="utf-8")
    assert f"- id: {entry_id}\n" in text
    path.write_text(text.replace(f"{before}\n", f"{before}\n{new}\n", 1), encoding="utf-8")

    brain = strictly_checked(knowledge_copy)

    reply = brain.answer(new.strip().removeprefix("- "))
    assert (reply.status, reply.entry_id) == (Status.ANSWERED, entry_id)


def test_example_2_adds_an_entry_with_a_new_source(knowledge_copy: Path) -> None:
    source, entry = worked_example(2)
    assert source.startswith("sources:\n")
    append(knowledge_copy / "sources.yaml", source.removeprefix("sources:\n"))
    append(knowledge_copy / "entries" / "prevention.yaml", entry)
    listed = re.search(r"lists (.*?) under `off_topic:`", section(2), re.DOTALL)[1]  # type: ignore[index]
    vocabulary = knowledge_copy / "vocabulary.yaml"
    text = vocabulary.read_text(encoding="utf-8")
    for phrase in re.findall(r"`([^`]+)`", listed):
        assert f"\n  - {phrase}\n" in text
        text = text.replace(f"\n  - {phrase}\n", "\n", 1)
    vocabulary.write_text(text, encoding="utf-8")

    brain = strictly_checked(knowledge_copy)

    entry_id = re.search(r"- id: (\S+)", entry)[1]  # type: ignore[index]
    questions = brain.knowledge.entries[entry_id].questions
    assert len(questions) >= 6
    for question in questions:
        reply = brain.answer(question)
        assert (reply.status, reply.entry_id) == (Status.ANSWERED, entry_id), question


def test_example_3_adds_a_synonym(knowledge_copy: Path) -> None:
    (block,) = worked_example(3)
    word, last, variant = re.search(  # type: ignore[union-attr]
        r"^  (\w[\w ]*): \[.*, (\S+), (\S+)\]\s+# <- \"\3\" added", block, re.MULTILINE
    ).groups()
    path = knowledge_copy / "vocabulary.yaml"
    text = path.read_text(encoding="utf-8")
    assert re.search(rf"^  {word}: \[[^\]]*, {last}\]", text, re.MULTILINE)
    path.write_text(text.replace(f"{last}]", f"{last}, {variant}]", 1), encoding="utf-8")

    brain = strictly_checked(knowledge_copy)

    assert variant in brain.knowledge.vocabulary.synonyms[word]
    reply = brain.answer(f"do i need {variant} on a long run")
    assert (reply.status, reply.entry_id) == (Status.ANSWERED, "electrolytes-long-runs")


def test_example_4_adds_a_red_flag(knowledge_copy: Path) -> None:
    (block,) = worked_example(4)
    append(knowledge_copy / "red_flags.yaml", block)

    brain = strictly_checked(knowledge_copy)

    flag = brain.knowledge.red_flags.red_flags[-1]
    assert flag.id == re.search(r"- id: (\S+)", block)[1]  # type: ignore[index]
    for example in flag.examples:
        assert brain.answer(example).status is Status.URGENT, example


@pytest.mark.parametrize(
    "warning", ["is not answered (urgent)", "appears twice in", "is answered with"]
)
def test_the_guide_explains_every_warning_it_can_show(warning: str) -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    table = guide[guide.index("| warning | what to do |") :]

    assert warning in table.split("\n\n")[0]
