"""Confidence of an event candidate: the probability that it is a real current act of its type
between its actors, from a model learned on labelled real news (docs/annotation.md).

The model is a logistic regression over the features of features.py, stored as one weight per
named feature plus the weights of the dense vector part, then calibrated (a monotone table from
raw score to the share of real events seen at that score on the tuning part). It ships as
``data/models/event_confidence.json`` with the version of its training data; ``eventwire train
events`` rebuilds it. Without a model file events keep ``confidence=None``.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL = Path(__file__).resolve().parent.parent / "data" / "models" / "event_confidence.json"
DEFAULT_THRESHOLD = 0.5  # overridden by the threshold stored with the model


@dataclass
class ConfidenceModel:
    """A calibrated logistic regression over named and dense features."""

    weights: dict[str, float]
    dense: np.ndarray
    intercept: float
    calibration_x: list[float]  # raw probabilities, increasing
    calibration_y: list[float]  # calibrated probability at each x
    threshold: float  # the default for showing an event
    version: str
    info: dict

    def raw(self, named: dict[str, float], dense: np.ndarray) -> float:
        z = self.intercept + sum(self.weights.get(name, 0.0) * value for name, value in named.items())
        if self.dense.size and dense.size == self.dense.size:
            z += float(self.dense @ dense)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def calibrate(self, p: float) -> float:
        """Piecewise-linear interpolation in the calibration table."""
        xs, ys = self.calibration_x, self.calibration_y
        if not xs:
            return p
        if p <= xs[0]:
            return ys[0]
        if p >= xs[-1]:
            return ys[-1]
        i = bisect_right(xs, p)
        x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
        return y0 + (y1 - y0) * (p - x0) / (x1 - x0) if x1 > x0 else y1

    def score(self, named: dict[str, float], dense: np.ndarray) -> float:
        return round(self.calibrate(self.raw(named, dense)), 4)

    def to_json(self) -> str:
        return json.dumps({
            "version": self.version, "threshold": self.threshold, "intercept": self.intercept,
            "weights": self.weights, "dense": [round(float(x), 6) for x in self.dense],
            "calibration": {"x": self.calibration_x, "y": self.calibration_y}, "info": self.info,
        }, indent=0, sort_keys=True)


def from_json(text: str) -> ConfidenceModel:
    data = json.loads(text)
    return ConfidenceModel(
        weights={k: float(v) for k, v in data["weights"].items()},
        dense=np.asarray(data.get("dense") or [], dtype=np.float32),
        intercept=float(data["intercept"]),
        calibration_x=[float(x) for x in data["calibration"]["x"]],
        calibration_y=[float(y) for y in data["calibration"]["y"]],
        threshold=float(data.get("threshold", DEFAULT_THRESHOLD)),
        version=str(data.get("version", "")), info=data.get("info") or {})


@lru_cache(maxsize=4)
def load(path: Path = MODEL) -> ConfidenceModel | None:
    """The shipped model, or None when there is none (events then carry no confidence)."""
    if not Path(path).exists():
        return None
    return from_json(Path(path).read_text(encoding="utf-8"))


def threshold() -> float:
    """The default confidence at or above which events are shown."""
    model = load()
    return model.threshold if model is not None else DEFAULT_THRESHOLD
