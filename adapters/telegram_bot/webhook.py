"""Receive Telegram's updates by webhook: the secret is checked before any of the body is read.

PTB's own webhook server reads each request's whole body (up to 100 MB) before it looks at
the secret header, so anyone who finds the URL could make runbot hold hundreds of
megabytes. This server streams the body: a request without the right secret is refused as
soon as its headers arrive, and no body may exceed MAX_BODY_BYTES (Telegram's updates are
a few kilobytes).
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import tornado.web
from telegram import Update
from tornado.httpserver import HTTPServer

if TYPE_CHECKING:
    from adapters.telegram_bot.app import RunbotApplication

__all__ = ["MAX_BODY_BYTES", "WebhookReceiver"]

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@tornado.web.stream_request_body
class _UpdateHandler(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("POST",)

    def initialize(self, runbot_app: RunbotApplication, secret: str) -> None:
        self._application = runbot_app
        self._secret = secret
        self._body = bytearray()

    def prepare(self) -> None:
        """Runs once the headers are in, before any of the body is read."""
        given = self.request.headers.get(_SECRET_HEADER, "")
        if not secrets.compare_digest(given.encode(), self._secret.encode()):
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        length = self.request.headers.get("Content-Length")
        if length is not None and (not length.isdecimal() or int(length) > MAX_BODY_BYTES):
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    def data_received(self, chunk: bytes) -> None:
        self._body += chunk  # at most MAX_BODY_BYTES: the server stops reading beyond

    async def post(self) -> None:
        try:
            data = json.loads(self._body)
            update = Update.de_json(data, self._application.bot) if isinstance(data, dict) else None
        except Exception:  # anything Telegram would never send
            log.warning("the webhook received a request that is not an update; ignored")
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        if update is None:
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST)
        await self._application.update_queue.put(update)
        self.set_status(HTTPStatus.OK)

    def log_exception(self, *args: Any) -> None:
        """Refusals are expected (a scanner, a forged post): not worth a traceback."""


class WebhookReceiver:
    """The webhook server, registered with Telegram; `stop()` stops taking updates."""

    def __init__(self, application: RunbotApplication, path: str, secret: str) -> None:
        routes = [
            (
                rf"/{path.strip('/')}/?",
                _UpdateHandler,
                {"runbot_app": application, "secret": secret},
            )
        ]
        app = tornado.web.Application(routes, log_function=lambda handler: None)
        # The cap for a body of unknown length (chunked): tornado stops reading and answers
        # 400 once it is passed. A declared length over it gets 413 from the handler.
        self._server = HTTPServer(
            app, max_body_size=MAX_BODY_BYTES, max_buffer_size=MAX_BODY_BYTES + 64 * 1024
        )
        self._application = application
        self._secret = secret

    async def start(self, listen: str, port: int, url: str) -> None:
        """Listen, then ask Telegram to post updates to `url` with the secret."""
        self._server.listen(port, address=listen)
        await self._application.bot.set_webhook(url=url, secret_token=self._secret)

    async def stop(self) -> None:
        self._server.stop()
        await asyncio.wait_for(self._server.close_all_connections(), timeout=5)
