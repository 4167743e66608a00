"""Rebuild the shipped event-typing model (``src/wirecoder/data/training/event_model.npz``)
from the project's own training sentences, and print a reliability check of its
confidence on held-out templates.

Usage: .venv/bin/python scripts/train_event_model.py [--check-only | --skip-check]

Deterministic: the same training files and scikit-learn version give the same model.
Run it after any edit of the training sentences or the trigger lexicon: a test
(``tests/test_safe_caches.py``) fails while the shipped model is out of date.
"""

from __future__ import annotations

import argparse
import json
import random

import numpy as np

from wirecoder.settings import load_settings
from wirecoder.stages.code.classify import load_examples, train_event_model
from wirecoder.stages.code.codebook import load_codebook
from wirecoder.stages.code.classify import featurize_sentences
from wirecoder.stages.code import embed
from wirecoder.stages.code.confidence import reliability
from wirecoder.stages.code.model_file import save_event_model, shipped_model_path
from wirecoder.stages.nlp import load_spacy


def held_out_check(nlp, codebook, examples, share: float = 0.2, seed: int = 7) -> dict:
    """Train on 80% of the templates, score the other 20%: accuracy and calibration."""
    groups = sorted({e.group for e in examples})
    random.Random(seed).shuffle(groups)
    test_groups = set(groups[: int(len(groups) * share)])
    train = [e for e in examples if e.group not in test_groups]
    test = [e for e in examples if e.group in test_groups]
    model = train_event_model(nlp, codebook, train)
    features = featurize_sentences(nlp, codebook, [e.text for e in test])
    vectors = embed.embed([e.text for e in test]) if model.acled.has_embeddings else None
    report = {}
    for name, label_model, gold in (("acled", model.acled, [e.acled for e in test]),
                                    ("plover", model.plover, [e.plover for e in test])):
        for suffix, emb in (("", None), ("+embeddings", vectors)):
            if suffix and emb is None:
                continue
            labels, _, confidence = label_model.predict(features, emb)
            correct = np.array([p == g for p, g in zip(labels, gold)])
            report[name + suffix] = {"accuracy": round(float(correct.mean()), 3), **reliability(confidence, correct)}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check-only", action="store_true", help="Only print the held-out check.")
    parser.add_argument("--skip-check", action="store_true", help="Write the model without the held-out check.")
    args = parser.parse_args()
    settings = load_settings()
    nlp = load_spacy(settings.nlp.model)
    codebook = load_codebook()
    examples = load_examples(codebook)
    if not args.skip_check:
        print(json.dumps({"held_out": held_out_check(nlp, codebook, examples)}, indent=2))
    if args.check_only:
        return
    model = train_event_model(nlp, codebook, examples)
    path = shipped_model_path()
    save_event_model(model, path)
    path.with_name("event_model.pkl").unlink(missing_ok=True)  # the pickled format it replaces
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB, fingerprint {model.fingerprint})")


if __name__ == "__main__":
    main()
