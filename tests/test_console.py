"""The console chat: the adapter `make run` starts when no platform token is set."""

from __future__ import annotations

import io
from collections.abc import Iterator

from adapters.console import HELP, ConsoleChat, run_chat
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

    clarify = chat.respond("electrolytes")

    assert clarify is not None
    assert "1. " in clarify
    assert "2. " in clarify
    picked = chat.respond("2")
    assert picked is not None
    assert picked.startswith(service.preview("electrolytes").suggestions[1].title)


def test_a_number_out_of_range_explains_itself(service: RunbotService) -> None:
    chat = ConsoleChat(service)
    chat.respond("electrolytes")

    assert chat.respond("9") == "Choose a number from 1 to 2, or ask a question."


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
