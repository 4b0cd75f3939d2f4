"""The optional health endpoint: /healthz for orchestrators, /metrics for Prometheus.

It runs in a thread of its own (Python's http.server), so it answers the same whether the
platforms share one event loop or the console chat holds the main thread. Off unless
RUNBOT_HEALTH_PORT is set.
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.metrics import METRICS, Metrics
from bot.settings import Settings
from bot.usage import UsageError

__all__ = ["Health", "HealthServer", "health_endpoint", "probe"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Health:
    """What /healthz reports: ready when the knowledge is loaded and every platform is up."""

    knowledge_loaded: bool
    platforms: tuple[tuple[str, bool], ...]  # (platform, connected), in start-up order
    knowledge_version: str | None = None  # the same on every worker serving the same files

    @property
    def ok(self) -> bool:
        return self.knowledge_loaded and all(connected for _, connected in self.platforms)

    def json(self) -> str:
        return json.dumps(
            {
                "status": "ok" if self.ok else "unavailable",
                "knowledge_loaded": self.knowledge_loaded,
                "knowledge_version": self.knowledge_version,
                "platforms": {name: "connected" if up else "down" for name, up in self.platforms},
            }
        )


class HealthServer:
    """Serves /healthz and /metrics on `listen`:`port` (port 0: any free port) until stopped."""

    def __init__(
        self, listen: str, port: int, platforms: Sequence[str], metrics: Metrics = METRICS
    ) -> None:
        self._platforms = tuple(platforms)
        self._metrics = metrics
        try:
            self._server = ThreadingHTTPServer((listen, port), self._handler_class())
        except OSError as error:
            raise UsageError(
                f"RUNBOT_HEALTH_PORT: cannot listen on {listen}:{port} ({error.strerror}); "
                "choose a free port, or leave it empty to turn the endpoint off"
            ) from None
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="health-endpoint", daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def health(self) -> Health:
        metrics = self._metrics
        platforms = tuple((name, metrics.is_connected(name)) for name in self._platforms)
        return Health(metrics.has_knowledge, platforms, metrics.knowledge_version)

    def metrics_text(self) -> bytes:
        return generate_latest(self._metrics.registry)

    def start(self) -> None:
        self._thread.start()
        host = self._server.server_address[0]
        log.info("health endpoint on http://%s:%d/healthz and /metrics", host, self.port)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                if path == "/healthz":
                    health = server.health()
                    status = HTTPStatus.OK if health.ok else HTTPStatus.SERVICE_UNAVAILABLE
                    self._reply(status, "application/json", health.json().encode())
                elif path == "/metrics":
                    self._reply(HTTPStatus.OK, CONTENT_TYPE_LATEST, server.metrics_text())
                else:
                    self._reply(HTTPStatus.NOT_FOUND, "text/plain", b"try /healthz or /metrics\n")

            def _reply(self, status: HTTPStatus, content_type: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                # Scrapers and health checks call every few seconds: not worth an INFO line.
                log.debug("health endpoint: " + format, *args)

        return Handler


@contextmanager
def health_endpoint(
    settings: Settings, platforms: Sequence[str], metrics: Metrics = METRICS
) -> Iterator[HealthServer | None]:
    """Serve the endpoint while the block runs, if RUNBOT_HEALTH_PORT is set."""
    if settings.runbot_health_port is None:
        yield None
        return
    listen, port = settings.runbot_health_listen, settings.runbot_health_port
    server = HealthServer(listen, port, platforms, metrics)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def probe(listen: str, port: int, timeout: float = 4.0) -> tuple[int, str]:
    """GET /healthz of a runbot listening on `listen`:`port`: (HTTP status, body or reason).

    Status 0 means nothing answered.
    """
    host = "127.0.0.1" if listen in {"", "0.0.0.0"} else "[::1]" if listen == "::" else listen
    host = f"[{host}]" if ":" in host and not host.startswith("[") else host
    url = f"http://{host}:{port}/healthz"
    # No proxy: the endpoint is on this machine (or in this container).
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError as error:
        reason = getattr(error, "reason", error)
        return 0, f"nothing answers at {url} ({reason})"
