"""The plain-text form of a Reply, worded from its records."""

from __future__ import annotations

import pytest

from bot.reply import Caveat, Citation, Reply, Status, Suggestion, SuggestionKind, render_text

MILLER = Citation("miller-2022", "Miller et al. 2022")
SCHWELLNUS = Citation("schwellnus-2011", "Schwellnus 2011")
FOLLOW_UPS = (Suggestion("side-stitch", "Side stitches"), Suggestion("salt", "Salt and cramps"))


def test_a_caveat_reads_as_a_research_note_citing_every_source() -> None:
    reply = Reply(
        Status.ANSWERED,
        "Stretch the muscle.",
        caveat=Caveat("Stretching has the strongest evidence.", (MILLER, SCHWELLNUS)),
    )

    assert render_text(reply) == (
        "Stretch the muscle.\n\n"
        "Research note: Stretching has the strongest evidence. "
        "(Miller et al. 2022; Schwellnus 2011)"
    )


def test_an_urgent_reply_says_why_from_its_basis() -> None:
    reply = Reply(
        Status.URGENT, "Call 112.", headline="Please get medical help now", basis=(MILLER,)
    )

    assert (
        render_text(reply) == "Please get medical help now\n\nCall 112.\n\nWhy: Miller et al. 2022."
    )


@pytest.mark.parametrize(
    ("kind", "intro"),
    [
        (SuggestionKind.RELATED, "You might also ask about:\n"),
        (SuggestionKind.ALSO_ASKED, "You also asked about:\n"),
        (SuggestionKind.CLOSE, "Not quite what you asked? Try:\n"),
        (SuggestionKind.CHOICES, ""),  # "did you mean": the body asks which
        (None, ""),
    ],
)
def test_suggestions_are_introduced_by_their_kind(kind: SuggestionKind | None, intro: str) -> None:
    reply = Reply(Status.ANSWERED, "Stretch.", suggestions=FOLLOW_UPS, suggestions_kind=kind)

    assert render_text(reply) == f"Stretch.\n\n{intro}• Side stitches\n• Salt and cramps"
    assert render_text(reply, numbered=True).endswith("1. Side stitches\n2. Salt and cramps")
