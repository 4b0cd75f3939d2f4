"""Teach an entry a question runners asked (`runbot kb teach`, the gap report's buttons).

The question is added to the entry's `questions` in its YAML file, every other byte of the
file kept (bot.yaml_edit). It is refused when it would not help: a question the entry (or
another) already has, one another entry already answers with confidence, one describing a
red flag, or one the checks of `runbot kb check` would then warn about. A running bot's
file watcher reloads the file; this module only edits and checks.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import process

from bot.answering import Brain
from bot.gaps import LOW_CONFIDENCE
from bot.knowledge import Entry, KnowledgeError, Problem, problem_report
from bot.knowledge.checks import lint, question_key
from bot.knowledge.load import load_knowledge
from bot.knowledge.yaml_reading import load_located_yaml
from bot.reply import Status
from bot.yaml_edit import EditRefusedError, add_item, remove_item

__all__ = ["MAX_QUESTION_CHARS", "Lesson", "TeachRefusedError", "teach", "unteach"]

# As bot.knowledge.Phrase allows: an example question is a phrase, not a forum post.
MAX_QUESTION_CHARS = 200


@dataclass(frozen=True, slots=True)
class Lesson:
    """One example question added to (or taken back from) an entry, and where."""

    entry_id: str
    question: str
    file: str  # relative to the knowledge directory
    line: int

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


class TeachRefusedError(Exception):
    """Why a question was not taught (or not taken back), in a moderator's words."""


def teach(directory: Path, brain: Brain, entry_id: str, question: str) -> Lesson:
    """Add `question` to the examples of `entry_id`; `brain` answers as runbot does today.

    Raises TeachRefusedError, having written nothing, if it would not help.
    """
    question = " ".join(question.split())
    entry = _entry(brain, entry_id)
    _refuse_if_useless(brain, entry, question)
    file = brain.knowledge.where("entry", entry_id)[0]
    path = directory / file
    text = _read(path)
    try:
        edited, line = add_item(
            text, ("entries", _index_in_file(text, file, entry_id), "questions"), question
        )
    except EditRefusedError as error:
        raise TeachRefusedError(f"{file}: {error}") from None
    lesson = Lesson(entry_id, question, file, line)
    _check_as_kb_check_would(directory, lesson, edited, teaching=True)
    _write_unless_changed(path, text, edited)
    return lesson


def unteach(directory: Path, brain: Brain, entry_id: str, question: str) -> Lesson:
    """Take `question` back out of the examples of `entry_id` (the undo of `teach`)."""
    question = " ".join(question.split())
    entry = _entry(brain, entry_id)
    keys = [question_key(example) for example in entry.questions]
    if question_key(question) not in keys:
        raise TeachRefusedError(f"'{entry_id}' has no example question {question!r} (any more)")
    file = brain.knowledge.where("entry", entry_id)[0]
    path = directory / file
    text = _read(path)
    where = ("entries", _index_in_file(text, file, entry_id), "questions")
    try:
        edited, line = remove_item(text, where, keys.index(question_key(question)))
    except EditRefusedError as error:
        raise TeachRefusedError(f"{file}: {error}") from None
    lesson = Lesson(entry_id, question, file, line)
    _check_as_kb_check_would(directory, lesson, edited, teaching=False)
    _write_unless_changed(path, text, edited)
    return lesson


def _entry(brain: Brain, entry_id: str) -> Entry:
    entries = brain.knowledge.entries
    if entry_id in entries:
        return entries[entry_id]
    guess = process.extractOne(entry_id, list(entries), score_cutoff=70)
    hint = f": did you mean '{guess[0]}'?" if guess else " (runbot kb stats lists the entries)"
    raise TeachRefusedError(f"there is no entry '{entry_id}'{hint}")


def _refuse_if_useless(brain: Brain, entry: Entry, question: str) -> None:
    if not question:
        raise TeachRefusedError("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise TeachRefusedError(
            f"the question is {len(question)} characters long; an example question may have "
            f"{MAX_QUESTION_CHARS}: teach the words that matter, as a runner would type them"
        )
    knowledge = brain.knowledge
    for other in knowledge.entries.values():
        for number, example in enumerate(other.questions):
            if question_key(example) == question_key(question):
                file, line, _ = knowledge.where("question", other.id, str(number))
                raise TeachRefusedError(
                    f"{question!r} is already an example of '{other.id}' ({file}:{line})"
                )
    reply = brain.answer(question)
    if reply.status is Status.URGENT:
        raise TeachRefusedError(
            f"{question!r} describes a red flag: runbot answers it with the urgent message "
            "whatever the entries say, so it cannot be an example question"
        )
    if (
        reply.status is Status.ANSWERED
        and reply.entry_id != entry.id
        and reply.confidence >= LOW_CONFIDENCE
    ):
        raise TeachRefusedError(
            f"runbot already answers {question!r} with '{reply.entry_id}' (confidence "
            f"{reply.confidence:.2f}); if that answer is wrong for it, reword the examples of "
            f"'{reply.entry_id}' instead"
        )


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TeachRefusedError(f"cannot read {path}: {error}") from None


def _index_in_file(text: str, file: str, entry_id: str) -> int:
    try:
        located = load_located_yaml(text, file)
    except KnowledgeError as error:
        raise TeachRefusedError(problem_report(error.problems)) from None
    value = located.value
    entries = value.get("entries") if isinstance(value, dict) else None
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if isinstance(entry, dict) and entry.get("id") == entry_id:
            return index
    raise TeachRefusedError(f"{file} no longer has the entry '{entry_id}': check it again")


def _check_as_kb_check_would(
    directory: Path, lesson: Lesson, edited: str, *, teaching: bool
) -> None:
    """Load a copy of the knowledge with the edit; refuse on any error, and (when teaching)
    on any warning about the new question."""
    with tempfile.TemporaryDirectory(prefix="runbot-teach-") as scratch:
        copy = Path(shutil.copytree(directory, Path(scratch) / "knowledge"))
        (copy / lesson.file).write_text(edited, encoding="utf-8")
        try:
            brain = Brain(load_knowledge(copy))
        except KnowledgeError as error:
            raise TeachRefusedError(
                f"the edit would not load:\n{problem_report(error.problems)}"
            ) from None
        if not teaching:
            return
        about = [
            warning
            for warning in lint(brain)
            if warning.severity == "warning" and _concerns(warning, lesson)
        ]
    if about:
        listed = "\n".join(str(warning) for warning in about)
        raise TeachRefusedError(f"kb check would warn about it, so it was not added:\n{listed}")


def _concerns(warning: Problem, lesson: Lesson) -> bool:
    at_it = (warning.file, warning.line) == (lesson.file, lesson.line)
    return at_it or repr(lesson.question) in warning.message


def _write_unless_changed(path: Path, before: str, after: str) -> None:
    """Replace the file in one step (a watcher never sees half of it), unless someone
    saved it since it was read."""
    if _read(path) != before:
        raise TeachRefusedError(f"{path.name} changed while runbot was checking: try again")
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(after.encode("utf-8"))
        shutil.copymode(path, temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
