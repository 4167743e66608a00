"""The event model on disk: one numpy ``.npz`` that holds data only, never code.

A pickle runs whatever code it names when it is loaded, and the model is read from the
package and from a cache folder the user may point anywhere, so a planted file would
run. Here every part of an :class:`~.classify.EventModel` is stored as plain arrays
(TF-IDF idf weights, regression coefficients, calibration knots) plus one JSON document
(vocabularies, class labels, vectorizer settings, fingerprint), read back with
``allow_pickle=False``, and the model's :mod:`.linear` parts are rebuilt from them
(without importing scikit-learn): predictions after a save and a load are the same, bit
for bit.

The shipped model is ``data/training/event_model.npz`` (rebuilt by
``scripts/train_event_model.py``; ``tests/test_safe_caches.py`` fails when it is out of
date). When it is absent or stale (the training data or lexicon changed), the model is
retrained here, deterministically, after a warning on stderr (it takes minutes), and
cached, in the same format, in the user cache directory. Being plain data, the file does
not depend on the scikit-learn version that wrote it, only on its settings being ones
:mod:`.linear` implements (a file naming another is refused).

Layout of the archive (``<m>`` is ``acled`` or ``plover``)::

    meta                     UTF-8 JSON as uint8: format, fingerprint, versions and, per
                             model, classes, vectorizer parts (name, settings, terms)
    <m>.coef, <m>.intercept  the TF-IDF logistic regression
    <m>.idf.<part>           idf weights of each vectorizer part, in term-index order
    <m>.calibrator.xs/ys     knots of the confidence calibrator
    <m>.embedding.coef/...   the regression over sentence embeddings, when trained
    <m>.blend_calibrator.*   knots of the calibrator of the blended score, when trained
"""

from __future__ import annotations

import functools
import json
import logging
import os
import secrets
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import ResourceError
from ...settings import user_cache_dir
from .classify import TRAINING_DIR, EventModel, LabelModel, train_event_model, training_fingerprint
from .confidence import Calibrator
from .linear import LogisticModel, TfidfFeaturizer, TfidfPart

MODEL_NAME = "event_model.npz"
FORMAT = 1
LABELS = ("acled", "plover")


class ModelFileError(ResourceError):
    """A model file that cannot be read as one (not ours, truncated, other format)."""


# -- writing ---------------------------------------------------------------------------
def save_event_model(model: EventModel, path: Path) -> None:
    """Write ``model`` to ``path`` (written aside, then renamed: a reader never sees half
    a file)."""
    arrays: dict[str, np.ndarray] = {}
    meta: dict[str, Any] = {"format": FORMAT, "fingerprint": model.fingerprint,
                            "sklearn_version": model.sklearn_version, "models": {}}
    for name in LABELS:
        meta["models"][name] = _pack_label_model(getattr(model, name), name, arrays)
    arrays["meta"] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Not mkstemp: its 0600 would make the shipped file unreadable to other users.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with tmp.open("xb") as handle:
            np.savez_compressed(handle, **arrays)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _pack_label_model(model: LabelModel, name: str, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    parts = []
    for part_name, part in model.vectorizer.parts:
        parts.append({"name": part_name, "params": part.params, "terms": part.terms})
        arrays[f"{name}.idf.{part_name}"] = part.idf
    _pack_regression(model.classifier, name, arrays)
    _pack_calibrator(model.calibrator, f"{name}.calibrator", arrays)
    entry: dict[str, Any] = {
        "classes": [str(c) for c in model.classifier.classes],
        "vectorizer": parts,
        "classifier": model.classifier.params,
        "embedding": None,
    }
    if model.embedding_classifier is not None and model.blend_calibrator is not None:
        if list(model.embedding_classifier.classes) != list(model.classifier.classes):
            raise ValueError(f"{name}: the embedding model's classes differ from the TF-IDF model's")
        _pack_regression(model.embedding_classifier, f"{name}.embedding", arrays)
        _pack_calibrator(model.blend_calibrator, f"{name}.blend_calibrator", arrays)
        entry["embedding"] = model.embedding_classifier.params
    return entry


def _pack_regression(classifier: LogisticModel, prefix: str, arrays: dict[str, np.ndarray]) -> None:
    arrays[f"{prefix}.coef"] = classifier.coef
    arrays[f"{prefix}.intercept"] = classifier.intercept


def _pack_calibrator(calibrator: Calibrator, prefix: str, arrays: dict[str, np.ndarray]) -> None:
    arrays[f"{prefix}.xs"] = calibrator.xs
    arrays[f"{prefix}.ys"] = calibrator.ys


# -- reading ---------------------------------------------------------------------------
def read_meta(path: Path) -> dict[str, Any]:
    """The JSON part of a model file (fingerprint, versions, vocabularies)."""
    with _open(path) as archive:
        return _meta(archive, path)


def load_event_model_file(path: Path) -> EventModel:
    """Rebuild the model stored at ``path``; :class:`ModelFileError` when the file is not
    a readable model file of this format (a pickle planted under its name included:
    it is refused, never run)."""
    with _open(path) as archive:
        meta = _meta(archive, path)
        try:
            models = {name: _unpack_label_model(meta["models"][name], name, archive) for name in LABELS}
            return EventModel(acled=models["acled"], plover=models["plover"],
                              fingerprint=str(meta["fingerprint"]), sklearn_version=str(meta["sklearn_version"]))
        except (KeyError, TypeError, ValueError, OSError, zipfile.BadZipFile) as exc:
            raise ModelFileError(f"{path}: not a usable event model file ({exc!r})") from exc


def _open(path: Path) -> Any:
    try:
        # allow_pickle=False: object arrays and pickles are refused, not executed.
        archive = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise ModelFileError(f"{path}: not a usable event model file ({exc})") from exc
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ModelFileError(f"{path}: a single array, not an event model archive")
    return archive


def _meta(archive: Any, path: Path) -> dict[str, Any]:
    try:
        meta = json.loads(archive["meta"].tobytes().decode("utf-8"))
    except (KeyError, ValueError, OSError, zipfile.BadZipFile) as exc:
        raise ModelFileError(f"{path}: no readable model description ({exc!r})") from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        found = meta.get("format") if isinstance(meta, dict) else None
        raise ModelFileError(f"{path}: model file format {found!r}, this wirecoder reads format {FORMAT}")
    return meta


def _unpack_label_model(entry: dict[str, Any], name: str, archive: Any) -> LabelModel:
    classes = np.array(entry["classes"])
    parts = [(part["name"], _tfidf(part, archive[f"{name}.idf.{part['name']}"])) for part in entry["vectorizer"]]
    vectorizer = TfidfFeaturizer(parts)
    classifier = _regression(entry["classifier"], classes, archive, name)
    if classifier.coef.shape[1] != vectorizer.n_features:
        raise ValueError(f"{name}: {classifier.coef.shape[1]} coefficients per class for "
                         f"{vectorizer.n_features} TF-IDF features")
    model = LabelModel(vectorizer, classifier, _calibrator(archive, f"{name}.calibrator"))
    if entry.get("embedding"):
        model.embedding_classifier = _regression(entry["embedding"], classes, archive, f"{name}.embedding")
        model.blend_calibrator = _calibrator(archive, f"{name}.blend_calibrator")
    return model


def _tfidf(part: dict[str, Any], idf: np.ndarray) -> TfidfPart:
    try:
        return TfidfPart(part["params"], part["terms"], idf)
    except ValueError as exc:  # "input": "filename" among them: it would open whatever texts name
        raise ValueError(f"vectorizer part {part['name']!r}: {exc}") from exc


def _regression(params: dict[str, Any], classes: np.ndarray, archive: Any, prefix: str) -> LogisticModel:
    try:
        return LogisticModel(classes, archive[f"{prefix}.coef"], archive[f"{prefix}.intercept"], params)
    except ValueError as exc:
        raise ValueError(f"{prefix}: {exc}") from exc


def _calibrator(archive: Any, prefix: str) -> Calibrator:
    return Calibrator(archive[f"{prefix}.xs"], archive[f"{prefix}.ys"])


# -- finding a usable model ------------------------------------------------------------
def shipped_model_path() -> Path:
    return Path(str(resources.files("wirecoder").joinpath(TRAINING_DIR, MODEL_NAME)))


def cache_dir() -> Path:
    return user_cache_dir()  # the user cache; classify.py passes no settings to choose another


def cached_model_path(fingerprint: str) -> Path:
    return cache_dir() / f"event_model-{fingerprint}.npz"


def _fresh(path: Path, fingerprint: str) -> tuple[EventModel | None, str]:
    """The model at ``path`` when it was trained on today's training data, else None and
    why not."""
    if not path.is_file():
        return None, f"{path} is absent"
    try:
        model = load_event_model_file(path)
    except ModelFileError as exc:
        return None, str(exc)
    if model.fingerprint != fingerprint:
        return None, (f"{path} is out of date (trained on data with fingerprint {model.fingerprint}, "
                      f"the training files now give {fingerprint})")
    return model, ""


def _retrain(nlp_model: str) -> EventModel:
    from ..nlp import load_spacy

    return train_event_model(load_spacy(nlp_model))


@functools.lru_cache(maxsize=2)
def load_event_model(nlp_model: str) -> EventModel:
    """The shipped model, else one retrained earlier and cached, else train now."""
    fingerprint = training_fingerprint()
    model, why = _fresh(shipped_model_path(), fingerprint)
    if model is not None:
        return model
    cached = cached_model_path(fingerprint)
    model, _ = _fresh(cached, fingerprint)
    if model is not None:
        return model
    # Minutes of silence look like a hang: say what is happening and why, once.
    logging.getLogger("wirecoder").warning(
        "retraining the event model now, which takes 3-5 minutes: the shipped model %s "
        "(scripts/train_event_model.py rebuilds it); the result is cached as %s", why, cached)
    model = _retrain(nlp_model)
    try:
        save_event_model(model, cached)
        for old in cached.parent.glob("event_model-*.pkl"):
            old.unlink(missing_ok=True)  # pickles of earlier versions: never read, dead weight
    except OSError:
        pass  # a read-only cache only costs retraining next time
    return model
