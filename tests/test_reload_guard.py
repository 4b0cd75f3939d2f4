"""A reload never silently shrinks the red-flag screen or drops entries: it waits for a
moderator to confirm, and `runbot kb check` shows what an edit would remove."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from adapters.cli import main
from bot.messages import reload_report
from bot.reply import Question, Status
from bot.service import Confirmation, ReloadResult, RunbotService
from tests.helpers import KNOWLEDGE_DIR, RED_FLAGS

LIGHT_HEADED = Question("I feel faint and dizzy", "console")
SHIPPED_RED_FLAGS = len(
    re.findall(
        r"^  - id:", (KNOWLEDGE_DIR / "red_flags.yaml").read_text(encoding="utf-8"), re.MULTILINE
    )
)
CUT = f"{SHIPPED_RED_FLAGS - 1} of {SHIPPED_RED_FLAGS} red flags"


def cut_after_first_red_flag(knowledge: Path) -> None:
    """red_flags.yaml as an editor writing in place leaves it: valid, but 1 red flag long."""
    path = knowledge / "red_flags.yaml"
    text = path.read_text(encoding="utf-8")
    starts = [match.start() for match in re.finditer(r"^  - id:", text, re.MULTILINE)]
    path.write_text(text[: starts[1]], encoding="utf-8")


def test_a_truncated_red_flags_file_is_held_and_the_full_screen_still_serves(
    knowledge_copy: Path,
) -> None:
    service = RunbotService(knowledge_copy)
    before = len(service.brain.knowledge.red_flags.red_flags)
    heard: list[ReloadResult] = []
    service.on_reload(heard.append)
    cut_after_first_red_flag(knowledge_copy)

    result = service.reload()

    assert not result.ok
    assert result.confirmation is Confirmation.NEEDED
    assert result.removals is not None
    assert len(result.removals.red_flags) == before - 1
    assert reload_report(result).startswith(
        f"Knowledge NOT reloaded: the edit removes {before - 1} of {before} red flags. "
        "Still serving the last good knowledge"
    )
    assert "\nred flags removed: " in reload_report(result)
    assert heard == [result]  # the moderators' chats are told
    assert len(service.brain.knowledge.red_flags.red_flags) == before
    assert service.answer(LIGHT_HEADED).status is Status.URGENT


def test_a_moderator_confirms_exactly_what_they_were_shown(knowledge_copy: Path) -> None:
    service = RunbotService(knowledge_copy)
    flags = len(service.brain.knowledge.red_flags.red_flags)  # moderators add some
    cut_after_first_red_flag(knowledge_copy)
    held = service.reload()
    assert held.token

    confirmed = service.reload(confirm=held.token)

    assert confirmed.ok
    assert confirmed.confirmation is Confirmation.CONFIRMED
    assert reload_report(confirmed).startswith("Knowledge reloaded: ")
    assert f"A moderator confirmed removing {flags - 1} of {flags} red flags." in reload_report(
        confirmed
    )
    assert len(service.brain.knowledge.red_flags.red_flags) == 1


def test_a_confirmation_of_other_removals_than_the_files_make_now_is_held_again(
    small_knowledge: Path,
) -> None:
    service = RunbotService(small_knowledge)
    (small_knowledge / "entries" / "side-stitch.yaml").unlink()
    shown = service.reload()
    (small_knowledge / "red_flags.yaml").write_text(
        RED_FLAGS.replace("patterns: [chest pain]", "patterns: [crushing chest]")
    )

    again = service.reload(confirm=shown.token)

    assert again.confirmation is Confirmation.NEEDED
    assert again.token != shown.token
    assert again.removals is not None
    assert again.removals.entries == ("side-stitch",)
    assert again.removals.patterns == (("chest-pain", "chest pain"),)
    assert "red-flag patterns removed: 'chest pain' (chest-pain)" in reload_report(again)
    assert service.answer(Question("chest pain")).status is Status.URGENT


def test_a_declined_removal_keeps_serving_and_is_told(small_knowledge: Path) -> None:
    service = RunbotService(small_knowledge)
    heard: list[ReloadResult] = []
    service.on_reload(heard.append)
    (small_knowledge / "red_flags.yaml").write_text(
        RED_FLAGS.replace('  - {number: "112", where: EU}', '  - {number: "999", where: UK}')
    )
    held = service.reload()
    assert held.token

    declined = service.decline_reload(held.token)

    assert declined.confirmation is Confirmation.DECLINED
    assert reload_report(declined).startswith(
        "Knowledge NOT reloaded: a moderator declined removing 1 emergency number; "
        "still serving the last good knowledge (3 entries)."
    )
    assert heard == [held, declined]
    assert "112" in service.answer(Question("chest pain")).text


def test_additions_and_rewordings_need_no_confirmation(small_knowledge: Path) -> None:
    service = RunbotService(small_knowledge)
    (small_knowledge / "red_flags.yaml").write_text(
        RED_FLAGS.replace("patterns: [chest pain]", "patterns: [Chest  Pain, chest tight]")
    )

    result = service.reload()

    assert result.ok
    assert result.confirmation is None
    assert service.answer(Question("my chest feels tight")).status is Status.URGENT


def test_kb_check_lists_what_an_edit_would_remove_from_what_runbot_serves(
    knowledge_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    record = tmp_path / "served.json"
    RunbotService(knowledge_copy, served_record=record)  # as a running bot records it
    monkeypatch.setenv("RUNBOT_SERVED_RECORD", str(record))
    cut_after_first_red_flag(knowledge_copy)

    assert main(["--knowledge", str(knowledge_copy), "kb", "check"]) == 0

    out = capsys.readouterr().out
    assert re.search(r"^OK with \d+ warning", out, re.MULTILINE)
    assert "Compared with what runbot serves (recorded " in out
    assert f"this edit removes {CUT}:" in out
    assert "  red flags removed: " in out
    assert "a running runbot holds this edit until a moderator confirms it" in out


def test_kb_check_compares_with_another_folder_when_asked(
    knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cut_after_first_red_flag(knowledge_copy)

    main(["--knowledge", str(knowledge_copy), "kb", "check", "--against", str(KNOWLEDGE_DIR)])

    out = capsys.readouterr().out
    assert f"Compared with {KNOWLEDGE_DIR}: this edit removes {CUT}:" in out


def test_starting_with_less_than_the_last_run_served_is_logged(
    knowledge_copy: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    record = tmp_path / "served.json"
    RunbotService(knowledge_copy, served_record=record)
    cut_after_first_red_flag(knowledge_copy)

    with caplog.at_level(logging.WARNING, logger="bot.service"):
        RunbotService(knowledge_copy, served_record=record)

    assert f"runbot starts with less than it served when it last ran: {CUT}" in (caplog.text)
