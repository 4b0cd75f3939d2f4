"""Loading knowledge: valid files load; every kind of mistake is reported at its line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.knowledge import KnowledgeError
from bot.knowledge.load import load_knowledge
from bot.knowledge.yaml_reading import load_located_yaml
from tests.helpers import ENTRIES, RED_FLAGS, SOURCES, STITCH_ENTRIES, VOCABULARY, write_knowledge


def problems_for(directory: Path, changes: dict[str, str]) -> list[str]:
    write_knowledge(directory, changes)
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(directory)
    return [str(problem) for problem in raised.value.problems]


def test_valid_knowledge_loads_with_topics_and_sources(small_knowledge: Path) -> None:
    knowledge = load_knowledge(small_knowledge)

    assert list(knowledge.entries) == ["stretch-a-cramp", "massage-a-cramp", "side-stitch"]
    assert knowledge.topics[0].name == "Easing a cramp"
    assert knowledge.sources["article"].author == "Anna Weber"
    assert knowledge.where("question", "side-stitch", "1") == ("entries/side-stitch.yaml", 7, 9)


def test_unknown_field_is_reported_with_line_column_and_a_guess(tmp_path: Path) -> None:
    broken = ENTRIES.replace(
        "    questions:\n      - how do i stretch", "    qestions:\n      - how do i stretch"
    )

    problems = problems_for(tmp_path, {"entries/easing.yaml": broken})

    assert (
        "entries/easing.yaml:5:5: unknown field 'qestions': did you mean 'questions'?" in problems
    )
    assert "entries/easing.yaml:3:5: missing field 'questions'" in problems


def test_wrong_type_is_reported_where_it_is(tmp_path: Path) -> None:
    broken = ENTRIES.replace("related: [massage-a-cramp]", "related: massage-a-cramp")

    problems = problems_for(tmp_path, {"entries/easing.yaml": broken})

    assert problems == [
        "entries/easing.yaml:15:5: 'related' must be a list (lines starting with '- ')"
    ]


def test_empty_questions_are_reported(tmp_path: Path) -> None:
    broken = STITCH_ENTRIES.replace(
        "    questions:\n      - what to do about a side stitch\n      - stitch while running\n",
        "    questions: []\n",
    )

    problems = problems_for(tmp_path, {"entries/side-stitch.yaml": broken})

    assert problems == ["entries/side-stitch.yaml:5:5: 'questions' is empty: add at least 1"]


def test_answer_too_long_for_one_chat_message_is_reported(tmp_path: Path) -> None:
    long_answer = "Stretch. " * 200
    broken = ENTRIES.replace(
        "answer: Stretch the muscle gently as soon as the cramp starts.", f"answer: {long_answer}"
    )

    problems = problems_for(tmp_path, {"entries/easing.yaml": broken})

    assert len(problems) == 1
    assert problems[0].startswith("entries/easing.yaml:8:5: 'answer' is 1799 characters long;")
    assert "the limit is 1200" in problems[0]


def test_invalid_yaml_is_reported_at_the_offending_line(tmp_path: Path) -> None:
    broken = STITCH_ENTRIES.replace(
        "    title: Easing a side stitch", '    title: Easing a side stitch: "unclosed'
    )

    problems = problems_for(tmp_path, {"entries/side-stitch.yaml": broken})

    assert len(problems) == 1
    assert problems[0].startswith("entries/side-stitch.yaml:4:")
    assert "invalid YAML" in problems[0]


def test_duplicate_key_is_reported_not_silently_overwritten(tmp_path: Path) -> None:
    broken = STITCH_ENTRIES.replace(
        "    answer: Press on the painful area",
        "    answer: First answer.\n    answer: Press on the painful area",
    )

    problems = problems_for(tmp_path, {"entries/side-stitch.yaml": broken})

    assert problems == ["entries/side-stitch.yaml:9:5: 'answer' appears twice (first on line 8)"]


def test_duplicate_entry_id_across_files_names_both_places(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, {"entries/copy.yaml": ENTRIES.replace("Easing", "Copy")})

    assert (
        "entries/easing.yaml:3:5: duplicate id 'stretch-a-cramp' (first used at entries/copy.yaml:3)"
        in problems
    )


def test_dangling_references_are_reported(tmp_path: Path) -> None:
    broken = ENTRIES.replace("related: [massage-a-cramp]", "related: [massage-a-cram]").replace(
        "cite: [miller-2022]", "cite: [miller-2023]"
    )

    problems = problems_for(tmp_path, {"entries/easing.yaml": broken})

    assert problems == [
        "entries/easing.yaml:11:7: unknown source 'miller-2023': declare it in sources.yaml",
        "entries/easing.yaml:15:5: related entry 'massage-a-cram' does not exist: did you mean 'massage-a-cramp'?",
    ]


def test_red_flag_citing_an_undeclared_source_is_reported(tmp_path: Path) -> None:
    problems = problems_for(
        tmp_path, {"red_flags.yaml": RED_FLAGS.replace("[miller-2022]", "[aha]")}
    )

    assert problems == ["red_flags.yaml:10:5: unknown source 'aha': declare it in sources.yaml"]


def test_bad_id_is_explained(tmp_path: Path) -> None:
    broken = STITCH_ENTRIES.replace("id: side-stitch", "id: Side Stitch")

    problems = problems_for(tmp_path, {"entries/side-stitch.yaml": broken})

    assert problems[0].startswith("entries/side-stitch.yaml:3:5: 'Side Stitch' is not a valid id")


def test_variant_listed_under_two_words_is_reported(tmp_path: Path) -> None:
    vocabulary = VOCABULARY.replace("cramp: [charley horse]", "cramp: [charley horse, stitch]")

    problems = problems_for(tmp_path, {"vocabulary.yaml": vocabulary})

    assert problems == [
        "vocabulary.yaml:3:17: 'stitch' is listed under both 'cramp' and 'side stitch'"
    ]


def test_missing_and_empty_files_are_reported(tmp_path: Path) -> None:
    write_knowledge(tmp_path)
    (tmp_path / "sources.yaml").unlink()
    (tmp_path / "vocabulary.yaml").write_text("# nothing yet\n")

    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(tmp_path)

    assert [str(p) for p in raised.value.problems] == [
        "sources.yaml:1:1: file is missing",
        "vocabulary.yaml:1:1: file is empty",
    ]


def test_non_utf8_file_is_reported(tmp_path: Path) -> None:
    write_knowledge(tmp_path)
    (tmp_path / "sources.yaml").write_bytes(SOURCES.encode("utf-16"))

    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(tmp_path)

    assert "not UTF-8 text" in str(raised.value)


def test_where_finds_every_kind_of_key_and_defaults_for_others(small_knowledge: Path) -> None:
    knowledge = load_knowledge(small_knowledge)
    easing = "entries/easing.yaml"

    assert knowledge.where("entry", "stretch-a-cramp") == (easing, 3, 5)
    assert knowledge.where("entry", "stretch-a-cramp", "source") == (easing, 12, 5)
    assert knowledge.where("entry", "stretch-a-cramp", "related") == (easing, 15, 5)
    assert knowledge.where("entry", "stretch-a-cramp", "caveat") == (easing, 11, 7)
    assert knowledge.where("entry", "massage-a-cramp", "caveat") == (easing, 16, 5)  # has none
    assert knowledge.where("question", "stretch-a-cramp", "0") == (easing, 6, 9)
    assert knowledge.where("synonym", "side stitch") == ("vocabulary.yaml", 3, 3)
    assert knowledge.where("source", "miller-2022") == ("sources.yaml", 6, 3)
    assert knowledge.where("red_flag", "0") == ("red_flags.yaml", 6, 5)
    for unknown in [
        ("red_flag", "1"),
        ("question", "side-stitch", "2"),
        ("question", "side-stitch", "01"),
        ("entry", "side-stitch", "title"),
        ("entry", "no-such-entry"),
        ("source", "no-such-source"),
    ]:
        assert knowledge.where(*unknown) == ("entries", 1, 1)
    keys = list(knowledge.locations)
    # 4 places per entry, 6 questions, 2 synonyms, 2 sources, 1 red flag
    assert len(keys) == len(knowledge.locations) == 3 * 4 + 6 + 2 + 2 + 1
    assert keys[:5] == [
        ("entry", "stretch-a-cramp"),
        ("entry", "stretch-a-cramp", "source"),
        ("entry", "stretch-a-cramp", "related"),
        ("entry", "stretch-a-cramp", "caveat"),
        ("question", "stretch-a-cramp", "0"),
    ]
    assert all(key in knowledge.locations for key in keys)
    assert ("question", "side-stitch", "2") not in knowledge.locations


def test_yaml_values_mean_what_safe_load_says() -> None:
    # YAML 1.1, as moderators' editors and `yaml.safe_load` read it: unquoted yes/no/on/off
    # are booleans, ~ and null are None, numbers and dates are numbers and dates, quoted
    # text is text.
    text = """\
words: [yes, No, on, OFF, true, 'yes', "on", y, n, nope]
nothing: [~, null, '', "~", 'null']
numbers: [2022, '2022', 1.5, 0x1F, 017, 1_000, .inf, 12:30, 2022-01-02, 2022-01-02x]
tagged: {c: !!str 3}
"""
    value = load_located_yaml(text, "f.yaml").value

    assert repr(value) == repr(yaml.safe_load(text))
    assert isinstance(value, dict)
    assert value["words"][:6] == [True, False, True, False, True, "yes"]
    assert value["nothing"][:2] == [None, None]


def test_a_bare_yes_or_no_question_is_reported_as_not_text(tmp_path: Path) -> None:
    broken = STITCH_ENTRIES.replace(
        "      - stitch while running\n", "      - stitch while running\n      - no\n"
    )

    problems = problems_for(tmp_path, {"entries/side-stitch.yaml": broken})

    assert problems == [
        "entries/side-stitch.yaml:8:9: item 3 of 'questions' must be text (put it in quotes)"
    ]


def test_keys_yaml_finds_equal_are_duplicates(tmp_path: Path) -> None:
    # 1 and true are the same key to YAML (and to Python).
    problems = problems_for(tmp_path, {"sources.yaml": SOURCES + "1: one\ntrue: yes\n"})

    assert problems == ["sources.yaml:14:1: 'True' appears twice (first on line 13)"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("topic: T\nentries:\n  - id: x\n    when: 2022-13-45\n", "a value cannot be read"),
    ],
)
def test_values_yaml_cannot_build_are_reported_not_crashed_on(
    tmp_path: Path, text: str, reason: str
) -> None:
    problems = problems_for(tmp_path, {"entries/easing.yaml": text})

    assert len(problems) == 1
    assert problems[0].startswith(f"entries/easing.yaml:1:1: invalid YAML: {reason}")


def test_aliases_are_refused_before_they_can_expand(tmp_path: Path) -> None:
    # Nested aliases ("billion laughs") would build 10**9 strings from a few lines.
    levels = "".join(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]\n" for n in range(1, 9))
    vocabulary = VOCABULARY + "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + levels

    problems = problems_for(tmp_path, {"vocabulary.yaml": vocabulary})

    assert problems[0] == (
        "vocabulary.yaml:6:5: anchors and aliases (&name, *name) are not allowed: write it out"
    )
    assert len(problems) == 8


def test_a_list_that_contains_itself_is_refused(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, {"entries/easing.yaml": "topic: T\nentries: &loop [*loop]\n"})

    assert problems == [
        "entries/easing.yaml:2:10: anchors and aliases (&name, *name) are not allowed: write it out"
    ]


def test_variants_that_read_the_same_after_stemming_are_one_variant(tmp_path: Path) -> None:
    vocabulary = VOCABULARY.replace(
        "side stitch: [stitch, stich]", "side stitch: [stitch, stich, charley horses]"
    )

    problems = problems_for(tmp_path, {"vocabulary.yaml": vocabulary})

    assert problems == [
        "vocabulary.yaml:3:32: 'charley horses' is listed under both 'cramp' and 'side stitch'"
    ]


def test_phrases_and_patterns_without_words_are_reported(tmp_path: Path) -> None:
    vocabulary = VOCABULARY.replace("cramp: [charley horse]", "cramp: [charley horse, '🦵']")
    red_flags = RED_FLAGS.replace("patterns: [chest pain]", "patterns: [chest pain, '???']")

    problems = problems_for(tmp_path, {"vocabulary.yaml": vocabulary, "red_flags.yaml": red_flags})

    assert problems == [
        "red_flags.yaml:9:28: pattern '???' has no words, so it can never match",
        "vocabulary.yaml:2:26: '🦵' has no letters or digits, so it can never match",
    ]


def test_an_entries_file_ending_in_yml_is_not_silently_ignored(tmp_path: Path) -> None:
    write_knowledge(tmp_path)
    (tmp_path / "entries" / "more.yml").write_text(ENTRIES)

    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(tmp_path)

    assert [str(p) for p in raised.value.problems] == [
        "entries/more.yml:1:1: rename this file to end in .yaml to use it"
    ]


def test_a_bad_web_address_and_a_bad_emergency_number_are_explained(tmp_path: Path) -> None:
    sources = SOURCES.replace(
        "    url: https://pmc.ncbi.nlm.nih.gov/articles/PMC8775277/\n", "    url: www.example.org\n"
    )
    red_flags = RED_FLAGS.replace(
        '{number: "112", where: EU}', '{number: "one-one-two", where: EU}'
    )

    problems = problems_for(tmp_path, {"sources.yaml": sources, "red_flags.yaml": red_flags})

    assert problems == [
        "red_flags.yaml:4:6: 'one-one-two' is not a phone number: use digits, like 112",
        "sources.yaml:11:5: 'www.example.org' is not a web address: it must start with http:// or https://",
    ]


def test_a_question_with_an_unquoted_colon_is_told_to_be_quoted(tmp_path: Path) -> None:
    broken = STITCH_ENTRIES.replace(
        "      - stitch while running\n", "      - stitch while running\n      - note: it hurts\n"
    )

    problems = problems_for(tmp_path, {"entries/side-stitch.yaml": broken})

    assert problems == [
        "entries/side-stitch.yaml:8:9: item 3 of 'questions' must be text, but its colon followed "
        "by a space makes it a 'field: value' pair: put it in quotes, like \"note: it hurts\""
    ]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("    title: Stretching out a cramp\n", "\ttitle: Stretching out a cramp\n"),
        ("      - stretching a calf cramp\n", "\t- stretching a calf cramp\n"),
    ],
)
def test_a_tab_that_indents_is_named(tmp_path: Path, before: str, after: str) -> None:
    problems = problems_for(tmp_path, {"entries/easing.yaml": ENTRIES.replace(before, after)})

    assert len(problems) == 1
    assert problems[0].endswith(
        "invalid YAML: a tab character here: indent with spaces, never tabs"
    )


def test_a_question_of_two_entries_is_reported_at_both_places(tmp_path: Path) -> None:
    # The new line may be in either entry: each place is reported, naming the other.
    broken = STITCH_ENTRIES.replace(
        "      - stitch while running\n",
        "      - stitch while running\n      - How do I  stretch out a cramp\n",
    )

    problems = problems_for(tmp_path, {"entries/side-stitch.yaml": broken})

    assert problems == [
        "entries/easing.yaml:6:9: question 'how do i stretch out a cramp' is also an example "
        "of 'side-stitch' (entries/side-stitch.yaml:8)",
        "entries/side-stitch.yaml:8:9: question 'How do I  stretch out a cramp' is also an "
        "example of 'stretch-a-cramp' (entries/easing.yaml:6)",
    ]


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        (
            "'chest| pain'",
            "red_flags.yaml:9:28: item 2 of 'patterns': 'chest|' has an empty alternative:"
            " write alternatives joined by '|' with no spaces, like calf|thigh",
        ),
        (
            "'" + "a|b|c " * 6 + "'",
            "red_flags.yaml:9:28: item 2 of 'patterns': '" + ("a|b|c " * 6).strip() + "'"
            " stands for 729 phrases; at most 256: split it into several lines",
        ),
    ],
)
def test_a_pattern_with_a_broken_or_huge_family_of_alternatives_is_reported(
    tmp_path: Path, pattern: str, problem: str
) -> None:
    red_flags = RED_FLAGS.replace("patterns: [chest pain]", f"patterns: [chest pain, {pattern}]")

    assert problems_for(tmp_path, {"red_flags.yaml": red_flags}) == [problem]
