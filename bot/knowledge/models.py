"""The knowledge files' models: what moderators may write, validated by pydantic.

The same models generate the JSON Schema that editors use (`runbot kb schema`), so a rule
added here is checked both in the editor and by `runbot kb check`.
"""

from __future__ import annotations

from itertools import product
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "ANSWER_MAX_CHARS",
    "CAVEAT_MAX_CHARS",
    "Caveat",
    "EmergencyNumber",
    "Entry",
    "EntryFile",
    "RedFlag",
    "RedFlagFile",
    "Source",
    "SourceFile",
    "SourceRef",
    "VocabularyFile",
]

# A whole answered reply (title, answer, caveat, attribution, disclaimer) must fit in one
# Discord message (2,000 characters), the smallest message limit of the platforms we serve.
ANSWER_MAX_CHARS = 1200
CAVEAT_MAX_CHARS = 500
TITLE_MAX_CHARS = 80

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40),
    Field(description="Lower-case words joined by hyphens, e.g. side-stitch. Never rename one."),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

# One pattern line may stand for this many phrases at most: "a|b|c " twelve times over is
# half a million, which would hang a reload.
MAX_PHRASES_PER_PATTERN = 256


def _alternatives_spelled_right(pattern: str) -> str:
    """A pattern's "|" alternatives: none empty ("calf| thigh", "chest|"), few enough."""
    for group in pattern.split():
        if "" in group.split("|"):
            raise ValueError(
                f"'{group}' has an empty alternative: write alternatives joined by '|' with "
                "no spaces, like calf|thigh"
            )
    count = 1
    for group in pattern.split():
        count *= len(group.split("|"))
    if count > MAX_PHRASES_PER_PATTERN:
        raise ValueError(
            f"'{pattern}' stands for {count:,} phrases; at most {MAX_PHRASES_PER_PATTERN}: "
            "split it into several lines"
        )
    return pattern


Pattern = Annotated[Phrase, AfterValidator(_alternatives_spelled_right)]


class _Model(BaseModel):
    # Validators are built on first use: a warm start (bot.warm_start) needs none.
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )


# --- sources.yaml ---------------------------------------------------------------------------


class Source(_Model):
    """A publication that answers and caveats cite."""

    title: Text
    author: Text
    publisher: Text
    year: int | None = Field(default=None, ge=1900, le=2100)
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    cite_as: Text | None = Field(
        default=None, description="Short label used inside caveats, e.g. 'Schwellnus 2009'."
    )

    @property
    def label(self) -> str:
        """The short label a caveat shows for this source."""
        if self.cite_as:
            return self.cite_as
        return f"{self.author} {self.year}" if self.year else self.author


class SourceFile(_Model):
    """`knowledge/sources.yaml`: every source, declared once and cited by id."""

    sources: dict[Id, Source] = Field(min_length=1)


# --- entries/*.yaml -------------------------------------------------------------------------


class SourceRef(_Model):
    """Where in which source an entry's answer comes from."""

    ref: Id = Field(description="The id of a source declared in sources.yaml.")
    section: Text | None = Field(default=None, description="The article section it comes from.")


class Caveat(_Model):
    """What published research says where it disputes the answer."""

    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] = Field(
        max_length=CAVEAT_MAX_CHARS
    )
    cite: list[Id] = Field(min_length=1, description="Ids of sources in sources.yaml.")


class Entry(_Model):
    """One answer runbot can give, and the ways runners ask for it."""

    id: Id
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] = Field(
        max_length=TITLE_MAX_CHARS
    )
    questions: list[Phrase] = Field(
        min_length=1, description="Ways runners ask this, as they would type it."
    )
    answer: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] = Field(
        max_length=ANSWER_MAX_CHARS
    )
    caveat: Caveat | None = None
    source: SourceRef
    related: list[Id] = Field(default_factory=list, description="Entry ids offered next.")


class EntryFile(_Model):
    """`knowledge/entries/*.yaml`: one topic and its entries."""

    topic: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] = Field(
        max_length=60
    )
    entries: list[Entry] = Field(min_length=1)


# --- vocabulary.yaml ------------------------------------------------------------------------


class VocabularyFile(_Model):
    """`knowledge/vocabulary.yaml`: words that mean the same, and words that carry no meaning."""

    synonyms: dict[Phrase, list[Phrase]] = Field(
        default_factory=dict,
        description="A word or phrase, and the slang, variants and misspellings that mean it.",
    )
    filler: list[Phrase] = Field(
        default_factory=list,
        description="Everyday words that say nothing about the topic (ignored when matching).",
    )
    off_topic: list[Phrase] = Field(
        default_factory=list,
        description="Words naming subjects runbot has no advice on (shin splints, knee...).",
    )
    subject: list[Phrase] = Field(
        default_factory=list,
        description=(
            "Words that name what runbot has advice on (cramp, stitch, electrolytes...): a "
            "long post that uses none of them is about something else and is not answered."
        ),
    )


# --- red_flags.yaml -------------------------------------------------------------------------


class EmergencyNumber(_Model):
    number: Annotated[str, StringConstraints(pattern=r"^[0-9 +]{2,15}$")]
    where: Text


class RedFlag(_Model):
    """A sign that needs a doctor, not self-care advice."""

    id: Id
    name: Text = Field(description="Shown to the runner, e.g. 'chest pain'.")
    level: Literal["emergency", "doctor"] = Field(
        description="emergency: call the emergency number now; doctor: see a doctor soon."
    )
    patterns: list[Pattern] = Field(
        min_length=1,
        description=(
            "Each pattern matches when all of its words appear in the question. A word may "
            "list alternatives: 'calf|thigh swollen|puffy' is 'calf swollen', 'calf puffy', "
            "'thigh swollen' and 'thigh puffy'."
        ),
    )
    examples: list[Text] = Field(
        default_factory=list,
        description=(
            "How runners describe this sign in their own words, e.g. 'my pee looked like "
            "cola after the race'. A message that means the same is caught even when no "
            "pattern's words appear in it."
        ),
    )
    not_when: list[Pattern] = Field(
        default_factory=list,
        description=(
            "Phrases that say the message is not this sign, matched like patterns, e.g. "
            "'beetroot' for pink urine or 'gone in seconds' for a cramp in bed: a message "
            "holding one is not screened for this sign."
        ),
    )
    cite: list[Id] = Field(min_length=1)

    @property
    def phrases(self) -> list[str]:
        """The phrases the patterns stand for, each alternative spelled out."""
        return [phrase for pattern in self.patterns for phrase in spelled_out(pattern)]

    @property
    def not_when_phrases(self) -> list[str]:
        return [phrase for pattern in self.not_when for phrase in spelled_out(pattern)]


def spelled_out(pattern: str) -> list[str]:
    """Every phrase of a pattern whose words may list alternatives: "calf|thigh swollen|fat
    hot" is "calf swollen hot", "calf fat hot", "thigh swollen hot" and "thigh fat hot"."""
    choices = [[word for word in group.split("|") if word] for group in pattern.split()]
    return [" ".join(phrase) for phrase in product(*(choice for choice in choices if choice))]


class RedFlagFile(_Model):
    """`knowledge/red_flags.yaml`: the safety screen that runs before any advice."""

    emergency_message: Text
    doctor_message: Text
    emergency_numbers: list[EmergencyNumber] = Field(min_length=1)
    harmless: list[Phrase] = Field(
        default_factory=list,
        description=(
            "Everyday phrases whose words never count toward a red flag, e.g. 'confused "
            "about' or 'writer's cramp'."
        ),
    )
    red_flags: list[RedFlag] = Field(min_length=1)
