"""The console chat: the adapter `make run` starts when no platform token is set."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

from adapters.console import HELP, PROMPT, ConsoleChat, greeting, run_chat, wrap
from bot.service import RunbotService


def test_help_topics_and_choosing_a_topic_by_number(service: RunbotService) -> None:
    chat = ConsoleChat(service)

    assert chat.respond("/help") == HELP
    topics = chat.respond("/topics")
    assert topics is not None
    first_topic = service.topics()[0]
    assert topics.splitlines()[0] == first_topic.name
    assert topics.splitlines()[1] == f"   1. {first_topic.entries[0].title}"

    answer = chat.respond("1")

    assert answer is not None
    assert answer.startswith(first_topic.entries[0].title)
    assert "Source:" in answer


def test_did_you_mean_choices_are_numbered_and_can_be_picked(service: RunbotService) -> None:
    chat = ConsoleChat(service)

    clarify = chat.respond("leg cramps")

    assert clarify is not None
    assert "1. " in clarify
    assert "2. " in clarify
    picked = chat.respond("2")
    assert picked is not None
    assert picked.startswith(service.preview("leg cramps").suggestions[1].title)


def test_a_number_out_of_range_explains_itself(service: RunbotService) -> None:
    chat = ConsoleChat(service)
    chat.respond("leg cramps")

    assert chat.respond("9") == "Choose a number from 1 to 3, or ask a question."


def test_quit_leaves(service: RunbotService) -> None:
    assert ConsoleChat(service).respond("/quit") is None


def test_chat_loop_answers_until_end_of_input(service: RunbotService) -> None:
    lines: Iterator[str] = iter(["who is anna weber", "", "/quit", "never read"])
    out = io.StringIO()

    run_chat(service, read=lambda prompt: next(lines), out=out)

    printed = out.getvalue()
    assert printed.startswith("runbot: ask me about running cramps.")
    assert "Anna Weber" in printed
    assert "never read" not in printed


def test_chat_loop_ends_quietly_on_ctrl_d(service: RunbotService) -> None:
    def read(prompt: str) -> str:
        raise EOFError

    out = io.StringIO()
    run_chat(service, read=read, out=out)

    assert out.getvalue().endswith("\n")


def test_unknown_commands_are_answered_as_unknown_and_never_asked(
    service: RunbotService,
) -> None:
    chat = ConsoleChat(service)

    assert chat.respond("/reload now") == (
        "There is no /reload command here. Try /topics, /help or quit."
    )
    assert service.stats().questions == 0


def test_help_and_greeting_say_how_to_leave() -> None:
    assert "quit, exit, /quit" in HELP
    assert "quit (or Ctrl-D) to leave" in greeting(None)


def test_the_greeting_says_once_that_and_where_questions_are_kept(
    service: RunbotService, tmp_path: Path
) -> None:
    kept_in = tmp_path / "runbot.db"
    out = io.StringIO()

    run_chat(service, read=lambda prompt: "quit", out=out, question_log=kept_in)

    printed = " ".join(out.getvalue().split())  # unwrapped
    assert printed.count("for the moderators' gap report") == 1
    assert f"in {kept_in} (RUNBOT_QUESTION_LOG=false turns that off)" in printed
    assert "kept" not in greeting(None)


def test_replies_are_wrapped_to_the_width_without_splitting_words() -> None:
    text = (
        "Stretch the calf gently and hold it for thirty seconds, then walk it off slowly.\n"
        "\n"
        "You might also ask about:\n"
        "1. What electrolytes have to do with cramps when running a long marathon race\n"
        "Source: https://example.org/a-very-long-address-that-must-stay-whole-for-clicking"
    )

    wrapped = wrap(text, 30)

    lines = wrapped.splitlines()
    assert all(len(line) <= 30 for line in lines if "https://" not in line)
    assert wrapped.split() == text.split()  # every word intact, in order
    assert "" in lines  # paragraphs kept
    assert lines[lines.index("1. What electrolytes have to") + 1].startswith("   do ")
    assert lines[-1] == "https://example.org/a-very-long-address-that-must-stay-whole-for-clicking"


def test_the_chat_wraps_replies_to_the_width_it_is_given(service: RunbotService) -> None:
    lines: Iterator[str] = iter(["who is anna weber", "quit"])
    out = io.StringIO()

    run_chat(service, read=lambda prompt: next(lines), out=out, width=lambda: 40)

    assert max(len(line) for line in out.getvalue().splitlines()) <= 40


def test_a_reload_is_announced_once_on_a_line_of_its_own(small_knowledge: Path) -> None:
    service = RunbotService(small_knowledge)
    out = io.StringIO()

    def read(prompt: str) -> str:
        if "reloaded" not in out.getvalue():
            service.reload()  # as the watcher's thread does while the chat waits for input
            return "   "
        return "quit"

    run_chat(service, read=read, out=out)

    summary = "Knowledge reloaded: 3 entries in"
    assert out.getvalue().count(summary) == 1
    (line,) = [line for line in out.getvalue().splitlines() if summary in line]
    assert line.startswith(summary)


class Terminal(io.StringIO):
    """What the chat writes to a terminal, escape codes included."""

    def isatty(self) -> bool:
        return True


def test_on_a_terminal_a_reload_clears_the_prompt_line_and_draws_the_prompt_again(
    small_knowledge: Path,
) -> None:
    service = RunbotService(small_knowledge)
    out = Terminal()
    prompts = iter(["reload", "quit"])

    def read(prompt: str) -> str:
        if next(prompts) == "reload":
            service.reload()
            return ""
        return "quit"

    run_chat(service, read=read, out=out)

    assert "\r\x1b[KKnowledge reloaded: 3 entries in" in out.getvalue()
    assert re.search(r"\r\x1b\[KKnowledge reloaded: [^\n]*\n" + re.escape(PROMPT), out.getvalue())


def test_the_chat_keeps_info_logs_out_of_the_conversation(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    runbot = Path(sys.executable).with_name("runbot")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "RUNBOT_LOG_LEVEL": "INFO",  # the watcher logs where it watches, at INFO
        "RUNBOT_WATCH_KNOWLEDGE": "true",
        "RUNBOT_DB": str(tmp_path / "runbot.db"),
    }
    finished = subprocess.run(
        [str(runbot), "chat"],
        input="who is anna weber\nquit\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )

    assert finished.stderr == ""
    assert finished.stdout.startswith("runbot: ask me about running cramps.")
    assert "Anna Weber" in finished.stdout
