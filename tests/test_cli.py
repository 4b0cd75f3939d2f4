"""The `runbot` command as operators and moderators use it."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.cli import _answer_lines, main
from bot.answering import Brain
from bot.knowledge.load import load_knowledge
from tests.helpers import KNOWLEDGE_DIR

JSON_FIELDS = {
    *("status", "entry", "confidence", "text", "source", "suggestions"),
    *("suggestions_kind", "caveat", "basis"),  # added later; the first six never change
}


def test_ask_prints_the_reply_as_a_runner_reads_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "who is anna weber"]) == 0

    out = capsys.readouterr().out
    assert "Anna Weber" in out
    assert 'Source: "Running: How to Overcome Muscle Cramps"' in out


def test_ask_json_prints_one_object_with_the_documented_fields(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["ask", "--json", "who is anna weber"]) == 0

    reply = json.loads(capsys.readouterr().out)
    assert set(reply) == JSON_FIELDS
    assert reply["status"] == "answered"
    assert reply["entry"] == "about-the-author"
    assert 0 < reply["confidence"] <= 1
    assert reply["source"] == {
        "title": "Running: How to Overcome Muscle Cramps",
        "author": "Anna Weber",
        "publisher": "Linked Fitness Community",
        "url": None,
    }
    assert reply["text"].endswith("see a doctor or physio.")


def test_ask_json_reads_questions_from_stdin_one_object_per_line_in_order() -> None:
    questions = io.StringIO("who is anna weber\nhow do i fix shin splints\nchest pain\n\n")
    out = io.StringIO()

    _answer_lines(Brain(load_knowledge(KNOWLEDGE_DIR)), questions, out)

    replies = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [reply["status"] for reply in replies] == ["answered", "fallback", "urgent", "fallback"]
    assert all(set(reply) == JSON_FIELDS for reply in replies)
    assert replies[1]["source"] is None
    assert replies[2]["entry"] is None
    assert replies[2]["basis"]
    assert all(cited["label"] in replies[2]["text"] for cited in replies[2]["basis"])


def test_ask_json_gives_an_answers_caveat_and_follow_ups_as_records(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["ask", "--json", "what causes muscle cramps when running"]) == 0

    reply = json.loads(capsys.readouterr().out)
    caveat = reply["caveat"]
    assert caveat["text"] in reply["text"]
    assert caveat["cites"]
    assert all(set(cited) == {"source", "label"} for cited in caveat["cites"])
    assert reply["suggestions"]
    assert reply["suggestions_kind"] in {"related", "also_asked", "close"}
    assert reply["basis"] == []


def test_ask_json_streams_stdin_through_the_console_script(tmp_path: Path) -> None:
    import subprocess
    import sys

    runbot = Path(sys.executable).with_name("runbot")
    finished = subprocess.run(
        [str(runbot), "ask", "--json"],
        input="who is anna weber\nside stitch?\n",
        capture_output=True,
        text=True,
        check=True,
        env={"RUNBOT_LOG_LEVEL": "WARNING", "PATH": ""},
        cwd=tmp_path,
    )

    lines = finished.stdout.splitlines()
    assert len(lines) == 2
    assert json.loads(lines[0])["entry"] == "about-the-author"


def test_kb_check_passes_on_the_shipped_knowledge(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "check", "--strict"]) == 0

    assert capsys.readouterr().out.startswith("OK: ")


def test_kb_check_fails_with_file_and_line_on_a_broken_edit(
    knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = sorted((knowledge_copy / "entries").glob("*.yaml"))[0]
    entries.write_text(entries.read_text().replace("    answer:", "    anwser:", 1))

    assert main(["--knowledge", str(knowledge_copy), "kb", "check"]) == 1

    err = capsys.readouterr().err
    assert f"{entries.relative_to(knowledge_copy)}:" in err
    assert "unknown field 'anwser': did you mean 'answer'?" in err
    assert "missing field 'answer'" in err


def test_eval_of_one_set_prints_the_figures_and_the_misses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["eval", "--set", "red-flags"]) == 0  # 245 cases: the smallest answer set

    out = capsys.readouterr().out
    assert "in scope answered correctly:" in out
    assert "in scope asked 'did you mean':" in out
    assert "red-flag recall:" in out
    assert "misses (" in out


def test_ask_without_a_question_explains_itself(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask"]) == 2
    assert "give a QUESTION" in capsys.readouterr().err


def test_ask_joins_an_unquoted_question(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "how do i stop a cramp"]) == 0
    quoted = json.loads(capsys.readouterr().out)

    assert main(["ask", "--json", "how", "do", "i", "stop", "a", "cramp"]) == 0

    unquoted = json.loads(capsys.readouterr().out)
    assert unquoted == quoted
    assert unquoted["status"] == "answered"


def test_version_is_printed_by_runbot_and_python_m_adapters(tmp_path: Path) -> None:
    import subprocess
    import sys
    from importlib.metadata import version

    runbot = Path(sys.executable).with_name("runbot")
    for command in ([str(runbot)], [sys.executable, "-m", "adapters"]):
        finished = subprocess.run(
            [*command, "--version"], capture_output=True, text=True, check=True, cwd=tmp_path
        )
        assert finished.stdout == f"runbot {version('runbot')}\n"


def test_a_platform_that_cannot_start_gets_a_clear_message_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    token = "123456:SECRET-never-printed"
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
    monkeypatch.setenv("TELEGRAM_BASE_URL", "http://127.0.0.1:9/bot")  # nothing listens there
    monkeypatch.setenv("RUNBOT_QUESTION_LOG", "false")
    monkeypatch.setenv("RUNBOT_WATCH_KNOWLEDGE", "false")

    assert main(["telegram"]) == 1

    err = capsys.readouterr().err
    assert err.startswith("runbot stopped: NetworkError")
    assert "Traceback" not in err
    assert token not in err


def test_debug_logging_never_turns_on_the_platform_libraries_debug_logs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RUNBOT_LOG_LEVEL", "DEBUG")

    assert main(["ask", "hi"]) == 0

    assert logging.getLogger("bot").getEffectiveLevel() == logging.DEBUG
    for library in ("telegram", "discord", "httpcore"):
        assert logging.getLogger(library).getEffectiveLevel() >= logging.INFO
    assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING


def test_eval_can_leave_out_the_semantic_signals(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Without the semantic signal the first is asked about and the second answered wrongly.
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "cases:\n"
        '  - {q: "how do I prevent cramps", expect: hydration}\n'
        '  - {q: "what to eat the night before a marathon", expect: none}\n',
        encoding="utf-8",
    )
    assert main(["eval", "--file", str(cases), "--lexical-only"]) == 0
    lexical = " ".join(capsys.readouterr().out.split())
    assert main(["eval", "--file", str(cases)]) == 0
    both = " ".join(capsys.readouterr().out.split())

    assert "in scope answered correctly: 100.0% (1/1)" in both
    assert "out of scope held back: 100.0% (1/1)" in both
    assert "in scope asked 'did you mean': 100.0% (1/1)" in lexical
    assert "out of scope held back: 0.0% (0/1)" in lexical


def test_runbot_ask_imports_nothing_it_does_not_need() -> None:
    """Start-up: each of these cost `runbot ask` 5-70 ms, and it answers without them."""
    unneeded = ["asyncio", "pydantic_settings", "sqlite3", "rich"]
    unneeded += ["onnxruntime", "prometheus_client", "telegram", "discord"]
    unneeded += ["safetensors"]  # the embedding weights are mapped from their file (bot.semantic)
    script = (
        "import sys\n"
        "from adapters.cli import main\n"
        "assert main(['ask', 'why do I cramp']) == 0\n"
        f"print([name for name in {unneeded!r} if name in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "[]"


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["--version"], 0),
        (["health"], 2),  # no RUNBOT_HEALTH_PORT: a usage error, after reading the settings
    ],
)
def test_commands_without_knowledge_import_none_of_its_machinery(
    argv: list[str], code: int, tmp_path: Path
) -> None:
    """`runbot health` is a container's HEALTHCHECK, run every few seconds: it reads the
    settings and asks the endpoint, and loads no knowledge, numpy or embedding model."""
    unneeded = ["numpy", "yaml", "rapidfuzz", "tokenizers", "bot.answering"]
    script = (
        "import sys\n"
        "from adapters.cli import main\n"
        "try:\n"
        f"    code = main({argv!r})\n"
        "except SystemExit as exit:\n"
        "    code = exit.code\n"
        f"assert code == {code}, code\n"
        f"print([name for name in {unneeded!r} if name in sys.modules])\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != "RUNBOT_HEALTH_PORT"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
        cwd=tmp_path,  # no .env of the checkout's
    )
    assert done.stdout.splitlines()[-1] == "[]"
