"""/ask end to end: the real client answers INTERACTION_CREATE through the stand-in."""

from __future__ import annotations

from bot.reply import Status
from bot.service import RunbotService
from tests.discord.interactions import Interactions
from tests.discord.standin import CHANNEL_MESSAGE, EPHEMERAL, DiscordStandIn

GREEN = 0x2ECC71


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
    buttons = [b for row in callback.data["components"] for b in row["components"]]
    feedback = [b["custom_id"] for b in buttons if b["custom_id"].startswith("runbot:fb:")]
    assert len(feedback) == 2
    assert service.stats().answered == 1
