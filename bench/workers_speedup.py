"""Ingest on 1 and on 2 worker processes over the same corpus articles, and a re-ingest.

    .venv/bin/python bench/workers_speedup.py [--limit 300] [--workers 1,2] [--spark]

Each run is ``eventwire ingest`` of the first N articles of corpus/allsides_sample_3000.jsonl.gz
(cut into a temporary .jsonl) into a fresh SQLite file, in a subprocess of its own; then the
same files once more into the filled store (every article already stored: reading speed).
Reports wall time, CPU time of the run and its workers, articles per second and the speed-up
over one worker, the peak memory per worker and the size of what the run wrote (the SQLite
file; the Parquet folder of a Spark run). ``--spark`` also runs ``eventwire spark run``
with local[1] and local[2] on the same file. The speed-up a second core gives on a machine
shared with other jobs is bounded by what those jobs leave: the load average is printed.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EVENTWIRE = REPO / ".venv" / "bin" / "eventwire"


def cut(corpus: Path, limit: int, out: Path) -> Path:
    with gzip.open(corpus, "rt", encoding="utf-8") as lines, out.open("w", encoding="utf-8") as f:
        f.writelines(islice((line for line in lines if line.strip()), limit))
    return out


def timed(command: list[str]) -> dict:
    """Wall and CPU seconds (the command and every process it started) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    summary = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    peak = re.search(r"peak memory per worker ([\d,]+) MB", summary)
    return {"wall": wall, "cpu": cpu, "load": load, "summary": summary,
            "peak_mb": int(peak.group(1).replace(",", "")) if peak else None}


def megabytes(path: Path) -> float:
    """Size of a file, or of every file under a folder, in MB."""
    files = [path] if path.is_file() else [f for f in path.rglob("*") if f.is_file()]
    return sum(f.stat().st_size for f in files) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--spark", action="store_true")
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("EVENTWIRE_SHARED", "../shared")))
    args = parser.parse_args()
    corpus = args.shared / "corpus" / "allsides_sample_3000.jsonl.gz"
    with tempfile.TemporaryDirectory() as tmp:
        sample = cut(corpus, args.limit, Path(tmp) / "sample.jsonl")
        print(f"{args.limit} articles of {corpus.name}; {os.cpu_count()} cores\n")
        print("| run | wall s | CPU s | articles/s (wall) | speed-up (wall) | load average | "
              "peak MB per worker | output MB |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        base = None
        for n in [int(w) for w in args.workers.split(",")]:
            db = Path(tmp) / f"w{n}.db"
            r = timed([str(EVENTWIRE), "ingest", str(sample), "--db", str(db), "--workers", str(n)])
            base = base or r["wall"]
            print(f"| ingest, {n} worker{'s' if n > 1 else ''} | {r['wall']:.0f} | {r['cpu']:.0f} | "
                  f"{args.limit / r['wall']:.2f} | {base / r['wall']:.2f} | {r['load']:.1f} | "
                  f"{r['peak_mb'] or '-'} | {megabytes(db):.1f} |", flush=True)
            again = timed([str(EVENTWIRE), "ingest", str(sample), "--db", str(db), "--workers", str(n)])
            print(f"| re-ingest (all stored), {n} worker{'s' if n > 1 else ''} | {again['wall']:.1f} | "
                  f"{again['cpu']:.1f} | {args.limit / again['wall']:.1f} | | {again['load']:.1f} | - | |",
                  flush=True)
        if args.spark:
            base = None
            for n in (1, 2):
                out = Path(tmp) / f"spark{n}"
                r = timed([str(EVENTWIRE), "spark", "run", str(sample), str(out), "--master", f"local[{n}]"])
                base = base or r["wall"]
                print(f"| spark run, local[{n}] | {r['wall']:.0f} | {r['cpu']:.0f} | "
                      f"{args.limit / r['wall']:.2f} | {base / r['wall']:.2f} | {r['load']:.1f} | - | "
                      f"{megabytes(out):.1f} |", flush=True)
                shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
