"""Models and caches hold data only: nothing planted where wirecoder reads them runs, no
module of wirecoder unpickles, the shipped event model is up to date with its training
data, and a saved model predicts exactly as the one that was trained (issue 11, item 7)."""

from __future__ import annotations

import logging
import pickle  # only to plant the pickles the loaders must refuse
import re
from pathlib import Path
from typing import Iterator

import numpy as np
import pytest

import wirecoder
from wirecoder.settings import load_settings
from wirecoder.stages.code import model_file
from wirecoder.stages.code.classify import EventModel, LabelModel, _vectorizer, load_examples, training_fingerprint
from wirecoder.stages.code.codebook import load_codebook
from wirecoder.stages.code.confidence import Calibrator, fit_calibrator
from wirecoder.stages.code.linear import LogisticModel, TfidfFeaturizer
from wirecoder.stages.geoparse import gazetteer
from wirecoder.stages.geoparse.gazetteer_file import read_gazetteer, write_gazetteer
from wirecoder.stages.geoparse.names import normalize

SRC = Path(wirecoder.__file__).parent


class _Payload:
    """Unpickling this creates ``marker``: proof that a loader ran a planted file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (open, (str(self.marker), "w"))


def _plant(path: Path, marker: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(_Payload(marker)))


def test_safe_caches_planted_payload_is_live(tmp_path: Path) -> None:
    # The other tests prove nothing unless unpickling the planted file does run it.
    marker = tmp_path / "ran"
    _plant(tmp_path / "bait", marker)
    pickle.loads((tmp_path / "bait").read_bytes())
    assert marker.exists()


# -- a small model of the real kind, fitted in seconds (no parser, no cross-validation) --
def _small_label_model(texts: list[str], labels: list[str], vectors: np.ndarray) -> LabelModel:
    from sklearn.linear_model import LogisticRegression

    vectorizer = _vectorizer()
    classifier = LogisticRegression(C=8.0, max_iter=300).fit(vectorizer.fit_transform(texts), labels)
    classifier.coef_ = classifier.coef_.astype(np.float32)  # as training stores it
    embedding = LogisticRegression(max_iter=300).fit(vectors, labels)
    # converted to the run-time classes, as training does
    model = LabelModel(TfidfFeaturizer.from_fitted(vectorizer), LogisticModel.from_fitted(classifier),
                       Calibrator(np.array([]), np.array([])), LogisticModel.from_fitted(embedding))
    # In-sample, nearly every label is right: calibrate on made-up outcomes instead, any
    # that rise with the score give a curve to store.
    raw = model.predict(texts)[1]
    model.calibrator = fit_calibrator(raw, raw >= np.median(raw))
    model.blend_calibrator = fit_calibrator(raw, raw >= np.quantile(raw, 0.3))
    return model


@pytest.fixture(scope="module")
def small_model() -> EventModel:
    examples = [e for e in load_examples(load_codebook()) if e.group % 8 == 0]
    texts = [e.text.lower() for e in examples]
    vectors = np.random.default_rng(0).normal(size=(len(texts), 16)).astype(np.float32)
    model = EventModel(acled=_small_label_model(texts, [e.acled for e in examples], vectors),
                       plover=_small_label_model(texts, [e.plover for e in examples], vectors),
                       fingerprint="small", sklearn_version="test")
    assert model.acled.has_embeddings and len(model.acled.calibrator.xs) and len(model.acled.blend_calibrator.xs)
    return model


@pytest.fixture()
def isolated_model_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Path]]:
    """Every path the model loader reads, moved under ``tmp_path``: the shipped file, the
    user cache (through XDG_CACHE_HOME), and the names both had as pickles."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shipped = tmp_path / "package" / model_file.MODEL_NAME
    monkeypatch.setattr(model_file, "shipped_model_path", lambda: shipped)
    model_file.load_event_model.cache_clear()
    fingerprint = training_fingerprint()
    cached = model_file.cached_model_path(fingerprint)
    assert cached.parent == tmp_path / "cache" / "wirecoder"
    yield {"shipped": shipped,
           "shipped_pkl": shipped.with_name("event_model.pkl"),
           "cached": cached,
           "cached_pkl": cached.with_suffix(".pkl")}
    model_file.load_event_model.cache_clear()


@pytest.mark.parametrize("where", [
    "shipped",  # the model in the package, which a writable install lets anyone replace
    "shipped_pkl",  # the name the shipped model had while it was a pickle
    "cached",  # the retrained model in the user cache, a folder XDG_CACHE_HOME can move
    "cached_pkl",  # the name the cached model had while it was a pickle
])
def test_safe_caches_model_loader_never_runs_a_planted_pickle(
        where: str, isolated_model_paths: dict[str, Path], small_model: EventModel, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    marker = tmp_path / "ran"
    _plant(isolated_model_paths[where], marker)
    retrained: list[str] = []

    def retrain(nlp_model: str) -> EventModel:
        retrained.append(nlp_model)
        return EventModel(small_model.acled, small_model.plover, training_fingerprint(), "test")

    monkeypatch.setattr(model_file, "_retrain", retrain)
    with caplog.at_level(logging.WARNING, logger="wirecoder"):
        model = model_file.load_event_model("en_core_web_sm")
    assert not marker.exists()
    assert retrained and model.fingerprint == training_fingerprint()
    # one line says that it retrains, why, and that it takes minutes
    [warning] = [r.getMessage() for r in caplog.records if r.name == "wirecoder"]
    assert "retraining the event model" in warning and "minutes" in warning
    assert str(isolated_model_paths["shipped"]) in warning
    # the retrained model is cached as data, and the next process reads it from there
    cached = isolated_model_paths["cached"]
    assert model_file.read_meta(cached)["fingerprint"] == training_fingerprint()
    assert not isolated_model_paths["cached_pkl"].exists()
    model_file.load_event_model.cache_clear()
    model_file.load_event_model("en_core_web_sm")
    assert len(retrained) == 1 and not marker.exists()


@pytest.mark.parametrize("damage", [
    "truncated",  # a write cut short (disk full, killed process)
    "empty",  # a file created and never written
    "other_format",  # a numpy file that is no model (one bare array)
])
def test_safe_caches_damaged_model_file_is_refused(damage: str, small_model: EventModel, tmp_path: Path) -> None:
    path = tmp_path / "model.npz"
    model_file.save_event_model(small_model, path)
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        with path.open("wb") as handle:
            np.save(handle, np.arange(3))
    with pytest.raises(model_file.ModelFileError):
        model_file.load_event_model_file(path)


# -- the gazetteer cache ---------------------------------------------------------------
@pytest.fixture()
def tiny_gazetteer() -> gazetteer.Gazetteer:
    gaz = gazetteer.Gazetteer()
    syria = gaz.add(163843, "Syria", "country", "SY", "", 35.0, 38.0, 22_000_000)
    daraa = gaz.add(170903, "Daraa", "admin1", "SY", "06", 32.6, 36.1, 1_000_000)
    city = gaz.add(170905, "Daraa", "city", "SY", "06", 32.6, 36.1, 97_969)
    for name, record in (("Syria", syria), ("Daraa", daraa), ("Daraa", city), ("Dar'a", city)):
        gaz.add_name(name, record)
    gaz.country_record["SY"] = syria
    gaz.admin1_record[("SY", "06")] = daraa
    gaz.admin1_names[("SY", "06")] = "Daraa"
    gaz.demonyms["syrian"] = syria
    gaz.preferred["syria"] = syria
    gaz.capitals.add(city)
    gaz.admin2_names[170905] = "Daraa District"
    return gaz


@pytest.mark.parametrize("planted", [
    "current",  # the cache file the loader reads (gazetteer-<version>.npz)
    "legacy",  # the pickle the cache was before (gazetteer-<version>.pickle)
    "truncated",  # a cache cut short by a crash: rebuilt, not an error
])
def test_safe_caches_gazetteer_never_runs_a_planted_pickle(
        planted: str, tiny_gazetteer: gazetteer.Gazetteer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(overrides=[f"geo.cache_dir={tmp_path / 'geo'}"])
    path = gazetteer.cache_path(gazetteer.cache_dir(settings))
    marker = tmp_path / "ran"
    if planted == "current":
        _plant(path, marker)
    elif planted == "legacy":
        _plant(path.with_suffix(".pickle"), marker)
    else:
        write_gazetteer(tiny_gazetteer, path)
        path.write_bytes(path.read_bytes()[:-100])
    builds: list[int] = []
    monkeypatch.setattr(gazetteer, "build", lambda: builds.append(1) or tiny_gazetteer)
    gazetteer._load_cached.cache_clear()
    try:
        gaz = gazetteer.load_gazetteer(settings)
    finally:
        gazetteer._load_cached.cache_clear()
    assert not marker.exists()
    assert builds == [1] and gaz is tiny_gazetteer
    assert read_gazetteer(path).index == tiny_gazetteer.index  # replaced by a good cache
    assert not path.with_suffix(".pickle").exists()  # the old pickle is gone


def test_safe_caches_gazetteer_file_round_trip(tiny_gazetteer: gazetteer.Gazetteer, tmp_path: Path) -> None:
    write_gazetteer(tiny_gazetteer, tmp_path / "g.npz")
    loaded = read_gazetteer(tmp_path / "g.npz")
    for field in ("ids", "names", "kinds", "countries", "admin1", "lat", "lon", "population", "index",
                  "demonyms", "country_record", "admin1_record", "admin1_names", "state_codes",
                  "capitals", "admin2_names", "preferred"):
        assert getattr(loaded, field) == getattr(tiny_gazetteer, field), field
    assert loaded.lookup(normalize("Daraa")) == (1, 2)  # a name of several records keeps them all, in order
    assert loaded.entry(2).geonameid == 170905  # Daraa (city)


# -- no unpickling anywhere ------------------------------------------------------------
# Each pattern is a way to run code from a file while loading it.
UNSAFE_LOADERS = [
    r"^\s*(import|from)\s+(c?pickle|_pickle)\b",  # the pickle module itself
    r"^\s*(import|from)\s+(dill|cloudpickle|joblib|shelve)\b",  # pickles under other names
    r"allow_pickle\s*=\s*True",  # numpy's door back to pickle
]


@pytest.mark.parametrize("pattern", UNSAFE_LOADERS)
def test_safe_caches_no_module_unpickles(pattern: str) -> None:
    offenders = [f"{path.relative_to(SRC)}:{number}"
                 for path in sorted(SRC.rglob("*.py"))
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(pattern, line)]
    assert offenders == []


def test_safe_caches_no_pickle_in_package_data() -> None:
    # A .pkl or .pickle shipped in the package would be a loaded file nobody reviews.
    assert sorted(p.name for p in SRC.rglob("*") if p.suffix in {".pkl", ".pickle", ".joblib"}) == []


# -- the shipped event model -----------------------------------------------------------
def test_safe_caches_shipped_event_model_is_up_to_date() -> None:
    # Out of date, every fresh install would retrain it on first use (minutes).
    meta = model_file.read_meta(model_file.shipped_model_path())
    assert meta["fingerprint"] == training_fingerprint(), (
        "the shipped event model was trained on other training data or another lexicon: "
        "run .venv/bin/python scripts/train_event_model.py and commit "
        "src/wirecoder/data/training/event_model.npz")
    # code.use_embeddings is on by default: a model without its embedding half fails
    assert all(meta["models"][name]["embedding"] for name in model_file.LABELS)


# -- saving changes no prediction ------------------------------------------------------
@pytest.mark.parametrize("label, with_embeddings", [
    ("acled", False),  # the ACLED sub-type, TF-IDF alone
    ("acled", True),  # ... averaged with the embedding model, and its own calibrator
    ("plover", False),  # the PLOVER type, TF-IDF alone
    ("plover", True),  # ... averaged with the embedding model
])
def test_safe_caches_saved_model_predicts_identically(
        label: str, with_embeddings: bool, small_model: EventModel, tmp_path: Path) -> None:
    model_file.save_event_model(small_model, tmp_path / "model.npz")
    loaded = model_file.load_event_model_file(tmp_path / "model.npz")
    texts = [e.text.lower() for e in load_examples(load_codebook())[1::7]]  # mostly unseen
    vectors = np.random.default_rng(1).normal(size=(len(texts), 16)).astype(np.float32) if with_embeddings else None
    before, after = getattr(small_model, label), getattr(loaded, label)
    labels_a, raw_a, confidence_a = before.predict(texts, vectors)
    labels_b, raw_b, confidence_b = after.predict(texts, vectors)
    assert labels_a == labels_b
    assert np.array_equal(raw_a, raw_b) and np.array_equal(confidence_a, confidence_b)
    assert np.array_equal(before.probabilities(texts, vectors), after.probabilities(texts, vectors))


def test_safe_caches_shipped_model_survives_a_second_save(tmp_path: Path) -> None:
    # What the loader rebuilds, saved again, is the same file content: nothing is lost.
    shipped = model_file.load_event_model_file(model_file.shipped_model_path())
    model_file.save_event_model(shipped, tmp_path / "again.npz")
    with np.load(model_file.shipped_model_path()) as a, np.load(tmp_path / "again.npz") as b:
        assert sorted(a.files) == sorted(b.files)
        for name in a.files:
            assert a[name].dtype == b[name].dtype and np.array_equal(a[name], b[name]), name
