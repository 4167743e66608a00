"""The event model predicts without scikit-learn (:mod:`wirecoder.stages.code.linear`)
exactly as scikit-learn's own objects rebuilt from the same file do: same TF-IDF rows,
same probabilities, on the training sentences and on texts made to be awkward; settings
it does not implement are refused; and coding a sentence imports no scikit-learn."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import sparse

from wirecoder.stages.code import model_file
from wirecoder.stages.code.classify import load_examples
from wirecoder.stages.code.codebook import load_codebook
from wirecoder.stages.code.linear import LogisticModel, TfidfFeaturizer, TfidfPart

pytest.importorskip("sklearn")
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import FeatureUnion  # noqa: E402

SRC = Path(__file__).resolve().parents[1] / "src"

AWKWARD = [
    "",  # no n-gram at all: an all-zero row
    " ",
    "\t\n  \r",
    "a",  # shorter than every character n-gram
    "ab",
    "NUM",
    "trig_attack trig_attack trig_attack",  # repeated terms: sublinear tf
    "army attack village kill NUM civilian trig_attack trig_kill",
    "Police ARRESTED protesters in São Paulo; 12 hurt.",
    "Zürich, Genève, Córdoba, Łódź, İstanbul — naïve café façade",  # accents kept, not stripped
    "İ",  # lowercases to two code points
    "ΣΊΣΥΦΟΣ ΟΔΟΣ",  # Greek final sigma on lowering
    "Straße STRASSE",
    "東京で爆発があった 北京",
    "القوات الحكومية قصفت المدينة",
    "😀 bomb 💣 explosion 🔥",
    "e\u0301te\u0301 ete",  # combining accents
    "tab\tseparated\u00a0no-break\u2003em-space\u3000ideographic",
    "line\u2028separator\u2029paragraph\x1cfile-separator",
    "multiple     spaces   between    words",
    "punctuation!!! ... ??? ;;; -- (brackets) [more] {curly} 'quote' \"double\"",
    "123 4,567 8.9 1e10 -42 +7 0x1F ½ ⅔ ٣",
    "supercalifragilisticexpialidocious" * 3,  # one very long word
    "x" * 1000,
    "a b c d e f g h i j k l m n o p q r s t u v w x y z",
    "\x00null\x00byte",
    "'s 's 's budget",
]


def _sklearn_label_model(entry: dict[str, Any], name: str, archive: Any) -> tuple[Any, Any, Any]:
    """scikit-learn's objects rebuilt from the archive, as the loader did before
    :mod:`.linear` replaced them."""
    parts = []
    for part in entry["vectorizer"]:
        params = dict(part["params"])
        params["dtype"] = np.dtype(params["dtype"]).type
        params["ngram_range"] = tuple(params["ngram_range"])
        vectorizer = TfidfVectorizer(**params)
        vectorizer.vocabulary_ = {term: i for i, term in enumerate(part["terms"])}
        vectorizer.idf_ = archive[f"{name}.idf.{part['name']}"]
        parts.append((part["name"], vectorizer))

    def regression(params: dict[str, Any], prefix: str) -> Any:
        classifier = LogisticRegression(**params)
        classifier.classes_ = np.array(entry["classes"])
        classifier.coef_ = archive[f"{prefix}.coef"]
        classifier.intercept_ = archive[f"{prefix}.intercept"]
        classifier.n_features_in_ = classifier.coef_.shape[1]
        return classifier

    embedding = regression(entry["embedding"], f"{name}.embedding")
    return FeatureUnion(parts), regression(entry["classifier"], name), embedding


@pytest.fixture(scope="module")
def shipped() -> dict[str, Any]:
    path = model_file.shipped_model_path()
    meta = model_file.read_meta(path)
    with np.load(path, allow_pickle=False) as archive:
        reference = {name: _sklearn_label_model(meta["models"][name], name, archive) for name in model_file.LABELS}
    return {"model": model_file.load_event_model_file(path), "sklearn": reference}


@pytest.fixture(scope="module")
def texts() -> list[str]:
    sentences = [e.text for e in load_examples(load_codebook())]
    # every 5th training sentence as written, lowered with trigger tokens (what the
    # classifier sees), and AWKWARD: 400-odd texts
    picked = sentences[::5]
    return picked + [f"{s.lower()} trig_attack" for s in picked[::3]] + AWKWARD


def _assert_same_rows(mine: Any, theirs: Any) -> None:
    mine, theirs = sparse.csr_matrix(mine), sparse.csr_matrix(theirs)
    mine.sort_indices()
    theirs.sort_indices()
    assert mine.shape == theirs.shape
    assert np.array_equal(mine.indptr, theirs.indptr) and np.array_equal(mine.indices, theirs.indices)
    assert np.abs(mine.data - theirs.data).max(initial=0.0) < 1e-12
    assert np.array_equal(mine.data, theirs.data)  # in fact to the last bit


@pytest.mark.parametrize("label", model_file.LABELS)
def test_event_model_inference_shipped_model_matches_sklearn(label: str, shipped: dict[str, Any],
                                                             texts: list[str]) -> None:
    mine = getattr(shipped["model"], label)
    union, classifier, embedding = shipped["sklearn"][label]
    features = mine.features(texts)
    _assert_same_rows(features, union.transform(texts))
    for (name, part), (_, vectorizer) in zip(mine.vectorizer.parts, union.transformer_list):
        assert [part.analyze(t) for t in texts[-40:]] == [vectorizer.build_analyzer()(t) for t in texts[-40:]], name
    expected = classifier.predict_proba(union.transform(texts))
    got = mine.classifier.predict_proba(features)
    assert np.abs(got - expected).max() < 1e-12
    assert np.array_equal(got, expected)
    vectors = np.random.default_rng(3).normal(size=(len(texts), embedding.coef_.shape[1])).astype(np.float32)
    got_embedding = mine.embedding_classifier.predict_proba(vectors)
    assert got_embedding.dtype == np.float32 and np.array_equal(got_embedding, embedding.predict_proba(vectors))
    assert list(mine.classes) == list(classifier.classes_)


def test_event_model_inference_features_are_computed_once_when_shared(shipped: dict[str, Any]) -> None:
    # Both label models are fitted on the same sentences: the coder featurizes once.
    model = shipped["model"]
    assert model.acled.same_features(model.plover)


# Settings the shipped model does not use, checked against scikit-learn fitted on the spot.
@pytest.mark.parametrize("params", [
    # word bigrams and trigrams only (no unigrams)
    {"analyzer": "word", "ngram_range": (2, 3), "token_pattern": r"\S+"},
    # the default token pattern, unigrams, case kept, raw counts, no norm
    {"analyzer": "word", "lowercase": False, "sublinear_tf": False, "norm": None},
    # a pattern with one group: the group is the token
    {"analyzer": "word", "token_pattern": r"(\w+)'?"},
    # short character n-grams: whole short words counted once
    {"analyzer": "char_wb", "ngram_range": (1, 3)},
    # long character n-grams, case kept
    {"analyzer": "char_wb", "ngram_range": (4, 7), "lowercase": False, "sublinear_tf": True},
])
def test_event_model_inference_other_vectorizer_settings_match_sklearn(params: dict[str, Any],
                                                                      texts: list[str]) -> None:
    vectorizer = TfidfVectorizer(**params).fit(texts[:200])
    part = TfidfPart.from_fitted(vectorizer)
    _assert_same_rows(part.transform(texts), vectorizer.transform(texts))


def test_event_model_inference_two_classes_match_sklearn(texts: list[str]) -> None:
    # A two-class regression has one row of coefficients: sklearn's [1 - p, p].
    union = FeatureUnion([("words", TfidfVectorizer(token_pattern=r"\S+"))]).fit(texts[:300])
    x = union.transform(texts)
    labels = ["long" if len(t) > 60 else "short" for t in texts]
    classifier = LogisticRegression(max_iter=500).fit(x, labels)
    featurizer, mine = TfidfFeaturizer.from_fitted(union), LogisticModel.from_fitted(classifier)
    expected = classifier.predict_proba(x)
    assert np.abs(mine.predict_proba(featurizer.transform(texts)) - expected).max() < 1e-12


@pytest.mark.parametrize("setting, value", [
    ("analyzer", "char"),  # another analyzer
    ("stop_words", ["the"]),  # stop words
    ("strip_accents", "unicode"),  # accent stripping
    ("binary", True),  # binary counts
    ("preprocessor", "lower"),  # a custom preprocessor (stored by name: still refused)
    ("input", "filename"),  # would open whatever the texts name
    ("norm", "l1"),  # another norm
    ("dtype", "float32"),  # another precision
    ("some_future_setting", 1),  # one this code has never heard of
])
def test_event_model_inference_unimplemented_setting_is_refused(setting: str, value: Any) -> None:
    params = {"analyzer": "word", "token_pattern": r"\S+", "ngram_range": [1, 2], setting: value}
    with pytest.raises(ValueError, match=setting if setting != "analyzer" else "char"):
        TfidfPart(params, ["army"], np.array([1.0]))


def test_event_model_inference_file_with_unimplemented_setting_is_refused(tmp_path: Path) -> None:
    # A model file naming a setting the predictor lacks fails to load, it is not misread.
    model = model_file.load_event_model_file(model_file.shipped_model_path())
    part = model.acled.vectorizer.parts[0][1]
    part.params["strip_accents"] = "ascii"
    model_file.save_event_model(model, tmp_path / "model.npz")
    with pytest.raises(model_file.ModelFileError, match="strip_accents"):
        model_file.load_event_model_file(tmp_path / "model.npz")


def test_event_model_inference_coding_imports_no_sklearn(tmp_path: Path) -> None:
    # scikit-learn (and scipy.stats, pandas through it) cost over a second of start-up.
    sentence = tmp_path / "one.txt"
    sentence.write_text("The army shelled rebel positions near Aleppo on Monday, killing 12 people.\n")
    script = ("import sys; from wirecoder.cli import main; sys.argv = ['wirecoder', 'code', sys.argv[1]]\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "print('SKLEARN' if any(m.split('.')[0] == 'sklearn' for m in sys.modules) else 'CLEAN')")
    result = subprocess.run([sys.executable, "-c", script, str(sentence)], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(SRC)}, timeout=600)
    assert '"events"' in result.stdout and result.stdout.rstrip().endswith("CLEAN"), result.stderr[-2000:]
