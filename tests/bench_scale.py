"""One synthetic knowledge size, measured in a fresh process (`make bench` runs it).

`python -m tests.bench_scale ENTRIES` prints one JSON object: build time and resident
memory per entry, p50/p99 per question of the whole answer path, and how long correcting
a misspelt word takes. A fresh process, so that the memory is the knowledge's alone.

Where the semantic signal scores only candidates (bot.probing), the same questions are
answered again scoring every example, side by side in the same process: p50/p99 of
both, the clustering's share of the build, and how many rankings (top 1, top 4 with
their scores) are the same.
"""

from __future__ import annotations

import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import bot.semantic
from bot.answering import Brain
from bot.knowledge.load import load_knowledge
from bot.probing import Clusters
from bot.semantic import PieceIndex, shared_embedder
from tests.bench import latencies, write_synthetic


def _rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


class _TimedClustering:
    """bot.semantic's `clustered`, timed."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._clustered = bot.semantic.clustered  # type: ignore[attr-defined]

    def __call__(self, *args: object) -> Clusters:
        started = time.perf_counter()
        try:
            return self._clustered(*args)  # type: ignore[arg-type]
        finally:
            self.seconds += time.perf_counter() - started


def measure(entries: int, timings: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        questions = write_synthetic(directory, entries)
        shared_embedder()  # the model is not the knowledge's memory
        clustering = _TimedClustering()
        bot.semantic.clustered = clustering  # type: ignore[attr-defined,assignment]
        before = _rss_mib()
        started = time.perf_counter()
        brain = Brain(load_knowledge(directory))
        build = time.perf_counter() - started
        after = _rss_mib()
        p50, p99 = latencies(brain.answer, questions[:timings], timings)
        compared = _with_every_example_scored(brain, questions, timings)
        words = brain.normalizer.spelling.words
        rng = random.Random(5)
        typos = [f"{word[:2]}q{word[3:]}x" for word in rng.sample(words, 200)]
        started = time.perf_counter()
        for typo in typos:
            brain.normalizer.correct(typo)
        correcting = (time.perf_counter() - started) / len(typos)
        return {
            "entries": entries,
            "examples": len(brain.index),
            "vocabulary": len(words),
            "build_s": build,
            "build_ms_per_entry": build * 1000 / entries,
            "rss_mib": after,
            "kib_per_entry": (after - before) * 1024 / entries,
            "p50_ms": p50 / 1000,
            "p99_ms": p99 / 1000,
            "correct_us": correcting * 1e6,
            "cluster_s": clustering.seconds,
            **compared,
        }


def _with_every_example_scored(
    brain: Brain, questions: list[str], timings: int
) -> dict[str, float]:
    """p50/p99 with every example scored, and how many rankings agree with the fast path's."""
    semantic = brain.ranker.semantic
    if not isinstance(semantic, PieceIndex) or semantic.probes is None:
        return {}
    fast = [brain.ranker.rank(question) for question in questions]
    probes, semantic.probes = semantic.probes, None
    try:
        p50, p99 = latencies(brain.answer, questions[:timings], timings)
        exact = [brain.ranker.rank(question) for question in questions]
    finally:
        semantic.probes = probes
    return {
        "exact_p50_ms": p50 / 1000,
        "exact_p99_ms": p99 / 1000,
        "compared": len(questions),
        "same_top1": sum(a[0] == b[0] for a, b in zip(fast, exact, strict=True)),
        "same_top4": sum(a == b for a, b in zip(fast, exact, strict=True)),
    }


if __name__ == "__main__":
    size, count = int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 300
    print(json.dumps(measure(size, count)))
