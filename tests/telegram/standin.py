"""A stand-in for the Telegram Bot API on 127.0.0.1, for end-to-end tests of the real PTB app.

It records every request the bot makes (method and decoded fields), serves `getUpdates`
from a queue, and enforces the Bot API rules our adapter must respect: HTML that Telegram
can parse, 4,096-character messages, 64-byte callback data, 200-character callback answers,
at most 50 inline results. Tests can make a method fail once (for example with a 429).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 7000001
BOT_USERNAME = "runbot_test_bot"
# Generous: a bot that fails to answer fails the test in this time, one that answers is fast.
WAIT_SECONDS = 5.0

# Fields PTB sends as plain strings; every other field arrives JSON-encoded.
_PLAIN_FIELDS = frozenset(
    {"text", "parse_mode", "callback_query_id", "inline_query_id", "url", "secret_token"}
)
_TELEGRAM_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
     "tg-spoiler", "span", "blockquote", "tg-emoji"}
)  # fmt: skip
_TAG = re.compile(r"<(/?)([a-zA-Z-]*)([^<>]*)>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")


@dataclass(frozen=True)
class ApiCall:
    """One request the bot made, and the HTTP status the stand-in answered it with."""

    method: str
    fields: dict[str, Any]
    status: int = 200  # 0: answered with a fault (reset, malformed, hang)
    result: Any = None  # what the stand-in answered (a sent message's message_id...)

    def __getitem__(self, name: str) -> Any:
        return self.fields[name]

    @property
    def keyboard(self) -> list[list[tuple[str, str]]]:
        """The inline keyboard as (label, callback_data) rows; [] without one."""
        markup = self.fields.get("reply_markup") or {}
        return [
            [(button["text"], button.get("callback_data", "")) for button in row]
            for row in markup.get("inline_keyboard", [])
        ]


@dataclass
class Fault:
    status: int
    body: dict[str, Any]
    kind: str = "status"  # or "reset", "malformed", "hang"
    seconds: float = 0.0  # how long a "hang" holds the request before dropping it


# The faults a Bot API (or a proxy in front of it) can show, besides an error status.
FAULT_KINDS = ("reset", "malformed", "hang")


@dataclass
class BotApiStandIn:
    token: str = "123456:TEST"
    calls: list[ApiCall] = field(default_factory=list)
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _failures: dict[str, list[Fault]] = field(default_factory=dict)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _closing: bool = False
    _runner: web.AppRunner | None = None
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(9001))
    base_url: str = ""
    _held: dict[tuple[str, int | None], asyncio.Event] = field(default_factory=dict)
    # Probes set this to make calls fail for a while: (method, fields) -> a fault or None.
    fault_policy: Callable[[str, dict[str, Any]], Fault | None] | None = None
    # Probes set this to see each call as it comes (timing replies without polling).
    on_call: Callable[[ApiCall], None] | None = None

    async def start(self) -> str:
        """Serve on a free loopback port; returns the base URL PTB should use."""
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}/bot"
        return self.base_url

    async def stop(self) -> None:
        async with self._changed:
            self._closing = True
            self._changed.notify_all()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    # --- what tests do ---------------------------------------------------------------------

    async def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for the bot's next getUpdates; gives it the next update_id."""
        update = {**update, "update_id": next(self._update_ids)}
        async with self._changed:
            self._updates.append(update)
            self._changed.notify_all()
        return update

    def fail_next(self, method: str, status: int, description: str, **parameters: Any) -> None:
        """Answer the next call of `method` with an error (e.g. 429 with retry_after)."""
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        self._failures.setdefault(method, []).append(Fault(status, body))

    def break_next(self, method: str, kind: str, seconds: float = 0.0) -> None:
        """Answer the next call of `method` with a fault: the connection reset, a malformed
        (non-JSON) answer, or a hang of `seconds` and then a reset. Nothing is delivered."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}")
        self._failures.setdefault(method, []).append(Fault(0, {}, kind, seconds))

    def hold(self, method: str, chat_id: int) -> asyncio.Event:
        """Keep every `method` call to `chat_id` waiting (a slow moment of Telegram's, or a
        slow command) until the returned event is set."""
        release = asyncio.Event()
        self._held[(method, chat_id)] = release
        return release

    def sent(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method == method]

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        seconds: float = WAIT_SECONDS,
        chat_id: int | None = None,
    ) -> list[ApiCall]:
        """All successful calls of `method` (to `chat_id`, if given) once there are at least
        `count` of them."""

        def done() -> bool:
            return len(self._answered(method, chat_id)) >= count

        try:
            async with asyncio.timeout(seconds), self._changed:
                await self._changed.wait_for(done)
        except TimeoutError:
            seen = [(call.method, call.status) for call in self.calls]
            raise AssertionError(f"expected {count} x {method}; the bot called {seen}") from None
        return self._answered(method, chat_id)

    def _answered(self, method: str, chat_id: int | None = None) -> list[ApiCall]:
        return [
            call
            for call in self.calls
            if call.method == method
            and call.status == 200
            and (chat_id is None or _chat_of(call.fields) == chat_id)
        ]

    # --- the Bot API -------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        fields = _decode(dict(await request.post()))
        failures = self._failures.get(method)
        if not failures and self.fault_policy is not None:
            chosen = self.fault_policy(method, fields)
            failures = [chosen] if chosen is not None else None
        if failures:
            failure = failures.pop(0)
            return await self._fail(request, ApiCall(method, fields, failure.status), failure)
        if method == "getUpdates":
            return await self._get_updates(fields)
        held = self._held.get((method, _chat_of(fields)))
        if held is not None:
            await held.wait()
        problem = _check(method, fields)
        if problem:
            await self._record(ApiCall(method, fields, 400))
            return _error(400, problem)
        result = self._result(method, fields)
        await self._record(ApiCall(method, fields, result=result))
        return web.json_response({"ok": True, "result": result})

    async def _fail(self, request: web.Request, call: ApiCall, failure: Fault) -> web.Response:
        await self._record(call)
        if failure.kind == "malformed":  # e.g. a proxy's error page with status 200
            return web.Response(text="<html>502 Bad Gateway</html>", content_type="text/html")
        if failure.kind in {"reset", "hang"}:
            if failure.seconds:
                await asyncio.sleep(failure.seconds)
            if request.transport is not None:
                request.transport.abort()
            return web.Response()  # never sent: the connection is gone
        return web.json_response(failure.body, status=failure.status)

    async def _record(self, call: ApiCall) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        if self.on_call is not None:
            self.on_call(call)

    async def _get_updates(self, fields: dict[str, Any]) -> web.Response:
        offset = int(fields.get("offset") or 0)
        # Hold the long poll briefly: well under PTB's read timeout, and short on shutdown.
        hold = min(float(fields.get("timeout") or 0), 0.5)
        async with self._changed:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self.calls.append(ApiCall("getUpdates", fields))
            self._changed.notify_all()
            if not self._updates and hold > 0 and not self._closing:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: bool(self._updates) or self._closing), hold
                    )
            limit = int(fields.get("limit") or 100)  # as Telegram: at most 100 a call
            updates = self._updates[: max(1, min(limit, 100))]
        return web.json_response({"ok": True, "result": updates})

    def _result(self, method: str, fields: dict[str, Any]) -> Any:
        if method == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "runbot",
                "username": BOT_USERNAME,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": True,
            }
        if method in {"sendMessage", "editMessageText", "editMessageReplyMarkup"}:
            chat_id = int(fields["chat_id"])
            message: dict[str, Any] = {
                "message_id": fields.get("message_id") or next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "runbot"},
                "text": fields.get("text", ""),
            }
            if fields.get("reply_markup"):
                message["reply_markup"] = fields["reply_markup"]
            if fields.get("message_thread_id"):  # sent into a forum topic
                message["message_thread_id"] = fields["message_thread_id"]
                message["is_topic_message"] = True
            return message
        return True


def _chat_of(fields: dict[str, Any]) -> int | None:
    try:
        return int(fields["chat_id"])
    except (KeyError, TypeError, ValueError):
        return None


def _decode(form: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name, value in form.items():
        if name in _PLAIN_FIELDS or not isinstance(value, str):
            fields[name] = value
            continue
        try:
            fields[name] = json.loads(value)
        except ValueError:
            fields[name] = value
    return fields


def _error(status: int, description: str) -> web.Response:
    body = {"ok": False, "error_code": status, "description": description}
    return web.json_response(body, status=status)


def _check(method: str, fields: dict[str, Any]) -> str | None:
    """What real Telegram would reject in this request (the rules our adapter must keep)."""
    text = fields.get("text")
    if method in {"sendMessage", "editMessageText"} and isinstance(text, str):
        if fields.get("parse_mode") == "HTML":
            problem = html_problem(text)
            if problem:
                return f"Bad Request: can't parse entities: {problem}"
            text = _visible_text(text)
        if not text.strip():
            return "Bad Request: message text is empty"
        if len(text.encode("utf-16-le")) // 2 > 4096:
            return "Bad Request: message is too long"
    for row in (fields.get("reply_markup") or {}).get("inline_keyboard", []):
        for button in row:
            if len(button.get("callback_data", "").encode()) > 64:
                return "Bad Request: BUTTON_DATA_INVALID"
    if method == "answerCallbackQuery" and len(fields.get("text") or "") > 200:
        return "Bad Request: MESSAGE_TOO_LONG"
    if method == "answerInlineQuery":
        results = fields.get("results") or []
        if len(results) > 50:
            return "Bad Request: RESULTS_TOO_MUCH"
        for result in results:
            content = result["input_message_content"]
            problem = html_problem(content["message_text"])
            if content.get("parse_mode") == "HTML" and problem:
                return f"Bad Request: can't parse entities: {problem}"
    return None


def html_problem(text: str) -> str | None:
    """Why Telegram's HTML parser would reject `text`, or None if it parses."""
    open_tags: list[str] = []
    position = 0
    while position < len(text):
        character = text[position]
        if character == "<":
            tag = _TAG.match(text, position)
            if tag is None or tag.group(2).lower() not in _TELEGRAM_TAGS:
                return f"unsupported start tag at byte offset {position}"
            closing, name = tag.group(1), tag.group(2).lower()
            if closing:
                if not open_tags or open_tags.pop() != name:
                    return f"unmatched end tag {name!r} at byte offset {position}"
            else:
                open_tags.append(name)
            position = tag.end()
        elif character == "&":
            entity = _ENTITY.match(text, position)
            if entity is None:
                return f"unsupported entity at byte offset {position}"
            position = entity.end()
        elif character == ">":
            return f"unescaped '>' at byte offset {position}"
        else:
            position += 1
    if open_tags:
        return f"can't find end tag corresponding to start tag {open_tags[-1]!r}"
    return None


def _visible_text(text: str) -> str:
    without_tags = _TAG.sub("", text)
    return _ENTITY.sub("x", without_tags)
