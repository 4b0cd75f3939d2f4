"""What runbot counts for operators, in Prometheus form, and whether it is ready to serve.

Any module may count through `METRICS`; `bot.health` serves it at /metrics and /healthz.
The counting methods are cheap and thread-safe (Prometheus' own locks), so they are fine on
the event loop and on worker threads alike.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
)

__all__ = ["METRICS", "Metrics"]

OUTCOMES = ("answered", "clarify", "fallback", "urgent")
# Composing a reply takes about a millisecond today; the top buckets catch a slow machine
# or a huge knowledge base.
_REPLY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class Metrics:
    """runbot's counters in a registry of their own, plus the readiness /healthz reports."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)  # memory, CPU, open files, start time
        PlatformCollector(registry=self.registry)  # the Python version
        self._questions = Counter(
            "runbot_questions",
            "Questions answered, by platform and outcome (answered, clarify, fallback, urgent).",
            ["platform", "outcome"],
            registry=self.registry,
        )
        self._reply_seconds = Histogram(
            "runbot_reply_seconds",
            "Seconds runbot took to compose a reply (red-flag screen, matching, building).",
            ["platform"],
            buckets=_REPLY_BUCKETS,
            registry=self.registry,
        )
        self._red_flags = Counter(
            "runbot_red_flags",
            "Questions that described a red flag and got the urgent reply, by platform.",
            ["platform"],
            registry=self.registry,
        )
        self._reloads = Counter(
            "runbot_reloads",
            "Knowledge reloads: ok (swapped in) or refused (errors; the old knowledge kept).",
            ["result"],
            registry=self.registry,
        )
        self._send_failures = Counter(
            "runbot_send_failures",
            "Messages runbot could not deliver to a platform, by platform.",
            ["platform"],
            registry=self.registry,
        )
        self._votes = Counter(
            "runbot_votes",
            "Feedback on answers: helpful or not_helpful.",
            ["vote"],
            registry=self.registry,
        )
        self._connected = Gauge(
            "runbot_platform_connected",
            "1 while runbot is connected to the platform, else 0.",
            ["platform"],
            registry=self.registry,
        )
        self._entries = Gauge(
            "runbot_knowledge_entries",
            "Entries in the knowledge being served (0 until it is loaded).",
            registry=self.registry,
        )
        self._lock = threading.Lock()
        self._connections: dict[str, bool] = {}
        self._knowledge_loaded = False
        self._knowledge_version: str | None = None
        for result in ("ok", "refused"):
            self._reloads.labels(result)
        for vote in ("helpful", "not_helpful"):
            self._votes.labels(vote)

    def serving(self, platforms: Iterable[str]) -> None:
        """The platforms being served: their series exist from the start, reading 0 instead
        of being absent (Prometheus' advice)."""
        for platform in platforms:
            for outcome in OUTCOMES:
                self._questions.labels(platform, outcome)
            self._red_flags.labels(platform)
            self._send_failures.labels(platform)

    def count_question(self, platform: str, outcome: str, seconds: float) -> None:
        self._questions.labels(platform, outcome).inc()
        self._reply_seconds.labels(platform).observe(seconds)
        if outcome == "urgent":
            self._red_flags.labels(platform).inc()

    def count_reload(self, ok: bool) -> None:
        self._reloads.labels("ok" if ok else "refused").inc()

    def count_send_failure(self, platform: str) -> None:
        self._send_failures.labels(platform).inc()

    def count_vote(self, helpful: bool) -> None:
        self._votes.labels("helpful" if helpful else "not_helpful").inc()

    def knowledge_loaded(self, entries: int, version: str | None = None) -> None:
        """The service has knowledge to answer from (called on start-up and every reload);
        `version`: its content hash (bot.knowledge_version)."""
        with self._lock:
            self._knowledge_loaded = True
            self._knowledge_version = version
        self._entries.set(entries)

    def set_connected(self, platform: str, connected: bool) -> None:
        with self._lock:
            self._connections[platform] = connected
        self._connected.labels(platform).set(1 if connected else 0)

    def is_connected(self, platform: str) -> bool:
        with self._lock:
            return self._connections.get(platform, False)

    @property
    def has_knowledge(self) -> bool:
        with self._lock:
            return self._knowledge_loaded

    @property
    def knowledge_version(self) -> str | None:
        with self._lock:
            return self._knowledge_version


METRICS = Metrics()
