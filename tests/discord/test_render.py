"""Replies become embeds and components within Discord's limits, whatever the input."""

from __future__ import annotations

import pytest

from adapters.discord_bot.limits import fit
from adapters.discord_bot.render import (
    human_consent_embed,
    human_reply_embed,
    human_request_embed,
    reply_embed,
    topics_embed,
)
from adapters.discord_bot.views import reply_view, topics_view
from bot.messages import Discord, research_note
from bot.reply import Attribution, Caveat, Citation, Reply, Status, Suggestion, SuggestionKind
from bot.service import TopicMenu
from tests.discord.helpers import (
    HOSTILE,
    assert_components_within_limits,
    assert_embed_within_limits,
)


def hostile_reply(text: str, status: Status = Status.ANSWERED, suggestions: int = 40) -> Reply:
    return Reply(
        status=status,
        body=text,
        headline=text,
        caveat=Caveat(text, (Citation("source", text),)),
        attribution=Attribution(
            text, text, text, url="https://example.org/" + "a" * 50, section=text
        ),
        disclaimer=text,
        suggestions=tuple(Suggestion(f"entry-{n}", f"{n} {text}") for n in range(suggestions)),
        suggestions_kind=SuggestionKind.RELATED,
        entry_id="entry-0",
        reply_id="0123456789abcdef",
    )


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("status", list(Status))
def test_reply_embed_stays_within_discord_limits(text: str, status: Status) -> None:
    embed = reply_embed(hostile_reply(text, status)).to_dict()

    assert_embed_within_limits(dict(embed))
    assert embed.get("description")


def test_ordinary_reply_is_shown_unchanged() -> None:
    reply = hostile_reply("Stretch the muscle gently.", suggestions=2)

    embed = reply_embed(reply)

    assert embed.title == reply.headline
    assert embed.description == reply.body
    assert reply.caveat is not None
    assert embed.fields[0].value == research_note(reply.caveat)
    assert reply.attribution is not None
    assert embed.footer.text == f"{reply.attribution.line}\n{reply.disclaimer}"
    assert embed.url == reply.attribution.url


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("calf", 80, "calf"),
        ("  calf  ", 80, "calf"),
        ("", 80, "\u200b"),
        ("abcdef", 4, "abc…"),
        ("ab" + "😀" * 3, 4, "ab…"),  # never half an emoji (a surrogate pair in UTF-16)
        ("ab cdef", 4, "ab…"),
    ],
)
def test_fit_cuts_with_an_ellipsis_and_never_splits_a_character(
    text: str, limit: int, expected: str
) -> None:
    assert fit(text, limit) == expected


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("status", [Status.ANSWERED, Status.CLARIFY])
async def test_reply_buttons_stay_within_discord_limits(text: str, status: Status) -> None:
    view = reply_view(hostile_reply(text, status))

    assert view is not None
    assert_components_within_limits(view.to_components())
    assert view.is_finished(), "views are layouts only: nothing kept in memory per message"


async def test_urgent_and_fallback_replies_have_no_buttons() -> None:
    assert reply_view(hostile_reply("chest pain", Status.URGENT)) is None
    assert reply_view(Reply(Status.FALLBACK, "I don't have advice on that yet.")) is None


@pytest.mark.parametrize("suggestions", [0, 3, 40])
async def test_a_fallback_offers_to_ask_a_moderator_on_a_row_below_its_suggestions(
    suggestions: int,
) -> None:
    reply = hostile_reply("I don't have advice on that yet.", Status.FALLBACK, suggestions)

    view = reply_view(reply, ask_human=True)

    assert view is not None
    components = view.to_components()
    assert_components_within_limits(components)
    assert [item["custom_id"] for item in components[-1]["components"]] == [
        "runbot:askmod:0123456789abcdef"
    ]
    off = reply_view(reply, ask_human=False)
    shown = [] if off is None else [i for row in off.to_components() for i in row["components"]]
    assert not any(item["custom_id"].startswith("runbot:askmod:") for item in shown)


@pytest.mark.parametrize("text", HOSTILE)
def test_ask_a_moderator_embeds_stay_within_discord_limits(text: str) -> None:
    question = text[:2000]  # what the question log keeps of a question
    embeds = [
        human_consent_embed(question, "a server channel", Discord.HUMAN_REPLY_BY_DM, 30),
        human_request_embed(question, "a direct message"),
        human_reply_embed(question, text[:2000]),  # a moderator's reply: at most 2000
    ]

    for embed in embeds:
        assert_embed_within_limits(dict(embed.to_dict()))


async def test_suggestions_whose_ids_cannot_travel_in_a_custom_id_get_no_button() -> None:
    reply = Reply(
        Status.CLARIFY,
        "Did you mean:",
        suggestions=(
            Suggestion("x" * 120, "Too long"),
            Suggestion("Bad Id!", "Odd"),
            Suggestion("ok", "Fine"),
        ),
    )

    view = reply_view(reply)

    assert view is not None
    assert [item["custom_id"] for row in view.to_components() for item in row["components"]] == [
        "runbot:entry:ok"
    ]


@pytest.mark.parametrize("text", HOSTILE)
async def test_topics_menus_and_embed_stay_within_discord_limits(text: str) -> None:
    topics = tuple(
        TopicMenu(f"{t} {text}", tuple(Suggestion(f"t{t}-e{e}", f"{e} {text}") for e in range(30)))
        for t in range(8)
    )

    view = topics_view(topics)

    assert view is not None
    assert_components_within_limits(view.to_components())
    assert_embed_within_limits(dict(topics_embed(topics).to_dict()))


async def test_small_topics_share_a_menu_and_each_entry_is_offered_once() -> None:
    topics = (
        TopicMenu(
            "Cramps", (Suggestion("stretch", "Stretching"), Suggestion("massage", "Massage"))
        ),
        TopicMenu(
            "Stitches", (Suggestion("stitch", "Side stitch"), Suggestion("stretch", "Stretching"))
        ),
    )

    view = topics_view(topics)

    assert view is not None
    (row,) = view.to_components()
    (menu,) = row["components"]
    assert [option["value"] for option in menu["options"]] == ["stretch", "massage", "stitch"]
    assert menu["placeholder"] == "Questions on Cramps, Stitches"
