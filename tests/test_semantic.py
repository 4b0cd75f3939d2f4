"""The semantic signal: the model ships with a package, loads offline, and caches by text."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from bot.ranking import Ranker, RankingWeights
from bot.semantic import (
    DIMENSIONS,
    SemanticIndex,
    SentenceEmbedder,
    _mapped_tensor,
    shared_embedder,
    unit_rows,
)
from bot.service import RunbotService
from tests.helpers import NO_ANSWERS, match_index, normalizer, semantic_index


@pytest.fixture(scope="module")
def embedder() -> SentenceEmbedder:
    return SentenceEmbedder.from_package()


def test_the_model_loads_and_answers_with_the_network_unreachable() -> None:
    # Every socket fails in this process, so any download attempt would raise.
    script = textwrap.dedent(
        """
        import socket

        def refuse(*args, **kwargs):
            raise OSError("network unreachable (test)")

        socket.socket.connect = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse

        from bot.settings import PROJECT_ROOT
        from bot.service import RunbotService
        from bot.reply import Question

        service = RunbotService(PROJECT_ROOT / "knowledge")
        reply = service.answer(Question("treatment for a charley horse"))
        print(reply.status.value, reply.entry_id)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["answered", "stretch-a-cramp"]


def test_vectors_are_the_models_own_sentence_embeddings(embedder: SentenceEmbedder) -> None:
    texts = ["how do i stop a calf cramp", "side stitch when running fast"]
    # wordllama's own loader, in its own process: importing it configures the root logger.
    script = textwrap.dedent(
        f"""
        import json, pathlib, wordllama
        folder = pathlib.Path(wordllama.__file__).parent
        model = wordllama.WordLlama.load(cache_dir=folder, disable_download=True)
        print(json.dumps(model.embed({texts!r}, norm=True).tolist()))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    reference = np.array(json.loads(done.stdout))

    ours = embedder.embed(texts)

    assert np.allclose(ours, reference, atol=1e-5)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_the_mapped_weights_are_the_safetensors_files_own_bit_for_bit() -> None:
    from importlib import util

    from safetensors.numpy import load_file

    spec = util.find_spec("wordllama")
    assert spec is not None
    assert spec.origin is not None
    path = Path(spec.origin).parent / "weights" / "l2_supercat_256.safetensors"
    stored = load_file(path)["embedding.weight"]

    mapped = _mapped_tensor(path, "embedding.weight")

    assert mapped.dtype == stored.dtype
    assert mapped.shape == stored.shape
    assert mapped.tobytes() == stored.tobytes()
    assert not mapped.flags.writeable  # shared with the file: never written to


_ROW = DIMENSIONS * 2  # bytes of one float16 row


@pytest.mark.parametrize(
    ("header", "data", "problem"),
    [
        # the bytes do not fit the shape, or the shape is not the model's
        (
            {"w": {"dtype": "F16", "shape": [2, DIMENSIONS], "data_offsets": [0, 2 * _ROW]}},
            b"\0" * _ROW,
            "fit",
        ),
        (
            {"w": {"dtype": "F16", "shape": [2, DIMENSIONS], "data_offsets": [0, _ROW]}},
            b"\0" * 2 * _ROW,
            "fit",
        ),
        ({"w": {"dtype": "F16", "shape": [4, 2], "data_offsets": [0, 16]}}, b"\0" * 16, "fit"),
        # offsets that would map the header itself as weights
        (
            {"w": {"dtype": "F16", "shape": [1, DIMENSIONS], "data_offsets": [-_ROW, 0]}},
            b"\0" * _ROW,
            "fit",
        ),
        ({"w": {"dtype": "I64", "shape": [1], "data_offsets": [0, 8]}}, b"\0" * 8, "F16"),
        (
            {"w": {"dtype": "F16", "shape": [None, DIMENSIONS], "data_offsets": [0, 8]}},
            b"",
            "numbers",
        ),
        ({"w": "not a tensor"}, b"", "no tensor"),
        (["not", "a", "header"], b"", "no tensor"),
    ],
)
def test_a_weights_file_that_does_not_hold_its_tensor_is_refused(
    tmp_path: Path, header: object, data: bytes, problem: str
) -> None:
    encoded = json.dumps(header).encode()
    path = tmp_path / "weights.safetensors"
    path.write_bytes(len(encoded).to_bytes(8, "little") + encoded + data)
    with pytest.raises(ValueError, match=problem):
        _mapped_tensor(path, "w")
    with pytest.raises(ValueError, match="no tensor"):
        _mapped_tensor(path, "missing")


@pytest.mark.parametrize("size", [0, 2**63, 10**9])
def test_a_file_whose_header_length_is_not_a_header_is_refused(tmp_path: Path, size: int) -> None:
    path = tmp_path / "weights.safetensors"
    path.write_bytes(size.to_bytes(8, "little") + b"{}" + b"\0" * 64)
    with pytest.raises(ValueError, match="not a safetensors file"):
        _mapped_tensor(path, "w")


def test_similar_questions_are_closer_than_unrelated_ones(embedder: SentenceEmbedder) -> None:
    asked, same, other = embedder.embed(
        ["how can i relieve a leg cramp", "how do i get rid of a cramp", "best shoes for a 10k"]
    )
    assert float(asked @ same) > float(asked @ other) + 0.1


def test_a_text_without_word_pieces_gets_a_zero_vector(embedder: SentenceEmbedder) -> None:
    [vector] = embedder.embed([""])
    assert not vector.any()


def test_an_unchanged_reload_embeds_nothing_and_an_edit_only_what_changed(
    knowledge_copy: Path,
) -> None:
    service = RunbotService(knowledge_copy)
    before = shared_embedder().computed

    assert service.reload().ok
    assert shared_embedder().computed == before

    entries = knowledge_copy / "entries" / "side-stitch.yaml"
    text = entries.read_text(encoding="utf-8")
    edited = text.replace(
        "      - side stitch mid run\n",
        "      - side stitch mid run\n      - a brand new way to ask about a stitch\n",
    )
    entries.write_text(edited, encoding="utf-8")
    assert service.reload().ok
    assert shared_embedder().computed == before + 1


def test_the_cache_keeps_the_newest_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.semantic

    monkeypatch.setattr(bot.semantic, "_CACHE_SIZE", 3)
    embedder = SentenceEmbedder.from_package()
    embedder.embed(["calf cramp", "side stitch", "salt tablets", "pickle juice", "sweat rate"])
    before = embedder.computed

    embedder.embed(["salt tablets", "pickle juice", "sweat rate"])  # the newest three: kept
    assert embedder.computed == before
    embedder.embed(["calf cramp"])  # the oldest: gone
    assert embedder.computed == before + 1


# --- the semantic signal read directly ---------------------------------------------------


def test_each_entry_scores_its_closest_example() -> None:
    # Entry 0 owns examples 0 and 1, entry 1 owns example 2.
    index = semantic_index([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 2, 3])
    question = np.zeros(DIMENSIONS, dtype=np.float32)
    question[1] = 0.6
    question[2] = 0.8
    assert index.similarities(question).tolist() == pytest.approx([0.6, 0.8])
    assert index.closest(question[np.newaxis, :]).tolist() == pytest.approx([0.8])


def test_an_index_without_examples_scores_zero() -> None:
    questions = np.ones((2, DIMENSIONS), dtype=np.float32)
    assert NO_ANSWERS.closest(questions).tolist() == [0.0, 0.0]
    assert semantic_index([], [0, 0, 0]).similarities(questions[0]).tolist() == [0.0, 0.0]


def test_unit_rows_scales_each_row_and_leaves_a_zero_row_zero() -> None:
    rows = unit_rows(np.asarray([[3.0, 4.0], [0.0, 0.0]], dtype=np.float32))
    assert rows.ravel().tolist() == pytest.approx([0.6, 0.8, 0.0, 0.0])


def test_a_runners_message_is_read_once_per_answer_but_not_remembered(
    embedder: SentenceEmbedder,
) -> None:
    message = ["a message nobody sends twice, once"]
    before = embedder.computed
    first = embedder.embed(message, remember=False)
    # The ranker reads what the red-flag screen just read: the vector is not computed again.
    assert embedder.embed(message, remember=False).tolist() == first.tolist()
    assert embedder.computed == before + 1
    # Only the latest few messages are kept, unlike the knowledge's texts.
    others = [f"another runner's message number {number}" for number in range(100)]
    for other in others:
        embedder.embed([other], remember=False)
    assert embedder.embed(message, remember=False).tolist() == first.tolist()
    assert embedder.computed == before + 1 + len(others) + 1
    embedder.embed(["a knowledge text, kept"])
    for other in others:
        embedder.embed([other], remember=False)
    embedder.embed(["a knowledge text, kept"])
    assert embedder.computed == before + 1 + 2 * len(others) + 1 + 1


@pytest.fixture(scope="module")
def meaning_only() -> Ranker:
    """Entries ranked on the semantic signal alone (the static vectors)."""
    return Ranker(match_index(), shared_embedder(), normalizer(), RankingWeights(lexical=0.0))


def meaning(ranker: Ranker, question: str) -> dict[str, float]:
    return {ranked.entry_id: ranked.semantic for ranked in ranker.rank(question)}


@pytest.mark.parametrize(
    ("question", "best"),
    [
        ("stitch while running", "side-stitch"),  # an example, word for word
        ("massaging cramps", "massage-a-cramp"),
        ("rubbing a sore calf", "massage-a-cramp"),
        ("how much should i drink during a marathon", "drink-water"),
    ],
)
def test_meaning_alone_ranks_the_closest_entry_first(
    meaning_only: Ranker, question: str, best: str
) -> None:
    [first, *_] = meaning_only.rank(question)
    assert first.entry_id == best
    assert first.score == first.semantic  # the lexical share is 0


def test_an_example_word_for_word_means_one_and_unrelated_text_zero(
    meaning_only: Ranker,
) -> None:
    assert meaning(meaning_only, "stitch while running")["side-stitch"] == pytest.approx(1.0)
    # Below the floor (the similarity of unrelated sentences) everything is 0.
    assert set(meaning(meaning_only, "recommend a good pizza place").values()) == {0.0}


def test_the_static_vectors_read_the_spelling_corrected_message(meaning_only: Ranker) -> None:
    typed = meaning(meaning_only, "crmap in my calf")
    assert typed == meaning(meaning_only, "cramp in my calf")
    assert typed["massage-a-cramp"] > 0.5


def test_the_cache_keeps_no_second_copy_of_the_knowledges_vectors() -> None:
    embedder = SentenceEmbedder.from_package()
    texts = [f"how do i stop cramp number {number} on a long run" for number in range(5000)]
    tracemalloc.start()
    vectors = embedder.embed(texts)
    kept, _ = tracemalloc.get_traced_memory()
    again = embedder.embed(texts)  # from the cache: now rows of this array
    del vectors
    kept_after_reload, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    one_copy = again.nbytes
    assert kept < 1.5 * one_copy
    assert kept_after_reload < 2.5 * one_copy  # `again`, and no older array kept alive
    with pytest.raises(ValueError, match="read-only"):  # written to, it would change cached answers
        again[0, 0] = 1.0


def test_a_runners_message_is_embedded_while_a_reload_holds_the_cache(
    embedder: SentenceEmbedder,
) -> None:
    known = embedder.embed(["calf cramp"])
    embedded: list[np.ndarray] = []

    def embed_a_message() -> None:
        embedded.append(embedder.embed(["calf cramp", "a brand new message"], remember=False))

    with embedder._lock:  # a reload between two chunks of its examples
        answering = threading.Thread(target=embed_a_message, daemon=True)
        answering.start()
        answering.join(timeout=60)  # not a timing: without the fix it waits for ever
        finished = not answering.is_alive()

    assert finished
    assert np.array_equal(embedded[0][0], known[0])
    assert embedded[0][1].any()


# --- the knowledge's examples as word pieces ---------------------------------------------


def test_word_pieces_score_as_the_vectors_do(embedder: SentenceEmbedder) -> None:
    texts = ["how do i stop a calf cramp", "side stitch when running fast", "", "pickle juice"]
    starts = np.asarray([0, 2, 4], dtype=np.int64)
    pieces = embedder.index(texts, starts)
    vectors = SemanticIndex(embedder.embed(texts, remember=False), starts)
    questions = embedder.embed(["cramp in my calf", "a stitch", "nothing at all"], remember=False)

    for question in questions:
        assert pieces.similarities(question) == pytest.approx(
            vectors.similarities(question), abs=1e-6
        )
        assert pieces._example_scores(question)[2] == 0.0  # no word pieces: a zero vector
    assert pieces.closest(questions) == pytest.approx(vectors.closest(questions), abs=1e-6)
    assert len(pieces) == 4


def test_word_pieces_found_again_are_the_texts_own() -> None:
    embedder = SentenceEmbedder.from_package()
    first = [f"how do i stop cramp number {number} on a long run" for number in range(3000)]
    embedder.pieces(first)
    before = embedder.computed
    # Reordered, some left out, some repeated, some new: each text must get its own pieces.
    second = [*first[2000:0:-3], "a brand new question", first[7], "", first[7]]
    again = embedder.pieces(second)
    assert embedder.computed == before + 2  # the new text and the empty one

    fresh = SentenceEmbedder.from_package().pieces(second)
    assert np.array_equal(again.ids, fresh.ids)
    assert np.array_equal(again.starts, fresh.starts)
    assert np.array_equal(again.norms, fresh.norms)


def test_an_unchanged_table_is_reused_whole(embedder: SentenceEmbedder) -> None:
    texts = [f"side stitch number {number}" for number in range(100)]
    table = embedder.pieces(texts)
    assert embedder.pieces(texts) is table


def test_a_text_has_the_same_vector_alone_as_in_a_large_batch(embedder: SentenceEmbedder) -> None:
    # A few texts are tokenised one by one, many in one batch: the vectors must not differ.
    texts = [f"my calf cramped at mile {mile}, what should i do" for mile in range(12)]
    together = embedder.embed(texts, remember=False)
    for text, vector in zip(texts, together, strict=True):
        alone = embedder._compute([text])  # past the message cache: computed again
        assert alone[0].tolist() == vector.tolist()
