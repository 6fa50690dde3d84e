"""Reliability benchmark: memory of `eventwire serve` under cache flooding.

Starts the real server on 127.0.0.1 over a database of corpus articles and sends, one after
the other: GETs with a made-up cache-busting parameter (pages and API), then GETs of ever new
pages of large answers (``offset`` walks the events). Prints the server's resident memory
(VmRSS from /proc) after each phase, with the response cache bounded (default 64 MiB) and,
for comparison, practically unbounded (``--cache-bytes``).

    .venv/bin/python bench/cache_flood.py --build /tmp/flood.db --articles 300
    .venv/bin/python bench/cache_flood.py --db /tmp/flood.db --cache-bytes 8000000000
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build(db: str, articles: int) -> None:
    """Ingest the first articles of the shared corpus (../shared or EVENTWIRE_SHARED)."""
    shared = Path(os.environ.get("EVENTWIRE_SHARED", REPO.parent / "shared"))
    corpus = shared / "corpus" / "allsides_sample_3000.jsonl.gz"
    if not corpus.exists():
        sys.exit(f"corpus not found at {corpus}: set EVENTWIRE_SHARED")
    part = Path(tempfile.mkdtemp()) / "part.jsonl"
    with gzip.open(corpus, "rt", encoding="utf-8") as source, part.open("w", encoding="utf-8") as out:
        for n, line in enumerate(source):
            if n >= articles:
                break
            out.write(line)
    subprocess.run([sys.executable, "-m", "eventwire.cli", "ingest", str(part), "--db", db],
                   check=False, cwd=REPO)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="an existing database")
    parser.add_argument("--build", help="build this database from the corpus first")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--busting", type=int, default=2100, help="cache-busting GETs per kind")
    parser.add_argument("--pages", type=int, default=3000, help="GETs of distinct large pages")
    parser.add_argument("--cache-bytes", type=int, default=None)
    args = parser.parse_args()
    db = args.build or args.db
    if args.build:
        build(args.build, args.articles)

    port = free_port()
    env = {**os.environ, "EVENTWIRE_TOKEN": "", "EVENTWIRE_WEB_CACHE": "600"}
    if args.cache_bytes:
        env["EVENTWIRE_WEB_CACHE_BYTES"] = str(args.cache_bytes)
    server = subprocess.Popen([sys.executable, "-m", "eventwire.cli", "serve", "--db", db,
                               "--port", str(port)], env=env, cwd=REPO)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(timeout=120) as client:
            deadline = time.monotonic() + 120
            while True:
                try:
                    counts = client.get(f"{base}/api/counts").json()
                    break
                except httpx.HTTPError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        sys.exit("the server did not start")
                    time.sleep(0.3)
            total = client.get(f"{base}/api/events?limit=1").json()["total"]
            print(f"database: {counts['articles']} articles, {total} events; cache bytes "
                  f"{args.cache_bytes or 'default (64 MiB)'}")
            print(f"server at start: {rss_mb(server.pid):.0f} MB")
            client.get(f"{base}/events?limit=200")
            print(f"after one page: {rss_mb(server.pid):.0f} MB")
            statuses: dict[int, int] = {}
            started = time.perf_counter()
            for n in range(args.busting):
                for url in (f"{base}/events?limit=200&cachebust={n}",
                            f"{base}/api/events?limit=500&cachebust={n}"):
                    code = client.get(url).status_code
                    statuses[code] = statuses.get(code, 0) + 1
            print(f"after {2 * args.busting} cache-busting GETs ({json.dumps(statuses)}, "
                  f"{time.perf_counter() - started:.0f} s): {rss_mb(server.pid):.0f} MB")
            started = time.perf_counter()
            peak = 0.0
            for n in range(args.pages):
                offset = n % max(total, 1)
                client.get(f"{base}/api/events?limit=500&offset={offset}")
                if n % 100 == 0:
                    peak = max(peak, rss_mb(server.pid))
            peak = max(peak, rss_mb(server.pid))
            print(f"after {args.pages} GETs of distinct 500-event pages "
                  f"({time.perf_counter() - started:.0f} s): {rss_mb(server.pid):.0f} MB "
                  f"(peak {peak:.0f} MB)")
            assert client.get(f"{base}/api/counts").status_code == 200
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
