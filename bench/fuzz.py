"""Reliability benchmark: hostile inputs through reading, processing and storing (the work of
``eventwire ingest``) and through POST /api/articles.

Each hostile file (tests/hostile_inputs.py, a fixed seed) is written to disk, read with
``ingest.read_file`` and processed by ``pipeline.process_documents`` in batches of 32, with a
good document after every 16th input, then stored. Figures: tracebacks (any exception that
escapes), good documents lost, errors by code, per-document CPU seconds (the time budget's
own accounting: extraction, its share of the batch parse, analysis) and reading time (wall and
CPU seconds of the file: a busy machine stretches the first, not the second), and the
peak memory growth of each batch (an upper bound for each document in it). Every 100th input
is also POSTed to the API (as text and as JSON), which must never answer 500. Cumulative
figures are printed every 1,000 inputs.

``--workers N`` runs N processes of this script, each on every Nth input of the same sequence
(input n goes to process n mod N, with the good document that follows it), each with its own
batches, store and measurements; the parent adds their figures up (maxima stay maxima). What
each input meets is the same as in one process; only the neighbours in a batch differ.

    .venv/bin/python bench/fuzz.py --count 10000 --workers 2     # the published run
    .venv/bin/python bench/fuzz.py --count 220 --seed 3          # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
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


@dataclass
class Tally:
    """The figures of one process, or of several added up."""

    inputs: int = 0
    tracebacks: int = 0
    first_tracebacks: list[str] = field(default_factory=list)
    good_sent: int = 0
    good_back: int = 0
    codes: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)
    cpu_by_kind: dict[str, float] = field(default_factory=dict)
    read_by_kind: dict[str, float] = field(default_factory=dict)
    read_cpu_by_kind: dict[str, float] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    stored: int = 0
    max_batch_growth: int = 0
    max_rss: int = 0
    cpu_seconds: float = 0.0  # the process's own CPU time (user + system)

    def add(self, other: "Tally") -> None:
        """Add another process's figures to these."""
        for name in ("inputs", "tracebacks", "good_sent", "good_back", "stored", "cpu_seconds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.first_tracebacks = (self.first_tracebacks + other.first_tracebacks)[:5]
        for name in ("codes", "statuses"):
            total = Counter(getattr(self, name))
            total.update(getattr(other, name))
            setattr(self, name, dict(total))
        for kind, outcomes in other.by_kind.items():
            total = Counter(self.by_kind.get(kind, {}))
            total.update(outcomes)
            self.by_kind[kind] = dict(total)
        for name in ("cpu_by_kind", "read_by_kind", "read_cpu_by_kind"):
            mine = getattr(self, name)
            for kind, value in getattr(other, name).items():
                mine[kind] = max(mine.get(kind, 0.0), value)
        self.max_batch_growth = max(self.max_batch_growth, other.max_batch_growth)
        self.max_rss = max(self.max_rss, other.max_rss)

    def report(self, count: int, seed: int, elapsed: float, processes: int) -> None:
        print(f"\nhostile inputs: {self.inputs} of {count} (seed {seed}), {len(KINDS)} kinds, "
              f"in {elapsed:.0f} s wall, {self.cpu_seconds:.0f} CPU s in {processes} process"
              f"{'es' * (processes > 1)}")
        print(f"tracebacks: {self.tracebacks}")
        print(f"good documents: {self.good_sent} sent among them, {self.good_back} came out "
              f"unchanged, {self.good_sent - self.good_back} lost")
        print(f"errors by code: {dict(sorted(self.codes.items()))}")
        print(f"stored articles: {self.stored}")
        statuses = {int(k): v for k, v in self.statuses.items()}
        print(f"POST /api/articles answers: {dict(sorted(statuses.items()))} "
              f"(5xx: {sum(v for k, v in statuses.items() if k >= 500)})")
        print(f"peak memory growth of a batch: {self.max_batch_growth / 2**20:.0f} MB; "
              f"process peak {self.max_rss / 2**20:.0f} MB")
        print("\nkind                     max CPU s/doc   max read s   max read CPU s   outcomes")
        for kind in KINDS:
            outcomes = ", ".join(f"{k} {v}" for k, v in sorted(self.by_kind.get(kind, {}).items()))
            print(f"{kind:<24} {self.cpu_by_kind.get(kind, 0.0):>13.2f} "
                  f"{self.read_by_kind.get(kind, 0.0):>12.2f} "
                  f"{self.read_cpu_by_kind.get(kind, 0.0):>16.2f}   {outcomes}")
        for text in self.first_tracebacks:
            print("\n" + text)
        sys.stdout.flush()


def peak_rss_reset() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def rss(field_name: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1]) * 1024
    return 0


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(args, shard: int, shards: int, snapshot) -> Tally:
    """Inputs n with n % shards == shard, through reading, processing, storing and the API;
    ``snapshot(n_done, tally)`` after every ``args.report_every`` inputs of the sequence."""
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

    tally = Tally()
    codes: Counter[str] = Counter()
    by_kind: dict[str, Counter] = defaultdict(Counter)
    statuses: Counter[int] = Counter()
    queue: list[tuple[str, RawDocument | ProcessingError]] = []

    def failed() -> None:
        tally.tracebacks += 1
        if len(tally.first_tracebacks) < 5:
            tally.first_tracebacks.append(traceback.format_exc())

    def flush() -> None:
        while queue:
            batch = queue[:settings.batch_size]
            del queue[:settings.batch_size]
            run_batch(batch)

    def run_batch(batch) -> None:
        """One call of process_documents = one batch: its first budgets are the documents'."""
        RecordedBudget.made.clear()
        peak_rss_reset()
        base = rss("VmRSS")
        try:
            results = list(pipeline.process_documents([doc for _, doc in batch], settings))
        except Exception:
            failed()
            return
        tally.max_batch_growth = max(tally.max_batch_growth, rss("VmHWM") - base)
        tally.max_rss = max(tally.max_rss, rss("VmHWM"))
        budgets = RecordedBudget.made[:len(batch)]
        for (kind, doc), result, budget in zip(batch, results, budgets):
            if kind == "good":
                tally.good_back += isinstance(result, Article) and result.text == doc.text.strip()
                continue
            tally.cpu_by_kind[kind] = max(tally.cpu_by_kind.get(kind, 0.0), budget.used)
            if isinstance(result, ProcessingError):
                codes[result.code] += result.count
                by_kind[kind][result.code] += result.count
            else:
                by_kind[kind]["article"] += 1
                try:
                    store.save(result)
                except Exception:
                    failed()

    def settle() -> Tally:
        flush()
        tally.codes = dict(codes)
        tally.by_kind = {kind: dict(outcomes) for kind, outcomes in by_kind.items()}
        tally.statuses = {str(k): v for k, v in statuses.items()}
        tally.stored = store.counts()["articles"]
        tally.cpu_seconds = own_cpu()
        return tally

    for n, (kind, name, content) in enumerate(hostile_inputs(args.seed, args.count, huge=args.huge)):
        if n % shards == shard:
            tally.inputs += 1
            raw_path = os.path.join(os.fsencode(work), b"%06d-" % n + name)
            path = Path(os.fsdecode(raw_path))
            with open(raw_path, "wb") as stream:
                stream.write(content)
            read_started, read_cpu = time.perf_counter(), time.thread_time()
            try:
                docs = list(ingest.read_file(path, settings))
            except Exception:
                failed()
                docs = []
            tally.read_by_kind[kind] = max(tally.read_by_kind.get(kind, 0.0),
                                           time.perf_counter() - read_started)
            tally.read_cpu_by_kind[kind] = max(tally.read_cpu_by_kind.get(kind, 0.0),
                                               time.thread_time() - read_cpu)
            queue.extend((kind, doc) for doc in docs)
            if n % args.good_every == 0:
                queue.append(("good", RawDocument(origin=f"good-{n}", text=good_text(n))))
                tally.good_sent += 1
            if len(queue) >= settings.batch_size:
                flush()
            if args.post_every and n % args.post_every == 0:
                for kind_header in ("text/plain", "application/json"):
                    response = client.post("/api/articles", content=content[:6 * 1024 * 1024],
                                           headers={"Content-Type": kind_header})
                    statuses[response.status_code] += 1
            os.remove(raw_path)
        if (n + 1) % args.report_every == 0:
            snapshot(n + 1, settle())
    settle()
    return tally


def run_shards(args) -> None:
    """Start ``args.workers`` processes of this script and print their figures added up each
    time all of them have passed another ``args.report_every`` inputs."""
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="eventwire-fuzz-shards-"))
    processes = []
    for shard in range(args.workers):
        out = folder / f"shard{shard}.jsonl"
        command = [sys.executable, __file__, "--count", str(args.count), "--seed", str(args.seed),
                   "--post-every", str(args.post_every), "--good-every", str(args.good_every),
                   "--huge", str(args.huge), "--report-every", str(args.report_every),
                   "--shard", f"{shard}/{args.workers}", "--snapshots", str(out)]
        log = open(folder / f"shard{shard}.log", "wb")
        processes.append((subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT), out))
    print(f"{args.workers} processes, their logs in {folder}", flush=True)
    reported = 0
    while True:
        done = all(p.poll() is not None for p, _ in processes)
        snapshots = [_snapshots(out) for _, out in processes]
        common = set.intersection(*(set(s) for s in snapshots))
        for mark in sorted(m for m in common if m > reported):
            total = Tally()
            for s in snapshots:
                total.add(s[mark])
            total.report(args.count, args.seed, time.perf_counter() - started, args.workers)
            reported = mark
        if done:
            break
        time.sleep(10)
    failed = [p.returncode for p, _ in processes if p.returncode != 0]
    if failed or reported < args.count:
        print(f"a process failed (exit {failed}) or stopped early: see {folder}")
        sys.exit(1)


def _snapshots(path: Path) -> dict[int, Tally]:
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text().split("\n")[:-1]:  # a line still being written waits
        row = json.loads(line)
        mark = row.pop("mark")
        out[mark] = Tally(**row)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--post-every", type=int, default=100)
    parser.add_argument("--good-every", type=int, default=16, help="a good document every N inputs")
    parser.add_argument("--huge", type=float, default=0.0,
                        help="share of long texts far past the time budget (0.03 in the tests)")
    parser.add_argument("--report-every", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1, help="processes, each on every Nth input")
    parser.add_argument("--shard", default="0/1", help=argparse.SUPPRESS)
    parser.add_argument("--snapshots", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.workers > 1:
        run_shards(args)
        return
    shard, shards = (int(x) for x in args.shard.split("/"))
    started = time.perf_counter()

    def snapshot(mark: int, tally: Tally) -> None:
        if args.snapshots:
            with open(args.snapshots, "a") as out:
                out.write(json.dumps({"mark": mark, **asdict(tally)}) + "\n")
        else:
            tally.report(args.count, args.seed, time.perf_counter() - started, 1)

    tally = run(args, shard, shards, snapshot)
    if args.count % args.report_every:
        snapshot(args.count, tally)


if __name__ == "__main__":
    main()
