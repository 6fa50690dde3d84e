"""Events: accuracy on PLOVER gold records and CASE 2021 Task 2, and the cost of the events stage.

    .venv/bin/python bench/eval_events.py [--shared ../shared] [--timing 200] [--json out.json]

1. ``eventwire eval events`` on bench/events/plover_gsr_dev.json, plus the same figures on its
   two halves (records in even and odd positions) to show how much they move;
2. ``eventwire eval events-case`` on bench/events/case2021_task2_test.tsv;
3. speed on the first ``--timing`` articles of corpus/allsides_sample_3000.jsonl.gz: spaCy's
   own time, then the actors and events stages on the same parses.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import time
from pathlib import Path

from eventwire import actors, events, nlp
from eventwire.evaluation import events as plover_eval
from eventwire.evaluation import events_case as case_eval
from eventwire.records import Article, ParsedArticle
from eventwire.settings import Settings


def plover(path: Path, settings: Settings) -> dict:
    report = plover_eval.run(path, settings)
    print(report.render())
    for e in report.errors:
        print(f"  error class {e['class']}: {e['count']}  e.g. "
              + "; ".join(f"{x['id']} ({x['gold']} -> {x['predicted']}, trigger {x['trigger']!r})"
                          for x in e["examples"]))
    gold = plover_eval.load_gold(path)
    predicted = plover_eval.predict([g.text for g in gold], settings)
    halves = {}
    for parity in (0, 1):
        metrics = plover_eval.score(gold[parity::2], predicted[parity::2])[0]
        halves[f"half{parity}"] = metrics
        print(f"  half {parity} ({len(gold[parity::2])} records): "
              + ", ".join(f"{k}={v:.3f}" for k, v in metrics.items()))
    return {"items": report.items, "metrics": report.metrics, "halves": halves,
            "seconds": round(report.seconds, 1), "errors": [(e["class"], e["count"]) for e in report.errors]}


def case(path: Path, settings: Settings) -> dict:
    report = case_eval.run(path, settings)
    print(report.render())
    for e in report.errors:
        if "count" in e:
            print(f"  error class {e['class']}: {e['count']}")
        else:
            print(f"  {e['class']}: " + ", ".join(f"{k} {v:.2f}" for k, v in e["by_type"].items()))
    return {"items": report.items, "metrics": report.metrics, "seconds": round(report.seconds, 1)}


def speed(corpus: Path, settings: Settings, limit: int) -> dict:
    texts = []
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line).get("content_original") or ""
            if text.strip():
                texts.append(text)
            if len(texts) >= limit:
                break
    nlp.load(settings.model)
    began = time.perf_counter()
    docs = list(nlp.parse(texts, settings.model, settings.batch_size))
    parse = time.perf_counter() - began
    stage = {"actors": 0.0, "events": 0.0}
    found = 0
    for n, (text, doc) in enumerate(zip(texts, docs)):
        parsed = ParsedArticle(Article(id=f"a{n}", text=text, published="2020-01-01"), doc)
        t0 = time.perf_counter()
        actors.resolve_actors(parsed, settings)
        t1 = time.perf_counter()
        found += len(events.code_events(parsed, settings))
        stage["actors"] += t1 - t0
        stage["events"] += time.perf_counter() - t1
    out = {"articles": len(texts), "events": found, "spacy_ms_per_article": 1000 * parse / len(texts),
           **{f"{k}_ms_per_article": 1000 * v / len(texts) for k, v in stage.items()},
           "events_share_of_spacy": stage["events"] / parse}
    print(f"speed on {len(texts)} corpus articles: spaCy {out['spacy_ms_per_article']:.1f} ms/article, "
          f"actors {out['actors_ms_per_article']:.1f} ms, events {out['events_ms_per_article']:.1f} ms "
          f"({100 * out['events_share_of_spacy']:.1f}% of spaCy's time), {found} events")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=os.environ.get("EVENTWIRE_SHARED", "../shared"))
    parser.add_argument("--timing", type=int, default=200, help="corpus articles to time (0: skip)")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()
    shared = Path(args.shared)
    settings = Settings()
    figures = {
        "plover_gsr_dev": plover(shared / "bench/events/plover_gsr_dev.json", settings),
        "case2021_task2": case(shared / "bench/events/case2021_task2_test.tsv", settings),
    }
    if args.timing:
        figures["speed"] = speed(shared / "corpus/allsides_sample_3000.jsonl.gz", settings, args.timing)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
