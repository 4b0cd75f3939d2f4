"""The `runbot` command: chat, ask, check knowledge, evaluate, and run the platforms."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from bot.answering import Brain
from bot.evaluation import evaluate, load_cases
from bot.loading import load_knowledge
from bot.problems import KnowledgeError
from bot.reply import Question, reply_json
from bot.service import RunbotService
from bot.settings import PROJECT_ROOT, Settings

__all__ = ["main"]

EVAL_SETS = {
    "eval": PROJECT_ROOT / "tests" / "eval" / "eval.yaml",
    "dev": PROJECT_ROOT / "tests" / "eval" / "dev.yaml",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `runbot` console script; returns the exit code."""
    parser = _parser()
    options = parser.parse_args(argv)
    settings = Settings()
    logging.basicConfig(
        level=settings.runbot_log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs request URLs at INFO, and Telegram's carry the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    knowledge_dir: Path = options.knowledge or settings.runbot_knowledge_dir
    try:
        return int(options.run(options, settings, knowledge_dir))
    except KnowledgeError as error:
        print(f"runbot cannot load its knowledge from {knowledge_dir}:", file=sys.stderr)
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="runbot",
        description="Answers runners' cramp questions from a moderated knowledge base.",
    )
    parser.add_argument(
        "--knowledge",
        type=Path,
        metavar="DIR",
        help="knowledge directory (default: $RUNBOT_KNOWLEDGE_DIR or ./knowledge)",
    )
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run every configured platform (console chat if none)")
    run.set_defaults(run=_run)

    chat = commands.add_parser("chat", help="chat with runbot in this terminal")
    chat.set_defaults(run=_chat)

    ask = commands.add_parser("ask", help="print runbot's reply to one question")
    ask.add_argument("question", nargs="?", help="the question; omit with --json to read stdin")
    ask.add_argument(
        "--json",
        action="store_true",
        help="print a JSON object; without QUESTION, answer each stdin line (JSON Lines)",
    )
    ask.set_defaults(run=_ask)

    kb = commands.add_parser("kb", help="knowledge base tools for moderators")
    kb_commands = kb.add_subparsers(title="kb commands", required=True, metavar="KB_COMMAND")
    check = kb_commands.add_parser("check", help="validate the knowledge files (exit 1 on errors)")
    check.set_defaults(run=_kb_check)

    evaluation = commands.add_parser("eval", help="measure answer quality on the evaluation set")
    group = evaluation.add_mutually_exclusive_group()
    group.add_argument(
        "--dev", action="store_true", help="use the tuning set, not the held-out set"
    )
    group.add_argument("--file", type=Path, help="an evaluation file of your own")
    evaluation.set_defaults(run=_eval)
    return parser


def _run(options: argparse.Namespace, settings: Settings, knowledge_dir: Path) -> int:
    return _chat(options, settings, knowledge_dir)


def _chat(options: argparse.Namespace, settings: Settings, knowledge_dir: Path) -> int:
    from adapters.console import run_chat

    run_chat(RunbotService(knowledge_dir))
    return 0


def _ask(options: argparse.Namespace, settings: Settings, knowledge_dir: Path) -> int:
    service = RunbotService(knowledge_dir)
    if options.question is None and not options.json:
        print("runbot ask: give a QUESTION (or use --json to read questions from stdin)")
        return 2
    if options.question is not None:
        reply = service.answer(Question(options.question, platform="cli"))
        print(json.dumps(reply_json(reply), ensure_ascii=False) if options.json else reply.text)
        return 0
    _answer_lines(service, sys.stdin, sys.stdout)
    return 0


def _answer_lines(service: RunbotService, lines: TextIO, out: TextIO) -> None:
    for line in lines:
        reply = service.answer(Question(line.rstrip("\n"), platform="cli"))
        out.write(json.dumps(reply_json(reply), ensure_ascii=False) + "\n")
        out.flush()


def _kb_check(options: argparse.Namespace, settings: Settings, knowledge_dir: Path) -> int:
    knowledge = load_knowledge(knowledge_dir)  # raises KnowledgeError, printed by main()
    questions = sum(len(entry.questions) for entry in knowledge.entries.values())
    print(
        f"OK: {len(knowledge.entries)} entries in {len(knowledge.topics)} topics, "
        f"{questions} example questions, {len(knowledge.sources)} sources, "
        f"{len(knowledge.red_flags.red_flags)} red flags."
    )
    return 0


def _eval(options: argparse.Namespace, settings: Settings, knowledge_dir: Path) -> int:
    path = options.file or EVAL_SETS["dev" if options.dev else "eval"]
    report = evaluate(Brain(load_knowledge(knowledge_dir)), load_cases(path))
    print(f"evaluation set: {path}")
    print("\n".join(report.lines()))
    if report.misses:
        print(f"\nmisses ({len(report.misses)}):")
        for miss in report.misses:
            print(f"  {miss}")
    return 0
