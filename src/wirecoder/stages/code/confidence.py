"""What an event's ``confidence`` means: the probability that its type is right, learnt
from out-of-fold predictions on the project's own training sentences (a
Platt scaling of "was the top label correct?" on the classifier's top probability).

:func:`reliability` gives the check that the mapping holds on held-out examples: within
each confidence bin, the share of correct predictions should be close to the mean
confidence (the expected calibration error sums the gaps)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(slots=True)
class Calibrator:
    """A monotone map from a raw top probability to the probability of being right,
    stored as interpolation knots (small, and independent of scikit-learn's pickles)."""

    xs: np.ndarray
    ys: np.ndarray

    def __call__(self, raw: np.ndarray) -> np.ndarray:
        if len(self.xs) == 0:
            return np.clip(raw, 0.0, 1.0)
        return np.clip(np.interp(raw, self.xs, self.ys), 0.0, 1.0)


def fit_calibrator(raw: np.ndarray, correct: np.ndarray) -> Calibrator:
    """Platt scaling: a logistic regression of "was the top label correct?" on the logit
    of the raw top probability, tabulated on a fine grid. Unlike an isotonic fit, whose
    flat steps gave many events the very same confidence, it is strictly increasing:
    confidence ranks events, and the regularisation keeps it away from 0 and 1."""
    from sklearn.linear_model import LogisticRegression

    if len(raw) < 10 or correct.all() or not correct.any():
        return Calibrator(np.array([]), np.array([]))
    logit = lambda p: np.log(np.clip(p, 1e-4, 1 - 1e-4) / (1 - np.clip(p, 1e-4, 1 - 1e-4)))  # noqa: E731
    model = LogisticRegression(C=1.0)
    model.fit(logit(raw).reshape(-1, 1), correct.astype(int))
    xs = np.linspace(0.0, 1.0, 201)
    ys = model.predict_proba(logit(xs).reshape(-1, 1))[:, 1]
    if model.coef_[0, 0] <= 0:  # a score that does not predict correctness: say so, flat
        ys = np.full_like(xs, float(correct.mean()))
    return Calibrator(xs, ys)


def reliability(confidence: np.ndarray, correct: np.ndarray, bins: int = 5) -> dict[str, Any]:
    """Bins of predicted confidence with their observed accuracy, and the ECE."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    rows = []
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        mask = (confidence >= lo) & ((confidence < hi) if hi < 1.0 else (confidence <= hi))
        if not mask.any():
            continue
        mean_conf = float(confidence[mask].mean())
        accuracy = float(correct[mask].mean())
        ece += mask.sum() / len(confidence) * abs(mean_conf - accuracy)
        rows.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": int(mask.sum()),
                     "confidence": round(mean_conf, 3), "accuracy": round(accuracy, 3)})
    return {"bins": rows, "ece": round(float(ece), 4), "n": int(len(confidence))}
