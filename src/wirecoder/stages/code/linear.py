"""The fitted event model's arithmetic at run time, without scikit-learn.

Training fits scikit-learn's ``TfidfVectorizer`` parts and ``LogisticRegression``; what
predicting with them needs is small (n-grams looked up in a vocabulary, a TF-IDF
weighting, a matrix product and a softmax), while importing scikit-learn costs over a
second of every start-up (it pulls in ``scipy.stats`` and pandas). These classes hold
the fitted arrays and compute the same rows and probabilities with numpy and
``scipy.sparse``, operation for operation as scikit-learn 1.9 does them, so the results
are the same bit for bit (``tests/test_event_model_inference.py`` compares the two).

Only the settings the project trains with are implemented; any other (another analyzer,
stop words, accent stripping, a custom preprocessor, binary counts ...) is refused with
a :class:`ValueError` naming it, rather than silently computed differently.

- :class:`TfidfPart`: one vectorizer (``analyzer`` ``word`` or ``char_wb``);
- :class:`TfidfFeaturizer`: its parts side by side, like a ``FeatureUnion``;
- :class:`LogisticModel`: class probabilities of a logistic regression.
"""

from __future__ import annotations

import math
import re
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np
from scipy import sparse

# Vectorizer settings that only shape fitting (which terms enter the vocabulary, their
# idf): whatever their value, the fitted vocabulary and idf weights say all of it.
_FIT_ONLY = frozenset({"max_df", "min_df", "max_features", "smooth_idf", "vocabulary"})
# Settings that must hold this value: the others are not implemented here.
_REQUIRED = {"input": "content", "preprocessor": None, "tokenizer": None, "stop_words": None,
             "strip_accents": None, "binary": False, "use_idf": True, "dtype": "float64"}
# The settings that shape prediction, with scikit-learn's defaults for those not stored.
_DEFAULTS: dict[str, Any] = {"analyzer": "word", "lowercase": True, "ngram_range": (1, 1), "norm": "l2",
                             "sublinear_tf": False, "token_pattern": r"(?u)\b\w\w+\b", "encoding": "utf-8",
                             "decode_error": "strict"}
_IMPLEMENTED = frozenset(_DEFAULTS) | _FIT_ONLY | set(_REQUIRED)
# What is kept of a logistic regression's settings: none changes its probabilities, they
# are stored for the record (and C, to retrain alike).
REGRESSION_PARAMS = ("C", "class_weight", "fit_intercept", "max_iter", "solver")
_WHITE_SPACES = re.compile(r"\s\s+")


class TfidfPart:
    """One fitted TF-IDF vectorizer: ``params`` are its settings as
    ``TfidfVectorizer.get_params()`` gives them (``dtype`` by name), ``terms`` its
    vocabulary in column order, ``idf`` its idf weight per term.

    >>> part = TfidfPart({"analyzer": "word", "token_pattern": r"\\S+", "ngram_range": [1, 1]},
    ...                  ["army", "shelled"], np.array([1.0, 2.0]))
    >>> part.transform(["The army shelled"]).toarray().round(3).tolist()
    [[0.447, 0.894]]
    """

    def __init__(self, params: Mapping[str, Any], terms: Sequence[str], idf: np.ndarray) -> None:
        self.params = dict(params)
        self.terms = list(terms)
        self.idf = np.asarray(idf)
        self._check()
        self.vocabulary = {term: index for index, term in enumerate(self.terms)}
        settings = {**_DEFAULTS, **self.params}
        self.lowercase = bool(settings["lowercase"])
        self.sublinear_tf = bool(settings["sublinear_tf"])
        self.norm = settings["norm"]
        self.encoding, self.decode_error = settings["encoding"], settings["decode_error"]
        self.min_n, self.max_n = (int(n) for n in settings["ngram_range"])
        self._ngrams: Callable[[str], list[str]]
        if settings["analyzer"] == "word":
            self._tokenize = re.compile(settings["token_pattern"]).findall
            self._ngrams = self._word_ngrams
        else:
            self._ngrams = self._char_wb_ngrams

    @classmethod
    def from_fitted(cls, vectorizer: Any) -> TfidfPart:
        """The part of a fitted scikit-learn ``TfidfVectorizer``."""
        params = vectorizer.get_params()
        for key, value in params.items():
            if callable(value) and key != "dtype":  # a custom analyzer or tokenizer is code
                raise ValueError(f"vectorizer setting {key!r} is a function; only data can be stored")
        params["dtype"] = np.dtype(params["dtype"]).name
        if params.get("ngram_range") is not None:
            params["ngram_range"] = list(params["ngram_range"])
        terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
        return cls(params, terms, vectorizer.idf_)

    def _check(self) -> None:
        unknown = sorted(set(self.params) - _IMPLEMENTED)
        if unknown:
            raise ValueError(f"vectorizer settings {unknown} are not implemented for prediction")
        for key, needed in _REQUIRED.items():
            if key in self.params and self.params[key] != needed:
                raise ValueError(f"vectorizer setting {key}={self.params[key]!r} is not implemented "
                                 f"for prediction (only {needed!r})")
        settings = {**_DEFAULTS, **self.params}
        if settings["analyzer"] not in ("word", "char_wb"):
            raise ValueError(f"vectorizer analyzer {settings['analyzer']!r} is not implemented for "
                             "prediction (only 'word' and 'char_wb')")
        if settings["norm"] not in ("l2", None):
            raise ValueError(f"vectorizer norm {settings['norm']!r} is not implemented for prediction "
                             "(only 'l2' and None)")
        ngram_range = settings["ngram_range"]
        if (not isinstance(ngram_range, (list, tuple)) or len(ngram_range) != 2
                or not all(isinstance(n, int) for n in ngram_range) or not 1 <= ngram_range[0] <= ngram_range[1]):
            raise ValueError(f"vectorizer ngram_range {ngram_range!r} is not two sizes, smallest first")
        if settings["analyzer"] == "word" and re.compile(settings["token_pattern"]).groups > 1:
            raise ValueError(f"token_pattern {settings['token_pattern']!r} has more than one group")
        if self.idf.ndim != 1 or self.idf.dtype != np.float64:
            raise ValueError(f"idf weights of shape {self.idf.shape} and type {self.idf.dtype}, "
                             "not one float64 per term")
        if len(self.terms) != len(self.idf) or len(set(self.terms)) != len(self.terms):
            raise ValueError(f"{len(self.terms)} terms (some repeated?) for {len(self.idf)} idf weights")

    # -- analyzers: the n-grams of one text -----------------------------------------------
    def _decode(self, text: str | bytes) -> str:
        if isinstance(text, bytes):
            text = text.decode(self.encoding, self.decode_error)
        if not isinstance(text, str):
            raise ValueError(f"a text must be a string, not {type(text).__name__}")
        return text.lower() if self.lowercase else text

    def _word_ngrams(self, text: str) -> list[str]:
        tokens = self._tokenize(text)
        grams = list(tokens) if self.min_n == 1 else []
        for n in range(max(self.min_n, 2), min(self.max_n, len(tokens)) + 1):
            grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
        return grams

    def _char_wb_ngrams(self, text: str) -> list[str]:
        grams = []
        for word in _WHITE_SPACES.sub(" ", text).split():
            padded = f" {word} "
            for n in range(self.min_n, self.max_n + 1):
                if n >= len(padded):  # a word shorter than n counts once, whole
                    grams.append(padded)
                    break
                grams.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
        return grams

    def analyze(self, text: str | bytes) -> list[str]:
        """The n-grams of ``text``, vocabulary or not, in the order they occur."""
        return self._ngrams(self._decode(text))

    # -- rows -----------------------------------------------------------------------------
    def transform(self, texts: Iterable[str | bytes]) -> sparse.csr_matrix:
        """One L2-normalised TF-IDF row per text, columns in term order."""
        if isinstance(texts, (str, bytes)):
            raise ValueError("a sequence of texts is needed, not one string")
        indptr, columns, counts = [0], [], []
        for text in texts:
            row: dict[int, int] = {}
            for gram in self.analyze(text):
                column = self.vocabulary.get(gram)
                if column is not None:
                    row[column] = row.get(column, 0) + 1
            columns.extend(row)
            counts.extend(row.values())
            indptr.append(len(columns))
        matrix = sparse.csr_matrix(
            (np.asarray(counts, dtype=np.float64), np.asarray(columns, dtype=np.int32),
             np.asarray(indptr, dtype=np.int32)), shape=(len(indptr) - 1, len(self.terms)))
        matrix.sort_indices()
        data = matrix.data
        if self.sublinear_tf:
            np.log(data, out=data)
            data += 1.0
        data *= self.idf[matrix.indices]
        if self.norm == "l2":
            _normalize_rows_l2(matrix)
        return matrix

    def same_as(self, other: TfidfPart) -> bool:
        """Whether ``other`` gives every text the same row."""
        return (self.params == other.params and self.terms == other.terms
                and np.array_equal(self.idf, other.idf))


def _normalize_rows_l2(matrix: sparse.csr_matrix) -> None:
    """Divide each row by its L2 norm, in place; the squares are summed one after the
    other, left to right (``np.cumsum``, not the pairwise ``np.sum``), as scikit-learn
    does: the same norms to the last bit. Empty rows stay empty."""
    data, indptr = matrix.data, matrix.indptr
    for start, end in zip(indptr[:-1], indptr[1:]):
        if start == end:
            continue
        row = data[start:end]
        total = float(np.cumsum(row * row)[-1])
        if total != 0.0:
            row /= math.sqrt(total)


class TfidfFeaturizer:
    """Fitted :class:`TfidfPart` s whose rows are set side by side (an unweighted
    ``FeatureUnion``)."""

    def __init__(self, parts: Sequence[tuple[str, TfidfPart]]) -> None:
        if not parts:
            raise ValueError("a featurizer needs at least one vectorizer part")
        self.parts = list(parts)

    @classmethod
    def from_fitted(cls, union: Any) -> TfidfFeaturizer:
        """The featurizer of a fitted scikit-learn ``FeatureUnion`` of ``TfidfVectorizer`` s."""
        if getattr(union, "transformer_weights", None) is not None:
            raise ValueError("a feature union with transformer weights is not implemented for prediction")
        return cls([(name, TfidfPart.from_fitted(part)) for name, part in union.transformer_list])

    @property
    def n_features(self) -> int:
        return sum(len(part.terms) for _, part in self.parts)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        rows = [part.transform(texts) for _, part in self.parts]
        return rows[0] if len(rows) == 1 else sparse.hstack(rows, format="csr")

    def same_as(self, other: TfidfFeaturizer) -> bool:
        """Whether ``other`` turns every text into the same row (its rows can be reused)."""
        return len(self.parts) == len(other.parts) and all(
            name == other_name and part.same_as(other_part)
            for (name, part), (other_name, other_part) in zip(self.parts, other.parts))


class LogisticModel:
    """A fitted logistic regression: ``coef`` (one row per class, or one for two
    classes), ``intercept``, the sorted ``classes``, and its settings for the record.

    >>> model = LogisticModel(np.array(["no", "yes"]), np.array([[2.0]]), np.array([0.0]), {})
    >>> model.predict_proba(np.array([[0.0]])).tolist()
    [[0.5, 0.5]]
    """

    def __init__(self, classes: np.ndarray, coef: np.ndarray, intercept: np.ndarray,
                 params: Mapping[str, Any]) -> None:
        self.classes, self.coef, self.intercept = np.asarray(classes), np.asarray(coef), np.asarray(intercept)
        self.params = dict(params)
        rows = 1 if len(self.classes) == 2 else len(self.classes)
        if len(self.classes) < 2 or self.coef.ndim != 2 or self.coef.shape[0] != rows \
                or self.intercept.shape != (rows,):
            raise ValueError(f"coefficients of shape {self.coef.shape} and intercepts of shape "
                             f"{self.intercept.shape} for {len(self.classes)} classes")
        if len(self.classes) > 2 and self.params.get("solver") == "liblinear":
            raise ValueError("a one-vs-rest (liblinear) regression over more than two classes is "
                             "not implemented for prediction")

    @classmethod
    def from_fitted(cls, classifier: Any) -> LogisticModel:
        """The model of a fitted scikit-learn ``LogisticRegression``."""
        params = classifier.get_params()
        return cls(classifier.classes_, classifier.coef_, classifier.intercept_,
                   {key: params[key] for key in REGRESSION_PARAMS})

    def predict_proba(self, x: Any) -> np.ndarray:
        """One row of class probabilities (columns in ``classes`` order) per row of ``x``
        (sparse or dense): the softmax of the scores, or for two classes the logistic of
        the one score, ``[1 - p, p]``."""
        if x.ndim != 2 or x.shape[1] != self.coef.shape[1]:
            raise ValueError(f"rows of {x.shape[-1]} features for a model of {self.coef.shape[1]}")
        scores = x @ self.coef.T
        if sparse.issparse(scores):
            scores = scores.toarray()
        scores = scores + self.intercept
        if len(self.classes) == 2:
            from scipy.special import expit  # only two-class models need it

            p = expit(scores.reshape(-1))
            return np.stack([1 - p, p], axis=1)
        scores -= scores.max(axis=1).reshape(-1, 1)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1).reshape(-1, 1)
        return scores
