"""Confidence is a calibrated probability that RANKS events (Platt scaling, strictly
increasing), the embedding model is optional, and each event names its trigger."""

from __future__ import annotations

import numpy as np
import pytest

from wirecoder.records import Article, Document
from wirecoder.stages.code import EventCoder
from wirecoder.stages.code.classify import _blend
from wirecoder.stages.code.confidence import fit_calibrator, reliability


def _scores(n: int = 400, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Raw scores whose chance of being right grows with the score (a calibrated toy)."""
    rng = np.random.default_rng(seed)
    raw = rng.uniform(0.2, 1.0, n)
    return raw, rng.uniform(0, 1, n) < raw


def test_calibrator_is_strictly_increasing():
    # distinct raw scores keep distinct confidences: no ties from flat isotonic steps
    raw, correct = _scores()
    calibrator = fit_calibrator(raw, correct)
    grid = calibrator(np.linspace(0.01, 0.99, 99))
    assert np.all(np.diff(grid) > 0)
    assert 0.0 < grid.min() and grid.max() < 1.0


def test_calibrator_is_calibrated_on_its_own_kind_of_scores():
    # fitted on one sample, checked on another drawn the same way: small calibration error
    calibrator = fit_calibrator(*_scores(seed=3))
    raw, correct = _scores(seed=4)
    assert reliability(calibrator(raw), correct)["ece"] < 0.08


@pytest.mark.parametrize("correct", [
    # every prediction right: nothing to learn, the raw score is passed through
    np.ones(50, dtype=bool),
    # fewer than 10 examples: too few to fit
    np.array([True, False, True]),
])
def test_calibrator_degenerate_cases_pass_through(correct):
    raw = np.linspace(0.3, 0.9, len(correct))
    assert np.allclose(fit_calibrator(raw, correct)(raw), raw)


def test_blend_is_an_average_of_probabilities():
    a, b = np.array([[0.8, 0.2]]), np.array([[0.4, 0.6]])
    assert np.allclose(_blend(a, b), [[0.6, 0.4]])
    assert np.allclose(_blend(a, b).sum(axis=1), 1.0)


@pytest.fixture(scope="module")
def parser(settings):
    from wirecoder.stages.nlp import Parser

    return Parser(settings)


@pytest.mark.parametrize("use_embeddings", [
    # the default: TF-IDF averaged with the embedding model
    True,
    # the setting off: TF-IDF alone, no torch needed at run time
    False,
])
def test_both_typing_modes_code_a_clear_event(parser, settings, use_embeddings):
    coder = EventCoder(settings.replace("code", use_embeddings=use_embeddings))
    text = "Gunmen abducted twelve students from a school in Tarsa on Monday."
    document = coder(parser(Document(article=Article(id="t", paragraphs=[text]))))
    top = max(document.events, key=lambda e: e.confidence)
    assert top.sub_event_type == "Abduction/forced disappearance"
    assert 0.0 < top.confidence < 1.0
    assert top.trigger and top.trigger in text


def test_main_predicate_event_is_listed_first(parser, settings):
    # the demand is the content of the demonstration: the protest comes first
    coder = EventCoder(settings)
    text = "Thousands of farmers marched through the capital on Sunday demanding lower fuel prices."
    events = coder(parser(Document(article=Article(id="t", paragraphs=[text])))).events
    assert events and events[0].plover_type == "PROTEST"


def test_code_falls_back_to_tfidf_without_the_embeddings_extra(settings, monkeypatch, caplog):
    """A plain install (no torch) still codes events, and says why they may be weaker."""
    from wirecoder.stages.code import embed

    monkeypatch.setattr(embed, "available", lambda: False)
    with caplog.at_level("WARNING", logger="wirecoder"):
        coder = EventCoder(settings)
    assert coder.classifier.use_embeddings is False
    assert "wirecoder[embeddings]" in caplog.text
