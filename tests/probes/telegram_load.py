"""Figures from outside: the real `runbot telegram` process under load, against the stand-in.

    python -m tests.probes.telegram_load [--code DIR] [SCENARIO ...]

Scenarios (all by default):
  faults   2,000 updates from 200 runners while the Bot API fails for three windows
           (500s, resets, malformed answers, hangs past the read timeout): replies lost
           and duplicated
  reload   runners' reply latency while a moderator sends /reload (3,000-entry knowledge)
  gaps     runners' reply latency while a moderator sends /gaps on a 300,000-row log
  locked   runners' reply latency while another process locks the database, and rows lost
  flood    other runners' latency while one runner sends 600 messages
  sigterm  600 updates in hand, then SIGTERM: how many are answered, the exit code

`--code DIR` runs another checkout of runbot (e.g. main, for the figures before a change):
its directory goes first on PYTHONPATH. Not a test: it prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any

from tests.telegram.process import RunbotProcess, runbot_process
from tests.telegram.standin import ApiCall, Fault
from tests.telegram.updates import private

MODERATOR = 42
PROJECT = Path(__file__).resolve().parents[2]
QUESTIONS = [
    "what to do about a side stitch",
    "how do I stretch out a cramp?",
    "massage a cramp",
    "hi",
    "how do i fix shin splints",
]
SAME_LOCK = (
    "import sqlite3, sys\n"
    "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "db.execute('BEGIN EXCLUSIVE')\n"
    "print('locked', flush=True)\n"
    "sys.stdin.read()\n"
)


class Replies:
    """Each chat's replies as they arrive, for latencies and counts."""

    def __init__(self) -> None:
        self.by_chat: dict[int, list[float]] = defaultdict(list)
        self._waiting: dict[int, list[tuple[int, asyncio.Future[float]]]] = defaultdict(list)

    def __call__(self, call: ApiCall) -> None:
        if call.method != "sendMessage" or call.status != 200:
            return
        chat = int(call["chat_id"])
        arrived = time.monotonic()
        self.by_chat[chat].append(arrived)
        still = []
        for count, future in self._waiting[chat]:
            if len(self.by_chat[chat]) >= count and not future.done():
                future.set_result(arrived)
            elif not future.done():
                still.append((count, future))
        self._waiting[chat] = still

    async def nth(self, chat: int, count: int, seconds: float = 120) -> float:
        if len(self.by_chat[chat]) >= count:
            return self.by_chat[chat][count - 1]
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting[chat].append((count, future))
        return await asyncio.wait_for(future, seconds)


def percentiles(latencies: list[float]) -> str:
    if not latencies:
        return "no replies"
    ordered = sorted(latencies)
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms ({len(ordered)} replies)"


async def runners_meanwhile(
    runbot: RunbotProcess,
    replies: Replies,
    runners: range,
    during: Callable[[], Awaitable[object]],
    think: float = 0.5,
) -> tuple[list[float], list[float], int]:
    """Runners ask one question after another (closed loop, a pause between: together well
    under Telegram's 30 messages a second) before and during `during()`: their latencies
    before, during, and how many questions they asked."""
    before: list[float] = []
    meanwhile: list[float] = []
    asked = Counter[int]()
    event = asyncio.Event()
    done = asyncio.Event()

    async def runner(chat: int) -> None:
        for question in itertools.cycle(QUESTIONS):
            if done.is_set():
                return
            started = time.monotonic()
            in_event = event.is_set()
            await runbot.api.push(private(question, user=chat))
            asked[chat] += 1
            arrived = await replies.nth(chat, asked[chat])
            (meanwhile if in_event else before).append(arrived - started)
            await asyncio.sleep(think)

    tasks = [asyncio.create_task(runner(chat)) for chat in runners]
    await asyncio.sleep(4)  # normal traffic first
    event.set()
    await during()
    done.set()
    await asyncio.gather(*tasks)
    return before, meanwhile, sum(asked.values())


# --- scenarios ---------------------------------------------------------------------------


async def faults(work: Path) -> None:
    replies = Replies()
    started = time.monotonic()
    windows = [(6, 11), (22, 27), (38, 43)]
    kinds = itertools.cycle(["500", "reset", "malformed", "hang"])
    counter = itertools.count()

    def policy(method: str, fields: dict[str, Any]) -> Fault | None:
        now = time.monotonic() - started
        if method != "sendMessage" or not any(a <= now < b for a, b in windows):
            return None
        if next(counter) % 3:
            return None
        kind = next(kinds)
        if kind == "500":
            return Fault(500, {"ok": False, "error_code": 500, "description": "Internal"})
        return Fault(0, {}, kind, 6.0 if kind == "hang" else 0.0)

    async with runbot_process(work, RUNBOT_WATCH_KNOWLEDGE="false") as runbot:
        runbot.api.on_call = replies
        runbot.api.fault_policy = policy
        sent = Counter[int]()
        for number in range(10):
            for chat in range(5000, 5200):
                await runbot.api.push(private(f"{QUESTIONS[number % 4]} #{number}", user=chat))
                sent[chat] += 1
                await asyncio.sleep(1 / 33)
        quiet_since = time.monotonic()
        total = 0
        while time.monotonic() - quiet_since < 15:  # until no reply for 15 s
            await asyncio.sleep(1)
            now = sum(len(times) for times in replies.by_chat.values())
            if now != total:
                total, quiet_since = now, time.monotonic()
        lost = sum(max(0, sent[c] - len(replies.by_chat[c])) for c in sent)
        duplicated = sum(max(0, len(replies.by_chat[c]) - sent[c]) for c in sent)
        failed = sum(
            1 for call in runbot.api.calls if call.method == "sendMessage" and call.status != 200
        )
        print(
            f"faults: {sum(sent.values())} updates from {len(sent)} runners, {failed} sends "
            f"failed in the fault windows -> {lost} replies lost, {duplicated} duplicated"
        )
        await runbot.signal_and_wait(signal.SIGINT, seconds=60)


async def moderator_command(work: Path, command: str, knowledge: Path, db: Path) -> None:
    replies = Replies()
    async with runbot_process(
        work,
        RUNBOT_KNOWLEDGE_DIR=str(knowledge),
        RUNBOT_DB=str(db),
        TELEGRAM_MODERATOR_IDS=str(MODERATOR),
        RUNBOT_WATCH_KNOWLEDGE="false",
    ) as runbot:
        runbot.api.on_call = replies
        timings: list[float] = []

        async def commands() -> None:
            for number in range(1, 4):
                started = time.monotonic()
                await runbot.api.push(private(command))
                timings.append(await replies.nth(MODERATOR, number) - started)

        before, meanwhile, _ = await runners_meanwhile(runbot, replies, range(6000, 6010), commands)
        took = ", ".join(f"{seconds:.2f}" for seconds in timings)
        print(f"{command}: each took {took} s")
        print(f"  other runners before: {percentiles(before)}")
        print(f"  other runners during: {percentiles(meanwhile)}")
        await runbot.signal_and_wait(signal.SIGINT, seconds=60)


async def reload(work: Path) -> None:
    from tests.bench import write_synthetic

    knowledge = work / "knowledge"
    knowledge.mkdir()
    write_synthetic(knowledge, 3000)
    await moderator_command(work, "/reload", knowledge, work / "runbot.db")


async def gaps(work: Path) -> None:
    db = work / "big.db"
    fill_question_log(db, 300_000)
    await moderator_command(work, "/gaps", PROJECT / "knowledge", db)


def fill_question_log(path: Path, rows: int) -> None:
    """A question log of `rows` questions from the last 30 days, a fifth of them gaps."""
    with sqlite3.connect(path) as db:
        db.executescript(
            "CREATE TABLE questions (id INTEGER PRIMARY KEY, reply_id TEXT NOT NULL UNIQUE,"
            " asked_at REAL NOT NULL, platform TEXT NOT NULL, asker_hash TEXT, question TEXT,"
            " status TEXT NOT NULL, entry_id TEXT, confidence REAL NOT NULL,"
            " small_talk INTEGER NOT NULL, helpful INTEGER);"
            "CREATE INDEX questions_asked_at ON questions (asked_at);"
        )
        now = time.time()
        gap_words = ["shin splints", "knee pain", "marathon shoes", "plantar", "it band"]
        places = ["hill", "track", "trail", "beach", "road", "park", "treadmill", "city"]
        times = ["morning", "evening", "night", "lunch", "weekend", "winter", "summer"]
        kinds = ["tempo", "interval", "long", "easy", "recovery", "race", "fartlek"]

        def row(number: int) -> tuple[object, ...]:
            at = now - (rows - number) * (30 * 86_400 / rows)
            if number % 5 == 0:
                text = (
                    f"{gap_words[number % 5]} after my {kinds[number // 5 % 7]} "
                    f"{places[number // 35 % 8]} run in the {times[number // 280 % 7]}"
                )
                return (
                    f"r{number}",
                    at,
                    "telegram",
                    f"h{number % 900}",
                    text,
                    "fallback",
                    None,
                    0.1,
                    0,
                )
            return (
                f"r{number}",
                at,
                "telegram",
                f"h{number % 900}",
                "side stitch",
                "answered",
                "side-stitch",
                0.9,
                0,
            )

        db.executemany(
            "INSERT INTO questions (reply_id, asked_at, platform, asker_hash, question, status,"
            " entry_id, confidence, small_talk) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row(number) for number in range(rows)),
        )
    db.close()


async def locked(work: Path) -> None:
    replies = Replies()
    db = work / "runbot.db"
    async with runbot_process(work, RUNBOT_DB=str(db), RUNBOT_WATCH_KNOWLEDGE="false") as runbot:
        runbot.api.on_call = replies

        async def hold_the_lock() -> None:
            locker = await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                SAME_LOCK,
                str(db),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
            )
            assert locker.stdout is not None
            assert locker.stdin is not None
            await locker.stdout.readline()
            await asyncio.sleep(12)
            locker.stdin.close()
            await locker.wait()

        before, meanwhile, asked = await runners_meanwhile(
            runbot, replies, range(7000, 7010), hold_the_lock
        )
        print("locked database (12 s):")
        print(f"  runners before: {percentiles(before)}")
        print(f"  runners during: {percentiles(meanwhile)}")
        await asyncio.sleep(2)
        await runbot.signal_and_wait(signal.SIGINT, seconds=60)
    with sqlite3.connect(db) as check:
        logged = check.execute("SELECT COUNT(*) FROM questions").fetchone()[0]
    check.close()
    print(f"  {asked} questions asked, {logged} in the log: {asked - logged} rows lost")


async def flood(work: Path) -> None:
    replies = Replies()
    async with runbot_process(work, RUNBOT_WATCH_KNOWLEDGE="false") as runbot:
        runbot.api.on_call = replies

        async def flood_of_600() -> None:
            for number in range(600):
                await runbot.api.push(private(f"side stitch {number}", user=8000))
            await asyncio.sleep(15)

        before, meanwhile, _ = await runners_meanwhile(
            runbot, replies, range(8100, 8110), flood_of_600
        )
        notices = sum(
            1
            for call in runbot.api.calls
            if call.method == "sendMessage" and "faster than I can answer" in call["text"]
        )
        print("flood (one runner sends 600 messages):")
        print(f"  other runners before: {percentiles(before)}")
        print(f"  other runners during: {percentiles(meanwhile)}")
        print(
            f"  the flooder got {len(replies.by_chat[8000])} messages, {notices} asking to slow down"
        )
        await runbot.signal_and_wait(signal.SIGKILL, seconds=60)


async def sigterm(work: Path) -> None:
    async with runbot_process(work) as runbot:  # the watcher on, as `runbot telegram` runs
        for number in range(10):
            for chat in range(9000, 9060):
                await runbot.api.push(private(f"side stitch {number}", user=chat))
        # As in the report: every update fetched (the last batch asked for with offset 501).
        async with asyncio.timeout(30):
            while not any(  # noqa: ASYNC110
                c.method == "getUpdates" and int(c.fields.get("offset") or 0) >= 501
                for c in runbot.api.calls
            ):
                await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)
        started = time.monotonic()
        code = await runbot.signal_and_wait(signal.SIGTERM, seconds=60)
        took = time.monotonic() - started
    answered = sum(1 for c in runbot.api.calls if c.method == "sendMessage" and c.status == 200)
    offsets = [
        int(c["offset"])
        for c in runbot.api.calls
        if c.method == "getUpdates" and "offset" in c.fields
    ]
    confirmed = max(offsets, default=1) - 1  # an offset confirms every update before it
    print(
        f"sigterm: 600 updates in hand -> {answered} answered, {confirmed} confirmed to Telegram "
        f"(so {max(0, confirmed - answered)} lost for good), exit code {code}, stopped in "
        f"{took:.1f} s"
    )


SCENARIOS: dict[str, Callable[[Path], Coroutine[Any, Any, None]]] = {
    "faults": faults,
    "reload": reload,
    "gaps": gaps,
    "locked": locked,
    "flood": flood,
    "sigterm": sigterm,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", metavar="SCENARIO", help=", ".join(SCENARIOS))
    parser.add_argument("--code", type=Path, help="run this checkout of runbot instead")
    options = parser.parse_args()
    unknown = set(options.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"no such scenario: {', '.join(sorted(unknown))}")
    if options.code:
        os.environ["PYTHONPATH"] = str(options.code.resolve())
    print(f"runbot from {options.code or 'this checkout'}")
    for name in options.scenarios or SCENARIOS:
        with tempfile.TemporaryDirectory() as work:
            asyncio.run(SCENARIOS[name](Path(work)))


if __name__ == "__main__":
    main()
