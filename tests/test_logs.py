"""runbot's log: JSON lines for log shippers, or a file; secrets redacted either way."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from adapters.telegram_bot.logs import REDACTED, TokenRedactor
from bot.logs import JsonFormatter

TOKEN = "123456:SECRET-never-logged"


def test_json_lines_keep_the_token_redaction_in_messages_and_tracebacks() -> None:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(TokenRedactor(TOKEN))
    log = logging.getLogger("tests.json-log")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("calling https://api.telegram.org/bot%s/getMe", TOKEN)
        try:
            raise ConnectionError(f"cannot reach /bot{TOKEN}/getUpdates")
        except ConnectionError:
            log.exception("polling failed")
    finally:
        log.removeHandler(handler)

    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert TOKEN not in out.getvalue()
    assert first["message"] == f"calling https://api.telegram.org/bot{REDACTED}/getMe"
    assert (first["level"], first["logger"]) == ("WARNING", "tests.json-log")
    assert first["time"].endswith("+00:00")
    assert second["message"] == "polling failed"
    assert f"ConnectionError: cannot reach /bot{REDACTED}/getUpdates" in second["exception"]


def runbot_telegram_unreachable(
    tmp_path: Path, **settings: str
) -> subprocess.CompletedProcess[str]:
    """`runbot telegram` against an address where nothing listens: it logs, then stops."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": "http://127.0.0.1:9/bot",
        "RUNBOT_QUESTION_LOG": "false",
        "RUNBOT_WATCH_KNOWLEDGE": "false",
        "RUNBOT_LOG_LEVEL": "DEBUG",
        **settings,
    }
    runbot = Path(sys.executable).with_name("runbot")
    return subprocess.run(
        [str(runbot), "telegram"], capture_output=True, text=True, env=env, cwd=tmp_path
    )


def test_json_log_format_prints_one_object_a_line(tmp_path: Path) -> None:
    finished = runbot_telegram_unreachable(tmp_path, RUNBOT_LOG_FORMAT="json")

    assert finished.returncode == 1
    *logged, stopped, _advice = finished.stderr.splitlines()
    entries = [json.loads(line) for line in logged]  # every log line is one JSON object
    said = [(entry["level"], entry["logger"], entry["message"]) for entry in entries]
    assert ("INFO", "adapters.cli", "runbot serving: telegram") in said
    assert all({"time", "level", "logger", "message"} <= set(entry) for entry in entries)
    assert stopped.startswith("runbot stopped: NetworkError")  # said to the operator, not logged
    assert TOKEN not in finished.stderr


def test_a_log_file_takes_the_log_off_the_terminal(tmp_path: Path) -> None:
    log_file = tmp_path / "runbot.log"

    finished = runbot_telegram_unreachable(tmp_path, RUNBOT_LOG_FILE=str(log_file))

    assert finished.stderr.startswith("runbot stopped: NetworkError")
    assert " DEBUG " in log_file.read_text(encoding="utf-8")
    assert TOKEN not in log_file.read_text(encoding="utf-8")
