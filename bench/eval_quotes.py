"""Quotes: accuracy on PolNeAR attribution relations, and the cost of the quotes stage.

    .venv/bin/python bench/eval_quotes.py [--shared ../shared] [--splits dev,train] [--json out.json]

1. ``eventwire eval quotes`` on each split (dev by default; train is ten times larger), and on
   the two halves of each split (articles in even and odd positions by file name), to show how
   much the figures move between article sets;
2. speed on the first ``--timing`` dev articles: spaCy's own time, then the actors, events and
   quotes stages on the same parses, per article.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from eventwire import actors, events, nlp, quotes
from eventwire.evaluation import quotes as scorer
from eventwire.records import Article, ParsedArticle, Sentence
from eventwire.settings import Settings


def accuracy(split: Path, settings: Settings) -> dict:
    pairs = scorer.pick_annotations(split)
    began = time.perf_counter()
    per_article, notes, timing = scorer.score_articles(pairs, settings)
    report = scorer.make_report(per_article, str(split), notes)
    report.seconds = time.perf_counter() - began
    print(report.render())
    print(f"  time: parse {timing['parse']:.1f} s, analyse {timing['analyse']:.1f} s")
    halves = {}
    for parity in (0, 1):
        half = scorer.make_report(per_article[parity::2], f"{split} half {parity}")
        halves[f"half{parity}"] = half.metrics
        print(f"  half {parity} ({half.items} articles): "
              + ", ".join(f"{k}={v:.3f}" for k, v in half.metrics.items()))
    return {"articles": report.items, "metrics": report.metrics, "halves": halves,
            "seconds": round(report.seconds, 1), "timing": timing, "notes": report.notes[:1]}


def speed(split: Path, settings: Settings, limit: int) -> dict:
    pairs = scorer.pick_annotations(split)[:limit]
    texts = [p.read_text(encoding="utf-8") for p, _ in pairs]
    nlp.load(settings.model)
    began = time.perf_counter()
    docs = list(nlp.parse(texts, settings.model, settings.batch_size))
    parse = time.perf_counter() - began
    stage = {"actors": 0.0, "events": 0.0, "quotes": 0.0}
    found = 0
    for (path, _), text, doc in zip(pairs, texts, docs):
        article = Article(id=path.stem, text=text)
        article.sentences = [Sentence(s.start_char, s.end_char, s.text) for s in doc.sents]
        t0 = time.perf_counter()
        parsed = actors.resolve_actors(ParsedArticle(article, doc), settings)
        t1 = time.perf_counter()
        events.code_events(parsed, settings)
        t2 = time.perf_counter()
        found += len(quotes.find_quotes(parsed, settings))
        t3 = time.perf_counter()
        stage["actors"] += t1 - t0
        stage["events"] += t2 - t1
        stage["quotes"] += t3 - t2
    n = len(pairs)
    chars = sum(map(len, texts))
    figures = {"articles": n, "characters": chars, "quotes_found": found,
               "spacy_ms_per_article": round(1000 * parse / n, 1),
               **{f"{k}_ms_per_article": round(1000 * v / n, 2) for k, v in stage.items()},
               "quotes_share_of_spacy": round(stage["quotes"] / parse, 4)}
    print(f"speed on {n} articles ({chars} characters, {found} quotes): spaCy "
          f"{figures['spacy_ms_per_article']} ms/article; actors {figures['actors_ms_per_article']}, "
          f"events {figures['events_ms_per_article']}, quotes {figures['quotes_ms_per_article']} "
          f"ms/article (quotes = {100 * figures['quotes_share_of_spacy']:.2f}% of spaCy time)")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=os.environ.get("EVENTWIRE_SHARED", "../shared"))
    parser.add_argument("--splits", default="dev", help="comma-separated: dev,train")
    parser.add_argument("--timing", type=int, default=84, help="dev articles to time (0: skip)")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()
    settings = Settings()
    data = Path(args.shared) / "bench" / "quotes"
    results: dict = {}
    for split in args.splits.split(","):
        results[split] = accuracy(data / split, settings)
    if args.timing:
        results["speed"] = speed(data / "dev", settings, args.timing)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
