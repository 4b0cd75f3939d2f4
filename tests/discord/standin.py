"""A stand-in for Discord's REST API and gateway on 127.0.0.1, for end-to-end tests.

It speaks just enough of both for the real discord.py client to log in, connect, receive
INTERACTION_CREATE dispatches and answer them; every request the bot makes is recorded so
tests can assert on what Discord would have received. Shapes follow Discord's API docs and
the facts in ../shared/platforms.md.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web

FIXTURES = Path(__file__).parent / "fixtures"

EPHEMERAL = 64
# Interaction callback types (Discord API: "Interaction Callback Type").
CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5
DEFERRED_UPDATE_MESSAGE = 6
UPDATE_MESSAGE = 7
AUTOCOMPLETE_RESULT = 8
MODAL = 9


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@dataclass
class Call:
    """One HTTP request the bot made."""

    method: str
    path: str  # after /api/v10
    query: dict[str, str]
    body: Any

    @property
    def data(self) -> dict[str, Any]:
        """The `data` of an interaction callback."""
        return self.body.get("data") or {}


@dataclass
class Failure:
    status: int
    body: dict[str, Any]


@dataclass
class _Rules:
    failures: dict[str, list[Failure]] = field(default_factory=dict)


def _json(payload: Any, status: int = 200) -> web.Response:
    # Exactly application/json: with a charset parameter discord.py reads the body as text.
    return web.Response(
        status=status,
        body=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )


class DiscordStandIn:
    """Discord's REST API under /api/v10 and a gateway at /gw, on a free local port."""

    def __init__(self) -> None:
        self.bot_user = fixture("bot_user.json")
        self.application = fixture("application.json")
        self.guild = fixture("guild_create.json")
        self.calls: list[Call] = []
        self.identify: dict[str, Any] | None = None
        self.identified = asyncio.Event()
        self.close_codes: list[int | None] = []
        self.disconnected = asyncio.Event()
        self.messages: dict[str, dict[str, Any]] = {}
        self.dm_channels: dict[str, str] = {}  # by recipient id
        self._rules = _Rules()
        self._held: dict[str, asyncio.Event] = {}
        self._changed = asyncio.Condition()
        self._ids = itertools.count(1_300_000_000_000_100_000)
        self._sequence = itertools.count(1)
        self._sockets: list[web.WebSocketResponse] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gw", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        for socket in self._sockets:
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gw"

    @property
    def app_id(self) -> str:
        return str(self.application["id"])

    def new_id(self) -> str:
        return str(next(self._ids))

    # --- what tests do -------------------------------------------------------------------------

    def hold(self, path_start: str) -> asyncio.Event:
        """Keep requests whose path starts with `path_start` waiting until the event is set
        (recorded on arrival): an answer that takes its time."""
        release = asyncio.Event()
        self._held[path_start] = release
        return release

    def fail_next(self, path_start: str, status: int, body: dict[str, Any]) -> None:
        """Answer the next request whose path starts with `path_start` with an error."""
        self._rules.failures.setdefault(path_start, []).append(Failure(status, body))

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway dispatch (op 0) to the connected bot."""
        payload = {"op": 0, "t": event, "s": next(self._sequence), "d": data}
        await self._sockets[-1].send_str(json.dumps(payload))

    async def interact(self, interaction: dict[str, Any]) -> Call:
        """Dispatch INTERACTION_CREATE and return the bot's callback to it."""
        await self.dispatch("INTERACTION_CREATE", interaction)
        return await self.wait_for_call(self.callback_path(interaction))

    async def wait_for_call(self, path: str, *, nth: int = 1, method: str | None = None) -> Call:
        """The `nth` request to `path` (waiting for it: the bot answers asynchronously)."""

        def found() -> list[Call]:
            return [c for c in self.calls if c.path == path and method in (None, c.method)]

        async with asyncio.timeout(10), self._changed:
            await self._changed.wait_for(lambda: len(found()) >= nth)
        return found()[nth - 1]

    async def wait_for_first(self, *paths: str) -> Call:
        """The first request to any of `paths` (waiting for one)."""

        def found() -> list[Call]:
            return [c for c in self.calls if c.path in paths]

        async with asyncio.timeout(10), self._changed:
            await self._changed.wait_for(lambda: bool(found()))
        return found()[0]

    def calls_to(self, path: str) -> list[Call]:
        return [call for call in self.calls if call.path == path]

    def callback_path(self, interaction: dict[str, Any]) -> str:
        return f"/interactions/{interaction['id']}/{interaction['token']}/callback"

    def followup_path(self, interaction: dict[str, Any]) -> str:
        return f"/webhooks/{self.app_id}/{interaction['token']}"

    # --- the gateway ---------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        async for message in socket:
            if message.type is not WSMsgType.TEXT:
                continue
            payload = json.loads(message.data)
            if payload["op"] == 1:
                await socket.send_str(json.dumps({"op": 11}))
            elif payload["op"] == 2:
                self.identify = payload["d"]
                await self._ready()
                self.identified.set()
        self.close_codes.append(socket.close_code)
        self.disconnected.set()
        return socket

    async def _ready(self) -> None:
        await self.dispatch(
            "READY",
            {
                "v": 10,
                "user": self.bot_user,
                "guilds": [{"id": self.guild["id"], "unavailable": True}],
                "session_id": "standin-session",
                "resume_gateway_url": self.gateway_url,
                "application": {"id": self.app_id, "flags": 0},
                # As Discord: the shard it identified as (a sharded client always says).
                "shard": (self.identify or {}).get("shard", [0, 1]),
            },
        )
        await self.dispatch("GUILD_CREATE", self.guild)

    # --- the REST API --------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        raw = await request.read()
        body = json.loads(raw) if raw else None
        call = Call(request.method, path, dict(request.query), body)
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        for start, release in list(self._held.items()):
            if path.startswith(start):
                await release.wait()
        for start, failures in self._rules.failures.items():
            if path.startswith(start) and failures:
                failure = failures.pop(0)
                return _json(failure.body, failure.status)
        return self._answer(call)

    def _answer(self, call: Call) -> web.Response:
        route = (call.method, _shape(call.path))
        handlers: dict[tuple[str, str], Callable[[Call], Any]] = {
            ("GET", "/users/@me"): lambda _: self.bot_user,
            ("GET", "/gateway/bot"): lambda _: {
                "url": self.gateway_url,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            },
            ("GET", "/oauth2/applications/@me"): lambda _: self.application,
            ("POST", "/interactions/*/*/callback"): self._callback,
            ("POST", "/webhooks/*/*"): lambda c: self._message(
                c.body, flags=c.body.get("flags", 0)
            ),
            ("PATCH", "/webhooks/*/*/messages/@original"): lambda c: self._message(c.body),
            ("POST", "/channels/*/messages"): lambda c: self._message(c.body),
            ("POST", "/users/@me/channels"): self._direct_message_channel,
            ("PUT", "/applications/*/commands"): self._commands,
            ("PUT", "/applications/*/guilds/*/commands"): self._commands,
        }
        handler = handlers.get(route)
        if handler is None:
            return _json({"message": "404: Not Found", "code": 0}, 404)
        return _json(handler(call))

    def _callback(self, call: Call) -> dict[str, Any]:
        interaction_id = call.path.split("/")[2]
        kind = call.body["type"]
        data = call.body.get("data") or {}
        answer: dict[str, Any] = {
            "interaction": {
                "id": interaction_id,
                "type": 2,
                "response_message_loading": kind == DEFERRED_CHANNEL_MESSAGE,
                "response_message_ephemeral": bool(data.get("flags", 0) & EPHEMERAL),
            }
        }
        if kind in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, UPDATE_MESSAGE):
            message = self._message(data, flags=data.get("flags", 0))
            answer["interaction"]["response_message_id"] = message["id"]
            answer["resource"] = {"type": kind, "message": message}
        return answer

    def _message(self, body: dict[str, Any], flags: int = 0) -> dict[str, Any]:
        message = {
            "id": self.new_id(),
            "channel_id": self.guild["channels"][0]["id"],
            "type": 20,
            "content": body.get("content") or "",
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "attachments": [],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "flags": flags,
            "timestamp": "2025-06-01T07:00:00.000000+00:00",
            "edited_timestamp": None,
            "author": self.bot_user,
            "application_id": self.app_id,
            "webhook_id": self.app_id,
        }
        self.messages[message["id"]] = message
        return copy.deepcopy(message)

    def _direct_message_channel(self, call: Call) -> dict[str, Any]:
        """A DM channel with the recipient (Discord answers with the same one every time)."""
        recipient = str(call.body["recipient_id"])
        user = {"id": recipient, "username": "someone", "discriminator": "0", "avatar": None}
        channel_id = self.dm_channels.setdefault(recipient, self.new_id())
        return {"id": channel_id, "type": 1, "last_message_id": None, "recipients": [user]}

    def _commands(self, call: Call) -> list[dict[str, Any]]:
        parts = call.path.split("/")
        guild_id = parts[4] if "guilds" in parts else None
        registered = []
        for command in call.body:
            registered.append(
                {
                    **command,
                    "id": self.new_id(),
                    "application_id": self.app_id,
                    "version": self.new_id(),
                    "guild_id": guild_id,
                    "default_member_permissions": command.get("default_member_permissions"),
                }
            )
        return registered


def _shape(path: str) -> str:
    """The route with its ids replaced by *, e.g. /interactions/*/*/callback."""
    known = {"users", "@me", "oauth2", "applications", "interactions", "callback"}
    known |= {"webhooks", "messages", "@original", "channels", "guilds", "commands"}
    known |= {"gateway", "bot"}
    return "/".join(part if part in known or not part else "*" for part in path.split("/"))
