"""Warnings about knowledge that loads but will not work as its moderators expect."""

from __future__ import annotations

from itertools import combinations

from rapidfuzz import fuzz

from bot.answering import Brain
from bot.normalize import words
from bot.problems import Problem
from bot.progress import Tracker, no_progress
from bot.reply import Status

__all__ = ["MIN_QUESTIONS", "lint"]

MIN_QUESTIONS = 6
# Example questions of two entries this similar (0-100, word order ignored) are ones the
# matcher cannot tell apart.
TOO_ALIKE = 90


def lint(brain: Brain, progress: Tracker = no_progress) -> list[Problem]:
    """Every warning for the knowledge `brain` was built from, in file order."""
    warnings = [
        *_too_few_questions(brain),
        *_repeated_questions(brain),
        *_examples_resolving_elsewhere(brain, progress),
        *_examples_too_alike(brain),
        *_unused_synonyms(brain),
        *_off_topic_synonyms(brain),
        *_uncited_sources(brain),
        *_red_flags_that_miss_themselves(brain),
        *_entries_off_subject(brain),
    ]
    return sorted(warnings)


def _warning(where: tuple[str, int, int], message: str) -> Problem:
    return Problem(where[0], where[1], where[2], message, "warning")


def _note(where: tuple[str, int, int], message: str) -> Problem:
    """Worth a look, but not a warning: `kb check --strict` passes. A repeated example
    weighs twice in matching, and the shipped knowledge's tuning relies on two repeats."""
    return Problem(where[0], where[1], where[2], message, "note")


def _entries_off_subject(brain: Brain) -> list[Problem]:
    """Entries a long post can never reach: none of their questions names a subject word."""
    knowledge = brain.knowledge
    return [
        _warning(
            knowledge.where("entry", entry.id),
            f"none of the questions of '{entry.id}' uses a word from the `subject` list in "
            "vocabulary.yaml, so a long post asking this is never answered; add the word "
            "this entry is about to that list",
        )
        for entry in knowledge.entries.values()
        if not any(brain.on_subject(text) for text in (entry.title, *entry.questions))
    ]


def _too_few_questions(brain: Brain) -> list[Problem]:
    knowledge = brain.knowledge
    return [
        _warning(
            knowledge.where("entry", entry.id),
            f"'{entry.id}' has {len(entry.questions)} example questions; write at least "
            f"{MIN_QUESTIONS} (the ways runners really ask it) so it can be found",
        )
        for entry in knowledge.entries.values()
        if len(entry.questions) < MIN_QUESTIONS
    ]


def _repeated_questions(brain: Brain) -> list[Problem]:
    """The same question twice in one entry (another entry's is an error: bot.loading)."""
    knowledge = brain.knowledge
    warnings = []
    for entry in knowledge.entries.values():
        first: dict[str, int] = {}
        for number, question in enumerate(entry.questions):
            earlier = first.setdefault(" ".join(question.casefold().split()), number)
            if earlier != number:
                line = knowledge.where("question", entry.id, str(earlier))[1]
                warnings.append(
                    _note(
                        knowledge.where("question", entry.id, str(number)),
                        f"question {question!r} appears twice in '{entry.id}' (first on "
                        f"line {line}): remove one",
                    )
                )
    return warnings


def _examples_resolving_elsewhere(brain: Brain, progress: Tracker) -> list[Problem]:
    warnings = []
    entries = list(brain.knowledge.entries.values())
    for entry in progress(entries, "Asking every example question"):
        for number, question in enumerate(entry.questions):
            reply = brain.answer(question)
            if reply.status is Status.ANSWERED and reply.entry_id == entry.id:
                continue
            if reply.status is Status.ANSWERED:
                got = f"is answered with '{reply.entry_id}'"
            elif reply.status is Status.CLARIFY:
                choices = ", ".join(f"'{s.id}'" for s in reply.suggestions)
                got = f"gets 'did you mean' between {choices}"
            else:
                got = f"is not answered ({reply.status.value})"
            where = brain.knowledge.where("question", entry.id, str(number))
            warnings.append(
                _warning(where, f"example of '{entry.id}' {got}: {question!r} (reword it)")
            )
    return warnings


def _examples_too_alike(brain: Brain) -> list[Problem]:
    knowledge = brain.knowledge
    normalized = {
        entry.id: [
            (number, question, brain.normalizer.normalize(question).text)
            for number, question in enumerate(entry.questions)
        ]
        for entry in knowledge.entries.values()
    }
    warnings = []
    for first, second in combinations(knowledge.entries, 2):
        for number, question, text in normalized[first]:
            for other_number, other, other_text in normalized[second]:
                score = fuzz.token_sort_ratio(text, other_text)
                if text and score >= TOO_ALIKE:
                    where = knowledge.where("question", second, str(other_number))
                    first_at = knowledge.where("question", first, str(number))
                    warnings.append(
                        _warning(
                            where,
                            f"{other!r} ('{second}') and {question!r} ('{first}', "
                            f"{first_at[0]}:{first_at[1]}) are {score:.0f}% alike: "
                            "the matcher cannot tell these entries apart",
                        )
                    )
    return warnings


def _unused_synonyms(brain: Brain) -> list[Problem]:
    knowledge = brain.knowledge
    used = {token for text in brain.index.example_normalized for token in text.split()}
    for flag in knowledge.red_flags.red_flags:
        for pattern in flag.patterns:
            used.update(brain.normalizer.normalize(pattern).every_token)
    warnings = []
    for word in knowledge.vocabulary.synonyms:
        token = brain.normalizer.normalize(word).every_token
        if token and not set(token) & used:
            warnings.append(
                _warning(
                    knowledge.where("synonym", word),
                    f"synonym '{word}' is not used by any example question or red flag, "
                    "so its variants change nothing",
                )
            )
    return warnings


def _off_topic_synonyms(brain: Brain) -> list[Problem]:
    vocabulary = brain.knowledge.vocabulary
    off_topic = {" ".join(words(phrase)): phrase for phrase in vocabulary.off_topic}
    warnings = []
    for word, variants in vocabulary.synonyms.items():
        for variant in (word, *variants):
            listed = off_topic.get(" ".join(words(variant)))
            if listed is not None:
                warnings.append(
                    _warning(
                        brain.knowledge.where("synonym", word),
                        f"off_topic '{listed}' is also a synonym of '{word}', so runbot reads "
                        f"it as '{word}': remove it from one of the two lists",
                    )
                )
    return warnings


def _uncited_sources(brain: Brain) -> list[Problem]:
    knowledge = brain.knowledge
    cited = {entry.source.ref for entry in knowledge.entries.values()}
    for entry in knowledge.entries.values():
        if entry.caveat:
            cited.update(entry.caveat.cite)
    for flag in knowledge.red_flags.red_flags:
        cited.update(flag.cite)
    return [
        _warning(knowledge.where("source", source_id), f"source '{source_id}' is never cited")
        for source_id in knowledge.sources
        if source_id not in cited
    ]


def _red_flags_that_miss_themselves(brain: Brain) -> list[Problem]:
    """Patterns and examples the screen does not catch as their own sign.

    A pattern with a denial of its own, a harmless phrase that swallows it, or an example
    closer to another sign would leave a hole in the screen the moderator cannot see.
    """
    warnings = []
    for number, flag in enumerate(brain.knowledge.red_flags.red_flags):
        for kind, texts in (("pattern", flag.patterns), ("example", flag.examples)):
            for text in texts:
                caught = {found.id for found in brain.screen.screen(text).flags}
                if flag.id not in caught:
                    warnings.append(
                        _warning(
                            brain.knowledge.where("red_flag", str(number)),
                            f"{kind} {text!r} of red flag '{flag.id}' does not trip it "
                            "(a harmless phrase or a denial in it?): reword it",
                        )
                    )
    return warnings
