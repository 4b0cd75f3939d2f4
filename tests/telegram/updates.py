"""Updates as Telegram sends them, built from the recorded payloads in fixtures/."""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
PRIVATE_CHAT = 42
GROUP_CHAT = -1001234567890
TOPIC_THREAD = 77  # a forum topic ("Injuries") in the group

_MENTION = re.compile(r"@\w+")


@cache
def _payload(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def _fixture(name: str) -> dict[str, Any]:
    return copy.deepcopy(_payload(name))


def message(fixture: str, text: str) -> dict[str, Any]:
    """A message update from `fixture` with `text`, and the entities Telegram would add."""
    update = _fixture(fixture)
    update["message"]["text"] = text
    entities = _entities(text)
    if entities:
        update["message"]["entities"] = entities
    return update


def private(text: str, user: int = PRIVATE_CHAT) -> dict[str, Any]:
    """A private message from `user` (a private chat's id is its user's id)."""
    update = message("private_message", text)
    if user != PRIVATE_CHAT:
        sent = update["message"]
        sent["chat"] = {"id": user, "type": "private", "first_name": f"Runner {user}"}
        sent["from"] = {"id": user, "is_bot": False, "first_name": f"Runner {user}"}
    return update


def group(text: str) -> dict[str, Any]:
    return message("group_message", text)


def in_topic(update: dict[str, Any], thread_id: int = TOPIC_THREAD) -> dict[str, Any]:
    """`update`'s group message, moved into a forum topic of a forum supergroup."""
    sent = update["message"]
    sent["chat"]["is_forum"] = True
    sent["message_thread_id"] = thread_id
    sent["is_topic_message"] = True
    # As Telegram sends it: a topic message that replies to nobody replies to the topic.
    sent.setdefault(
        "reply_to_message",
        {
            "message_id": thread_id,
            "date": 1764060000,
            "chat": sent["chat"],
            "from": {"id": 44, "is_bot": False, "first_name": "Cleo", "username": "cleo_runs"},
            "message_thread_id": thread_id,
            "forum_topic_created": {"name": "Injuries", "icon_color": 7322096},
        },
    )
    return update


def photo(fixture: str, caption: str | None = None) -> dict[str, Any]:
    """A photo from `fixture` instead of its text; with `caption` and its entities."""
    update = _fixture(fixture)
    del update["message"]["text"]
    update["message"]["photo"] = [
        {"file_id": "AgACAgQAAxkBAAIBQm", "file_unique_id": "AQADq7", "width": 90, "height": 67},
        {"file_id": "AgACAgQAAxkBAAIBQn", "file_unique_id": "AQADq8", "width": 800, "height": 600},
    ]
    if caption is not None:
        update["message"]["caption"] = caption
        entities = _entities(caption)
        if entities:
            update["message"]["caption_entities"] = entities
    return update


def sticker() -> dict[str, Any]:
    update = _fixture("private_message")
    del update["message"]["text"]
    update["message"]["sticker"] = {
        "file_id": "CAACAgIAAxkBAAIBOWZ",
        "file_unique_id": "AgADmgADVp29Cg",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "🏃",
    }
    return update


def button_press(
    data: str, sent: dict[str, Any] | None = None, user_id: int = 42
) -> dict[str, Any]:
    """A callback query for a button with `data` on `sent` (a sendMessage call's fields)."""
    update = _fixture("callback_query")
    query = update["callback_query"]
    query["data"] = data
    query["from"]["id"] = user_id
    if sent is not None:
        chat_id = int(sent["chat_id"])
        query["message"]["chat"] = {
            "id": chat_id,
            "type": "private" if chat_id > 0 else "supergroup",
        }
        query["message"]["text"] = sent["text"]
        query["message"]["reply_markup"] = sent.get("reply_markup") or {"inline_keyboard": []}
        if sent.get("message_thread_id"):  # runbot's message is in a forum topic
            query["message"]["message_thread_id"] = sent["message_thread_id"]
            query["message"]["is_topic_message"] = True
    return update


def inline(query: str) -> dict[str, Any]:
    update = _fixture("inline_query")
    update["inline_query"]["query"] = query
    return update


def _entities(text: str) -> list[dict[str, Any]]:
    entities = []
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        entities.append({"type": "bot_command", "offset": 0, "length": _units(command)})
    for mention in _MENTION.finditer(text):
        entities.append(
            {
                "type": "mention",
                "offset": _units(text[: mention.start()]),
                "length": _units(mention.group()),
            }
        )
    return entities


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
