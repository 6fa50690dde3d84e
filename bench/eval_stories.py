"""Story clustering on BASIL dev with each text representation: B-cubed P/R/F1 and time.

Runs the pipeline once over the 150 articles, then clusters them online in date order with
every installed representation, with the time window (as eventwire runs) and without it
(text similarity alone, as in a dense news stream where many stories share the same days).

    .venv/bin/python bench/eval_stories.py [--data ../shared/bench/stories/basil_dev] [--only tfidf,spacy]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from eventwire.errors import EventwireError
from eventwire.evaluation.stories import bcubed, processed_basil
from eventwire.settings import Settings
from eventwire.stories import clusters, representations

NO_WINDOW = 100_000  # days: the window never closes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    settings = Settings()
    parser.add_argument("--data", type=Path,
                        default=settings.shared_path / "bench" / "stories" / "basil_dev")
    parser.add_argument("--only", default=",".join(representations.REPRESENTATIONS),
                        help="Comma-separated representations to run.")
    args = parser.parse_args()

    started = time.perf_counter()
    articles, gold, failed = processed_basil(args.data, settings)
    print(f"BASIL dev: {len(articles)} articles, {len(set(gold.values()))} stories, "
          f"{len(failed)} failed; pipeline {time.perf_counter() - started:.1f} s")
    print()
    print("| representation | threshold | window | B3 precision | B3 recall | B3 F1 | stories "
          "| encode ms/article | cluster ms/article |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in args.only.split(","):
        try:
            loaded = time.perf_counter()
            rep = representations.make(name)
            load_seconds = time.perf_counter() - loaded
        except EventwireError as exc:
            print(f"| {name} | - | - | not run: {exc.message} | | | | | |")
            continue
        encode_started = time.perf_counter()
        vectors = rep.encode(articles)
        encode_ms = 1000 * (time.perf_counter() - encode_started) / len(articles)
        for window, label in ((clusters.WINDOW_DAYS, f"{clusters.WINDOW_DAYS} days"), (NO_WINDOW, "none")):
            fresh = representations.make(name) if name == "tfidf" else rep  # tfidf learns IDF online
            clusterer = clusters.StoryClusterer(fresh, window_days=window)
            cluster_started = time.perf_counter()
            predicted = {a.id: clusterer.assign(a, v).story_id for a, v in zip(articles, vectors)}
            cluster_ms = 1000 * (time.perf_counter() - cluster_started) / len(articles)
            score = bcubed(gold, predicted)
            print(f"| {name} | {clusterer.threshold} | {label} | {score['precision']:.4f} "
                  f"| {score['recall']:.4f} | {score['f1']:.4f} | {len(set(predicted.values()))} "
                  f"| {encode_ms:.1f} | {cluster_ms:.2f} |")
        print(f"<!-- {name}: model load {load_seconds:.1f} s -->")


if __name__ == "__main__":
    main()
