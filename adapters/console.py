"""A local console chat with runbot: the default of `make run` when no platform is set up.

It is also the simplest adapter and the test harness for the others: push a line, read
the reply text.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from bot import messages
from bot.messages import Console
from bot.reply import Question, Reply, Status, render_text
from bot.service import ReloadResult, RunbotService

__all__ = ["HELP", "PROMPT", "ConsoleChat", "greeting", "run_chat", "wrap"]

PROMPT = "you> "
HELP = Console.HELP
QUIT = frozenset({"/quit", "/exit", "quit", "exit"})
# Wider lines are hard to read even on a wide terminal.
MOST_COLUMNS = 100
# A list item's continuation lines line up under its text: "  12. " or "• ".
_BULLET = r"^(\s*(?:•|\d+\.)\s+)"


class ConsoleChat:
    """One console conversation: turns typed lines into replies, remembering the last menu."""

    def __init__(self, service: RunbotService) -> None:
        self.service = service
        self._menu: list[str] = []

    def respond(self, line: str) -> str | None:
        """The text to print for one typed line; None means the user wants to leave."""
        line = line.strip()
        command = line.lower()
        if command in QUIT:
            return None
        if command in {"/help", "/start", "help"}:
            return HELP
        if command == "/topics":
            return self._topics()
        if command.startswith("/"):  # a command we don't have is not a question to log
            return Console.UNKNOWN_COMMAND.format(command=line.split()[0])
        if line.isdigit() and self._menu:
            number = int(line)
            if 1 <= number <= len(self._menu):
                reply = self.service.answer_entry(self._menu[number - 1], self._question(line))
                if reply is not None:
                    return self._render(reply)
            return Console.CHOOSE_A_NUMBER.format(most=len(self._menu))
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
        return render_text(reply, numbered=True)


def greeting(question_log: Path | str | None) -> str:
    """The chat's first words; they say once whether and where questions are kept."""
    if question_log is None:
        return Console.HELLO
    return f"{Console.HELLO}\n{Console.KEPT.format(path=question_log)}"


def wrap(text: str, width: int) -> str:
    """`text` wrapped at word boundaries to `width` columns, keeping its line breaks.

    Long words (web addresses) are never split; list items continue under their text.
    """
    lines = []
    for line in text.splitlines():
        bullet = re.match(_BULLET, line)
        hanging = " " * len(bullet.group(1)) if bullet else " " * (len(line) - len(line.lstrip()))
        lines.append(
            textwrap.fill(
                line,
                width,
                subsequent_indent=hanging,
                break_long_words=False,
                break_on_hyphens=False,
            )
            or line
        )
    return "\n".join(lines)


def run_chat(
    service: RunbotService,
    read: Callable[[str], str] = input,
    out: TextIO = sys.stdout,
    *,
    question_log: Path | str | None = None,
    width: Callable[[], int] | None = None,
) -> None:
    """Chat on the terminal until quit or end of input.

    `question_log` is where questions are kept, if they are (the greeting says so);
    `width` gives the columns to wrap to (default: the terminal's, at most 100).
    """
    with contextlib.suppress(ImportError):  # readline is not on every platform (Windows)
        import readline  # noqa: F401  (imported for its side effect: line editing and history)
    columns = width or _terminal_columns
    chat = ConsoleChat(service)
    terminal = _Terminal(out)
    terminal.say(wrap(greeting(question_log), columns()))
    with terminal.announcing_reloads(service):
        while True:
            try:
                line = read(PROMPT)
            except (EOFError, KeyboardInterrupt):
                terminal.say("")
                return
            if not line.strip():
                continue
            text = chat.respond(line)
            if text is None:
                return
            terminal.say(f"\n{wrap(text, columns())}\n")


def _terminal_columns() -> int:
    return min(shutil.get_terminal_size().columns, MOST_COLUMNS)


class _Terminal:
    """The chat's output. Reloads arrive from the watcher's thread while the user may be
    typing: they get a line of their own, and the prompt and the half-typed line come back."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._lock = threading.Lock()

    def say(self, text: str) -> None:
        with self._lock:
            print(text, file=self._out, flush=True)

    def announce(self, result: ReloadResult) -> None:
        report = messages.reload_report(result)
        with self._lock:
            if _is_terminal(self._out):
                # Back to the start of the prompt line and clear it, then draw it again.
                typed = _typed_so_far()
                self._out.write(f"\r\x1b[K{report}\n{PROMPT}{typed}")
            else:
                self._out.write(f"\n{report}\n")
            self._out.flush()

    @contextlib.contextmanager
    def announcing_reloads(self, service: RunbotService) -> Iterator[None]:
        stop = service.on_reload(self.announce)
        try:
            yield
        finally:
            stop()


def _is_terminal(out: TextIO) -> bool:
    try:
        return out.isatty()
    except ValueError:  # closed
        return False


def _typed_so_far() -> str:
    """What the user has typed at the prompt so far (readline knows; else nothing)."""
    try:
        import readline
    except ImportError:
        return ""
    return readline.get_line_buffer()
