"""Discord's size limits, which discord.py does not enforce, and text fitted to them."""

from __future__ import annotations

__all__ = [
    "AUTOCOMPLETE_CHOICES",
    "BUTTONS_PER_ROW",
    "BUTTON_LABEL",
    "CHOICE_NAME",
    "CHOICE_VALUE",
    "COMPONENT_ROWS",
    "CUSTOM_ID",
    "EMBED_DESCRIPTION",
    "EMBED_FIELDS",
    "EMBED_TITLE",
    "EMBED_TOTAL",
    "FIELD_NAME",
    "FIELD_VALUE",
    "FOOTER_TEXT",
    "MESSAGE_CONTENT",
    "OPTION_DESCRIPTION",
    "OPTION_LABEL",
    "PLACEHOLDER",
    "SELECT_OPTIONS",
    "discord_length",
    "fit",
]

EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER_TEXT = 2048
EMBED_TOTAL = 6000
MESSAGE_CONTENT = 2000
BUTTON_LABEL = 80
BUTTONS_PER_ROW = 5
COMPONENT_ROWS = 5
CUSTOM_ID = 100
SELECT_OPTIONS = 25
OPTION_LABEL = 100
OPTION_DESCRIPTION = 100
PLACEHOLDER = 150
AUTOCOMPLETE_CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100

_ELLIPSIS = "…"
# Shown where Discord rejects an empty string (field names and values, labels).
_BLANK = "\u200b"


def discord_length(text: str) -> int:
    """Length in UTF-16 code units: never less than Discord's count, whichever it uses."""
    return len(text.encode("utf-16-le")) // 2


def fit(text: str, limit: int) -> str:
    """`text` cut to at most `limit` (UTF-16 units) with an ellipsis; never empty."""
    text = text.strip()
    if not text:
        return _BLANK
    if discord_length(text) <= limit:
        return text
    # Cutting the UTF-16 bytes may split a surrogate pair; "ignore" drops the half.
    kept = text.encode("utf-16-le")[: (limit - 1) * 2].decode("utf-16-le", errors="ignore")
    return kept.rstrip() + _ELLIPSIS
