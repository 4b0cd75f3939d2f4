"""/ask end to end: the real client answers INTERACTION_CREATE through the stand-in."""

from __future__ import annotations

from typing import Any

from bot.messages import Discord, research_note, urgent_basis
from bot.reply import Status
from bot.service import RunbotService
from tests.discord.helpers import assert_components_within_limits, assert_embed_within_limits
from tests.discord.interactions import Interactions
from tests.discord.standin import AUTOCOMPLETE_RESULT, CHANNEL_MESSAGE, EPHEMERAL, DiscordStandIn

GREEN = 0x2ECC71
BLURPLE = 0x5865F2
RED = 0xE74C3C
GREY = 0x979C9F


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for row in message.get("components", []) for item in row["components"]]


async def test_answered_question_gets_an_embed_with_source_disclaimer_and_feedback_buttons(
    running: Interactions, standin: DiscordStandIn, service: RunbotService
) -> None:
    expected = service.preview("how do I stop a calf cramp")
    assert expected.status is Status.ANSWERED

    callback = await standin.interact(running.ask("how do I stop a calf cramp"))

    assert callback.body["type"] == CHANNEL_MESSAGE
    assert not callback.data.get("flags", 0) & EPHEMERAL
    (embed,) = callback.data["embeds"]
    assert embed["title"] == expected.headline
    assert embed["description"] == expected.body
    assert embed["color"] == GREEN
    assert expected.attribution is not None
    assert expected.attribution.line in embed["footer"]["text"]
    assert "Not medical advice" in embed["footer"]["text"]
    if expected.caveat:
        assert embed["fields"][0]["value"] == research_note(expected.caveat)
    ids = [button["custom_id"] for button in buttons(callback.data)]
    feedback = [custom_id for custom_id in ids if custom_id.startswith("runbot:fb:")]
    assert [custom_id[-2:] for custom_id in feedback] == [":1", ":0"]
    related = [f"runbot:entry:{s.id}" for s in expected.suggestions]
    assert [custom_id for custom_id in ids if custom_id.startswith("runbot:entry:")] == related
    assert service.stats().answered == 1


async def test_vague_question_asks_which_with_a_button_per_candidate(
    running: Interactions, standin: DiscordStandIn, service: RunbotService
) -> None:
    expected = service.preview("leg cramps")
    assert expected.status is Status.CLARIFY

    callback = await standin.interact(running.ask("leg cramps"))

    (embed,) = callback.data["embeds"]
    assert embed["color"] == BLURPLE
    assert embed["description"] == expected.body
    labels = {button["label"]: button["custom_id"] for button in buttons(callback.data)}
    assert labels == {s.title: f"runbot:entry:{s.id}" for s in expected.suggestions}


async def test_question_runbot_cannot_answer_falls_back_without_buttons(
    running: Interactions, standin: DiscordStandIn, service: RunbotService
) -> None:
    callback = await standin.interact(running.ask("what's the best marathon in Europe?"))

    (embed,) = callback.data["embeds"]
    assert embed["color"] == GREY
    assert "I don't have advice on that yet" in embed["description"]
    assert not callback.data.get("components")
    assert service.stats().fallback == 1


async def test_red_flag_comes_alone_in_red_without_buttons(
    running: Interactions, standin: DiscordStandIn, service: RunbotService
) -> None:
    question = "I have a calf cramp and chest pain and feel dizzy"
    expected = service.preview(question)
    assert expected.status is Status.URGENT

    interaction = running.ask(question)
    callback = await standin.interact(interaction)

    (embed,) = callback.data["embeds"]
    assert embed["color"] == RED
    assert embed["title"] == expected.headline
    assert embed["description"] == expected.body
    assert expected.basis
    (basis,) = embed["fields"]
    assert basis["name"] == Discord.URGENT_BASIS_FIELD != Discord.CAVEAT_FIELD
    assert basis["value"] in urgent_basis(expected.basis)
    assert not basis["value"].startswith("Why")
    assert not callback.data.get("components")
    assert len(standin.calls_to(standin.callback_path(interaction))) == 1
    assert standin.calls_to(standin.followup_path(interaction)) == []
    assert service.stats().urgent == 1


async def test_ephemeral_option_answers_privately(
    running: Interactions, standin: DiscordStandIn
) -> None:
    callback = await standin.interact(running.ask("how do I stop a calf cramp", ephemeral=True))

    assert callback.body["type"] == CHANNEL_MESSAGE
    assert callback.data["flags"] & EPHEMERAL


async def test_huge_hostile_question_gets_a_polite_reply_within_limits(
    running: Interactions, standin: DiscordStandIn
) -> None:
    question = ("@everyone **cramp** ``` <script> " * 200)[:5999]

    callback = await standin.interact(running.ask(question))

    (embed,) = callback.data["embeds"]
    assert embed["description"]
    assert_embed_within_limits(embed)
    assert_components_within_limits(callback.data.get("components", []))
    assert callback.data["allowed_mentions"] == {"parse": []}


async def test_autocomplete_offers_at_most_25_titles_best_first(
    running: Interactions, standin: DiscordStandIn, service: RunbotService
) -> None:
    callback = await standin.interact(running.ask_autocomplete("side st"))

    assert callback.body["type"] == AUTOCOMPLETE_RESULT
    choices = callback.data["choices"]
    assert 1 <= len(choices) <= 25
    assert all(len(choice["name"]) <= 100 and len(choice["value"]) <= 100 for choice in choices)
    assert "stitch" in choices[0]["name"].lower()
    assert [c["name"] for c in choices] == [s.title for s in service.suggest("side st", 25)]


async def test_autocomplete_with_nothing_typed_offers_25_entries(
    running: Interactions, standin: DiscordStandIn, service: RunbotService
) -> None:
    callback = await standin.interact(running.ask_autocomplete(""))

    choices = callback.data["choices"]
    entries = len(service.brain.knowledge.entries)
    assert len(choices) == min(25, entries)
    assert len({choice["value"] for choice in choices}) == len(choices)


async def test_picking_an_autocomplete_choice_answers_that_entry(
    running: Interactions, standin: DiscordStandIn
) -> None:
    completion = await standin.interact(running.ask_autocomplete("sweat"))
    for choice in completion.data["choices"][:3]:
        callback = await standin.interact(running.ask(choice["value"]))

        (embed,) = callback.data["embeds"]
        assert embed["title"] == choice["name"]
        assert embed["color"] == GREEN


async def test_direct_message_question_is_answered(
    running: Interactions, standin: DiscordStandIn
) -> None:
    callback = await standin.interact(running.in_direct_message(running.ask("calf cramp help")))

    assert callback.body["type"] == CHANNEL_MESSAGE
    assert callback.data["embeds"][0]["description"]
