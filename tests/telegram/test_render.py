"""Rendering replies as Telegram HTML: escaping, splitting, keyboards, callback data."""

from __future__ import annotations

import html
import re

import pytest

from adapters.telegram_bot.callbacks import (
    ChooseEntry,
    ChooseTopic,
    ListTopics,
    Press,
    Vote,
    encode,
    parse,
)
from adapters.telegram_bot.render import (
    Paragraph,
    Style,
    render_paragraphs,
    render_reply,
    shorten,
    split_paragraphs,
)
from bot.reply import Attribution, Caveat, Citation, Reply, Status, Suggestion, SuggestionKind
from tests.helpers import utf16_units
from tests.telegram.standin import html_problem

LIMIT = 4096


def texts(chunks: list[list[Paragraph]]) -> list[list[str]]:
    return [[paragraph.text for paragraph in chunk] for chunk in chunks]


def test_short_paragraphs_stay_in_one_message() -> None:
    chunks = split_paragraphs([Paragraph("one"), Paragraph("two")])

    assert texts(chunks) == [["one", "two"]]


def test_messages_break_between_paragraphs_not_inside_them() -> None:
    paragraphs = [Paragraph(letter * 1500) for letter in "abcd"]

    chunks = split_paragraphs(paragraphs)

    assert texts(chunks) == [["a" * 1500, "b" * 1500], ["c" * 1500, "d" * 1500]]


def test_a_paragraph_fills_a_message_exactly_to_the_limit() -> None:
    chunks = split_paragraphs([Paragraph("a" * 2047), Paragraph("b" * 2047)])

    assert len(chunks) == 1  # 2047 + 2 (blank line) + 2047 = 4096


def test_a_paragraph_too_long_alone_is_cut_at_line_then_word_breaks() -> None:
    lines = "\n".join(f"line {number:04d}" + " word" * 40 for number in range(40))
    words = " ".join(["stride"] * 1500)

    chunks = split_paragraphs([Paragraph(lines), Paragraph(words)])

    for chunk in chunks:
        assert sum(utf16_units(p.text) for p in chunk) + 2 * (len(chunk) - 1) <= LIMIT
        for paragraph in chunk:
            assert not paragraph.text.startswith((" ", "\n"))
    line_pieces = [p.text for chunk in chunks for p in chunk if p.text.startswith("line")]
    assert all(piece.endswith("word") for piece in line_pieces)  # cut between lines
    assert "\n".join(line_pieces) == lines
    word_pieces = [p.text for chunk in chunks for p in chunk if p.text.startswith("stride")]
    assert " ".join(word_pieces) == words


def test_text_without_breaks_is_cut_hard_and_emoji_count_double() -> None:
    chunks = split_paragraphs([Paragraph("🏃" * 3000)])

    assert [utf16_units(chunk[0].text) for chunk in chunks] == [4096, 1904]
    assert "".join(chunk[0].text for chunk in chunks) == "🏃" * 3000


def test_style_survives_a_cut_and_every_message_is_valid_html() -> None:
    rendered = render_paragraphs([Paragraph("<&> " * 2000, Style.BOLD)])

    assert len(rendered.messages) == 2
    for message in rendered.messages:
        assert message.startswith("<b>&lt;&amp;&gt;")
        assert message.endswith("</b>")
        assert html_problem(message) is None


@pytest.mark.parametrize(
    "hostile",
    ["<b>&</script>", "a < b && c > d", "&amp;", "</i><i>", "<a href='x'>", "5 > 3 < 4 &"],
)
def test_every_part_of_a_reply_is_escaped(hostile: str) -> None:
    reply = Reply(
        status=Status.ANSWERED,
        headline=hostile,
        body=f"{hostile}\n\n{hostile}",
        caveat=Caveat(hostile, (Citation("source", hostile),)),
        attribution=Attribution(
            hostile, f"{hostile} (author)", hostile, "https://example.org/?a=1&b=<2>"
        ),
        disclaimer=hostile,
        suggestions=(Suggestion("side-stitch", hostile),),
        suggestions_kind=SuggestionKind.RELATED,
        entry_id="side-stitch",
        reply_id="0123456789abcdef",
    )

    rendered = render_reply(reply)

    [message] = rendered.messages
    assert html_problem(message) is None
    assert message.startswith(f"<b>{html.escape(hostile, quote=False)}</b>\n\n")
    visible = html.unescape(re.sub(r"</?[bi]>", "", message))
    # Every part, shown exactly as written: the caveat's text and citation are two.
    assert visible.count(hostile) == 9
    assert rendered.keyboard is not None
    assert rendered.keyboard.inline_keyboard[0][0].text == hostile  # labels are plain text


def test_an_urgent_reply_has_no_buttons_even_with_suggestions() -> None:
    reply = Reply(
        status=Status.URGENT,
        headline="Please get medical help now",
        body="You mentioned chest pain.",
        suggestions=(Suggestion("side-stitch", "Side stitches"),),
        suggestions_kind=SuggestionKind.RELATED,
    )

    rendered = render_reply(reply)

    assert rendered.keyboard is None
    assert rendered.messages == ("<b>Please get medical help now</b>\n\nYou mentioned chest pain.",)


def test_buttons_false_leaves_out_buttons_and_their_intro() -> None:
    reply = Reply(
        status=Status.ANSWERED,
        body="Stretch.",
        suggestions=(Suggestion("side-stitch", "Side stitches"),),
        suggestions_kind=SuggestionKind.RELATED,
        reply_id="0123456789abcdef",
    )

    rendered = render_reply(reply, buttons=False)

    assert rendered == type(rendered)(("Stretch.",), None)


def test_callback_data_round_trips_and_fits_64_bytes() -> None:
    presses: list[Press] = [
        ChooseEntry("a" * 40),  # the longest entry id the knowledge schema allows
        ChooseTopic(12),
        ListTopics(),
        Vote("0123456789abcdef", True),
        Vote("0123456789abcdef", False),
    ]
    for press in presses:
        data = encode(press)
        assert len(data.encode()) <= 64
        assert parse(data) == press


def test_callback_data_that_would_not_fit_is_refused() -> None:
    with pytest.raises(ValueError, match="too long"):
        encode(ChooseEntry("é" * 40))


@pytest.mark.parametrize("data", [None, "", "entry:", "topic:x", "vote:abc:maybe", "other:1"])
def test_unknown_callback_data_means_nothing(data: str | None) -> None:
    assert parse(data) is None


def test_shorten_cuts_at_a_word_with_an_ellipsis() -> None:
    assert shorten("Press on the painful area to ease it", 21) == "Press on the painful…"
    assert shorten("Press on the painful area to ease it", 20) == "Press on the…"
    assert shorten("Short  answer", 20) == "Short answer"
