"""`make bench`: latency, memory, start-up and reload figures, side by side.

Three matchers in one run: runbot as it answers (lexical and semantic signals, both
red-flag screens), runbot with the semantic signals left out (lexical only), and a naive
rapidfuzz `extractOne` over every example question. Not a test: it asserts nothing and
prints figures. Synthetic knowledge bases are built from made-up words with a fixed seed,
so runs are comparable.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import yaml
from rapidfuzz import fuzz, process

if TYPE_CHECKING:
    import numpy.typing as npt

from bot.answering import Brain
from bot.classifier import EntryClassifier
from bot.evaluation import EvalCase, load_cases
from bot.focus import find_focus
from bot.knowledge.load import load_knowledge
from bot.question_log import QuestionLogStore, SqliteQuestionLog, open_question_log
from bot.reply import Question, Reply, Status
from bot.semantic import shared_embedder
from bot.service import RunbotService
from bot.settings import PROJECT_ROOT
from bot.story_model import shared_story_embedder

KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
EVAL_DIR = PROJECT_ROOT / "tests" / "eval"
# Messages for the latency figures: the tuning sets, split into questions and posts as
# the ranker splits them. (The naive baseline is measured on the held-out sets.)
TUNING_SETS = (
    "tuning-1.yaml",
    "tuning-2.yaml",
    "tuning-3.yaml",
    "tuning-4.yaml",
    "real-tuning.yaml",
    "real-tuning-2.yaml",
)
COMMON_WORDS = [
    "how",
    "do",
    "i",
    "my",
    "when",
    "why",
    "what",
    "is",
    "it",
    "a",
    "the",
    "cramp",
    "cramps",
    "run",
    "running",
    "after",
    "during",
]


@dataclass(frozen=True)
class Figures:
    name: str
    examples: int
    build_ms: float
    p50_us: float
    p99_us: float
    peak_mib: float

    def row(self) -> str:
        return (
            f"{self.name:<34} {self.examples:>9,} {self.build_ms:>10.1f} "
            f"{self.p50_us:>10.1f} {self.p99_us:>10.1f} {self.peak_mib:>9.1f}"
        )


HEADER = f"{'scenario':<34} {'examples':>9} {'build ms':>10} {'p50 µs':>10} {'p99 µs':>10} {'peak MiB':>9}"


def latencies(
    answer: Callable[[str], object], questions: Sequence[str], count: int = 300
) -> tuple[float, float]:
    """p50 and p99 in µs over at least `count` timings."""
    for question in questions[:20]:  # warm caches, as a running bot's would be
        answer(question)
    timings = []
    for _ in range(-(-count // len(questions))):
        for question in questions:
            started = time.perf_counter_ns()
            answer(question)
            timings.append((time.perf_counter_ns() - started) / 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.99) - 1]


def measure(
    name: str, build: Callable[[], Callable[[str], object]], questions: Sequence[str], examples: int
) -> Figures:
    started = time.perf_counter()
    answer = build()
    build_ms = (time.perf_counter() - started) * 1000
    p50, p99 = latencies(answer, questions)
    del answer
    # Memory is traced in a second run: tracing slows everything it watches.
    tracemalloc.start()
    answer = build()
    for question in questions[:50]:
        answer(question)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return Figures(name, examples, build_ms, p50, p99, peak / 2**20)


def ours(directory: Path, semantic: bool = True) -> Callable[[], Callable[[str], object]]:
    return lambda: Brain(load_knowledge(directory), semantic=semantic).answer


def baseline(directory: Path) -> Callable[[], Callable[[str], object]]:
    """rapidfuzz's extractOne over every example question: plain string similarity."""

    def build() -> Callable[[str], object]:
        knowledge = load_knowledge(directory)
        choices = [
            q for entry in knowledge.entries.values() for q in (entry.title, *entry.questions)
        ]
        return lambda question: process.extractOne(question, choices, scorer=fuzz.WRatio)

    return build


# --- synthetic knowledge ------------------------------------------------------------------


def made_up_words(rng: random.Random, count: int) -> list[str]:
    syllables = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"]
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def write_synthetic(directory: Path, entries: int, seed: int = 7) -> list[str]:
    """A valid knowledge directory of `entries` entries x 10 questions; returns test questions."""
    rng = random.Random(seed)
    vocabulary = made_up_words(rng, max(2000, entries * 2))
    for name in ("sources.yaml", "vocabulary.yaml", "red_flags.yaml"):
        (directory / name).write_text((KNOWLEDGE_DIR / name).read_text(encoding="utf-8"))
    (directory / "entries").mkdir()
    questions: list[str] = []
    per_file = 100
    for file_number in range(0, entries, per_file):
        items = []
        for number in range(file_number, min(file_number + per_file, entries)):
            # Zipf-like: a few words are shared by many entries, most by few.
            topic = [vocabulary[int(rng.paretovariate(1.2)) % len(vocabulary)] for _ in range(3)]
            topic.append(vocabulary[number % len(vocabulary)])
            examples = []
            for _ in range(10):
                words = rng.sample(COMMON_WORDS, 3) + rng.sample(topic, 3)
                rng.shuffle(words)
                examples.append(" ".join(words) + f" {number}")
            items.append(
                {
                    "id": f"entry-{number}",
                    "title": " ".join(topic[:3]).capitalize(),
                    "questions": examples,
                    "answer": "A synthetic answer.",
                    "source": {"ref": "article"},
                }
            )
            question = rng.choice(examples).split()
            question[rng.randrange(len(question))] = rng.choice(vocabulary)  # one word changed
            questions.append(" ".join(question))
        document = {"topic": f"Topic {file_number // per_file}", "entries": items}
        (directory / "entries" / f"topic-{file_number // per_file:04d}.yaml").write_text(
            yaml.safe_dump(document, sort_keys=False)
        )
    rng.shuffle(questions)
    return questions[:500]


# --- start-up and reload ------------------------------------------------------------------


STARTUP_RUNS = 15


def startup_ms() -> tuple[float, float, float]:
    """Median wall time (15 runs each) of `python -c pass`, of `runbot ask "calf cramp"` with
    the warm start a first run kept (bot.warm_start), and of one with an empty cache."""
    runbot = Path(sys.executable).with_name("runbot")
    ask = [str(runbot), "ask", "calf cramp"]

    def run(command: list[str], cache: Path) -> float:
        environment = {**os.environ, "RUNBOT_CACHE_DIR": str(cache)}
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=environment)
        return (time.perf_counter() - started) * 1000

    def median_ms(command: list[str], cache: Path, cold: bool = False) -> float:
        runs = []
        for _ in range(STARTUP_RUNS):
            if cold:
                shutil.rmtree(cache, ignore_errors=True)
            runs.append(run(command, cache))
        return statistics.median(runs)

    with tempfile.TemporaryDirectory() as folder:
        warm, cold = Path(folder) / "warm", Path(folder) / "cold"
        run(ask, warm)  # keeps the Brain the warm runs start from
        python = median_ms([sys.executable, "-c", "pass"], warm)
        return python, median_ms(ask, warm), median_ms(ask, cold, cold=True)


def reload_ms(directory: Path) -> tuple[float, float]:
    """Median reload time (of 3), and the first one: the embeddings cache starts empty."""
    service = RunbotService(directory)
    runs = []
    for _ in range(3):
        result = service.reload()
        assert result.ok, result.problems
        runs.append(result.seconds * 1000)
    return statistics.median(runs), runs[0]


def classifier_ms() -> tuple[float, float]:
    """Median time (of 5) to train the article's two entry classifiers (bot.classifier), and
    the same with as many BLAS threads as numpy starts with (what `fit` avoids)."""
    brain = Brain(load_knowledge(KNOWLEDGE_DIR))
    # The vectors the Ranker trains them on: the post reader's and the piece index's.
    index, starts = brain.ranker.semantic, brain.index.starts
    read, words = shared_story_embedder().embed(brain.index.example_text), index.example_vectors()

    def median_ms(fit: Callable[[npt.NDArray[np.float32], npt.NDArray[np.int64]], object]) -> float:
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            fit(read, starts), fit(words, starts)
            runs.append((time.perf_counter() - started) * 1000)
        return statistics.median(runs)

    return median_ms(EntryClassifier.fit), median_ms(EntryClassifier._fitted)


@dataclass(frozen=True)
class ReloadUnderLoad:
    alone_per_s: float
    during_per_s: float
    slowest_ms: float
    reload_s: float


def reload_under_load(directory: Path, questions: Sequence[str]) -> ReloadUnderLoad:
    """Answers a second on one thread, alone and while another thread reloads."""
    service = RunbotService(directory)
    stop = threading.Event()
    answered: list[tuple[float, float]] = []  # (started, finished) per answer

    def answer_until_stopped() -> None:
        for number in itertools.count():
            if stop.is_set():
                return
            started = time.perf_counter()
            service.answer(Question(questions[number % len(questions)], platform="bench"))
            answered.append((started, time.perf_counter()))

    answering = threading.Thread(target=answer_until_stopped)
    answering.start()
    time.sleep(3.0)
    reload_started = time.perf_counter()
    result = service.reload()
    reload_ended = time.perf_counter()
    time.sleep(0.5)  # the replaced knowledge is freed after the swap
    stop.set()
    answering.join()
    assert result.ok, result.problems
    alone = [a for a in answered if a[1] < reload_started]
    during = [a for a in answered if reload_started <= a[0] and a[1] <= reload_ended]
    around = [a for a in answered if a[1] >= reload_started]
    return ReloadUnderLoad(
        alone_per_s=len(alone) / (alone[-1][1] - alone[0][0]),
        during_per_s=len(during) / (reload_ended - reload_started),
        slowest_ms=max(end - start for start, end in around) * 1000,
        reload_s=reload_ended - reload_started,
    )


def scale_rows(sizes: Sequence[tuple[int, int]]) -> list[str]:
    """runbot at each (entries, timings) size, each in a fresh process (tests/bench_scale.py)."""
    rows = [
        f"{'entries':>9} {'examples':>10} {'build s':>8} {'ms/entry':>9} {'KiB/entry':>10} "
        f"{'RSS MiB':>8} {'p50 ms':>7} {'p99 ms':>7} {'correct µs':>11}"
    ]
    for entries, timings in sizes:
        run = subprocess.run(
            [sys.executable, "-m", "tests.bench_scale", str(entries), str(timings)],
            check=True,
            capture_output=True,
            text=True,
            cwd=PROJECT_ROOT,
        )
        f = json.loads(run.stdout.strip().splitlines()[-1])
        rows.append(
            f"{f['entries']:>9,} {f['examples']:>10,} {f['build_s']:>8.1f} "
            f"{f['build_ms_per_entry']:>9.2f} {f['kib_per_entry']:>10.1f} {f['rss_mib']:>8.0f} "
            f"{f['p50_ms']:>7.2f} {f['p99_ms']:>7.2f} {f['correct_us']:>11.0f}"
        )
        if "exact_p50_ms" in f:
            rows.append(
                f"{'':>9} every example scored (the same process): p50 {f['exact_p50_ms']:.2f} "
                f"ms, p99 {f['exact_p99_ms']:.2f} ms; clustering {f['cluster_s']:.1f} s of the "
                f"build; the same top 1 for {f['same_top1']}/{f['compared']} questions, the same "
                f"top 4 with their scores for {f['same_top4']}/{f['compared']}"
            )
    return rows


def baseline_quality() -> str:
    """Answer quality of plain extractOne, with its cut-off calibrated on the tuning sets."""
    from bot.evaluation import NONE, URGENT

    knowledge = load_knowledge(KNOWLEDGE_DIR)
    choices = [
        (entry.id, q)
        for entry in knowledge.entries.values()
        for q in (entry.title, *entry.questions)
    ]
    texts = [text for _, text in choices]

    def figures(cases: list[EvalCase], cutoff: float) -> tuple[float, float, float]:
        right = wrong = declined = in_scope = out = 0
        for case in cases:
            if case.expect == URGENT:
                continue
            found = process.extractOne(case.q, texts, scorer=fuzz.WRatio, score_cutoff=cutoff)
            entry = choices[found[2]][0] if found else None
            if case.expect == NONE:
                out += 1
                declined += entry is None
                wrong += entry is not None
            else:
                in_scope += 1
                right += entry in case.accepted
                wrong += entry is not None and entry not in case.accepted
        return right / in_scope, declined / out, wrong / (in_scope + out)

    tuning = [c for name in TUNING_SETS for c in cases(name)]
    # The cut-off answering most tuning questions correctly with at most 5% wrong answers.
    scored = {cut: figures(tuning, cut) for cut in range(50, 100, 5)}
    best = max((cut for cut, f in scored.items() if f[2] <= 0.05), key=lambda cut: scored[cut][0])
    lines = [
        f"Naive extractOne (WRatio, cut-off {best}: most right answers with <=5% wrong on the "
        "tuning sets; it has no red-flag screen):"
    ]
    for name in ("written-holdout-3.yaml", "real-holdout-2.yaml"):
        accuracy, rejection, wrong = figures(cases(name), best)
        lines.append(
            f"  {name}: in scope answered correctly {accuracy:.1%}, "
            f"out of scope not answered {rejection:.1%}, wrong answers {wrong:.1%}"
        )
    return "\n".join(lines)


# --- the question log on each backend ------------------------------------------------------

LOG_WRITES = 20_000


def log_write_rate(question_log: QuestionLogStore) -> float:
    """Questions recorded per second, counted until they are all committed."""
    reply = Reply(Status.FALLBACK, "text", confidence=0.2)
    started = time.perf_counter()
    for number in range(LOG_WRITES):
        question = Question(f"bench question {number}", "bench", asker=str(number % 500))
        question_log.record(question, replace(reply, reply_id=f"bench-{number}"))
    question_log.flush(timeout=300)
    return LOG_WRITES / (time.perf_counter() - started)


def question_log_figures(questions: Sequence[str]) -> str:
    """Log writes per second, and reply latency with the log on each backend."""
    from tests.postgres import missing_postgres, temporary_postgres

    def service_latency(question_log: QuestionLogStore | None) -> tuple[float, float]:
        service = RunbotService(KNOWLEDGE_DIR, question_log=question_log)
        return latencies(lambda q: service.answer(Question(q, "bench", asker="7")), questions)

    lines = [
        f"Question log: {LOG_WRITES:,} questions recorded, per second until all are committed;",
        "reply latency of RunbotService.answer with the log on (the writes queued, not waited on):",
        f"  {'backend':<12} {'writes/s':>10} {'p50 µs':>10} {'p99 µs':>10}",
    ]
    p50, p99 = service_latency(None)
    lines.append(f"  {'no log':<12} {'':>10} {p50:>10.1f} {p99:>10.1f}")
    with tempfile.TemporaryDirectory() as temporary:
        with SqliteQuestionLog(Path(temporary) / "bench.db") as sqlite_log:
            rate = log_write_rate(sqlite_log)
            p50, p99 = service_latency(sqlite_log)
        lines.append(f"  {'SQLite':<12} {rate:>10,.0f} {p50:>10.1f} {p99:>10.1f}")
    reason = missing_postgres()
    if reason is not None:
        lines.append(f"  PostgreSQL: not measured ({reason})")
        return "\n".join(lines)
    with temporary_postgres() as server:
        with open_question_log(server.new_database()) as postgres_log:
            rate = log_write_rate(postgres_log)
            p50, p99 = service_latency(postgres_log)
        lines.append(f"  {'PostgreSQL':<12} {rate:>10,.0f} {p50:>10.1f} {p99:>10.1f}")
    lines.append("  (PostgreSQL: a local server on a unix socket, fsync off, as the tests run it)")
    return "\n".join(lines)


def cases(name: str) -> list[EvalCase]:
    return load_cases(EVAL_DIR / name)


def main() -> None:
    messages = [case.q for name in TUNING_SETS for case in cases(name)]
    # As the ranker tells them apart: a post (more than one sentence, over a dozen words)
    # is read by the post reader, a transformer; a question by the static vectors.
    is_post = {message: find_focus(message).is_long for message in messages}
    short = [message for message in messages if not is_post[message]]
    long = [message for message in messages if is_post[message]]
    article_examples = len(Brain(load_knowledge(KNOWLEDGE_DIR), semantic=False).index)
    print("Per-question latency of the whole answer path (red-flag screens, matching, reply).")
    print("Build = load, validate and index the knowledge (embeddings included, cache empty")
    print("the first time). Peak = traced Python+numpy memory while building and answering.")
    print(
        f"The article's messages are the tuning sets': {len(short)} questions (one sentence, or"
        f" a dozen words at most) and {len(long)} posts, which the post reader reads.\n"
    )
    print(HEADER)
    matchers = {
        "runbot": lambda directory: ours(directory),
        "lexical only": lambda directory: ours(directory, semantic=False),
        "naive extractOne": baseline,
    }
    for questions, label in ((short, "article, questions"), (long, "article, posts")):
        for name, build in matchers.items():
            print(
                measure(f"{label}: {name}", build(KNOWLEDGE_DIR), questions, article_examples).row()
            )
    reloads = {"article": reload_ms(KNOWLEDGE_DIR)}
    for size in (10_000,):
        with tempfile.TemporaryDirectory() as temporary:
            directory = Path(temporary)
            questions = write_synthetic(directory, size)
            for name, build in matchers.items():
                print(
                    measure(
                        f"{size:,} entries: {name}", build(directory), questions, size * 11
                    ).row()
                )
            reloads[f"{size:,} entries"] = reload_ms(directory)
            under_load = reload_under_load(directory, questions)
    one_thread, threads = classifier_ms()
    print("\nReload (validate + rebuild + swap), median of 3 / first (empty embeddings cache):")
    for name, (median, first) in reloads.items():
        print(f"  {name:<16} {median:8.1f} ms / {first:8.1f} ms")
    print(
        f"  of which training the article's entry classifiers: {one_thread:.1f} ms (median of 5;"
        f" {threads:.1f} ms with BLAS's own threads)"
    )
    print(
        f"\nReload beside answering (10,000 entries, one thread answering, another reloading "
        f"in {under_load.reload_s:.1f} s): {under_load.alone_per_s:.0f} answers/s alone, "
        f"{under_load.during_per_s:.0f}/s during the reload "
        f"({under_load.during_per_s / under_load.alone_per_s:.0%}); slowest answer from the "
        f"reload's start on {under_load.slowest_ms:.0f} ms"
    )
    print(
        "\nrunbot at scale, each size in a fresh process (build and memory of the knowledge "
        "alone, model excluded; correct = one misspelt word never seen before):"
    )
    print("\n".join(scale_rows(((10_000, 300), (100_000, 100)))))
    print("\n" + baseline_quality())
    model = shared_embedder()
    print(
        f"\nEmbedding model in memory: {model.weights_bytes / 2**20:.1f} MiB; "
        f"this process's peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    print("\n" + question_log_figures(short))
    python_ms, warm_ms, cold_ms = startup_ms()
    print(
        f"\nStart-up: python -c pass {python_ms:.0f} ms; runbot ask {warm_ms:.0f} ms; "
        f"runbot's own start-up {warm_ms - python_ms:.0f} ms (median of {STARTUP_RUNS}); "
        f"with an empty RUNBOT_CACHE_DIR (the first ask after a knowledge change) "
        f"{cold_ms - python_ms:.0f} ms"
    )


if __name__ == "__main__":
    main()
