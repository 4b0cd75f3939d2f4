"""The checks moderators see: errors that stop knowledge loading, and warnings about
knowledge that loads but will not work as its moderators expect.

Errors span files (ids unique, every reference resolvable) and run on every load; the
checks of one file's fields are its model's (bot.knowledge.models). Warnings ask a Brain
built from the knowledge how runbot reads it, so they run on `runbot kb check` only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from itertools import combinations
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from bot.handover import give_way
from bot.knowledge.knowledge_base import (
    RED_FLAGS_FILE,
    SOURCES_FILE,
    VOCABULARY_FILE,
    KnowledgeBase,
)
from bot.knowledge.models import EntryFile
from bot.knowledge.problems import Location, Problem
from bot.normalize import phrase_key, words
from bot.progress import Tracker, no_progress
from bot.reply import Status

if TYPE_CHECKING:  # only the warnings need a Brain: loading need not import all of answering
    from bot.answering import Brain

__all__ = ["MIN_QUESTIONS", "TOO_ALIKE", "cross_file_errors", "lint", "question_key"]

MIN_QUESTIONS = 6
# Example questions of two entries this similar (0-100, word order ignored) are ones the
# matcher cannot tell apart.
TOO_ALIKE = 90


def question_key(question: str) -> str:
    """Questions that differ only in case and spacing are the same question."""
    return " ".join(question.casefold().split())


# --- errors ---------------------------------------------------------------------------------


def cross_file_errors(
    knowledge: KnowledgeBase, entry_files: Sequence[tuple[str, EntryFile]]
) -> list[Problem]:
    """What is wrong across files; `entry_files` (name, file) as read, duplicates included."""
    return [
        *_duplicate_entry_ids(knowledge, entry_files),
        *_unresolved_entry_references(knowledge),
        *_questions_of_two_entries(knowledge),
        *_red_flag_errors(knowledge),
        *_vocabulary_errors(knowledge),
    ]


def _duplicate_entry_ids(
    knowledge: KnowledgeBase, entry_files: Sequence[tuple[str, EntryFile]]
) -> Iterable[Problem]:
    locations = knowledge.locations
    for name, entry_file in entry_files:
        for index, entry in enumerate(entry_file.entries):
            if knowledge.entries[entry.id] is not entry:  # the first one written is kept
                first = locations.in_entry(entry.id, "id")
                yield Problem.at(
                    locations.in_file(name, ("entries", index, "id")),
                    f"duplicate id '{entry.id}' (first used at {first.file}:{first.line})",
                )


def _unknown_sources(
    knowledge: KnowledgeBase, cited: Iterable[str], where: Callable[[], Location]
) -> Iterable[Problem]:
    for source_id in cited:
        if source_id not in knowledge.sources:
            yield Problem.at(where(), f"unknown source '{source_id}': declare it in {SOURCES_FILE}")


def _unresolved_entry_references(knowledge: KnowledgeBase) -> Iterable[Problem]:
    entries = knowledge.entries
    in_entry = knowledge.locations.in_entry
    for entry_id, entry in entries.items():
        give_way()
        yield from _unknown_sources(
            knowledge, [entry.source.ref], partial(in_entry, entry_id, "source")
        )
        if entry.caveat:
            yield from _unknown_sources(
                knowledge, entry.caveat.cite, partial(in_entry, entry_id, "caveat", "cite")
            )
        for related in entry.related:
            if related == entry_id:
                yield Problem.at(
                    in_entry(entry_id, "related"), f"'{entry_id}' lists itself as related"
                )
            elif related not in entries:
                guess = process.extractOne(related, list(entries), score_cutoff=70)
                hint = f": did you mean '{guess[0]}'?" if guess else ""
                yield Problem.at(
                    in_entry(entry_id, "related"),
                    f"related entry '{related}' does not exist{hint}",
                )


def _questions_of_two_entries(knowledge: KnowledgeBase) -> Iterable[Problem]:
    """A question may lead to one entry only. Both places are reported, each naming the
    other: which of the two is the new one, only the moderator knows."""
    entries = knowledge.entries
    in_entry = knowledge.locations.in_entry
    owner: dict[str, tuple[str, int]] = {}
    first_owner = owner.setdefault
    for entry_id, entry in entries.items():
        give_way()
        for number, key in enumerate([question_key(question) for question in entry.questions]):
            first_id, first_number = first_owner(key, (entry_id, number))
            if first_id == entry_id:  # repeated within one entry: a note (_repeated_questions)
                continue
            here = in_entry(entry_id, "questions", number)
            there = in_entry(first_id, "questions", first_number)
            yield Problem.at(
                here,
                f"question '{entry.questions[number]}' is also an example of '{first_id}' "
                f"({there.file}:{there.line})",
            )
            yield Problem.at(
                there,
                f"question '{entries[first_id].questions[first_number]}' is also an "
                f"example of '{entry_id}' ({here.file}:{here.line})",
            )


def _red_flag_errors(knowledge: KnowledgeBase) -> Iterable[Problem]:
    in_file = knowledge.locations.in_file
    seen: set[str] = set()
    for index, flag in enumerate(knowledge.red_flags.red_flags):
        if flag.id in seen:
            where = in_file(RED_FLAGS_FILE, ("red_flags", index, "id"))
            yield Problem.at(where, f"duplicate red flag id '{flag.id}'")
        seen.add(flag.id)
        yield from _unknown_sources(
            knowledge, flag.cite, partial(in_file, RED_FLAGS_FILE, ("red_flags", index, "cite"))
        )
        for number, pattern in enumerate(flag.patterns):
            if not phrase_key(pattern):
                where = in_file(RED_FLAGS_FILE, ("red_flags", index, "patterns", number))
                yield Problem.at(where, f"pattern '{pattern}' has no words, so it can never match")


def _vocabulary_errors(knowledge: KnowledgeBase) -> Iterable[Problem]:
    vocabulary = knowledge.vocabulary
    in_file = knowledge.locations.in_file
    # Variants are compared as runbot reads them (stemmed): "spasm" and "spasms" are one.
    meaning: dict[tuple[str, ...], str] = {}
    for word in vocabulary.synonyms:
        meaning[phrase_key(word)] = word
    for word, variants in vocabulary.synonyms.items():
        if not phrase_key(word):
            where = in_file(VOCABULARY_FILE, ("synonyms", word))
            yield Problem.at(where, f"'{word}' has no letters or digits, so it can never match")
        for index, variant in enumerate(variants):
            key = phrase_key(variant)
            if not key:
                where = in_file(VOCABULARY_FILE, ("synonyms", word, index))
                yield Problem.at(
                    where, f"'{variant}' has no letters or digits, so it can never match"
                )
                continue
            first = meaning.setdefault(key, word)
            if first != word:
                where = in_file(VOCABULARY_FILE, ("synonyms", word, index))
                yield Problem.at(where, f"'{variant}' is listed under both '{first}' and '{word}'")
    for field in ("filler", "off_topic"):
        for index, phrase in enumerate(getattr(vocabulary, field)):
            if not phrase_key(phrase):
                where = in_file(VOCABULARY_FILE, (field, index))
                yield Problem.at(
                    where, f"'{phrase}' has no letters or digits, so it can never match"
                )


# --- warnings -------------------------------------------------------------------------------


def lint(brain: Brain, progress: Tracker = no_progress) -> list[Problem]:
    """Every warning for the knowledge `brain` was built from, in file order."""
    warnings = [
        *_too_few_questions(brain),
        *_repeated_questions(brain),
        *_examples_resolving_elsewhere(brain, progress),
        *_examples_too_alike(brain),
        *_unused_synonyms(brain),
        *_off_topic_synonyms(brain),
        *_examples_naming_off_topic(brain),
        *_subjects_hidden_in_phrases(brain),
        *_phrases_of_filler_only(brain),
        *_uncited_sources(brain),
        *_red_flags_that_miss_themselves(brain),
        *_entries_off_subject(brain),
    ]
    return sorted(warnings)


def _warning(where: Location, message: str) -> Problem:
    return Problem.at(where, message, "warning")


def _note(where: Location, message: str) -> Problem:
    """Worth a look, but not a warning: `kb check --strict` passes. A repeated example
    weighs twice in matching, and the shipped knowledge's tuning relies on two repeats."""
    return Problem.at(where, message, "note")


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
    """The same question twice in one entry (another entry's is an error, above)."""
    knowledge = brain.knowledge
    warnings = []
    for entry in knowledge.entries.values():
        first: dict[str, int] = {}
        for number, question in enumerate(entry.questions):
            earlier = first.setdefault(question_key(question), number)
            if earlier != number:
                line = knowledge.where("question", entry.id, str(earlier)).line
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
                            f"{first_at.file}:{first_at.line}) are {score:.0f}% alike: "
                            "the matcher cannot tell these entries apart",
                        )
                    )
    return warnings


def _unused_synonyms(brain: Brain) -> list[Problem]:
    knowledge = brain.knowledge
    used = {token for text in brain.index.example_normalized for token in text.split()}
    for flag in knowledge.red_flags.red_flags:
        for phrase in flag.phrases:
            used.update(brain.normalizer.normalize(phrase).every_token)
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


def _examples_naming_off_topic(brain: Brain) -> list[Problem]:
    """Example questions holding an off_topic word, often one that stems like another.

    "typing" is read as "type": listed as off topic, it held "is doms a type of cramp" to
    the stricter bar for questions about other subjects.
    """
    knowledge, read = brain.knowledge, brain.normalizer.normalize
    listed: dict[str, str] = {}
    for phrase in knowledge.vocabulary.off_topic:
        for token in read(phrase).off_topic:
            listed.setdefault(token, phrase)
    warnings = []
    for entry in knowledge.entries.values():
        for number, question in enumerate(entry.questions):
            for token in sorted(read(question).off_topic):
                phrase = listed.get(token, token)
                warnings.append(
                    _warning(
                        knowledge.where("question", entry.id, str(number)),
                        f"example of '{entry.id}' {question!r} holds '{token}', which runbot "
                        f"reads as off topic (off_topic '{phrase}' in vocabulary.yaml): "
                        "short questions asked this way are held to the stricter bar for "
                        "other subjects; remove it from off_topic or reword the example",
                    )
                )
    return warnings


def _phrases_of_filler_only(brain: Brain) -> list[Problem]:
    """`subject` and `off_topic` phrases whose every word is filler: they never match."""
    vocabulary, read = brain.knowledge.vocabulary, brain.normalizer.normalize
    in_file = brain.knowledge.locations.in_file
    warnings = []
    for field in ("subject", "off_topic"):
        for index, phrase in enumerate(getattr(vocabulary, field)):
            if phrase_key(phrase) and not read(phrase).tokens:
                warnings.append(
                    _warning(
                        in_file(VOCABULARY_FILE, (field, index)),
                        f"{field} '{phrase}' is made of filler words only, which runbot "
                        "ignores, so it never matches: name what the message is about "
                        "instead (a word that is not in the `filler` list)",
                    )
                )
    return warnings


def _subjects_hidden_in_phrases(brain: Brain) -> list[Problem]:
    """Synonyms that join a subject into a phrase of their own ("sweat rate", "over hydration").

    A message saying the phrase holds the phrase's one word, not the subject, so a long post
    asking about it is never on subject unless the phrase is a subject too. A note, not a
    warning: the moderators may mean it ("low blood sodium" is a red flag, not advice).
    """
    read = brain.normalizer.normalize
    notes = []
    for word, variants in brain.knowledge.vocabulary.synonyms.items():
        for phrase in (word, *variants):
            said = words(phrase)
            if len(said) < 2 or brain.names_subject(set(read(phrase).tokens)):
                continue
            one_by_one = {token for part in said for token in read(part).tokens}
            if brain.names_subject(one_by_one):
                notes.append(
                    _note(
                        brain.knowledge.where("synonym", word),
                        f"'{phrase}' is read as one word ('{word}'), no subject, though its "
                        "words name one: add it to the `subject` list if runbot has advice "
                        "on it, or a long post asking about it is never answered",
                    )
                )
    return notes


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
        for kind, texts in (("pattern", flag.phrases), ("example", flag.examples)):
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
