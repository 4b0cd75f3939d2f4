"""Editor schemas stay in sync with the models; lint warnings point at the right line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.answering import Brain
from bot.knowledge.checks import lint
from bot.knowledge.load import load_knowledge
from bot.knowledge.schema import SCHEMA_DIR, SCHEMAS, render_schemas, schema_comment
from tests.helpers import (
    ENTRIES,
    KNOWLEDGE_DIR,
    SOURCES,
    STITCH_ENTRIES,
    VOCABULARY,
    write_knowledge,
)


def test_checked_in_schemas_match_the_models() -> None:
    for name, text in render_schemas().items():
        checked_in = KNOWLEDGE_DIR / SCHEMA_DIR / name
        assert checked_in.read_text(encoding="utf-8") == text, f"run `runbot kb schema` ({name})"


def test_every_knowledge_file_names_its_schema_on_the_first_line() -> None:
    for pattern in SCHEMAS:
        for path in KNOWLEDGE_DIR.glob(pattern):
            first_line = path.read_text(encoding="utf-8").splitlines()[0]
            assert first_line == schema_comment(path, KNOWLEDGE_DIR)
            schema_path = path.parent / first_line.split("$schema=")[1]
            assert json.loads(schema_path.read_text())["title"]


def test_schema_describes_fields_for_editors() -> None:
    schema = json.loads(render_schemas()["entries.schema.json"])
    entry = schema["$defs"]["Entry"]

    assert set(entry["required"]) == {"id", "title", "questions", "answer", "source"}
    assert entry["additionalProperties"] is False
    assert "Ways runners ask" in entry["properties"]["questions"]["description"]


def warnings_for(directory: Path) -> list[str]:
    return [str(warning) for warning in lint(Brain(load_knowledge(directory)))]


@pytest.fixture
def tidy(tmp_path: Path) -> Path:
    """A small knowledge base with no warnings: enough questions, every source cited."""
    entries = ENTRIES.replace(
        "      - stretching a calf cramp\n",
        "      - stretching a calf cramp\n"
        "      - stretch out a hamstring cramp\n"
        "      - how to stretch a charley horse\n"
        "      - stretching cramped muscles\n"
        "      - should i stretch my cramp\n",
    ).replace(
        "      - rubbing a cramped calf\n",
        "      - rubbing a cramped calf\n"
        "      - does massage help a cramp\n"
        "      - rub out a charley horse\n"
        "      - massaging cramped muscles\n"
        "      - should i rub my cramp\n",
    )
    stitch = STITCH_ENTRIES.replace(
        "      - stitch while running\n",
        "      - stitch while running\n"
        "      - side stitch help\n"
        "      - pain in my side stitch\n"
        "      - stich in my side\n"
        "      - how to get rid of a side stitch\n",
    )
    return write_knowledge(
        tmp_path, {"entries/easing.yaml": entries, "entries/side-stitch.yaml": stitch}
    )


def test_tidy_knowledge_has_no_warnings(tidy: Path) -> None:
    assert warnings_for(tidy) == []


def test_too_few_example_questions_warns(tmp_path: Path) -> None:
    warnings = warnings_for(write_knowledge(tmp_path))

    assert (
        "entries/easing.yaml:3:5: warning: 'stretch-a-cramp' has 2 example questions; write at least 6"
        " (the ways runners really ask it) so it can be found"
    ) in warnings


def test_source_never_cited_warns(tidy: Path) -> None:
    (tidy / "sources.yaml").write_text(
        SOURCES
        + "  unused-paper:\n    title: A paper\n    author: Someone\n    publisher: A journal\n"
    )

    assert warnings_for(tidy) == [
        "sources.yaml:13:3: warning: source 'unused-paper' is never cited"
    ]


def test_unused_synonym_warns(tidy: Path) -> None:
    (tidy / "vocabulary.yaml").write_text(
        VOCABULARY.replace("synonyms:\n", "synonyms:\n  plantar: [planter]\n")
    )

    assert warnings_for(tidy) == [
        "vocabulary.yaml:2:3: warning: synonym 'plantar' is not used by any example question or red flag,"
        " so its variants change nothing"
    ]


def test_example_resolving_to_another_entry_and_lookalike_examples_warn(tidy: Path) -> None:
    path = tidy / "entries" / "side-stitch.yaml"
    path.write_text(
        path.read_text().replace(
            "      - side stitch help\n", "      - how should i stretch my cramp\n"
        )
    )

    warnings = warnings_for(tidy)

    assert warnings == [
        "entries/side-stitch.yaml:8:9: warning: 'how should i stretch my cramp' ('side-stitch')"
        " and 'should i stretch my cramp' ('stretch-a-cramp', entries/easing.yaml:11) are 100%"
        " alike: the matcher cannot tell these entries apart",
        "entries/side-stitch.yaml:8:9: warning: example of 'side-stitch' is answered with"
        " 'stretch-a-cramp': 'how should i stretch my cramp' (reword it)",
    ]


def _hidden_subject_note(phrase: str) -> str:
    return (
        f"vocabulary.yaml:2:3: note: '{phrase}' is read as one word ('calf cramp'), no subject,"
        " though its words name one: add it to the `subject` list if runbot has advice on it,"
        " or a long post asking about it is never answered"
    )


@pytest.mark.parametrize(
    ("subjects", "notes"),
    [
        # "calf cramp" is one word to runbot: a post saying it does not name "cramp"
        (
            "cramp, side stitch",
            [_hidden_subject_note("calf cramp"), _hidden_subject_note("calf cramps")],
        ),
        ("cramp, calf cramp, side stitch", []),  # ...unless the phrase is a subject itself
    ],
)
def test_a_synonym_that_joins_a_subject_word_into_a_phrase_is_noted(
    tidy: Path, subjects: str, notes: list[str]
) -> None:
    (tidy / "vocabulary.yaml").write_text(
        VOCABULARY.replace("synonyms:\n", "synonyms:\n  calf cramp: [calf cramps]\n")
        + f"subject: [{subjects}]\n"
    )

    assert warnings_for(tidy) == notes


def test_off_topic_phrase_that_is_also_a_synonym_warns_and_keeps_the_synonym(tidy: Path) -> None:
    (tidy / "vocabulary.yaml").write_text(
        VOCABULARY.replace("off_topic: [shin splints]", "off_topic: [shin splints, stich]")
    )

    assert warnings_for(tidy) == [
        "vocabulary.yaml:3:3: warning: off_topic 'stich' is also a synonym of 'side stitch', so runbot"
        " reads it as 'side stitch': remove it from one of the two lists"
    ]
    brain = Brain(load_knowledge(tidy))
    assert brain.answer("stich while running").entry_id == "side-stitch"


def test_lint_shows_progress_while_it_asks_every_example(tidy: Path) -> None:
    seen: list[tuple[str, int]] = []

    def tracker(items, description):
        seen.append((description, len(items)))
        return items

    lint(Brain(load_knowledge(tidy)), tracker)

    assert seen == [("Asking every example question", 3)]  # entry by entry: 3 entries


def test_a_question_written_twice_in_one_entry_is_noted(tidy: Path) -> None:
    path = tidy / "entries" / "side-stitch.yaml"
    text = path.read_text(encoding="utf-8")
    twice = "      - side stitch help\n"
    path.write_text(text.replace(twice, twice + "      - Side stitch  help\n"), encoding="utf-8")

    assert warnings_for(tidy) == [
        "entries/side-stitch.yaml:9:9: note: question 'Side stitch  help' appears twice in "
        "'side-stitch' (first on line 8): remove one"
    ]


def test_a_red_flag_pattern_the_screen_cannot_catch_is_warned_about(knowledge_copy: Path) -> None:
    red_flags = knowledge_copy / "red_flags.yaml"
    text = red_flags.read_text(encoding="utf-8")
    # A harmless phrase that swallows a pattern leaves a hole in the screen.
    red_flags.write_text(text.replace("harmless:\n", "harmless:\n  - heart attack\n"), "utf-8")

    warnings = lint(Brain(load_knowledge(knowledge_copy)))

    assert any(
        "'heart attack' of red flag 'chest-pain' does not trip it" in w.message for w in warnings
    )


def test_an_entry_no_long_post_can_reach_warns(tidy: Path) -> None:
    vocabulary = tidy / "vocabulary.yaml"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8") + "subject: [cramp]\n")

    warnings = warnings_for(tidy)

    assert len(warnings) == 1
    assert (
        "none of the questions of 'side-stitch' uses a word from the `subject` list"
        in (warnings[0])
    )
    vocabulary.write_text(
        vocabulary.read_text(encoding="utf-8").replace("[cramp]", "[cramp, stitch]")
    )
    assert warnings_for(tidy) == []


def test_an_example_holding_an_off_topic_word_warns_on_its_line(tidy: Path) -> None:
    # Listed as off topic, "calf" holds the entry's own example "stretching a calf cramp"
    # to the bar for questions about something else.
    (tidy / "vocabulary.yaml").write_text(
        VOCABULARY.replace("off_topic: [shin splints]", "off_topic: [shin splints, calf]")
    )

    warnings = [w for w in warnings_for(tidy) if "reads as off topic" in w]

    assert [w.split(": warning: ")[0] for w in warnings] == [
        "entries/easing.yaml:7:9",
        "entries/easing.yaml:24:9",
    ]
    assert warnings[0].endswith(
        "example of 'stretch-a-cramp' 'stretching a calf cramp' holds 'calf', which runbot"
        " reads as off topic (off_topic 'calf' in vocabulary.yaml): short questions asked"
        " this way are held to the stricter bar for other subjects; remove it from off_topic"
        " or reword the example"
    )


def test_a_subject_made_of_filler_words_only_warns(tidy: Path) -> None:
    (tidy / "vocabulary.yaml").write_text(VOCABULARY + "subject: [cramp, side stitch, my what]\n")

    assert warnings_for(tidy) == [
        "vocabulary.yaml:6:31: warning: subject 'my what' is made of filler words only, which"
        " runbot ignores, so it never matches: name what the message is about instead (a word"
        " that is not in the `filler` list)"
    ]
