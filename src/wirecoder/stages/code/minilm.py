"""all-MiniLM-L6-v2 run directly in torch: the BERT encoder, mean pooling and unit length
that sentence-transformers runs for this model, read from the packaged model's own files
(``model.safetensors``, ``tokenizer.json``, ``config.json``).

Why not sentence-transformers itself: importing it (and transformers under it) costs
about 3.7 s of CPU at every start, more than loading the model; the encoder is six
standard BERT layers. The vectors match sentence-transformers' to within float rounding
(cosine above 0.99999 on news sentences; ``tests/test_code_embeddings.py`` compares the
two where both are installed).

The steps are those of sentence-transformers' pipeline for this model (``modules.json``:
Transformer, mean Pooling, Normalize): texts stripped of surrounding whitespace, WordPiece
tokens with [CLS] and [SEP], cut at ``max_seq_length`` (256) tokens, batched by length
and padded to the longest of each batch; the mean of the token vectors under the
attention mask, scaled to unit length.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Sequence

import numpy as np


class MiniLM:
    """A BERT sentence encoder with mean pooling, from a sentence-transformers folder."""

    def __init__(self, folder: Path) -> None:
        import torch
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        st_config = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
        if config.get("model_type") != "bert" or config.get("hidden_act") != "gelu" or \
                config.get("position_embedding_type", "absolute") != "absolute":
            raise ValueError(f"{folder} does not hold a BERT encoder this module knows")
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config["layer_norm_eps"])
        self.max_tokens = int(st_config["max_seq_length"])
        self.weights: dict[str, Any] = load_file(str(folder / "model.safetensors"))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()  # padded per batch below, to the longest text
        self.tokenizer.enable_truncation(max_length=self.max_tokens)
        self.torch = torch

    def encode(self, texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
        """Unit-length vectors, one row per text, in the order given."""
        encodings = self.tokenizer.encode_batch([str(t).strip() for t in texts])
        # longest first, as sentence-transformers does: batches of like lengths pad little
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        out = np.zeros((len(texts), self.weights["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
        with self.torch.inference_mode():
            for start in range(0, len(order), batch_size):
                rows = order[start:start + batch_size]
                width = max(len(encodings[i].ids) for i in rows)
                ids = self.torch.zeros((len(rows), width), dtype=self.torch.long)
                mask = self.torch.zeros((len(rows), width), dtype=self.torch.bool)
                for r, i in enumerate(rows):
                    n = len(encodings[i].ids)
                    ids[r, :n] = self.torch.tensor(encodings[i].ids)
                    mask[r, :n] = True
                out[rows] = self._forward(ids, mask).float().numpy()
        return out

    def _forward(self, ids: Any, mask: Any) -> Any:
        torch, w = self.torch, self.weights
        F = torch.nn.functional
        batch, width = ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:width]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = self._norm(x, "embeddings.LayerNorm")
        hidden = x.shape[-1]
        size = hidden // self.heads
        attend = mask[:, None, None, :]  # padding is never attended to
        for n in range(self.layers):
            p = f"encoder.layer.{n}."

            def heads(name: str) -> Any:
                y = F.linear(x, w[p + f"attention.self.{name}.weight"], w[p + f"attention.self.{name}.bias"])
                return y.view(batch, width, self.heads, size).transpose(1, 2)

            context = F.scaled_dot_product_attention(heads("query"), heads("key"), heads("value"), attn_mask=attend,
                                                     scale=1.0 / math.sqrt(size))
            context = context.transpose(1, 2).reshape(batch, width, hidden)
            attended = self._norm(F.linear(context, w[p + "attention.output.dense.weight"],
                                           w[p + "attention.output.dense.bias"]) + x, p + "attention.output.LayerNorm")
            inner = F.gelu(F.linear(attended, w[p + "intermediate.dense.weight"], w[p + "intermediate.dense.bias"]))
            x = self._norm(F.linear(inner, w[p + "output.dense.weight"], w[p + "output.dense.bias"]) + attended,
                           p + "output.LayerNorm")
        weights = mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
        return F.normalize(pooled.float(), p=2, dim=1)

    def _norm(self, x: Any, name: str) -> Any:
        return self.torch.nn.functional.layer_norm(x, (x.shape[-1],), self.weights[name + ".weight"],
                                                   self.weights[name + ".bias"], self.eps)
