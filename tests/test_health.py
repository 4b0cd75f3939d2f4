"""The health endpoint: /healthz says whether runbot can serve, /metrics what it did."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client import generate_latest

from adapters.cli import main
from bot.health import HealthServer
from bot.metrics import METRICS, Metrics
from bot.reply import Question
from bot.service import RunbotService
from bot.votes import VoteOutcome
from tests.helpers import write_knowledge
from tests.scrape import get, sample


@pytest.fixture
def metrics() -> Metrics:
    return Metrics()


@pytest.fixture
def endpoint(metrics: Metrics) -> Iterator[HealthServer]:
    server = HealthServer("127.0.0.1", 0, ["telegram", "discord"], metrics)
    server.start()
    yield server
    server.stop()


def test_healthz_is_503_until_the_knowledge_is_loaded_and_every_platform_connected(
    endpoint: HealthServer, metrics: Metrics
) -> None:
    status, content_type, body = get(endpoint.port, "/healthz")
    assert (status, content_type) == (503, "application/json")
    assert json.loads(body) == {
        "status": "unavailable",
        "knowledge_loaded": False,
        "knowledge_version": None,
        "platforms": {"telegram": "down", "discord": "down"},
    }

    metrics.knowledge_loaded(20)
    metrics.set_connected("telegram", True)
    assert get(endpoint.port, "/healthz")[0] == 503  # Discord is still down

    metrics.set_connected("discord", True)
    status, _, body = get(endpoint.port, "/healthz")
    assert status == 200
    assert json.loads(body)["status"] == "ok"

    metrics.set_connected("telegram", False)  # lost the connection
    assert get(endpoint.port, "/healthz")[0] == 503


def test_metrics_are_in_prometheus_text_format(endpoint: HealthServer, metrics: Metrics) -> None:
    metrics.count_question("telegram", "answered", 0.002)
    metrics.count_question("telegram", "urgent", 0.001)
    metrics.count_reload(ok=False)
    metrics.count_send_failure("discord")
    metrics.count_vote(helpful=True)
    metrics.set_connected("discord", True)

    status, content_type, text = get(endpoint.port, "/metrics")

    assert status == 200
    assert content_type.startswith("text/plain; version=")
    questions = "runbot_questions_total"
    assert sample(text, questions, platform="telegram", outcome="answered") == 1
    assert sample(text, questions, platform="discord", outcome="answered") == 0  # present, 0
    assert sample(text, "runbot_reply_seconds_count", platform="telegram") == 2
    assert sample(text, "runbot_reply_seconds_bucket", platform="telegram", le="0.001") == 1
    assert sample(text, "runbot_red_flags_total", platform="telegram") == 1
    assert sample(text, "runbot_reloads_total", result="refused") == 1
    assert sample(text, "runbot_reloads_total", result="ok") == 0
    assert sample(text, "runbot_send_failures_total", platform="discord") == 1
    assert sample(text, "runbot_votes_total", vote="helpful") == 1
    assert sample(text, "runbot_platform_connected", platform="discord") == 1
    assert "process_resident_memory_bytes" in text


def test_other_paths_are_not_found(endpoint: HealthServer) -> None:
    assert get(endpoint.port, "/")[0] == 404


def test_the_service_counts_questions_votes_and_reloads(small_knowledge: Path) -> None:
    service = RunbotService(small_knowledge)
    before = _counts()

    answered = service.answer(Question("what to do about a side stitch", platform="console"))
    service.answer(Question("chest pain", platform="console"))
    vote = service.record_vote(answered.reply_id, False, "console", "ann")
    assert vote is VoteOutcome.COUNTED
    assert service.reload().ok
    write_knowledge(small_knowledge, {"sources.yaml": "sources: [broken"})
    assert not service.reload().ok

    after = _counts()
    assert {name: after[name] - before[name] for name in after} == {
        "answered": 1,
        "urgent": 1,
        "red flags": 1,
        "replies timed": 2,
        "not helpful": 1,
        "reloads ok": 1,
        "reloads refused": 1,
    }


def _counts() -> dict[str, float]:
    text = generate_latest(METRICS.registry).decode()
    question = {"platform": "console"}
    return {
        "answered": sample(text, "runbot_questions_total", outcome="answered", **question),
        "urgent": sample(text, "runbot_questions_total", outcome="urgent", **question),
        "red flags": sample(text, "runbot_red_flags_total", **question),
        "replies timed": sample(text, "runbot_reply_seconds_count", **question),
        "not helpful": sample(text, "runbot_votes_total", vote="not_helpful"),
        "reloads ok": sample(text, "runbot_reloads_total", result="ok"),
        "reloads refused": sample(text, "runbot_reloads_total", result="refused"),
    }


def test_a_port_in_use_is_a_one_line_settings_error(
    endpoint: HealthServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:never-used")
    monkeypatch.setenv("RUNBOT_HEALTH_PORT", str(endpoint.port))

    assert main(["telegram"]) == 2

    err = capsys.readouterr().err
    assert err.startswith(f"runbot: RUNBOT_HEALTH_PORT: cannot listen on 127.0.0.1:{endpoint.port}")
    assert len(err.splitlines()) == 1


def test_runbot_health_exits_0_only_when_the_endpoint_says_healthy(
    endpoint: HealthServer,
    metrics: Metrics,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("RUNBOT_HEALTH_PORT", str(endpoint.port))
    assert main(["health"]) == 1
    assert json.loads(capsys.readouterr().out)["status"] == "unavailable"

    metrics.knowledge_loaded(20)
    metrics.set_connected("telegram", True)
    metrics.set_connected("discord", True)

    assert main(["health"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "ok"


def test_runbot_health_with_nothing_listening_fails_with_a_reason(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RUNBOT_HEALTH_PORT", "9")  # nothing listens on port 9

    assert main(["health"]) == 1
    assert capsys.readouterr().out.startswith("nothing answers at http://127.0.0.1:9/healthz")
