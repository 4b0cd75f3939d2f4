"""`runbot kb teach`: a gap's question becomes an entry's example, every other byte kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.cli import main
from bot.answering import Brain
from bot.knowledge.load import load_knowledge
from bot.reply import Status
from bot.teach import TeachRefusedError, teach, unteach
from tests.helpers import ENTRIES, STITCH_ENTRIES, write_knowledge

QUESTION = "quickest way to get rid of a charley horse"


def brain_of(knowledge: Path) -> Brain:
    return Brain(load_knowledge(knowledge))


def test_teach_adds_one_line_to_a_real_file_and_undo_restores_every_byte(
    knowledge_copy: Path,
) -> None:
    path = knowledge_copy / "entries" / "easing-a-cramp.yaml"
    before = path.read_bytes()

    lesson = teach(knowledge_copy, brain_of(knowledge_copy), "stretch-a-cramp", QUESTION)

    after = path.read_bytes().splitlines(keepends=True)
    added = after.pop(lesson.line - 1)
    assert added == f"      - {QUESTION}\n".encode()
    assert b"".join(after) == before  # comments, order, quotes, folded answers: all kept
    # After the entry's last question: a question before it, none after it.
    assert after[lesson.line - 2].startswith(b"      - ")
    assert not after[lesson.line - 1].startswith(b"      - ")
    brain = brain_of(knowledge_copy)
    reply = brain.answer(QUESTION)
    assert (reply.status, reply.entry_id) == (Status.ANSWERED, "stretch-a-cramp")

    undone = unteach(knowledge_copy, brain, "stretch-a-cramp", QUESTION)

    assert undone.line == lesson.line
    assert path.read_bytes() == before


def test_a_new_question_goes_above_the_comments_after_the_list(tmp_path: Path) -> None:
    entries = ENTRIES.replace(
        "      - stretching a calf cramp\n",
        "      - stretching a calf cramp   # from the forum\n    # the answer is the article's\n",
    ).replace("      - rubbing a cramped calf\n", "      - rubbing a cramped calf\n\n# more soon\n")
    knowledge = write_knowledge(tmp_path, {"entries/easing.yaml": entries})
    path = knowledge / "entries" / "easing.yaml"

    teach(knowledge, brain_of(knowledge), "stretch-a-cramp", "calf cramp on a hill")
    teach(knowledge, brain_of(knowledge), "massage-a-cramp", "kneading a cramped calf")

    assert path.read_text(encoding="utf-8") == entries.replace(
        "# from the forum\n", "# from the forum\n      - calf cramp on a hill\n"
    ).replace("calf\n\n", "calf\n      - kneading a cramped calf\n\n")


def test_a_flow_list_and_windows_line_endings_are_kept(tmp_path: Path) -> None:
    entries = STITCH_ENTRIES.replace(
        "    questions:\n      - what to do about a side stitch\n      - stitch while running\n",
        "    questions: [what to do about a side stitch, stitch while running]\n",
    )
    knowledge = write_knowledge(tmp_path, {"entries/side-stitch.yaml": entries})
    path = knowledge / "entries" / "side-stitch.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))

    lesson = teach(knowledge, brain_of(knowledge), "side-stitch", "stitch: what now")

    assert (
        path.read_bytes()
        == entries.replace("stitch while running]", "stitch while running, 'stitch: what now']")
        .replace("\n", "\r\n")
        .encode()
    )
    assert lesson.line == 5


@pytest.mark.parametrize(
    ("entry_id", "question", "why"),
    [
        ("stretch-a-cramp", "How do I stretch out a  cramp", "is already an example of "
         "'stretch-a-cramp' (entries/easing.yaml:6)"),
        ("side-stitch", "stretching a calf cramp", "is already an example of 'stretch-a-cramp' "
         "(entries/easing.yaml:7)"),
        ("side-stitch", "how do i stretch out a calf cramp", "runbot already answers 'how do "
         "i stretch out a calf cramp' with 'stretch-a-cramp'"),
        ("side-stitch", "chest pain when i run", "describes a red flag"),
        ("side-stich", "a question", "there is no entry 'side-stich': did you mean 'side-stitch'?"),
        ("side-stitch", "why " * 60, "characters long; an example question may have 200"),
    ],
)  # fmt: skip
def test_teach_refuses_what_would_not_help_and_writes_nothing(
    small_knowledge: Path, entry_id: str, question: str, why: str
) -> None:
    files = sorted((small_knowledge / "entries").iterdir())
    before = [path.read_bytes() for path in files]

    with pytest.raises(TeachRefusedError) as refused:
        teach(small_knowledge, brain_of(small_knowledge), entry_id, question)

    assert why in str(refused.value)
    assert [path.read_bytes() for path in files] == before


def test_teach_refuses_a_question_kb_check_would_warn_about(small_knowledge: Path) -> None:
    # Filler words only: even as an example, it would never be answered with this entry.
    with pytest.raises(TeachRefusedError) as refused:
        teach(small_knowledge, brain_of(small_knowledge), "side-stitch", "what is the")

    assert str(refused.value).startswith("kb check would warn about it, so it was not added:\n")
    assert "entries/side-stitch.yaml:8:9: warning: example of 'side-stitch'" in str(refused.value)


def test_kb_teach_says_where_it_added_the_question_and_how_to_undo(
    small_knowledge: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--knowledge", str(small_knowledge), "kb", "teach", "side-stitch", "sharp",
                 "stitch", "under my ribs"])  # fmt: skip

    assert code == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [
        "Added 'sharp stitch under my ribs' to 'side-stitch' (entries/side-stitch.yaml:8).",
        "Checked as `runbot kb check` does: no problems. To take it back: runbot kb teach "
        "--undo side-stitch 'sharp stitch under my ribs'",
    ]

    assert main(["--knowledge", str(small_knowledge), "kb", "teach", "side-stitch", "sharp",
                 "stitch under my ribs"]) == 1  # fmt: skip
    assert "is already an example of 'side-stitch'" in capsys.readouterr().err
