"""A local console chat with runbot: the default of `make run` when no platform is set up.

It is also the simplest adapter and the test harness for the others: push a line, read
the reply text.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from typing import TextIO

from bot.reply import Question, Reply, Status
from bot.service import RunbotService

__all__ = ["ConsoleChat", "run_chat"]

HELP = """Ask runbot anything about running cramps, side stitches, hydration or sweat rate.
  /topics        list what runbot knows (pick one by number)
  /help          this help
  /quit          leave (Ctrl-D works too)
After "Did you mean...?" or a topic list, type a number to choose."""


class ConsoleChat:
    """One console conversation: turns typed lines into replies, remembering the last menu."""

    def __init__(self, service: RunbotService) -> None:
        self.service = service
        self._menu: list[str] = []

    def respond(self, line: str) -> str | None:
        """The text to print for one typed line; None means the user wants to leave."""
        line = line.strip()
        command = line.lower()
        if command in {"/quit", "/exit", "quit", "exit"}:
            return None
        if command in {"/help", "/start", "help"}:
            return HELP
        if command == "/topics":
            return self._topics()
        if line.isdigit() and self._menu:
            number = int(line)
            if 1 <= number <= len(self._menu):
                reply = self.service.answer_entry(self._menu[number - 1], self._question(line))
                if reply is not None:
                    return self._render(reply)
            return f"Choose a number from 1 to {len(self._menu)}, or ask a question."
        return self._render(self.service.answer(self._question(line)))

    def _question(self, text: str) -> Question:
        return Question(text=text, platform="console")

    def _topics(self) -> str:
        lines: list[str] = []
        self._menu = []
        for topic in self.service.topics():
            lines.append(topic.name)
            for entry in topic.entries:
                self._menu.append(entry.id)
                lines.append(f"  {len(self._menu):>2}. {entry.title}")
        return "\n".join(lines)

    def _render(self, reply: Reply) -> str:
        if not reply.suggestions or reply.status is Status.URGENT:
            self._menu = []
            return reply.text
        self._menu = [suggestion.id for suggestion in reply.suggestions]
        numbered = reply.text
        for number, suggestion in enumerate(reply.suggestions, start=1):
            numbered = numbered.replace(f"• {suggestion.title}", f"{number}. {suggestion.title}", 1)
        return numbered


def run_chat(
    service: RunbotService,
    read: Callable[[str], str] = input,
    out: TextIO = sys.stdout,
) -> None:
    """Chat on the terminal until /quit or end of input."""
    with contextlib.suppress(ImportError):  # readline is not on every platform (Windows)
        import readline  # noqa: F401  (imported for its side effect: line editing and history)
    chat = ConsoleChat(service)
    print("runbot: ask me about running cramps. /help for help, /quit to leave.", file=out)
    while True:
        try:
            line = read("you> ")
        except (EOFError, KeyboardInterrupt):
            print(file=out)
            return
        if not line.strip():
            continue
        text = chat.respond(line)
        if text is None:
            return
        print(f"\n{text}\n", file=out, flush=True)
