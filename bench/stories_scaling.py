"""How the stories stage grows with the corpus: 300 vs 3,000 articles of the AllSides sample.

The articles are prepared once, so what is timed is the linking step alone. They come from
the pipeline (cached as JSON Lines with ``--cache``), from a store already filled by
``eventwire ingest`` (``--from-store``), or from extraction only (``--extract-only``: no actors
or events, so merging does nothing; reprints and clustering are timed on the real texts).
Two settings:

- records: reprints, clustering and merging over Article records in memory;
- store: ``link_article`` after ``Store.save`` into a fresh SQLite file, as ingestion runs it,
  split into its three steps.

Prints seconds per 1,000 articles at each size; flat figures mean linear growth.

    .venv/bin/python bench/stories_scaling.py [--sizes 300,3000] [--cache /tmp/corpus_records.jsonl]
    .venv/bin/python bench/stories_scaling.py --from-store /tmp/corpus.db
    .venv/bin/python bench/stories_scaling.py --extract-only
"""

from __future__ import annotations

import argparse
import gzip
import json
import tempfile
import time
from pathlib import Path

from eventwire import extract, pipeline
from eventwire.errors import EventwireError
from eventwire.records import Article, RawDocument
from eventwire.settings import Settings
from eventwire.store import Store
from eventwire.stories import cluster_articles, find_reprints, link_article, linking, merge_events


def read_corpus(path: Path, limit: int) -> list[RawDocument]:
    raws = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if len(raws) >= limit:
                break
            item = json.loads(line)
            date = item.get("date") or None
            raws.append(RawDocument(origin=f"{path}:{number}", text=item.get("content_original") or "",
                                    title=item.get("title"), url=item.get("url"),
                                    published=date if date and len(date) == 10 else None,
                                    outlet=item.get("source"), source_path=f"{path}:{number}"))
    return raws


def processed(corpus: Path, limit: int, cache: Path | None, settings: Settings) -> list[Article]:
    if cache and cache.exists():
        articles = [Article.from_dict(json.loads(line)) for line in cache.open(encoding="utf-8")]
        if len(articles) >= limit:
            return articles[:limit]
    started = time.perf_counter()
    articles = [a for a in pipeline.process_documents(read_corpus(corpus, limit), settings)
                if isinstance(a, Article)]
    print(f"pipeline: {len(articles)} articles in {time.perf_counter() - started:.0f} s")
    if cache:
        with cache.open("w", encoding="utf-8") as f:
            for a in articles:
                f.write(json.dumps(a.to_dict(), ensure_ascii=False) + "\n")
    return articles


def extracted(corpus: Path, limit: int, settings: Settings) -> list[Article]:
    out = []
    for raw in read_corpus(corpus, limit):
        try:
            out.append(extract.extract(raw, settings))
        except EventwireError:
            continue
    return out


def from_store(url: str, limit: int) -> list[Article]:
    """Processed articles of an existing store, in ingestion order, without their links."""
    with Store(url) as store:
        ids = [row["id"] for row in sorted(store.articles(limit=None), key=lambda r: r["ingested_at"] or "")]
        articles = [store.get_article(i) for i in ids[:limit]]
    for a in articles:
        a.reprint = False
    return articles


def per_thousand(seconds: float, n: int) -> str:
    return f"{1000 * seconds / n:.2f}"


def main() -> None:
    settings = Settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path,
                        default=settings.shared_path / "corpus" / "allsides_sample_3000.jsonl.gz")
    parser.add_argument("--sizes", default="300,3000")
    parser.add_argument("--cache", type=Path, help="JSON Lines of processed records, reused if present.")
    parser.add_argument("--from-store", metavar="DB", help="Take processed articles from this store.")
    parser.add_argument("--extract-only", action="store_true", help="Extraction only, no NLP.")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.from_store:
        articles = from_store(args.from_store, max(sizes))
    elif args.extract_only:
        articles = extracted(args.corpus, max(sizes), settings)
    else:
        articles = processed(args.corpus, max(sizes), args.cache, settings)
    sizes = [min(n, len(articles)) for n in sizes]
    print(f"{len(articles)} articles, {sum(len(a.events) for a in articles)} events")

    def stream(n: int) -> list[Article]:
        """The first n articles of the (random) sample, in date order as a news stream arrives."""
        return sorted(articles[:n], key=lambda a: (a.published or "9999", a.id))

    print("\nrecords in memory, seconds per 1,000 articles")
    print("| articles | reprints | clustering | merging | reprints found | stories | canonical events |")
    print("|---|---|---|---|---|---|---|")
    for n in sizes:
        subset = stream(n)
        t0 = time.perf_counter()
        found = find_reprints(subset)
        t1 = time.perf_counter()
        stories = cluster_articles(subset)
        t2 = time.perf_counter()
        canonical = merge_events(subset, found)
        t3 = time.perf_counter()
        print(f"| {len(subset)} | {per_thousand(t1 - t0, len(subset))} | {per_thousand(t2 - t1, len(subset))} "
              f"| {per_thousand(t3 - t2, len(subset))} | {len(found)} | {len(set(stories.values()))} "
              f"| {len(canonical)} |")

    print("\nSQLite store, link_article after save, seconds per 1,000 articles")
    print("| articles | save | link: reprints | link: stories | link: events | link total |")
    print("|---|---|---|---|---|---|")
    for n in sizes:
        subset = stream(n)
        with tempfile.TemporaryDirectory() as tmp, Store(str(Path(tmp) / "scaling.db")) as store:
            save_seconds = link_seconds = 0.0
            for article in subset:
                t0 = time.perf_counter()
                store.save(article)
                t1 = time.perf_counter()
                link_article(store, article)
                save_seconds += t1 - t0
                link_seconds += time.perf_counter() - t1
            steps = linking.state_of(store).seconds
            print(f"| {len(subset)} | {per_thousand(save_seconds, n)} "
                  f"| {per_thousand(steps['reprints'], n)} | {per_thousand(steps['stories'], n)} "
                  f"| {per_thousand(steps['events'], n)} | {per_thousand(link_seconds, n)} |")


if __name__ == "__main__":
    main()
