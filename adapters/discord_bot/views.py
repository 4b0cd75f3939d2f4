"""The buttons and menus under runbot's replies, and sending a reply with them.

Each component carries what it means in its custom_id ("runbot:entry:<entry id>",
"runbot:fb:<reply id>:1") and is handled by a DynamicItem, so buttons on old messages keep
working after a restart or a knowledge reload. Views are stopped before sending: they are
layouts only, and nothing is kept in memory per message.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
from collections.abc import Sequence
from typing import Any, Self

import discord

from adapters.discord_bot import PLATFORM
from adapters.discord_bot.host import host_of
from adapters.discord_bot.human import HUMAN_ITEMS, AskModeratorButton, offer
from adapters.discord_bot.limits import (
    BUTTON_LABEL,
    BUTTONS_PER_ROW,
    COMPONENT_ROWS,
    CUSTOM_ID,
    OPTION_DESCRIPTION,
    OPTION_LABEL,
    PLACEHOLDER,
    SELECT_OPTIONS,
    fit,
)
from adapters.discord_bot.notices import send_notice
from adapters.discord_bot.reload_question import ReloadAnswerButton
from adapters.discord_bot.render import reply_embed
from adapters.discord_bot.teaching import ChooseToTeachButton, TeachButton, UndoTeachButton
from bot import messages
from bot.messages import Discord
from bot.metrics import METRICS
from bot.reply import Question, Reply, Status, Suggestion
from bot.service import RunbotService, TopicMenu
from bot.votes import VoteOutcome

Interaction = discord.Interaction[discord.Client]

__all__ = [
    "DYNAMIC_ITEMS",
    "EntryButton",
    "EntryPicker",
    "FeedbackButton",
    "is_ours",
    "reply_view",
    "send_reply",
    "topics_view",
]

log = logging.getLogger(__name__)

_ENTRY_ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_REPLY_ID = r"[A-Za-z0-9_-]+"


async def send_reply(interaction: Interaction, reply: Reply, *, ephemeral: bool) -> None:
    """Answer the interaction with one reply: its embed and, unless urgent, its buttons."""
    embed = reply_embed(reply)
    view = reply_view(reply, ask_human=host_of(interaction).human_requests is not None)
    if view is None:
        await interaction.response.send_message(embed=embed, ephemeral=ephemeral)
    else:
        await interaction.response.send_message(embed=embed, view=view, ephemeral=ephemeral)


def reply_view(reply: Reply, *, ask_human: bool = False) -> discord.ui.View | None:
    """Feedback buttons for an answer, and buttons for its suggestions; none when urgent.

    `ask_human`: a fallback offers to ask the moderators (RUNBOT_ASK_A_HUMAN), on a row of
    its own below the suggestions.
    """
    if reply.status is Status.URGENT:
        return None
    items: list[discord.ui.Item[Any]] = []
    first_row = 0
    if reply.status is Status.ANSWERED and reply.reply_id:
        items += [FeedbackButton(reply.reply_id, helpful=True, row=0)]
        items += [FeedbackButton(reply.reply_id, helpful=False, row=0)]
        first_row = 1
    ask = ask_human and reply.status is Status.FALLBACK and not reply.small_talk
    ask = ask and bool(reply.reply_id)
    choices = [s for s in _distinct(reply.suggestions) if _usable_id(s.id)]
    room = (COMPONENT_ROWS - first_row - int(ask)) * BUTTONS_PER_ROW
    shown = choices[:room]
    for number, suggestion in enumerate(shown):
        row = first_row + number // BUTTONS_PER_ROW
        items.append(EntryButton(suggestion.id, suggestion.title, row=row))
    if ask:
        below = first_row + math.ceil(len(shown) / BUTTONS_PER_ROW)
        items.append(AskModeratorButton(reply.reply_id, row=below))
    return _layout(items)


def topics_view(topics: Sequence[TopicMenu]) -> discord.ui.View | None:
    """Menus of every topic's questions, whole topics packed into at most five menus."""
    menus: list[list[tuple[str, Suggestion]]] = [[]]
    for topic in topics:
        entries = [entry for entry in _distinct(topic.entries) if _usable_id(entry.id)]
        if menus[-1] and len(menus[-1]) + len(entries) > SELECT_OPTIONS:
            menus.append([])
        for entry in entries:
            if len(menus[-1]) == SELECT_OPTIONS:
                menus.append([])
            if all(entry.id != chosen.id for _, chosen in menus[-1]):
                menus[-1].append((topic.name, entry))
    items: list[discord.ui.Item[Any]] = []
    for number, options in enumerate(menus[:COMPONENT_ROWS]):
        if options:
            items.append(EntryPicker(number, options))
    return _layout(items)


def _layout(items: list[discord.ui.Item[Any]]) -> discord.ui.View | None:
    if not items:
        return None
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    view.stop()
    return view


class EntryButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=rf"runbot:entry:(?P<entry_id>{_ENTRY_ID})",
):
    """A suggested question: pressing it answers that entry."""

    def __init__(self, entry_id: str, title: str, row: int | None = None) -> None:
        button: discord.ui.Button[discord.ui.View] = discord.ui.Button(
            label=fit(title, BUTTON_LABEL),
            style=discord.ButtonStyle.primary,
            custom_id=self.custom_id_for(entry_id),
        )
        super().__init__(button, row=row)
        self.entry_id = entry_id

    @staticmethod
    def custom_id_for(entry_id: str) -> str:
        return f"runbot:entry:{entry_id}"

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(match["entry_id"], label or match["entry_id"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await _answer_entry(interaction, self.entry_id, self.item.label or self.entry_id)


class FeedbackButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=rf"runbot:fb:(?P<reply_id>{_REPLY_ID}):(?P<helpful>[01])",
):
    """Helpful / not helpful: one vote per person per answer (a second one changes it)."""

    def __init__(self, reply_id: str, *, helpful: bool, row: int | None = None) -> None:
        button: discord.ui.Button[discord.ui.View] = discord.ui.Button(
            label=Discord.HELPFUL if helpful else Discord.NOT_HELPFUL,
            emoji="👍" if helpful else "👎",
            style=discord.ButtonStyle.secondary,
            custom_id=f"runbot:fb:{reply_id}:{int(helpful)}",
        )
        super().__init__(button, row=row)
        self.reply_id = reply_id
        self.helpful = helpful

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        return cls(match["reply_id"], helpful=match["helpful"] == "1")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        voter = str(interaction.user.id)
        try:
            # Off the event loop: a vote on an answer from before a restart reads the log.
            outcome = await asyncio.to_thread(
                _service(interaction).record_vote, self.reply_id, self.helpful, PLATFORM, voter
            )
        except Exception:
            log.exception("recording feedback failed")
            await send_notice(interaction, Discord.SOMETHING_WENT_WRONG)
            return
        thanks = messages.vote_thanks(outcome, self.helpful)
        if not self.helpful and outcome in (VoteOutcome.COUNTED, VoteOutcome.CHANGED):
            await offer(interaction, self.reply_id, thanks=thanks)  # only if it can be asked
        else:
            await send_notice(interaction, thanks)


class EntryPicker(
    discord.ui.DynamicItem[discord.ui.Select[discord.ui.View]],
    template=r"runbot:topics:(?P<number>[0-9])",
):
    """A menu of questions from one or more topics: choosing one answers that entry."""

    def __init__(self, number: int, options: Sequence[tuple[str, Suggestion]]) -> None:
        topics = ", ".join(dict.fromkeys(topic for topic, _ in options))
        select: discord.ui.Select[discord.ui.View] = discord.ui.Select(
            custom_id=f"runbot:topics:{number}",
            placeholder=fit(Discord.TOPICS_PLACEHOLDER.format(topics=topics), PLACEHOLDER),
            options=[
                discord.SelectOption(
                    label=fit(entry.title, OPTION_LABEL),
                    value=entry.id,
                    description=fit(topic, OPTION_DESCRIPTION) if topic else None,
                )
                for topic, entry in options
            ],
        )
        super().__init__(select)

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        options = item.options if isinstance(item, discord.ui.Select) else []
        chosen = [("", Suggestion(option.value, option.label)) for option in options]
        picker = cls(int(match["number"]), chosen)
        if isinstance(item, discord.ui.Select):
            picker.item.placeholder = item.placeholder
        return picker

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        if not self.item.values:
            await send_notice(interaction, Discord.OUT_OF_DATE)
            return
        entry_id = self.item.values[0]
        labels = {option.value: option.label for option in self.item.options}
        await _answer_entry(interaction, entry_id, labels.get(entry_id, entry_id))


DYNAMIC_ITEMS = (
    EntryButton,
    FeedbackButton,
    EntryPicker,
    ReloadAnswerButton,
    TeachButton,
    ChooseToTeachButton,
    UndoTeachButton,
    *HUMAN_ITEMS,
)


def is_ours(custom_id: str) -> bool:
    """Whether one of DYNAMIC_ITEMS handles this custom_id (as discord.py matches them)."""
    return any(item.__discord_ui_compiled_template__.fullmatch(custom_id) for item in DYNAMIC_ITEMS)


async def _answer_entry(interaction: Interaction, entry_id: str, title: str) -> None:
    """Answer an entry the user chose, as privately as the message they chose it from."""
    question = Question(text=title, platform=PLATFORM, asker=str(interaction.user.id))
    try:
        reply = host_of(interaction).service.answer_entry(entry_id, question)
        if reply is None:
            await send_notice(interaction, Discord.ENTRY_GONE)
            return
        ephemeral = interaction.message is not None and interaction.message.flags.ephemeral
        await send_reply(interaction, reply, ephemeral=ephemeral)
    except Exception as error:
        if isinstance(error, discord.HTTPException):
            METRICS.count_send_failure(PLATFORM)
        # discord.py only logs a component's errors; the user must still hear something.
        log.exception("answering the chosen entry %r failed", entry_id)
        await send_notice(interaction, Discord.SOMETHING_WENT_WRONG)


def _service(interaction: Interaction) -> RunbotService:
    return host_of(interaction).service


def _distinct(suggestions: Sequence[Suggestion]) -> list[Suggestion]:
    return list({suggestion.id: suggestion for suggestion in suggestions}.values())


def _usable_id(entry_id: str) -> bool:
    """Whether an entry id can travel in a custom_id (and a select option's value)."""
    fits = len(EntryButton.custom_id_for(entry_id)) <= CUSTOM_ID
    return fits and re.fullmatch(_ENTRY_ID, entry_id) is not None
