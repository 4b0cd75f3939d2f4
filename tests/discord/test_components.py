"""Buttons and menus under replies: clicks and choices arrive as component interactions."""

from __future__ import annotations

import asyncio
import contextlib
import copy

from adapters.discord_bot.app import serve
from bot.messages import Discord
from bot.reply import Status
from bot.service import RunbotService
from bot.settings import Settings
from tests.discord.helpers import custom_ids, reply_message
from tests.discord.interactions import Interactions
from tests.discord.standin import CHANNEL_MESSAGE, EPHEMERAL, DiscordStandIn

GREEN = 0x2ECC71


async def test_clarify_button_answers_the_chosen_entry(
    running: Interactions, standin: DiscordStandIn, service: RunbotService
) -> None:
    expected = service.preview("leg cramps")
    assert expected.status is Status.CLARIFY
    _, clarify = await reply_message(standin, running.ask("leg cramps"))
    chosen = expected.suggestions[1]

    callback = await standin.interact(running.click(clarify, f"runbot:entry:{chosen.id}"))

    assert callback.body["type"] == CHANNEL_MESSAGE
    (embed,) = callback.data["embeds"]
    assert embed["title"] == chosen.title
    assert embed["color"] == GREEN
    assert not callback.data.get("flags", 0) & EPHEMERAL
    assert service.stats().answered == 1


async def test_choice_from_a_private_reply_is_answered_privately(
    running: Interactions, standin: DiscordStandIn, service: RunbotService
) -> None:
    _, clarify = await reply_message(standin, running.ask("leg cramps", ephemeral=True))
    assert clarify["flags"] & EPHEMERAL
    first = custom_ids(clarify, "runbot:entry:")[0]

    callback = await standin.interact(running.click(clarify, first))

    assert callback.data["flags"] & EPHEMERAL


async def test_feedback_counts_once_per_person_and_each_click_is_told_the_truth_privately(
    running: Interactions, standin: DiscordStandIn, service: RunbotService
) -> None:
    _, answer = await reply_message(standin, running.ask("how do I stop a calf cramp"))
    helpful, not_helpful = custom_ids(answer, "runbot:fb:")

    thanks = await standin.interact(running.click(answer, helpful))
    again = await standin.interact(running.click(answer, helpful))
    changed = await standin.interact(running.click(answer, not_helpful))

    assert thanks.body["type"] == CHANNEL_MESSAGE
    assert thanks.data["flags"] & EPHEMERAL
    assert thanks.data["content"] == "Thanks! Glad it helped."
    assert again.data["content"] == "You already voted on this answer; your vote counts once."
    assert changed.data["content"] == "Changed your vote to not helpful. Thanks!"
    stats = service.stats()
    assert (stats.helpful, stats.not_helpful) == (0, 1)


async def test_not_helpful_is_counted(
    running: Interactions, standin: DiscordStandIn, service: RunbotService
) -> None:
    _, answer = await reply_message(standin, running.ask("how do I measure my sweat rate"))
    _, not_helpful = custom_ids(answer, "runbot:fb:")

    await standin.interact(running.click(answer, not_helpful))

    assert service.stats().not_helpful == 1


async def test_related_question_button_answers_it(
    running: Interactions, standin: DiscordStandIn, service: RunbotService
) -> None:
    expected = service.preview("how do I stop a calf cramp")
    assert expected.suggestions
    _, answer = await reply_message(standin, running.ask("how do I stop a calf cramp"))
    related = expected.suggestions[0]

    callback = await standin.interact(running.click(answer, f"runbot:entry:{related.id}"))

    assert callback.data["embeds"][0]["title"] == related.title


async def test_button_for_an_entry_removed_since_explains_privately(
    running: Interactions, standin: DiscordStandIn
) -> None:
    _, clarify = await reply_message(standin, running.ask("leg cramps"))
    stale = copy.deepcopy(clarify)
    stale["components"][0]["components"][0]["custom_id"] = "runbot:entry:renamed-long-ago"

    callback = await standin.interact(running.click(stale, "runbot:entry:renamed-long-ago"))

    assert callback.data["flags"] & EPHEMERAL
    assert callback.data["content"] == Discord.ENTRY_GONE


async def test_buttons_keep_working_after_a_restart(
    standin: DiscordStandIn, service: RunbotService, settings: Settings
) -> None:
    interactions = Interactions(standin)
    first = asyncio.create_task(serve(service, settings))
    await standin.identified.wait()
    _, clarify = await reply_message(standin, interactions.ask("leg cramps"))
    first.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await first
    standin.identified.clear()

    second = asyncio.create_task(serve(service, settings))
    try:
        await standin.identified.wait()
        chosen = custom_ids(clarify, "runbot:entry:")[0]
        callback = await standin.interact(interactions.click(clarify, chosen))
    finally:
        second.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await second

    assert callback.data["embeds"][0]["color"] == GREEN


async def test_topics_menu_lists_every_entry_and_answers_the_chosen_one(
    running: Interactions, standin: DiscordStandIn, service: RunbotService
) -> None:
    data, menu = await reply_message(standin, running.command("topics"))

    (embed,) = data["embeds"]
    assert [field["name"] for field in embed["fields"]] == [t.name for t in service.topics()]
    selects = [item for row in data["components"] for item in row["components"]]
    assert 1 <= len(selects) <= 5
    assert all(1 <= len(select["options"]) <= 25 for select in selects)
    offered = [option["value"] for select in selects for option in select["options"]]
    assert sorted(offered) == sorted(e.id for t in service.topics() for e in t.entries)
    option = selects[-1]["options"][-1]

    callback = await standin.interact(
        running.choose(menu, selects[-1]["custom_id"], option["value"])
    )

    (answer,) = callback.data["embeds"]
    assert answer["title"] == option["label"]
    assert answer["color"] == GREEN


async def test_source_gives_the_full_attribution(
    running: Interactions, standin: DiscordStandIn, service: RunbotService
) -> None:
    answer = service.preview("how do I stop a calf cramp")
    assert answer.attribution is not None

    callback = await standin.interact(running.command("source"))

    (embed,) = callback.data["embeds"]
    sources = service.sources()
    titles = [source.title for source in (*sources.answers, *sources.research)]
    assert [field["name"] for field in embed["fields"]] == titles
    assert embed["fields"][0]["name"] == "Running: How to Overcome Muscle Cramps"
    (article,) = [field for field in embed["fields"] if field["name"] == answer.attribution.title]
    assert answer.attribution.author in article["value"]
    assert answer.attribution.publisher in article["value"]


async def test_a_menu_choice_with_nothing_chosen_is_answered_privately(
    running: Interactions, standin: DiscordStandIn
) -> None:
    data, menu = await reply_message(standin, running.command("topics"))
    select = data["components"][0]["components"][0]

    callback = await standin.interact(running.choose(menu, select["custom_id"]))

    assert callback.body["type"] == CHANNEL_MESSAGE
    assert callback.data["flags"] & EPHEMERAL
    assert callback.data["content"] == Discord.OUT_OF_DATE


async def test_components_in_a_format_runbot_no_longer_has_are_answered_privately(
    running: Interactions, standin: DiscordStandIn, service: RunbotService
) -> None:
    """E.g. buttons and menus on messages sent by an older runbot, before an upgrade."""
    _, menu = await reply_message(standin, running.command("topics"))
    old_menu = copy.deepcopy(menu)
    old_menu["components"][0]["components"][0]["custom_id"] = "runbot:topic:calf-cramps"
    value = old_menu["components"][0]["components"][0]["options"][0]["value"]
    _, clarify = await reply_message(standin, running.ask("leg cramps"))
    old_button = copy.deepcopy(clarify)
    old_button["components"][0]["components"][0]["custom_id"] = "runbot:suggest:0"

    chosen = await standin.interact(running.choose(old_menu, "runbot:topic:calf-cramps", value))
    clicked = await standin.interact(running.click(old_button, "runbot:suggest:0"))

    for callback in (chosen, clicked):
        assert callback.body["type"] == CHANNEL_MESSAGE
        assert callback.data["flags"] & EPHEMERAL
        assert callback.data["content"] == Discord.OUT_OF_DATE
    assert service.stats().answered == 0


async def test_components_runbot_handles_are_answered_once(
    running: Interactions, standin: DiscordStandIn
) -> None:
    _, answer = await reply_message(standin, running.ask("how do I stop a calf cramp"))
    helpful, _ = custom_ids(answer, "runbot:fb:")
    interaction = running.click(answer, helpful)

    await standin.interact(interaction)
    await standin.interact(running.ask("leg cramps"))

    assert len(standin.calls_to(standin.callback_path(interaction))) == 1
    assert standin.calls_to(standin.followup_path(interaction)) == []
