"""Feedback buttons keep working after a restart, and every member gets one vote."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.settings import Settings
from tests.discord.helpers import custom_ids, reply_message, runbot_with_log
from tests.discord.interactions import Interactions
from tests.discord.standin import DiscordStandIn


def click_by(interactions: Interactions, message: dict[str, Any], custom_id: str, user: str):
    click = interactions.click(message, custom_id)
    click["member"]["user"]["id"] = user
    return click


async def test_a_feedback_button_from_before_a_restart_counts(
    standin: DiscordStandIn, settings: Settings, tmp_path: Path
) -> None:
    database = tmp_path / "runbot.db"
    async with runbot_with_log(standin, settings, database) as (interactions, _):
        _, answer = await reply_message(standin, interactions.ask("how do I stop a calf cramp"))
    helpful, _ = custom_ids(answer, "runbot:fb:")

    async with runbot_with_log(standin, settings, database) as (interactions, service):
        thanks = await standin.interact(interactions.click(answer, helpful))
        again = await standin.interact(interactions.click(answer, helpful))
        stats = service.stats()

    assert thanks.data["content"] == "Thanks! Glad it helped."
    assert again.data["content"] == "You already voted on this answer; your vote counts once."
    assert (stats.helpful, stats.not_helpful) == (1, 0)


async def test_a_second_member_may_vote_on_a_public_answer(
    standin: DiscordStandIn, settings: Settings, tmp_path: Path
) -> None:
    async with runbot_with_log(standin, settings, tmp_path / "runbot.db") as (
        interactions,
        service,
    ):
        _, answer = await reply_message(standin, interactions.ask("how do I stop a calf cramp"))
        helpful, not_helpful = custom_ids(answer, "runbot:fb:")

        first = await standin.interact(
            click_by(interactions, answer, helpful, "1300000000000000011")
        )
        second = await standin.interact(
            click_by(interactions, answer, not_helpful, "1300000000000000012")
        )
        stats = service.stats()

    assert first.data["content"] == "Thanks! Glad it helped."
    assert second.data["content"] == (
        "Thanks for telling us: moderators use this to improve the answers."
    )
    assert (stats.helpful, stats.not_helpful) == (1, 1)
