"""Reliability benchmark: hostile inputs through reading, processing and storing (the work of
``eventwire ingest``) and through POST /api/articles.

Each hostile file (tests/hostile_inputs.py, a fixed seed) is written to disk, read with
``ingest.read_file`` and processed by ``pipeline.process_documents`` in batches of 32, with a
good document after every 16th input, then stored. Figures: tracebacks (any exception that
escapes), good documents lost, errors by code, per-document CPU seconds (the time budget's
own accounting: extraction, its share of the batch parse, analysis) and reading time, and the
peak memory growth of each batch (an upper bound for each document in it). Every 100th input
is also POSTed to the API (as text and as JSON), which must never answer 500. Cumulative
figures are printed every 1,000 inputs.

    .venv/bin/python bench/fuzz.py --count 10000            # the published run
    .venv/bin/python bench/fuzz.py --count 220 --seed 3     # a quick look
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from hostile_inputs import KINDS, good_text, hostile_inputs  # noqa: E402

from eventwire import ingest, limits, pipeline  # noqa: E402
from eventwire.records import Article, ProcessingError, RawDocument  # noqa: E402
from eventwire.settings import Settings  # noqa: E402
from eventwire.store import Store  # noqa: E402



class RecordedBudget(limits.Budget):
    """The pipeline's budget, remembered so the benchmark can read what each document used."""

    made: list["RecordedBudget"] = []

    def __init__(self, seconds: float):
        super().__init__(seconds)
        RecordedBudget.made.append(self)


def peak_rss_reset() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def rss(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--post-every", type=int, default=100)
    parser.add_argument("--good-every", type=int, default=16, help="a good document every N inputs")
    parser.add_argument("--huge", type=float, default=0.0,
                        help="share of long texts far past the time budget (0.03 in the tests)")
    args = parser.parse_args()

    settings = Settings()
    limits.Budget = RecordedBudget  # pipeline.process_documents builds its budgets through limits
    pipeline.process(good_text(0), settings=settings)  # model and knowledge loaded before timing
    work = Path(tempfile.mkdtemp(prefix="eventwire-fuzz-"))
    store = Store(f"sqlite:///{work / 'fuzz.db'}")
    from fastapi.testclient import TestClient
    from eventwire.web import create_app
    client = TestClient(create_app(settings, token="t", store=Store(f"sqlite:///{work / 'post.db'}")),
                        base_url="http://127.0.0.1", raise_server_exceptions=False,
                        headers={"Authorization": "Bearer t"})

    tracebacks: list[str] = []
    codes: Counter[str] = Counter()
    by_kind: dict[str, Counter] = defaultdict(Counter)
    cpu_by_kind: dict[str, float] = defaultdict(float)
    read_by_kind: dict[str, float] = defaultdict(float)
    good_sent = good_back = 0
    statuses: Counter[int] = Counter()
    max_batch_growth = 0
    max_rss = 0
    started = time.perf_counter()

    queue: list[tuple[str, RawDocument | ProcessingError]] = []

    def flush() -> None:
        while queue:
            batch = queue[:settings.batch_size]
            del queue[:settings.batch_size]
            run_batch(batch)

    def run_batch(batch) -> None:
        """One call of process_documents = one batch: its first budgets are the documents'."""
        nonlocal good_back, max_batch_growth, max_rss
        RecordedBudget.made.clear()
        peak_rss_reset()
        base = rss("VmRSS")
        try:
            results = list(pipeline.process_documents([doc for _, doc in batch], settings))
        except Exception:
            tracebacks.append(traceback.format_exc())
            return
        max_batch_growth = max(max_batch_growth, rss("VmHWM") - base)
        max_rss = max(max_rss, rss("VmHWM"))
        budgets = RecordedBudget.made[:len(batch)]
        for (kind, doc), result, budget in zip(batch, results, budgets):
            seconds = budget.used
            if kind == "good":
                good_back += isinstance(result, Article) and result.text == doc.text.strip()
                continue
            cpu_by_kind[kind] = max(cpu_by_kind[kind], seconds)
            if isinstance(result, ProcessingError):
                codes[result.code] += result.count
                by_kind[kind][result.code] += result.count
            else:
                by_kind[kind]["article"] += 1
                try:
                    store.save(result)
                except Exception:
                    tracebacks.append(traceback.format_exc())

    def report() -> None:
        elapsed = time.perf_counter() - started
        print(f"\nhostile inputs: {n + 1} of {args.count} (seed {args.seed}), {len(KINDS)} kinds, "
              f"in {elapsed:.0f} s")
        print(f"tracebacks: {len(tracebacks)}")
        print(f"good documents: {good_sent} sent among them, {good_back} came out unchanged, "
              f"{good_sent - good_back} lost")
        print(f"errors by code: {dict(sorted(codes.items()))}")
        print(f"stored articles: {store.counts()['articles']}")
        print(f"POST /api/articles answers: {dict(sorted(statuses.items()))} "
              f"(5xx: {sum(v for k, v in statuses.items() if k >= 500)})")
        print(f"peak memory growth of a batch: {max_batch_growth / 2**20:.0f} MB; "
              f"process peak {max_rss / 2**20:.0f} MB")
        print("\nkind                     max CPU s/doc   max read s   outcomes")
        for kind in KINDS:
            outcomes = ", ".join(f"{k} {v}" for k, v in sorted(by_kind[kind].items()))
            print(f"{kind:<24} {cpu_by_kind[kind]:>13.2f} {read_by_kind[kind]:>12.2f}   {outcomes}")
        for text in tracebacks[:5]:
            print("\n" + text)
        sys.stdout.flush()

    n = 0
    for n, (kind, name, content) in enumerate(hostile_inputs(args.seed, args.count, huge=args.huge)):
        raw_path = os.path.join(os.fsencode(work), b"%06d-" % n + name)
        path = Path(os.fsdecode(raw_path))
        with open(raw_path, "wb") as stream:
            stream.write(content)
        read_started = time.perf_counter()
        try:
            docs = list(ingest.read_file(path, settings))
        except Exception:
            tracebacks.append(traceback.format_exc())
            docs = []
        read_by_kind[kind] = max(read_by_kind[kind], time.perf_counter() - read_started)
        for doc in docs:
            queue.append((kind, doc))
        if n % args.good_every == 0:
            queue.append(("good", RawDocument(origin=f"good-{n}", text=good_text(n))))
            good_sent += 1
        if len(queue) >= settings.batch_size:
            flush()
        if args.post_every and n % args.post_every == 0:
            for kind_header in ("text/plain", "application/json"):
                response = client.post("/api/articles", content=content[:6 * 1024 * 1024],
                                       headers={"Content-Type": kind_header})
                statuses[response.status_code] += 1
        os.remove(raw_path)
        if (n + 1) % 1000 == 0:
            flush()
            report()
    flush()
    report()


if __name__ == "__main__":
    main()
