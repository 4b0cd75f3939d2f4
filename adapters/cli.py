"""The `runbot` command: chat, ask, check knowledge, evaluate, and run the platforms."""

from __future__ import annotations

import argparse
import functools
import gc
import json
import logging
import os
import shlex
import sys
import threading
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from adapters.platforms import PLATFORMS, Platform, PlatformError, configured, plainly
from bot.cycle_collector import collector_paused
from bot.db import database_for
from bot.usage import UsageError

# Commands import what only they need inside their functions: `runbot ask` must start fast,
# and the service (asyncio, sqlite3, prometheus_client, rich) costs it 0.2 s; `runbot
# health` (a container's HEALTHCHECK) and `--version` need no knowledge, numpy or model.
if TYPE_CHECKING:
    from bot.answering import Brain
    from bot.knowledge import Problem
    from bot.question_log import QuestionLogStore, QuestionLogUnusableError
    from bot.service import QuestionLog, RunbotService
    from bot.settings import Settings

__all__ = ["console", "main"]

# `kb gaps` in a terminal may take longer than a chat command: it reads more questions.
_GAP_QUESTIONS_READ = 50_000

EVAL_SET_NAMES = (
    "written",
    "written-5",
    "real",
    "real-5",
    "red-flags",
    "red-flags-2",
    "red-flags-3",
    "red-flags-4",
    "red-flags-5",
    "red-flags-6",
    "red-flags-holdout",
    "written-holdout",
    "written-holdout-3",
    "written-holdout-2",
    "real-holdout",
    "real-holdout-4",
)


def console() -> None:
    """The `runbot` console script and `python -m bot`: main(), then a quick exit."""
    code = main()
    # The process is ending: without this, the interpreter's last cycle collection walks
    # every object the knowledge built (0.2 s of `runbot ask`); the exit frees them anyway.
    gc.freeze()
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `runbot` console script; returns the exit code."""
    options = _parser().parse_args(argv)
    # Every command reads the settings (pydantic) and may meet a knowledge error.
    from bot.knowledge import KnowledgeError, problem_report
    from bot.logs import configure_logging
    from bot.settings import read_settings

    try:
        settings = read_settings()
        configure_logging(settings, [name for p in PLATFORMS for name in p.libraries])
        knowledge_dir: Path = options.knowledge or settings.runbot_knowledge_dir
        return int(options.run(options, settings, knowledge_dir))
    except UsageError as error:
        for line in str(error).splitlines():
            print(f"runbot: {line}", file=sys.stderr)
        return 2
    except KnowledgeError as error:
        print(f"runbot cannot load its knowledge from {knowledge_dir}:", file=sys.stderr)
        print(problem_report(error.problems, limit=100), file=sys.stderr)
        return 1
    except PlatformError as error:
        print(f"runbot stopped: {error}", file=sys.stderr)
        print(
            "Check the token and the network (RUNBOT_LOG_LEVEL=DEBUG shows more).", file=sys.stderr
        )
        return 1
    except _question_log_unusable() as error:  # kb gaps / kb stats: the log is the point
        where = database_for(settings.runbot_db).where  # never a URL's password
        print(f"runbot cannot use the question log {where}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `runbot eval | head`: the reader left; that's fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="runbot",
        description="Answers runners' cramp questions from a moderated knowledge base.",
    )
    parser.add_argument("--version", action=_PrintVersion)
    parser.add_argument(
        "--knowledge",
        type=Path,
        metavar="DIR",
        help="knowledge directory (default: $RUNBOT_KNOWLEDGE_DIR or ./knowledge)",
    )
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run every configured platform (console chat if none)")
    run.set_defaults(run=_run)

    for platform in PLATFORMS:
        command = commands.add_parser(platform.name, help=f"run the {platform.title} bot")
        platform.add_options(command)
        command.set_defaults(run=functools.partial(_one_platform, platform))

    health = commands.add_parser(
        "health", help="ask a running runbot's health endpoint; exit 0 if it is healthy"
    )
    health.set_defaults(run=_health)

    chat = commands.add_parser("chat", help="chat with runbot in this terminal")
    chat.set_defaults(run=_chat)

    ask = commands.add_parser("ask", help="print runbot's reply to one question")
    ask.add_argument(
        "question",
        nargs="*",
        help="the question, quoted or not; omit it with --json to read questions from stdin",
    )
    ask.add_argument(
        "--json",
        action="store_true",
        help="print a JSON object; without QUESTION, answer each stdin line (JSON Lines)",
    )
    ask.set_defaults(run=_ask)

    kb = commands.add_parser("kb", help="knowledge base tools for moderators")
    kb_commands = kb.add_subparsers(title="kb commands", required=True, metavar="KB_COMMAND")
    check = kb_commands.add_parser("check", help="validate the knowledge files (exit 1 on errors)")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors too")
    check.add_argument(
        "--format",
        choices=["text", "github"],
        default="text",
        help="github: each problem as a GitHub Actions annotation on its line",
    )
    check.add_argument(
        "--against",
        type=Path,
        metavar="DIR",
        help="list what the edit removes compared with DIR (default: what runbot serves)",
    )
    check.set_defaults(run=_kb_check)

    schema = kb_commands.add_parser("schema", help="write the JSON Schemas editors use")
    schema.set_defaults(run=_kb_schema)

    gaps = kb_commands.add_parser("gaps", help="what runners asked that runbot could not answer")
    gaps.add_argument("--days", type=int, default=30, help="look this many days back (30)")
    gaps.add_argument("--limit", type=int, default=20, help="show this many groups (20)")
    gaps.add_argument("--format", choices=["table", "csv", "json"], default="table")
    gaps.set_defaults(run=_kb_gaps)

    teach = kb_commands.add_parser(
        "teach", help="add a question runners asked to an entry's example questions"
    )
    teach.add_argument("entry", help="the entry's id, e.g. stretch-a-cramp")
    teach.add_argument("question", nargs="+", help="the question, quoted or not")
    teach.add_argument("--undo", action="store_true", help="take the question back out")
    teach.set_defaults(run=_kb_teach)

    stats = kb_commands.add_parser("stats", help="answers and feedback per entry")
    stats.add_argument("--days", type=int, default=30, help="look this many days back (30)")
    stats.set_defaults(run=_kb_stats)

    evaluation = commands.add_parser(
        "eval", help="measure answer quality on the evaluation sets (all, one line each)"
    )
    group = evaluation.add_mutually_exclusive_group()
    group.add_argument(
        "--set",
        choices=EVAL_SET_NAMES,
        help="one set in detail, with every miss (the -holdout sets were never tuned on)",
    )
    group.add_argument("--file", type=Path, help="an evaluation file of your own")
    evaluation.add_argument(
        "--lexical-only",
        action="store_true",
        help="leave out the semantic signals (to see what they add)",
    )
    evaluation.set_defaults(run=_eval)
    return parser


class _PrintVersion(argparse.Action):
    """`runbot --version`; reads the installed version only when asked (it takes a moment)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print runbot's version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            installed = version("runbot")
        except PackageNotFoundError:  # run from a checkout that was never `pip install`ed
            installed = "(not installed)"
        print(f"runbot {installed}")
        parser.exit()


def _question_log_unusable() -> type[QuestionLogUnusableError]:
    # Called only when an exception reaches that `except`: commands without a log never
    # import sqlite3.
    from bot.question_log import QuestionLogUnusableError

    return QuestionLogUnusableError


def _question_log(settings: Settings) -> tuple[QuestionLog | None, str | None]:
    """The question log if it is wanted, and why there is none if it cannot be used."""
    from bot import messages
    from bot.question_log import QuestionLogUnusableError

    if not settings.runbot_question_log:
        return None, None
    try:
        question_log = _open_log(settings)
    except QuestionLogUnusableError as error:  # answer anyway: the log is for reports
        where = database_for(settings.runbot_db).where  # never a URL's password
        problem = messages.question_log_unusable(where, str(error))
        logging.getLogger(__name__).error(problem)
        return None, problem
    if question_log.shared and settings.runbot_asker_salt is None:
        logging.getLogger(__name__).warning(
            "RUNBOT_DB is shared by several workers but RUNBOT_ASKER_SALT is not set: each "
            "worker hashes runners differently, so a vote through one is unknown to another "
            "and an 'ask a moderator' press that reaches another worker is refused"
        )
    return question_log, None


def _open_log(settings: Settings) -> QuestionLogStore:
    from bot.question_log import open_question_log

    salt = settings.runbot_asker_salt
    return open_question_log(
        settings.runbot_db,
        settings.runbot_retention_days,
        salt=salt.get_secret_value() if salt else None,
    )


def _serving_service(settings: Settings, knowledge_dir: Path) -> RunbotService:
    """The service a running bot uses: with the question log, if it is enabled."""
    from bot.service import RunbotService

    question_log, problem = _question_log(settings)
    service = RunbotService(
        knowledge_dir,
        question_log=question_log,
        served_record=settings.runbot_served_record,
        question_log_problem=problem,
        ask_a_human=settings.runbot_ask_a_human,
    )
    # Several workers: each says what it serves, so that a deploy can be checked.
    logging.getLogger(__name__).info(
        "serving knowledge version %s (%d entries from %s)",
        service.knowledge_version,
        service.entry_count,
        knowledge_dir,
    )
    return service


def _run(options: argparse.Namespace, settings: Settings, knowledge_dir: Path) -> int:
    platforms = configured(settings)
    if not platforms and not sys.stdin.isatty():
        # A container or a service without tokens: a chat would read no input and end at once.
        tokens = " or ".join(platform.token_setting for platform in PLATFORMS)
        raise UsageError(
            f"run: no platform is configured (set {tokens}, see .env.example) and there is "
            "no terminal to chat in; `runbot chat` reads a pipe"
        )
    if not platforms:
        return _chat(options, settings, knowledge_dir)
    return _serve_platforms(settings, knowledge_dir, platforms)


def _one_platform(
    platform: Platform, options: argparse.Namespace, settings: Settings, knowledge_dir: Path
) -> int:
    """`runbot NAME`: serve one platform (or do what one of its options asks)."""
    if platform.token(settings) is None:
        print(
            f"runbot {platform.name}: set {platform.token_setting} (see .env.example)",
            file=sys.stderr,
        )
        return 2
    done = platform.run_once(options, settings)
    if done is not None:
        return done
    return _serve_platforms(settings, knowledge_dir, [platform])


def _serve_platforms(settings: Settings, knowledge_dir: Path, platforms: list[Platform]) -> int:
    """Serve `platforms` until stopped, with the health endpoint if it is configured."""
    import asyncio

    from bot.health import health_endpoint
    from bot.metrics import METRICS

    names = [platform.name for platform in platforms]
    METRICS.serving(names)
    # The endpoint starts first: it answers 503 while the knowledge loads and platforms connect.
    with health_endpoint(settings, names):
        service = _serving_service(settings, knowledge_dir)
        warm_up = threading.Thread(target=service.warm_up, name="warm-up", daemon=True)
        warm_up.start()
        try:
            asyncio.run(plainly(_serve_all(service, settings, platforms), settings))
        finally:
            service.close()  # what the question log still holds is written
            # onnxruntime aborts the process if it is still running when Python exits.
            warm_up.join()
    return 0


async def _serve_all(service: RunbotService, settings: Settings, platforms: list[Platform]) -> None:
    """Serve every platform in `platforms` from one event loop, reloading on edits."""
    import asyncio

    from bot.stopping import stop_on_signals
    from bot.watch import watch_knowledge

    with stop_on_signals(settings.runbot_stop_seconds) as stop:
        jobs: list[Coroutine[Any, Any, None]] = [
            platform.start(service, settings, stop) for platform in platforms
        ]
        if settings.runbot_watch_knowledge:
            jobs.append(watch_knowledge(service, stop=stop))
        names = ", ".join(platform.name for platform in platforms)
        logging.getLogger(__name__).info("runbot serving: %s", names)
        await asyncio.gather(*jobs)


def _health(options: argparse.Namespace, settings: Settings, knowledge_dir: Path) -> int:
    """For HEALTHCHECK and monitoring scripts: print /healthz; 0 when healthy, else 1."""
    from bot.health import probe

    if settings.runbot_health_port is None:
        raise UsageError("health: RUNBOT_HEALTH_PORT is not set, so there is no endpoint to ask")
    status, report = probe(settings.runbot_health_listen, settings.runbot_health_port)
    print(report)
    return 0 if status == 200 else 1


def _chat(options: argparse.Namespace, settings: Settings, knowledge_dir: Path) -> int:
    from adapters.console import run_chat
    from bot.logs import quiet_for_chat
    from bot.stopping import raise_interrupt_on_sigterm
    from bot.watch import watch_knowledge_in_thread

    # The chat keeps the main thread, so Ctrl-C and Ctrl-D reach it at once.
    with quiet_for_chat():
        service = _serving_service(settings, knowledge_dir)
        database = database_for(settings.runbot_db)
        kept_in = (
            None
            if not service.keeps_questions
            else Path(database.where).resolve()
            if database.dialect == "sqlite"
            else database.where
        )
        watching = watch_knowledge_in_thread(service) if settings.runbot_watch_knowledge else None
        try:
            with raise_interrupt_on_sigterm():
                run_chat(service, question_log=kept_in)
        finally:
            if watching is not None:
                watching.stop()
            service.close()
    return 0


def _ask(options: argparse.Namespace, settings: Settings, knowledge_dir: Path) -> int:
    # Operators script and audit with `ask`; it is not logged as a runner's question.
    question = " ".join(options.question)
    if not question and not options.json:
        raise UsageError("ask: give a QUESTION (or use --json to read questions from stdin)")
    from bot.warm_start import one_shot_brain

    # The brain alone: the service around it counts, logs and reloads, which `ask` never does.
    with collector_paused():  # building makes few cycles; collecting them cost 15 ms here
        brain = one_shot_brain(knowledge_dir, settings.runbot_cache_dir)
        reply = brain.answer(question) if question else None
    if reply is not None:
        from bot.reply import reply_json

        print(json.dumps(reply_json(reply), ensure_ascii=False) if options.json else reply.text)
        return 0
    _answer_lines(brain, sys.stdin, sys.stdout)
    return 0


def _answer_lines(brain: Brain, lines: TextIO, out: TextIO) -> None:
    from bot.reply import reply_json

    for line in lines:
        reply = brain.answer(line.rstrip("\n"))
        out.write(json.dumps(reply_json(reply), ensure_ascii=False) + "\n")
        out.flush()


def _kb_check(options: argparse.Namespace, settings: Settings, knowledge_dir: Path) -> int:
    from bot.annotations import github_annotation, repository_path
    from bot.answering import Brain
    from bot.knowledge import KnowledgeError
    from bot.knowledge.checks import lint
    from bot.knowledge.load import load_knowledge
    from bot.progress import terminal_progress

    def show(problems: Sequence[Problem]) -> None:
        folder = repository_path(knowledge_dir)
        for problem in problems:
            print(github_annotation(problem, folder) if github else problem)

    github = options.format == "github"
    try:
        brain = Brain(load_knowledge(knowledge_dir))
    except KnowledgeError as error:
        if not github:
            raise  # printed by main()
        show(error.problems)
        print(f"FAILED: {len(error.problems)} problem(s) in {knowledge_dir}.")
        return 1
    knowledge = brain.knowledge
    found = lint(brain, terminal_progress)
    warnings = [problem for problem in found if problem.severity == "warning"]
    show(warnings)
    questions = sum(len(entry.questions) for entry in knowledge.entries.values())
    verdict = "OK" if not warnings else f"OK with {len(warnings)} warning(s)"
    if warnings and options.strict:
        verdict = f"FAILED (--strict): {len(warnings)} warning(s)"
    print(
        f"{verdict}: {len(knowledge.entries)} entries in {len(knowledge.topics)} topics, "
        f"{questions} example questions, {len(knowledge.sources)} sources, "
        f"{len(knowledge.red_flags.red_flags)} red flags."
    )
    show([problem for problem in found if problem.severity == "note"])  # after the verdict
    from bot.removals_report import removals_report

    print(removals_report(knowledge, options.against, settings.runbot_served_record), end="")
    return 1 if warnings and options.strict else 0


def _kb_schema(options: argparse.Namespace, settings: Settings, knowledge_dir: Path) -> int:
    from bot.knowledge.schema import SCHEMA_DIR, SCHEMAS, render_schemas, schema_comment

    schema_dir = knowledge_dir / SCHEMA_DIR
    schema_dir.mkdir(exist_ok=True)
    for name, text in render_schemas().items():
        (schema_dir / name).write_text(text, encoding="utf-8")
        print(f"wrote {schema_dir / name}")
    for pattern in SCHEMAS:
        for path in sorted(knowledge_dir.glob(pattern)):
            comment = schema_comment(path, knowledge_dir)
            text = path.read_text(encoding="utf-8")
            if not text.startswith(comment):
                path.write_text(f"{comment}\n{text}", encoding="utf-8")
                print(f"added the schema line to {path}")
    return 0


def _kb_gaps(options: argparse.Namespace, settings: Settings, knowledge_dir: Path) -> int:
    from bot.answering import Brain
    from bot.gaps import LOW_CONFIDENCE, find_gaps, format_gaps
    from bot.knowledge.load import load_knowledge
    from bot.progress import terminal_progress

    brain = Brain(load_knowledge(knowledge_dir))
    with _open_log(settings) as question_log:
        asked = question_log.unanswered(options.days, LOW_CONFIDENCE, _GAP_QUESTIONS_READ)
    gaps = find_gaps(brain, asked, options.limit, terminal_progress)
    print(format_gaps(gaps, options.format, options.days), end="")
    return 0


def _kb_teach(options: argparse.Namespace, settings: Settings, knowledge_dir: Path) -> int:
    from bot.answering import Brain
    from bot.knowledge.load import load_knowledge
    from bot.teach import TeachRefusedError, teach, unteach

    question = " ".join(options.question)
    brain = Brain(load_knowledge(knowledge_dir))  # what the question gets today
    try:
        if options.undo:
            lesson = unteach(knowledge_dir, brain, options.entry, question)
        else:
            lesson = teach(knowledge_dir, brain, options.entry, question)
    except TeachRefusedError as error:
        print(
            f"runbot kb teach: not {'removed' if options.undo else 'added'}: {error}",
            file=sys.stderr,
        )
        return 1
    if options.undo:
        print(f"Removed {lesson.question!r} from '{lesson.entry_id}' ({lesson.where}).")
    else:
        print(f"Added {lesson.question!r} to '{lesson.entry_id}' ({lesson.where}).")
        undo = f"runbot kb teach --undo {lesson.entry_id} {shlex.quote(lesson.question)}"
        print(f"Checked as `runbot kb check` does: no problems. To take it back: {undo}")
    print("A running runbot reloads the file by itself within a second.")
    return 0


def _kb_stats(options: argparse.Namespace, settings: Settings, knowledge_dir: Path) -> int:
    from bot.knowledge.load import load_knowledge

    knowledge = load_knowledge(knowledge_dir)
    with _open_log(settings) as question_log:
        counts = {row.entry_id: row for row in question_log.entry_counts(options.days)}
    print(f"{'entry':<28} {'answered':>8} {'helpful':>8} {'not helpful':>12}")
    for entry_id in sorted(
        knowledge.entries, key=lambda i: -(counts[i].answered if i in counts else 0)
    ):
        row = counts.get(entry_id)
        answered, helpful, unhelpful = (
            (row.answered, row.helpful, row.not_helpful) if row else (0, 0, 0)
        )
        print(f"{entry_id:<28} {answered:>8} {helpful:>8} {unhelpful:>12}")
    return 0


def _eval(options: argparse.Namespace, settings: Settings, knowledge_dir: Path) -> int:
    from bot.answering import Brain
    from bot.eval_files import read_cases
    from bot.evaluation import EVAL_SETS, EvalReport, evaluate
    from bot.knowledge.load import load_knowledge
    from bot.progress import terminal_progress
    from bot.settings import PROJECT_ROOT

    eval_dir = PROJECT_ROOT / "tests" / "eval"
    if not options.file and not eval_dir.is_dir():
        raise UsageError(
            "eval: the evaluation sets come with runbot's source (tests/eval/), not with an "
            "installed runbot; measure your own with --file FILE"
        )
    brain = Brain(load_knowledge(knowledge_dir), semantic=not options.lexical_only)
    if options.file or options.set:
        named = {eval_set.name: eval_set for eval_set in EVAL_SETS}
        paths = [options.file] if options.file else named[options.set].paths(eval_dir)
        cases = [case for path in paths for case in read_cases(path)]
        report = evaluate(brain, cases, terminal_progress)
        print("evaluation set:", ", ".join(str(path) for path in paths))
        print("\n".join(report.lines()))
        if report.misses:
            print(f"\nmisses ({len(report.misses)}):")
            for miss in report.misses:
                print(f"  {miss}")
        return 0

    def cell(share: float, part: int, whole: int) -> str:
        return f"{share:6.1%} {f'({part}/{whole})':>10}"

    columns = ["correct", "wrong", "did you mean", "fallback", "held back", "red flags", "alarms"]
    print(f"{'set':<17} {'cases':>5} " + " ".join(f"{name:>17}" for name in columns))
    for eval_set in EVAL_SETS:
        paths = eval_set.paths(eval_dir)
        if not all(path.is_file() for path in paths):
            print(f"{eval_set.name:<17} (missing: {', '.join(p.name for p in paths)})")
            continue
        cases = [case for path in paths for case in read_cases(path)]
        r: EvalReport = evaluate(brain, cases, terminal_progress)
        answerable = r.in_scope + r.out_of_scope
        answers = [
            cell(r.accuracy, r.answered_correctly, r.in_scope),
            cell(r.wrong_answer_rate, r.answered_wrongly, answerable),
            cell(r.clarify_rate, r.clarified, r.in_scope),
            cell(r.fallback_rate, r.fell_back, r.in_scope),
            cell(r.rejection, r.correctly_not_answered, r.out_of_scope),
        ]
        if eval_set.screen_only:  # its look-alikes are all labelled "none"
            answers = [f"{'-':>17}"] * len(answers)
        cells = [
            *answers,
            cell(r.red_flag_recall, r.red_flags_caught, r.red_flags),
            cell(r.false_alarm_rate, r.false_alarms, answerable),
        ]
        print(f"{eval_set.name:<17} {len(cases):>5} " + " ".join(cells))
    print(
        "\ncorrect, did you mean, fallback: of in-scope questions; wrong, alarms: of questions "
        "that are not red flags; held back: out-of-scope questions not answered; -: a set "
        "that measures the red-flag screen only."
    )
    return 0
