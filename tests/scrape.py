"""Reading runbot's health endpoint the way Prometheus and an orchestrator do."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

# Straight to 127.0.0.1, whatever proxy the environment names.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def get(port: int, path: str) -> tuple[int, str, str]:
    """GET http://127.0.0.1:port/path: (status, content type, body)."""
    try:
        with _OPENER.open(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


async def health(port: int) -> tuple[int, dict[str, Any]]:
    """/healthz, fetched off the event loop (the endpoint runs in its own thread)."""
    status, _, body = await asyncio.to_thread(get, port, "/healthz")
    return status, json.loads(body)


async def healthy(port: int) -> dict[str, Any]:
    """Poll /healthz until it says 200 (a platform takes a moment to connect)."""
    async with asyncio.timeout(10):
        while True:
            status, report = await health(port)
            if status == 200:
                return report
            await asyncio.sleep(0.05)


async def metrics(port: int) -> str:
    return (await asyncio.to_thread(get, port, "/metrics"))[2]


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in a /metrics page; 0 if the series is absent."""
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return float(found.value)
    return 0.0
