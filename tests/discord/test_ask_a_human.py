"""Ask a moderator on Discord: with the runner's consent, a question goes to the moderators'
channel without names or ids, and a moderator's reply comes back where the runner asked,
labelled as from a moderator."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.question_log import SqliteQuestionLog
from bot.service import RunbotService
from bot.settings import Settings
from tests.discord.helpers import (
    MODERATOR_CHANNEL,
    MODERATOR_ID,
    buttons,
    custom_ids,
    latest,
    reply_message,
    runbot_with_log,
)
from tests.discord.interactions import MEMBER_ID, Interactions
from tests.discord.standin import (
    CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    EPHEMERAL,
    MODAL,
    UPDATE_MESSAGE,
    Call,
    DiscordStandIn,
)

GAP = "how do i fix shin splints"  # runbot's knowledge cannot answer it
MODERATOR = str(MODERATOR_ID)
OTHER = "1300000000000000011"  # another member of the server
ASKED_IN = "1300000000000000300"  # the server channel of every interaction, "ask-runbot"
MODERATORS_POST = f"/channels/{MODERATOR_CHANNEL}/messages"
LABEL = (
    "*This reply is from one of runbot's moderators (a person, a runner like you), not from the "
    "article runbot answers from, and it is not medical advice.*"
)
# Who asked, and where: none of it may reach the moderators.
IDENTIFYING = ("Sam", "sam_runs", MEMBER_ID, "1300000000000000100", "Riverside", "ask-runbot")


@pytest.fixture
def ask_a_human() -> bool:
    """RUNBOT_ASK_A_HUMAN; a test turns it off by parametrising this."""
    return True


@pytest.fixture
def settings(settings: Settings, ask_a_human: bool) -> Settings:
    return settings.model_copy(update={"runbot_ask_a_human": ask_a_human})


@pytest.fixture
def service(knowledge_dir: Path, tmp_path: Path, ask_a_human: bool) -> Iterator[RunbotService]:
    """The service as `runbot discord` builds it: requests live in the question log."""
    with SqliteQuestionLog(tmp_path / "runbot.db") as question_log:
        yield RunbotService(knowledge_dir, question_log=question_log, ask_a_human=ask_a_human)


def by(interaction: dict[str, Any], user: str) -> dict[str, Any]:
    interaction["member"]["user"]["id"] = user
    return interaction


def original(standin: DiscordStandIn, interaction: dict[str, Any]) -> str:
    """Where editing the message under an interaction's button goes."""
    return f"{standin.followup_path(interaction)}/messages/@original"


def with_button(message: dict[str, Any], custom_id: str) -> dict[str, Any]:
    """`message` as if it had been sent with this button."""
    button = {"type": 2, "style": 2, "label": "Ask a moderator", "custom_id": custom_id}
    return {**message, "components": [{"type": 1, "components": [button]}]}


def moderators_post(standin: DiscordStandIn) -> dict[str, Any]:
    (post,) = [m for m in standin.messages.values() if "Reply" in buttons(m)]
    return post


async def consent_for(
    standin: DiscordStandIn, click: dict[str, Any]
) -> tuple[Call, dict[str, Any]]:
    """Press "Ask a moderator" (or vote): the private callback, and the message it made."""
    callback = await standin.interact(click)
    assert callback.body["type"] == CHANNEL_MESSAGE
    assert callback.data["flags"] & EPHEMERAL
    return callback, latest(standin)


async def ask_the_moderators(
    standin: DiscordStandIn, running: Interactions, asking: dict[str, Any], *, in_dm: bool = False
) -> tuple[dict[str, Any], Call]:
    """The runner asks what runbot cannot answer, presses Ask a moderator and says yes.

    Returns the runner's private consent message and the post in the moderators' channel."""

    def as_asked(interaction: dict[str, Any]) -> dict[str, Any]:
        return running.in_direct_message(interaction) if in_dm else interaction

    _, fallback = await reply_message(standin, as_asked(asking))
    _, consent = await consent_for(
        standin, as_asked(running.click(fallback, buttons(fallback)["Ask a moderator"]))
    )
    yes = as_asked(running.click(consent, buttons(consent)["Yes, ask a moderator"]))

    deferred = await standin.interact(yes)
    posted = await standin.wait_for_call(MODERATORS_POST)
    told = await standin.wait_for_call(original(standin, yes))

    assert deferred.body["type"] == DEFERRED_UPDATE_MESSAGE
    assert told.body["components"] == []
    assert told.body["embeds"] == []
    assert told.body["content"].startswith("Sent to runbot's moderators.")
    return consent, posted


async def reply_as_moderator(
    standin: DiscordStandIn, running: Interactions, text: str
) -> tuple[dict[str, Any], Call, Call]:
    """Press Reply on the moderators' post and submit the form: the form, its callback, and
    the end of it (the post edited, or the moderator told that it was closed)."""
    post = moderators_post(standin)
    form = await standin.interact(by(running.click(post, buttons(post)["Reply"]), MODERATOR))
    assert form.body["type"] == MODAL
    submitted = by(running.submit(post, form.data["custom_id"], {"reply": text}), MODERATOR)
    callback = await standin.interact(submitted)
    end = await standin.wait_for_first(
        standin.followup_path(submitted), original(standin, submitted)
    )
    return form.data, callback, end


async def test_a_question_reaches_the_moderators_without_names_and_the_reply_comes_back(
    running: Interactions, standin: DiscordStandIn
) -> None:
    asked, posted = await ask_the_moderators(standin, running, running.ask(GAP))

    consent = asked["embeds"][0]
    heading = "A runner asked runbot this in a server channel on Discord, and would like a moderator's answer:"
    assert "never your name or account" in consent["description"]
    assert "that it came from a server channel on Discord" in consent["description"]
    assert "Their reply will come in this channel, mentioning you." in consent["description"]
    assert consent["fields"] == [
        {"name": "What the moderators will see", "value": f"**{heading}**\n{GAP}", "inline": False}
    ]
    (shown,) = posted.body["embeds"]
    assert (shown["title"], shown["description"]) == (heading, GAP)
    for identifying in (*IDENTIFYING, ASKED_IN):
        assert identifying not in json.dumps(posted.body)
    shown_buttons = buttons(posted.body)
    assert list(shown_buttons) == ["Reply", "Ignore"]
    for custom_id in shown_buttons.values():  # the request's own random id, nothing else
        assert re.fullmatch(r"runbot:h(reply|ignore):[0-9a-f]{12}", custom_id)

    form, callback, closed = await reply_as_moderator(standin, running, "Rest it and see a physio.")

    assert form["title"] == "Reply to the runner"
    assert callback.body["type"] == DEFERRED_UPDATE_MESSAGE
    relayed = await standin.wait_for_call(f"/channels/{ASKED_IN}/messages")
    assert relayed.body["content"] == f"<@{MEMBER_ID}>"
    assert relayed.body["allowed_mentions"]["users"] == [int(MEMBER_ID)]
    (reply,) = relayed.body["embeds"]
    assert reply["description"].split("\n\n") == [
        f'**A moderator replied to your question "{GAP}":**',
        "Rest it and see a physio.",
        LABEL,
    ]
    assert closed.body["components"] == []
    assert closed.body["embeds"][0]["footer"]["text"] == (
        "Sent to the runner, as a reply from runbot's moderators."
    )
    assert closed.body["embeds"][0]["fields"][-1]["value"] == "Rest it and see a physio."


@pytest.mark.parametrize(
    ("in_dm", "where_the_reply_comes", "origin"),
    [
        (True, "Their reply will come here, in this direct message.", "a direct message"),
        (
            False,
            "You asked privately, so their reply will come to you by direct message",
            "a server channel",
        ),
    ],
    ids=["asked in a DM", "asked privately in a server channel"],
)
async def test_a_reply_to_a_question_from_a_dm_or_asked_privately_comes_by_direct_message(
    running: Interactions,
    standin: DiscordStandIn,
    in_dm: bool,
    where_the_reply_comes: str,
    origin: str,
) -> None:
    asking = running.ask(GAP, ephemeral=None if in_dm else True)
    asked, posted = await ask_the_moderators(standin, running, asking, in_dm=in_dm)

    assert where_the_reply_comes in asked["embeds"][0]["description"]
    assert f"this in {origin} on Discord" in posted.body["embeds"][0]["title"]
    for identifying in IDENTIFYING:
        assert identifying not in json.dumps(posted.body)

    await reply_as_moderator(standin, running, "Rest it and see a physio.")

    opened = await standin.wait_for_call("/users/@me/channels")
    assert str(opened.body["recipient_id"]) == MEMBER_ID
    relayed = await standin.wait_for_call(f"/channels/{standin.dm_channels[MEMBER_ID]}/messages")
    assert relayed.body["embeds"][0]["description"].endswith(LABEL)
    assert "Rest it and see a physio." in relayed.body["embeds"][0]["description"]
    assert standin.calls_to(f"/channels/{ASKED_IN}/messages") == []


async def test_a_second_question_is_refused_while_one_is_waiting(
    running: Interactions, standin: DiscordStandIn
) -> None:
    consent, _ = await ask_the_moderators(standin, running, running.ask(GAP))

    _, again = await reply_message(standin, running.ask("what shoes should i buy"))
    refused = await standin.interact(running.click(again, buttons(again)["Ask a moderator"]))
    # The first consent's yes, pressed again, is refused too.
    yes = running.click(consent, buttons(consent)["Yes, ask a moderator"])
    await standin.interact(yes)
    told = await standin.wait_for_call(original(standin, yes), nth=1)

    waiting = "You already have a question waiting for a moderator: their reply will come where you asked it."
    assert refused.body["type"] == CHANNEL_MESSAGE
    assert refused.data["flags"] & EPHEMERAL
    assert refused.data["content"] == waiting
    assert told.body["content"] == waiting
    assert len(standin.calls_to(MODERATORS_POST)) == 1


async def test_only_the_runner_who_asked_may_send_it_to_the_moderators(
    running: Interactions, standin: DiscordStandIn
) -> None:
    _, fallback = await reply_message(standin, running.ask(GAP))  # shown to the whole channel

    another_member = by(running.click(fallback, buttons(fallback)["Ask a moderator"]), OTHER)
    refused = await standin.interact(another_member)

    assert (
        refused.data["content"] == "Only the runner who asked this can send it to the moderators."
    )
    assert refused.data["flags"] & EPHEMERAL
    assert not refused.data.get("embeds")


@pytest.mark.parametrize("ask_a_human", [False])
async def test_asking_a_moderator_is_refused_when_it_is_off(
    running: Interactions, standin: DiscordStandIn
) -> None:
    _, fallback = await reply_message(standin, running.ask(GAP))
    # Buttons from before it was turned off (or forged).
    ask_id, yes_id = "runbot:askmod:0123456789abcdef", "runbot:askmodyes:0123456789abcdef:0"
    offer = await standin.interact(running.click(with_button(fallback, ask_id), ask_id))
    yes = await standin.interact(running.click(with_button(fallback, yes_id), yes_id))
    help_reply = await standin.interact(running.command("help"))

    assert "Ask a moderator" not in buttons(fallback)
    for refused in (offer, yes):
        assert refused.data["content"] == "Asking a moderator is not turned on here."
        assert refused.data["flags"] & EPHEMERAL
    assert "Asking a moderator" not in json.dumps(help_reply.data)
    assert standin.calls_to(MODERATORS_POST) == []


async def test_members_cannot_reply_to_a_runner_or_ignore_them(
    running: Interactions, standin: DiscordStandIn
) -> None:
    await ask_the_moderators(standin, running, running.ask(GAP))
    post = moderators_post(standin)
    form_id = buttons(post)["Reply"].replace("runbot:hreply:", "runbot:hreplyform:")

    pressed = await standin.interact(running.click(post, buttons(post)["Reply"]))
    forged = await standin.interact(running.submit(post, form_id, {"reply": "Buy my shoes."}))
    ignored = await standin.interact(running.click(post, buttons(post)["Ignore"]))

    for refused in (pressed, forged, ignored):
        assert refused.body["type"] == CHANNEL_MESSAGE
        assert refused.data["flags"] & EPHEMERAL
        assert refused.data["content"] == (
            "Sorry, only runbot's moderators can answer or ignore runners' questions."
        )
    # Still waiting for a moderator, whose reply is the only one the runner gets.
    await reply_as_moderator(standin, running, "Rest it and see a physio.")
    relayed = await standin.wait_for_call(f"/channels/{ASKED_IN}/messages")
    assert len(standin.calls_to(f"/channels/{ASKED_IN}/messages")) == 1
    assert "Rest it and see a physio." in relayed.body["embeds"][0]["description"]


async def test_a_moderator_may_ignore_a_question_and_the_runner_is_not_told(
    running: Interactions, standin: DiscordStandIn
) -> None:
    await ask_the_moderators(standin, running, running.ask(GAP))
    post = moderators_post(standin)

    ignored = await standin.interact(by(running.click(post, buttons(post)["Ignore"]), MODERATOR))
    _, _, too_late = await reply_as_moderator(standin, running, "Rest it and see a physio.")

    assert ignored.body["type"] == UPDATE_MESSAGE
    assert ignored.data["components"] == []
    assert ignored.data["embeds"][0]["footer"]["text"] == "Ignored: the runner is not told."
    assert too_late.body["content"] == "That question was already answered or ignored."
    assert standin.calls_to(f"/channels/{ASKED_IN}/messages") == []
    # Nothing waits any more: the runner may ask about something else.
    _, again = await reply_message(standin, running.ask("what shoes should i buy"))
    _, consent = await consent_for(standin, running.click(again, buttons(again)["Ask a moderator"]))
    assert "Yes, ask a moderator" in buttons(consent)


async def test_a_not_helpful_vote_offers_the_asker_a_moderator(
    running: Interactions, standin: DiscordStandIn
) -> None:
    question = "how do I stop a calf cramp"
    _, answer = await reply_message(standin, running.ask(question))
    assert "Ask a moderator" not in buttons(answer)  # answered: the vote offers it instead
    _, not_helpful = custom_ids(answer, "runbot:fb:")

    another_member = await standin.interact(by(running.click(answer, not_helpful), OTHER))
    _, offer = await consent_for(standin, running.click(answer, not_helpful))

    thanks = "Thanks for telling us: moderators use this to improve the answers."
    assert another_member.data["content"] == thanks
    assert not another_member.data.get("components")
    assert offer["content"] == thanks
    assert list(buttons(offer)) == ["Yes, ask a moderator"]
    assert offer["embeds"][0]["fields"][0]["value"].endswith(f"**\n{question}")


async def test_help_says_what_asking_a_moderator_shares(
    running: Interactions, standin: DiscordStandIn
) -> None:
    callback = await standin.interact(running.command("help"))

    fields = {field["name"]: field["value"] for field in callback.data["embeds"][0]["fields"]}
    assert fields["Asking a moderator"] == (
        "If I can't help, I can offer to ask runbot's moderators: only if you agree, they see "
        "your question's text and that it came from a server channel or a direct message on "
        "Discord (never your name), and runbot keeps where to send their reply until they "
        "answer (at most 30 days)."
    )


async def test_a_reply_typed_while_runbot_restarts_still_reaches_the_runner(
    standin: DiscordStandIn, settings: Settings, tmp_path: Path
) -> None:
    database = tmp_path / "restarted.db"
    async with runbot_with_log(standin, settings, database, ask_a_human=True) as (running, _):
        await ask_the_moderators(standin, running, running.ask(GAP))
        post = moderators_post(standin)
        form = await standin.interact(by(running.click(post, buttons(post)["Reply"]), MODERATOR))

    async with runbot_with_log(standin, settings, database, ask_a_human=True) as (running, _):
        typed = {"reply": "Rest it and see a physio."}
        submitted = by(running.submit(post, form.data["custom_id"], typed), MODERATOR)
        await standin.interact(submitted)
        relayed = await standin.wait_for_call(f"/channels/{ASKED_IN}/messages")
        closed = await standin.wait_for_call(original(standin, submitted))

    assert "Rest it and see a physio." in relayed.body["embeds"][0]["description"]
    assert closed.body["components"] == []
