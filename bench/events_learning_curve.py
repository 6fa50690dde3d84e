"""Learning curve of the events confidence model: its figures on the test part of the labelled
set when it is trained on 25 %, 50 % and 100 % of the training articles.

    .venv/bin/python bench/events_learning_curve.py [--shared ../shared] [--fractions 0.25 0.5 1]

The pipeline runs once over every labelled article (the costly part); each fraction then fits,
compares, calibrates and thresholds a model exactly as ``eventwire train events`` does (same
seed, nothing written), and is scored on the ``test`` part's labelled candidates, which no model
is fitted or tuned on: precision of shown candidates (real and of the right type), recall of the
right-type real candidates, and the calibration error over ten bins. Whole-article acts that no
candidate caught are left out here (``eventwire eval events-audit`` counts them).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from eventwire.events import training
from eventwire.settings import Settings


def test_figures(model, test: list[training.Example]) -> dict[str, float]:
    scores = np.array(model.scores([(e.named, e.dense) for e in test]))
    right = np.array([e.type_right for e in test])
    shown = scores >= model.threshold
    bins = np.minimum((scores * 10).astype(int), 9)
    error = sum((bins == b).sum() / len(scores) * abs(scores[bins == b].mean() - right[bins == b].mean())
                for b in range(10) if (bins == b).any())
    return {"shown": int(shown.sum()),
            "precision": float(right[shown].mean()) if shown.any() else 0.0,
            "recall": float(right[shown].sum() / max(1, right.sum())),
            "calibration_error": float(error)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", default=None, help="folder holding corpus/ (default ../shared)")
    parser.add_argument("--labels", default=str(training.LABELS))
    parser.add_argument("--fractions", type=float, nargs="+", default=[0.25, 0.5, 1.0])
    args = parser.parse_args()
    settings = Settings()
    started = time.perf_counter()
    labels = training.load_labels(Path(args.labels))
    data = training.examples(labels, Path(args.shared or settings.shared_path), settings)
    test = [e for e in data if e.split == "test"]
    print(f"{len(data)} labelled candidates ({len(test)} in the test part); pipeline "
          f"{time.perf_counter() - started:.0f} s; test: {sum(e.type_right for e in test)} real of the right type")
    print("| training labels | training candidates | model kept | threshold | test shown | test precision "
          "| test recall | calibration error |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for fraction in args.fractions:
        model = training.train(Path(args.labels), out=None, settings=settings, fraction=fraction,
                               log=lambda *_: None, data=data)["model"]
        f = test_figures(model, test)
        print(f"| {fraction:.0%} | {model.info['train_examples']} | {model.info['model']} | {model.threshold:.3f} "
              f"| {f['shown']} | {f['precision']:.3f} | {f['recall']:.3f} | {f['calibration_error']:.3f} |",
              flush=True)


if __name__ == "__main__":
    main()
