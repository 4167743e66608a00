"""Typing of event mentions: two linear classifiers over TF-IDF word and character
n-grams plus the labels of the mention's triggers, trained on the sentences the project
wrote (``wirecoder/data/training/``).

- the ACLED model picks one of the 25 sub-types or a class that is *not* an ACLED event
  (crime, natural_disaster, accident, sport, diplomacy, attribution, none);
- the PLOVER model picks one of the 16 PLOVER types or ``none``.

Each model also holds a logistic regression over sentence embeddings (:mod:`.embed`),
when the embedding model was installed at training time; with ``code.use_embeddings``
the two models' probabilities are averaged (on the CASE dev set this raised weighted F1
from 0.748 to 0.80: embeddings carry paraphrases, TF-IDF the exact trigger words).

The trained model ships as ``data/training/event_model.npz``, a data-only file read and
written by :mod:`.model_file`, which also retrains it when it is stale.

The code stage asks for its classifier by name (``code.classifier``) from
:data:`wirecoder.registry.classifiers`; this model is ``"linear"``. Another one is any
factory ``factory(settings) -> EventClassifier`` registered there, or declared in the
``wirecoder.classifiers`` entry point group, and is measured by ``wirecoder eval events
--set code.classifier=NAME``.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any, Iterable, Protocol, Sequence

import numpy as np

from ... import registry
from ...errors import ResourceError
from ...settings import Settings
from .codebook import Codebook, TriggerHit, load_codebook, token_forms
from .confidence import Calibrator, fit_calibrator
from .linear import LogisticModel, TfidfFeaturizer

if TYPE_CHECKING:
    from .detect import EventMention

TRAINING_DIR = "data/training"
NON_EVENT = "none"
SLOT = re.compile(r"\{([A-Z])\}")
EXPANSIONS = 3  # filled copies of each training sentence with slots


@dataclass(slots=True)
class Example:
    text: str
    acled: str
    plover: str
    group: int  # the template it was filled from: splits keep a template on one side


def _read_training(name: str) -> str:
    try:
        return resources.files("wirecoder").joinpath(TRAINING_DIR, name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ResourceError(f"training file {name!r} is missing from wirecoder/{TRAINING_DIR}") from exc


def training_fingerprint() -> str:
    """Hash of everything the model is learnt from: retrain when it changes."""
    digest = hashlib.sha256()
    for name in ("acled.tsv", "plover.tsv", "other.tsv", "fillers.json"):
        digest.update(_read_training(name).encode())
    digest.update(resources.files("wirecoder").joinpath("data/codebook/triggers.tsv").read_bytes())
    digest.update(FEATURE_VERSION.encode())
    return digest.hexdigest()[:16]


def _rows(name: str) -> Iterable[tuple[str, str]]:
    for line in _read_training(name).splitlines():
        if line.strip() and not line.startswith("#"):
            label, _, text = line.partition("\t")
            if text:
                yield label.strip(), text.strip()


def load_examples(codebook: Codebook, seed: int = 13) -> list[Example]:
    """The training sentences with their slots filled (``EXPANSIONS`` copies each)."""
    fillers = json.loads(_read_training("fillers.json"))
    rng = random.Random(seed)
    templates: list[tuple[str, str, str]] = []
    for code, text in _rows("acled.tsv"):
        subtype = codebook.subtypes[code]
        templates.append((text, code, subtype.plover or NON_EVENT))
    for label, text in _rows("plover.tsv"):
        plover, _, acled = label.partition(":")
        templates.append((text, acled or "diplomacy", plover))
    for code, text in _rows("other.tsv"):
        templates.append((text, code, NON_EVENT))
    examples: list[Example] = []
    for group, (text, acled, plover) in enumerate(templates):
        copies = EXPANSIONS if SLOT.search(text) else 1
        for _ in range(copies):
            filled = SLOT.sub(lambda m: rng.choice(fillers[m.group(1)]), text)
            examples.append(Example(filled, acled, plover, group))
    return examples


# --- features ----------------------------------------------------------------------
FEATURE_VERSION = "3"  # 2: Platt-scaled confidence; 3: embedding models


def mention_features(tokens: Sequence[Any], hits: Sequence[TriggerHit]) -> str:
    """The text a classifier sees: lemmas (numbers as NUM) and one ``trig_<label>``
    token per trigger."""
    words = []
    for t in tokens:
        if t.is_punct or t.is_space:
            continue
        words.append("NUM" if t.like_num else t.lemma_.lower())
    words.extend(f"trig_{h.label.lower()}" for h in hits)
    return " ".join(words)


def _vectorizer() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, token_pattern=r"\S+")),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2, max_features=15000)),
    ])


EMBEDDING_WEIGHT = 0.5  # share of the embedding model in the averaged probabilities
EMBEDDING_C = 4.0


@dataclass(slots=True)
class LabelModel:
    """A fitted TF-IDF featurizer + logistic regression and the calibrator of its top
    score; optionally a logistic regression over sentence embeddings (same classes) and
    the calibrator of the averaged score. Its parts are :mod:`.linear`'s, which predict
    without importing scikit-learn (training converts what scikit-learn fitted)."""

    vectorizer: TfidfFeaturizer
    classifier: LogisticModel
    calibrator: Calibrator
    embedding_classifier: LogisticModel | None = None
    blend_calibrator: Calibrator | None = None

    @property
    def classes(self) -> list[str]:
        return list(self.classifier.classes)

    @property
    def has_embeddings(self) -> bool:
        return self.embedding_classifier is not None and self.blend_calibrator is not None

    def features(self, texts: Sequence[str]) -> Any:
        """The TF-IDF rows of ``texts`` (a sparse matrix)."""
        return self.vectorizer.transform(texts)

    def same_features(self, other: LabelModel) -> bool:
        """Whether ``other`` turns a text into the same TF-IDF row (both models are fitted
        on the same sentences, so they do): its features can then be computed once."""
        return self.vectorizer.same_as(other.vectorizer)

    def probabilities(self, texts: Sequence[str], embeddings: np.ndarray | None = None,
                      features: Any | None = None) -> np.ndarray:
        probs = self.classifier.predict_proba(self.features(texts) if features is None else features)
        if embeddings is not None and self.embedding_classifier is not None:
            probs = _blend(probs, self.embedding_classifier.predict_proba(embeddings))
        return probs

    def predict(self, texts: Sequence[str], embeddings: np.ndarray | None = None,
                features: Any | None = None) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Top label, its raw probability and its calibrated confidence, per text;
        ``embeddings`` (one row per text) bring in the embedding model; ``features``, the
        texts' rows already computed by :meth:`features`."""
        if not texts:
            return [], np.zeros(0), np.zeros(0)
        blended = embeddings is not None and self.has_embeddings
        probs = self.probabilities(texts, embeddings if blended else None, features)
        best = probs.argmax(axis=1)
        raw = probs[np.arange(len(texts)), best]
        labels = [self.classifier.classes[i] for i in best]
        calibrator = self.blend_calibrator if blended and self.blend_calibrator is not None else self.calibrator
        return labels, raw, calibrator(raw)


def _blend(tfidf: np.ndarray, embedding: np.ndarray) -> np.ndarray:
    """Average of the two models' probabilities (both fitted on the same label set, so
    their ``classes`` are the same sorted list)."""
    return (1.0 - EMBEDDING_WEIGHT) * tfidf + EMBEDDING_WEIGHT * embedding


def _fit_label_model(texts: list[str], labels: list[str], groups: list[int], c: float = 8.0,
                     embeddings: np.ndarray | None = None) -> LabelModel:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    def fit(train_texts: list[str], train_labels: list[str]) -> tuple[Any, Any]:
        vectorizer = _vectorizer()
        x = vectorizer.fit_transform(train_texts)
        clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        clf.fit(x, train_labels)
        clf.coef_ = clf.coef_.astype(np.float32)  # halves the shipped file; precision is ample
        return vectorizer, clf

    def fit_embedding(x: np.ndarray, train_labels: list[str]) -> Any:
        clf = LogisticRegression(C=EMBEDDING_C, max_iter=3000, class_weight="balanced")
        clf.fit(x, train_labels)
        return clf

    # out-of-fold top scores, folds by template, teach the calibrators what a score means
    raw_scores: list[float] = []
    blend_scores: list[float] = []
    correct: list[bool] = []
    blend_correct: list[bool] = []
    for train_idx, test_idx in GroupKFold(n_splits=5).split(texts, labels, groups):
        train_labels = [labels[i] for i in train_idx]
        vec, clf = fit([texts[i] for i in train_idx], train_labels)
        probs = clf.predict_proba(vec.transform([texts[i] for i in test_idx]))
        for row, i in zip(probs, test_idx):
            raw_scores.append(float(row.max()))
            correct.append(clf.classes_[row.argmax()] == labels[i])
        if embeddings is not None:
            emb = fit_embedding(embeddings[train_idx], train_labels)
            if list(emb.classes_) != list(clf.classes_):
                continue  # a fold without some class: its blend is not comparable
            blended = _blend(probs, emb.predict_proba(embeddings[test_idx]))
            for row, i in zip(blended, test_idx):
                blend_scores.append(float(row.max()))
                blend_correct.append(clf.classes_[row.argmax()] == labels[i])
    vectorizer, clf = fit(texts, labels)
    model = LabelModel(TfidfFeaturizer.from_fitted(vectorizer), LogisticModel.from_fitted(clf),
                       fit_calibrator(np.array(raw_scores), np.array(correct)))
    if embeddings is not None and blend_scores:
        model.embedding_classifier = LogisticModel.from_fitted(fit_embedding(embeddings, labels))
        model.blend_calibrator = fit_calibrator(np.array(blend_scores), np.array(blend_correct))
    return model


@dataclass(slots=True)
class EventModel:
    acled: LabelModel
    plover: LabelModel
    fingerprint: str
    sklearn_version: str


# --- the classifier seam -------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Typing:
    """What a classifier says of one event mention.

    ``acled`` is a sub-type code of the codebook (``armed_clash`` ...), a class outside
    ACLED (``crime``, ``natural_disaster``, ``accident``, ``sport``: no event at all;
    ``diplomacy``, ``attribution``) or :data:`NON_EVENT`; ``plover`` a PLOVER type or
    :data:`NON_EVENT`. Each confidence is the probability, 0-1, that its label is right:
    events below ``code.min_confidence`` are dropped."""

    acled: str
    acled_confidence: float
    plover: str
    plover_confidence: float


class EventClassifier(Protocol):
    """Types the event mentions the trigger lexicon found (:class:`.detect.EventMention`: its
    ``sent``, ``tokens`` and trigger ``hits``), one :class:`Typing` per mention, in order.
    Built by ``factory(settings)`` from :data:`wirecoder.registry.classifiers`."""

    def __call__(self, mentions: Sequence[EventMention]) -> list[Typing]: ...


@registry.classifiers.register("linear")
class LinearClassifier:
    """The shipped model: logistic regressions over TF-IDF features of the mention
    (:func:`mention_features`), averaged with ones over the embedding of its sentence when
    ``code.use_embeddings``."""

    def __init__(self, settings: Settings) -> None:
        import logging

        from . import embed
        from .model_file import load_event_model

        self.model: EventModel = load_event_model(settings.nlp.model)
        self.shared_features = self.model.acled.same_features(self.model.plover)
        self.use_embeddings = settings.code.use_embeddings
        self.precision = settings.code.embedding_precision
        if self.use_embeddings and not embed.available():
            # The encoder is an optional extra (torch is heavy): a plain install still
            # codes, with TF-IDF alone, and says so once.
            logging.getLogger("wirecoder").warning(
                "sentence embeddings unavailable (pip install 'wirecoder[embeddings]'); typing events "
                "with TF-IDF alone, which is less accurate. Set code.use_embeddings = false to silence this.")
            self.use_embeddings = False
        if self.use_embeddings:
            if not (self.model.acled.has_embeddings and self.model.plover.has_embeddings):
                raise ResourceError("the event model was trained without sentence embeddings; retrain it "
                                    "(scripts/train_event_model.py) or set code.use_embeddings = false")
            embed.embed(["warm up"], precision=self.precision)  # load now: a missing package or a bad precision fails here

    def __call__(self, mentions: Sequence[EventMention]) -> list[Typing]:
        from . import embed

        texts = [mention_features(m.tokens, m.hits) for m in mentions]
        # the whole sentence is embedded (measured better than the mention's clause: the
        # TF-IDF features already tell the clauses of one sentence apart)
        vectors = embed.embed([m.sent.text for m in mentions], precision=self.precision) if self.use_embeddings else None
        features = self.model.acled.features(texts) if texts else None
        acled, _, acled_conf = self.model.acled.predict(texts, vectors, features)
        plover, _, plover_conf = self.model.plover.predict(texts, vectors, features if self.shared_features else None)
        return [Typing(a, float(ca), p, float(cp)) for a, ca, p, cp in zip(acled, acled_conf, plover, plover_conf)]


def featurize_sentences(nlp: Any, codebook: Codebook, texts: Sequence[str]) -> list[str]:
    """Features of whole sentences (training examples are one sentence, one mention)."""
    features = []
    for doc in nlp.pipe(texts, batch_size=64):
        forms = token_forms(doc)
        features.append(mention_features(list(doc), codebook.triggers.match(forms)))
    return features


def train_event_model(nlp: Any, codebook: Codebook | None = None, examples: list[Example] | None = None,
                      with_embeddings: bool | None = None) -> EventModel:
    """Fit both models; the embedding parts too when ``with_embeddings`` (default: when
    the embedding model is installed)."""
    import sklearn

    from . import embed

    codebook = codebook or load_codebook()
    examples = examples if examples is not None else load_examples(codebook)
    features = featurize_sentences(nlp, codebook, [e.text for e in examples])
    groups = [e.group for e in examples]
    if with_embeddings is None:
        with_embeddings = embed.available()
    vectors = embed.embed([e.text for e in examples]) if with_embeddings else None
    return EventModel(
        acled=_fit_label_model(features, [e.acled for e in examples], groups, embeddings=vectors),
        plover=_fit_label_model(features, [e.plover for e in examples], groups, embeddings=vectors),
        fingerprint=training_fingerprint(),
        sklearn_version=sklearn.__version__,
    )
