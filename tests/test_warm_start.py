"""The warm start: `runbot ask` unpickles the Brain it built before from the cache folder,
never a stale or unsound copy, and reports bad files exactly as a plain load does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.answering import Brain
from bot.knowledge import KnowledgeBase, KnowledgeError
from bot.knowledge.files import MAX_FILE_BYTES
from bot.knowledge.load import load_knowledge
from bot.warm_start import one_shot_brain
from tests.helpers import ENTRIES, KNOWLEDGE_DIR, write_knowledge

QUESTIONS = ["how do i stretch out a cramp", "stitch in my side", "calf cramp", "hello"]


def cache_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("brain-*.pickle"))


def load_knowledge_warm(directory: Path, cache: Path) -> KnowledgeBase:
    return one_shot_brain(directory, cache).knowledge


def fresh_brain(directory: Path) -> Brain:
    return Brain(load_knowledge(directory), one_shot=True)


def same_knowledge(loaded: KnowledgeBase, expected: KnowledgeBase) -> None:
    assert loaded.directory == expected.directory
    assert dict(loaded.entries) == dict(expected.entries)
    assert loaded.topics == expected.topics
    assert dict(loaded.sources) == dict(expected.sources)
    assert loaded.vocabulary == expected.vocabulary
    assert loaded.red_flags == expected.red_flags
    assert dict(loaded.locations) == dict(expected.locations)  # every position, found again


def test_a_warm_start_gives_what_a_fresh_build_gives(small_knowledge: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = one_shot_brain(small_knowledge, cache)
    [kept] = cache_files(cache)
    warm = one_shot_brain(small_knowledge, cache)

    fresh = fresh_brain(small_knowledge)
    same_knowledge(cold.knowledge, fresh.knowledge)
    same_knowledge(warm.knowledge, fresh.knowledge)
    assert cache_files(cache) == [kept]
    assert [warm.answer(q) for q in QUESTIONS] == [fresh.answer(q) for q in QUESTIONS]


def test_the_shipped_knowledge_answers_the_same_from_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    one_shot_brain(KNOWLEDGE_DIR, cache)
    warm = one_shot_brain(KNOWLEDGE_DIR, cache)

    fresh = fresh_brain(KNOWLEDGE_DIR)
    same_knowledge(warm.knowledge, fresh.knowledge)
    questions = ["calf cramp", "my pee is the colour of cola after the race", "side stitch"]
    questions += ["hi", "do bananas stop cramps? and what about pickle juice", "knee pain"]
    assert [warm.answer(q) for q in questions] == [fresh.answer(q) for q in questions]


def test_an_edited_knowledge_file_is_read_again(small_knowledge: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_knowledge_warm(small_knowledge, cache)
    [before] = cache_files(cache)
    edited = ENTRIES.replace("title: Stretching out a cramp", "title: Stretching a cramp away")
    write_knowledge(small_knowledge, {"entries/easing.yaml": edited})

    knowledge = load_knowledge_warm(small_knowledge, cache)

    assert knowledge.entries["stretch-a-cramp"].title == "Stretching a cramp away"
    assert cache_files(cache) != [before]  # the copy of the old files is gone
    assert len(cache_files(cache)) == 1


def test_a_new_entries_file_is_read(small_knowledge: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_knowledge_warm(small_knowledge, cache)
    more = ENTRIES.replace("topic: Easing a cramp", "topic: More easing").replace(
        "id: stretch-a-cramp", "id: stretch-again"
    )
    more = more.replace("id: massage-a-cramp", "id: massage-again")
    more = more.replace("how do i stretch out a cramp", "how to stretch a cramp out")
    more = more.replace("stretching a calf cramp", "calf cramp stretching")
    more = more.replace("should i massage a cramp", "massage for a cramp")
    more = more.replace("rubbing a cramped calf", "rub a cramped calf")
    write_knowledge(small_knowledge, {"entries/more.yaml": more})

    knowledge = load_knowledge_warm(small_knowledge, cache)

    assert "More easing" in [topic.name for topic in knowledge.topics]
    assert "stretch-again" in knowledge.entries


def test_a_yml_file_added_after_a_warm_start_is_reported(
    small_knowledge: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    load_knowledge_warm(small_knowledge, cache)
    (small_knowledge / "entries" / "extra.yml").write_text(ENTRIES, encoding="utf-8")

    with pytest.raises(KnowledgeError) as raised:
        load_knowledge_warm(small_knowledge, cache)

    assert [str(p) for p in raised.value.problems] == [
        "entries/extra.yml:1:1: rename this file to end in .yaml to use it"
    ]


def test_bad_files_are_reported_at_their_line_as_a_plain_load_reports_them(
    small_knowledge: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    load_knowledge_warm(small_knowledge, cache)  # the good files are kept
    broken = ENTRIES.replace(
        "    questions:\n      - how do i stretch", "    qestions:\n      - how"
    )
    write_knowledge(small_knowledge, {"entries/easing.yaml": broken})

    with pytest.raises(KnowledgeError) as warm:
        load_knowledge_warm(small_knowledge, cache)
    with pytest.raises(KnowledgeError) as plain:
        load_knowledge(small_knowledge)

    assert warm.value.problems == plain.value.problems
    reported = [str(problem) for problem in warm.value.problems]
    assert any(
        line.startswith("entries/easing.yaml:5:5: unknown field 'qestions'") for line in reported
    )
    with pytest.raises(KnowledgeError):  # and again: bad files are never kept
        load_knowledge_warm(small_knowledge, cache)


@pytest.mark.parametrize("kind", ["pipe", "too big"])
def test_a_file_that_must_not_be_read_is_reported_as_a_plain_load_reports_it(
    small_knowledge: Path, tmp_path: Path, kind: str
) -> None:
    cache = tmp_path / "cache"
    one_shot_brain(small_knowledge, cache)
    sources = small_knowledge / "sources.yaml"
    sources.unlink()
    if kind == "pipe":
        os.mkfifo(sources)  # nothing writes to it: reading it would block forever
    else:
        sources.write_text("# " + "x" * MAX_FILE_BYTES + "\n", encoding="utf-8")

    with pytest.raises(KnowledgeError) as warm:
        one_shot_brain(small_knowledge, cache)
    with pytest.raises(KnowledgeError) as plain:
        load_knowledge(small_knowledge)

    assert warm.value.problems == plain.value.problems
    assert warm.value.problems[0].file == "sources.yaml"


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-40] + bytes(40), id="zeroed tail"),
        pytest.param(lambda data: b"not a cache at all", id="garbage"),
        pytest.param(lambda data: b"", id="empty"),
    ],
)
def test_a_corrupt_cache_file_is_ignored_and_replaced(
    small_knowledge: Path, tmp_path: Path, damage: object
) -> None:
    cache = tmp_path / "cache"
    load_knowledge_warm(small_knowledge, cache)
    [kept] = cache_files(cache)
    sound = kept.read_bytes()
    assert callable(damage)
    kept.write_bytes(damage(sound))

    knowledge = load_knowledge_warm(small_knowledge, cache)

    same_knowledge(knowledge, load_knowledge(small_knowledge))
    assert kept.read_bytes() == sound  # rewritten from the files


def test_a_sound_copy_of_other_knowledge_under_this_key_is_never_read(
    small_knowledge: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    other = write_knowledge(
        tmp_path / "other",
        {"entries/easing.yaml": ENTRIES.replace("Stretching out a cramp", "Planted title")},
    )
    load_knowledge_warm(other, cache)
    [other_copy] = cache_files(cache)
    planted = other_copy.read_bytes()  # a sound copy, of other files
    load_knowledge_warm(small_knowledge, cache)
    [kept] = cache_files(cache)
    kept.write_bytes(planted)  # renamed to this knowledge's key, and this user's own file
    kept.chmod(0o600)

    title = load_knowledge_warm(small_knowledge, cache).entries["stretch-a-cramp"].title

    assert title == "Stretching out a cramp"


@pytest.mark.parametrize(("mode", "read"), [(0o600, True), (0o666, False)])
def test_a_cache_file_is_read_only_if_this_user_alone_can_write_it(
    small_knowledge: Path, tmp_path: Path, mode: int, read: bool
) -> None:
    cache = tmp_path / "cache"
    load_knowledge_warm(small_knowledge, cache)
    [kept] = cache_files(cache)
    kept.chmod(mode)
    kept_before = kept.stat().st_ino

    load_knowledge_warm(small_knowledge, cache)

    [after] = cache_files(cache)
    # Read: the same file. Not read: built from the files and kept anew, this user's alone.
    assert (after.stat().st_ino == kept_before) is read
    assert after.stat().st_mode & 0o777 == 0o600


def test_a_temporary_file_a_killed_ask_left_is_removed(
    small_knowledge: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    load_knowledge_warm(small_knowledge, cache)
    abandoned, recent = cache / ".brain-killed", cache / ".brain-writing"
    abandoned.write_bytes(b"half a copy")
    recent.write_bytes(b"another ask writing now")
    os.utime(abandoned, (0, 0))
    for path in cache_files(cache):
        path.unlink()  # the next ask writes a copy again

    load_knowledge_warm(small_knowledge, cache)

    assert not abandoned.exists()
    assert recent.exists()


def test_a_cache_folder_that_cannot_be_written_only_costs_the_warm_start(
    small_knowledge: Path, tmp_path: Path
) -> None:
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the folder should be", encoding="utf-8")

    for _ in range(2):
        knowledge = load_knowledge_warm(small_knowledge, not_a_folder)
        same_knowledge(knowledge, load_knowledge(small_knowledge))
    assert not_a_folder.read_text(encoding="utf-8") == "a file where the folder should be"


def test_runbot_ask_reads_no_yaml_when_the_knowledge_is_unchanged(
    knowledge_copy: Path, tmp_path: Path
) -> None:
    """The warm start's point: a second `runbot ask` neither parses nor validates the files;
    the embedding model it refers to loads from its package (every socket fails)."""
    script = (
        "import socket, sys\n"
        "def refuse(*args, **kwargs):\n"
        "    raise OSError('network unreachable (test)')\n"
        "socket.socket.connect = socket.create_connection = socket.getaddrinfo = refuse\n"
        "from adapters.cli import main\n"
        f"assert main(['--knowledge', {str(knowledge_copy)!r}, 'ask', 'calf cramp']) == 0\n"
        "print(sorted(name for name in ('yaml', 'bot.knowledge.load') if name in sys.modules))\n"
    )
    environment = {**os.environ, "RUNBOT_CACHE_DIR": str(tmp_path / "cache")}

    def imported() -> tuple[str, str]:
        done: subprocess.CompletedProcess[str] = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env=environment,
        )
        *reply, last = done.stdout.splitlines()
        return "\n".join(reply), last

    cold_reply, cold = imported()
    warm_reply, warm = imported()
    entries = knowledge_copy / "entries"
    edited = next(entries.glob("*.yaml"))
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _, after_an_edit = imported()

    assert cold == "['bot.knowledge.load', 'yaml']"
    assert warm == "[]"
    assert warm_reply == cold_reply
    assert "Stretching out a cramp" in warm_reply
    assert after_an_edit == "['bot.knowledge.load', 'yaml']"
    # A cache folder others could write is neither read nor written.
    (tmp_path / "cache").chmod(0o777)
    assert [imported()[1] for _ in range(2)] == ["['bot.knowledge.load', 'yaml']"] * 2
