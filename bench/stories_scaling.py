"""How the stories stage grows with the corpus: 300, 3,000 and 30,000 articles.

The articles are prepared once, so what is timed is the linking step alone. They come from
the pipeline (cached as JSON Lines with ``--cache``), from a store already filled by
``eventwire ingest`` (``--from-store``), or from extraction only (``--extract-only``: no actors
or events, so merging does nothing; reprints and clustering are timed on the real texts).
Two settings:

- records: reprints, clustering and merging over Article records in memory;
- store: ``link_article`` after ``Store.save`` into a fresh SQLite file, as ingestion runs it,
  split into its three steps.

Sizes beyond the 3,000 articles of the AllSides sample come from a synthetic corpus
(``synthetic``): copy k of the sample is moved 12·k years later and its letters are shifted k
places in the alphabet (text, title, evidence and quotes), so that copies are neither reprints
nor story-mates of each other: each copy is twelve more years of news of the same shape (its
shifted words are not stop words any more, so a copy joins a few more articles into stories
than the sample does).

Prints seconds per 1,000 articles at each size; flat figures mean linear growth.

    .venv/bin/python bench/stories_scaling.py [--sizes 300,3000,30000] [--cache /tmp/corpus_records.jsonl]
    .venv/bin/python bench/stories_scaling.py --from-store /tmp/corpus.db
    .venv/bin/python bench/stories_scaling.py --extract-only
"""

from __future__ import annotations

import argparse
import calendar
import copy
import json
import re
import tempfile
import time
from itertools import islice
from pathlib import Path

from eventwire import extract, ingest, pipeline
from eventwire.errors import EventwireError
from eventwire.records import Article, RawDocument, content_hash
from eventwire.settings import Settings
from eventwire.store import Store
from eventwire.stories import cluster_articles, find_reprints, link_article, linking, merge_events


def read_corpus(path: Path, limit: int) -> list[RawDocument]:
    """The first ``limit`` documents of the corpus, read as ``eventwire ingest`` reads them."""
    return [d for d in islice(ingest.read_paths([str(path)], Settings()), limit)
            if isinstance(d, RawDocument)]


YEARS_A_COPY = 12  # longer than the sample's span (2012-2020), a multiple of 4
_LOWER, _UPPER = "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def synthetic(articles: list[Article], size: int) -> list[Article]:
    """``size`` articles: the sample, then its copies, copy k re-dated and re-spelled (above)."""
    out = list(articles[:size])
    k = 0
    while len(out) < size:
        k += 1
        shift = str.maketrans(_LOWER + _UPPER, _LOWER[k:] + _LOWER[:k] + _UPPER[k:] + _UPPER[:k])
        out += [_copy(a, k, shift) for a in articles[:size - len(out)]]
    return out


def _later(value: str | None, years: int) -> str | None:
    """An ISO date (or year, or month) ``years`` later; 29 February becomes the 28th where needed."""
    if not value or not re.match(r"\d{4}", value):
        return value
    year = int(value[:4]) + years
    rest = value[4:]
    if rest.startswith("-02-29") and not calendar.isleap(year):
        rest = "-02-28" + rest[6:]
    return f"{year:04d}{rest}"


def _copy(article: Article, k: int, shift: dict) -> Article:
    new = copy.deepcopy(article)
    new.text = article.text.translate(shift)
    new.id = content_hash(new.text)
    new.title = article.title.translate(shift) if article.title else article.title
    new.published = _later(article.published, YEARS_A_COPY * k)
    new.url = f"{article.url}#copy{k}" if article.url else None
    for event in new.events:
        event.id = new.id + event.id[len(article.id):]
        event.date = _later(event.date, YEARS_A_COPY * k)
        event.evidence.sentence = event.evidence.sentence.translate(shift)
    for quote in new.quotes:
        quote.id = new.id + quote.id[len(article.id):]
        quote.text = quote.text.translate(shift)
    return new


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
    parser.add_argument("--sizes", default="300,3000,30000",
                        help="Sizes beyond the articles read are made by synthetic().")
    parser.add_argument("--read", type=int, default=3000, help="Articles read from the corpus.")
    parser.add_argument("--slices", type=int, default=10,
                        help="Also time the largest size by this many slices, as the store grows.")
    parser.add_argument("--memory-sizes", help="Sizes for the records-in-memory part (default: --sizes).")
    parser.add_argument("--cache", type=Path, help="JSON Lines of processed records, reused if present.")
    parser.add_argument("--from-store", metavar="DB", help="Take processed articles from this store.")
    parser.add_argument("--extract-only", action="store_true", help="Extraction only, no NLP.")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    limit = min(args.read, max(sizes))
    if args.from_store:
        articles = from_store(args.from_store, limit)
    elif args.extract_only:
        articles = extracted(args.corpus, limit, settings)
    else:
        articles = processed(args.corpus, limit, args.cache, settings)
    read = len(articles)
    print(f"{read} articles read, {sum(len(a.events) for a in articles)} events, "
          f"{sum(1 for a in articles if a.published)} dated")
    articles = synthetic(articles, max(sizes))
    print(f"{len(articles)} articles in all ({len(articles) - read} synthetic)")

    def stream(n: int) -> list[Article]:
        """The first n articles of the (random) sample, in date order as a news stream arrives."""
        return sorted(articles[:n], key=lambda a: (a.published or "9999", a.id))

    print("\nrecords in memory, seconds per 1,000 articles")
    print("| articles | reprints | clustering | merging | reprints found | stories | canonical events |")
    print("|---|---|---|---|---|---|---|")
    for n in [int(s) for s in args.memory_sizes.split(",")] if args.memory_sizes else sizes:
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

    print("\nSQLite store, link_article after save, seconds per 1,000 articles"
          + (f" (the largest size also by slices of {max(sizes) // args.slices:,} articles, each "
             "timed as the store holds the ones before it)" if args.slices > 1 else ""))
    print("| articles | save | link: reprints | link: stories | link: events | link total |")
    print("|---|---|---|---|---|---|")
    for n in sizes:
        subset = stream(n)
        slices = args.slices if n == max(sizes) else 1
        with tempfile.TemporaryDirectory() as tmp, Store(str(Path(tmp) / "scaling.db")) as store:
            totals = {"save": 0.0, "link": 0.0}
            mark, last = 0, {"save": 0.0, "link": 0.0, "reprints": 0.0, "stories": 0.0, "events": 0.0}
            for done, article in enumerate(subset, 1):
                t0 = time.perf_counter()
                store.save(article)
                t1 = time.perf_counter()
                link_article(store, article)
                totals["save"] += t1 - t0
                totals["link"] += time.perf_counter() - t1
                if slices > 1 and (done % (n // slices) == 0 or done == n):
                    now = {**totals, **linking.state_of(store).seconds}
                    k = done - mark
                    print(f"| {mark + 1:,}-{done:,} | {per_thousand(now['save'] - last['save'], k)} "
                          f"| {per_thousand(now['reprints'] - last['reprints'], k)} "
                          f"| {per_thousand(now['stories'] - last['stories'], k)} "
                          f"| {per_thousand(now['events'] - last['events'], k)} "
                          f"| {per_thousand(now['link'] - last['link'], k)} |", flush=True)
                    mark, last = done, now
            steps = linking.state_of(store).seconds
            print(f"| {len(subset):,} | {per_thousand(totals['save'], n)} "
                  f"| {per_thousand(steps['reprints'], n)} | {per_thousand(steps['stories'], n)} "
                  f"| {per_thousand(steps['events'], n)} | {per_thousand(totals['link'], n)} |",
                  flush=True)

if __name__ == "__main__":
    main()
