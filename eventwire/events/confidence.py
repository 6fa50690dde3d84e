"""Confidence of an event candidate: the probability that it is a real current act of its type
between its actors, from a model learned on labelled real news (docs/annotation.md).

The model is whichever of a logistic regression and a gradient boosting classifier won on the
tuning part of the labelled set, over the features of features.py, then calibrated there (a
monotone table from raw score to the share of real events seen at that score). It ships as
``data/models/event_confidence.pkl`` (a scikit-learn estimator with its feature vocabulary,
written by ``eventwire train events``; load only model files you trust). Without a model file
events keep ``confidence=None``.
"""

from __future__ import annotations

import pickle
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL = Path(__file__).resolve().parent.parent / "data" / "models" / "event_confidence.pkl"
DEFAULT_THRESHOLD = 0.5  # overridden by the threshold stored with the model


@dataclass
class ConfidenceModel:
    """A trained classifier over named and dense features, with its calibration table."""

    vocabulary: dict[str, int]  # named feature -> column
    estimator: object  # scikit-learn classifier with predict_proba
    calibration_x: list[float]  # raw probabilities, increasing
    calibration_y: list[float]  # calibrated probability at each x
    threshold: float  # the default for showing an event
    version: str
    info: dict = field(default_factory=dict)
    dense_input: bool = False  # the estimator wants a dense matrix

    def matrix(self, rows: list[tuple[dict[str, float], np.ndarray]]):
        """The design matrix of candidates: named features by the vocabulary, then the vectors."""
        from scipy.sparse import csr_matrix, hstack
        data, cols, indptr = [], [], [0]
        for named, _dense in rows:
            for name, value in named.items():
                column = self.vocabulary.get(name)
                if column is not None:
                    cols.append(column)
                    data.append(value)
            indptr.append(len(cols))
        named = csr_matrix((data, cols, indptr), shape=(len(rows), len(self.vocabulary)), dtype=np.float32)
        dense = csr_matrix(np.vstack([d for _, d in rows]).astype(np.float32))
        x = hstack([named, dense]).tocsr()
        return x.toarray() if self.dense_input else x

    def raw(self, rows: list[tuple[dict[str, float], np.ndarray]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        with _one_thread():
            return self.estimator.predict_proba(self.matrix(rows))[:, 1]

    def calibrate(self, p: float) -> float:
        """Piecewise-linear interpolation in the calibration table."""
        xs, ys = self.calibration_x, self.calibration_y
        if not xs:
            return float(p)
        if p <= xs[0]:
            return ys[0]
        if p >= xs[-1]:
            return ys[-1]
        i = bisect_right(xs, p)
        x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
        return y0 + (y1 - y0) * (p - x0) / (x1 - x0) if x1 > x0 else y1

    def scores(self, rows: list[tuple[dict[str, float], np.ndarray]]) -> list[float]:
        """Calibrated confidence of each candidate (one call to the estimator for all)."""
        return [round(self.calibrate(float(p)), 4) for p in self.raw(rows)]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            pickle.dump(self, handle, protocol=pickle.HIGHEST_PROTOCOL)


@lru_cache(maxsize=1)
def _threadpools():
    from threadpoolctl import ThreadpoolController
    return ThreadpoolController()


def _one_thread():
    """One OpenMP thread while scoring: an article's candidates are a small batch, and idle
    OpenMP threads spin on the cores that other articles' workers need."""
    return _threadpools().limit(limits=1, user_api="openmp")


@lru_cache(maxsize=4)
def load(path: Path = MODEL) -> ConfidenceModel | None:
    """The shipped model, or None when there is none (events then carry no confidence)."""
    if not Path(path).exists():
        return None
    with open(path, "rb") as handle:
        return pickle.load(handle)


def threshold() -> float:
    """The default confidence at or above which events are shown."""
    model = load()
    return model.threshold if model is not None else DEFAULT_THRESHOLD
