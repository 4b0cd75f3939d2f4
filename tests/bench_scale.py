"""One synthetic knowledge size, measured in a fresh process (`make bench` runs it).

`python -m tests.bench_scale ENTRIES` prints one JSON object: build time and resident
memory per entry, p50/p99 per question of the whole answer path, and how long correcting
a misspelt word takes. A fresh process, so that the memory is the knowledge's alone.
"""

from __future__ import annotations

import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from bot.answering import Brain
from bot.knowledge.load import load_knowledge
from bot.semantic import shared_embedder
from tests.bench import latencies, write_synthetic


def _rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def measure(entries: int, timings: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        questions = write_synthetic(directory, entries)
        shared_embedder()  # the model is not the knowledge's memory
        before = _rss_mib()
        started = time.perf_counter()
        brain = Brain(load_knowledge(directory))
        build = time.perf_counter() - started
        after = _rss_mib()
        p50, p99 = latencies(brain.answer, questions[:timings], timings)
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
        }


if __name__ == "__main__":
    size, count = int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 300
    print(json.dumps(measure(size, count)))
