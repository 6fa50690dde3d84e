"""What the events confidence model costs: the pipeline's time per article with and without it.

    .venv/bin/python bench/events_confidence_cost.py [--limit 300] [--shared ../shared]

Takes the first ``--limit`` articles of corpus/allsides_sample_3000.jsonl.gz, extracts and
parses them once (spaCy), resolves actors, then codes the events of every article twice in
alternating order: without scoring and with the shipped model's scoring. Times are CPU times of
this process (``time.process_time``), so other jobs on the machine do not inflate them. Prints
the per-article cost of each part and the model's share of the whole pipeline; the model file's
load time is printed separately (it is paid once per process).
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from itertools import islice
from pathlib import Path

from eventwire import actors, extract, nlp
from eventwire.events import code_article, confidence
from eventwire.records import ParsedArticle, RawDocument
from eventwire.settings import Settings

CORPUS = Path("corpus") / "allsides_sample_3000.jsonl.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=300)
    args = parser.parse_args()
    settings = Settings()
    path = Path(args.shared or settings.shared_path) / CORPUS
    if not path.exists():
        raise SystemExit(f"{path} not found: pass --shared")
    started = time.perf_counter()
    model = confidence.load()
    if model is None:
        raise SystemExit("no shipped confidence model (eventwire train events)")
    print(f"model load (first call, imports included): {time.perf_counter() - started:.2f} s")

    clock = time.process_time
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        items = [json.loads(line) for line in islice(handle, args.limit)]
    t = clock()
    articles = []
    for n, item in enumerate(items):
        document = RawDocument(origin=f"corpus:{n + 1}", text=item.get("content_original") or "",
                               url=item.get("url"), title=item.get("title"),
                               published=item.get("date") or None, outlet=item.get("source"))
        try:
            articles.append(extract.extract(document, settings))
        except Exception:
            continue
    extract_s = clock() - t
    nlp.load(settings.model)
    t = clock()
    docs = list(nlp.parse((a.text for a in articles), settings.model, settings.batch_size))
    parse_s = clock() - t
    t = clock()
    parsed = [actors.resolve_actors(ParsedArticle(a, d), settings) for a, d in zip(articles, docs)]
    actors_s = clock() - t
    unscored = scored = 0.0
    events = 0
    for round_ in range(2):
        for scoring in ((False, True) if round_ == 0 else (True, False)):
            t = clock()
            for p in parsed:
                coded = code_article(p, settings, scored=scoring)
                events += scoring and round_ == 0 and len(coded)
            spent = clock() - t
            if scoring:
                scored += spent / 2
            else:
                unscored += spent / 2
    n = len(parsed)
    whole_without = extract_s + parse_s + actors_s + unscored
    model_s = scored - unscored
    print(f"{n} articles, {events} events scored; CPU ms per article:")
    for name, value in (("extract", extract_s), ("spaCy parse", parse_s), ("actors", actors_s),
                        ("events without the model", unscored), ("events with the model", scored),
                        ("the model's part", model_s)):
        print(f"  {name:<26}{1000 * value / n:>9.1f}")
    print(f"model cost: {100 * model_s / whole_without:.1f} % of the pipeline's CPU time "
          f"(extract + parse + actors + events, quotes left out, which makes the share larger)")


if __name__ == "__main__":
    main()
