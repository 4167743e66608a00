"""What an event's ``confidence`` means: the probability that its type is right, learnt
from out-of-fold predictions on the project's own training sentences (isotonic
regression of "was the top label correct?" on the classifier's top probability).

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
    """Isotonic fit, smoothed by a prior so that no bin claims 0 or 1 from few examples."""
    from sklearn.isotonic import IsotonicRegression

    if len(raw) < 10:
        return Calibrator(np.array([]), np.array([]))
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
    iso.fit(raw, correct.astype(float))
    xs = np.linspace(0.0, 1.0, 41)
    ys = iso.predict(xs)
    # shrink toward the overall accuracy: a confidence of exactly 1.0 would be a lie
    prior = float(correct.mean())
    ys = 0.9 * ys + 0.1 * prior
    return Calibrator(xs, np.maximum.accumulate(ys))


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
