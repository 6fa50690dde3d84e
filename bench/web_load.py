"""Load benchmark of the web API: requests/s and p50/p99 latency of the main read endpoints.

Runs the real server (``eventwire serve``) on 127.0.0.1 over a database of the 3,000-article
corpus, then a bounded asyncio/httpx client: N concurrent clients for a fixed time per endpoint.

    .venv/bin/python bench/web_load.py --db /tmp/ew3000.db            # reuse a built database
    .venv/bin/python bench/web_load.py --build /tmp/ew3000.db         # ingest the corpus first (slow)

Target: p99 under 100 ms for the list and dyad endpoints at 20 concurrent clients.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build(db: str, corpus: Path) -> None:
    """Ingest the corpus through the real pipeline into ``db`` (articles already there are skipped)."""
    print(f"building {db} from {corpus} (several minutes)...", flush=True)
    subprocess.run([str(REPO / ".venv/bin/eventwire"), "ingest", str(corpus), "--db", db], check=False)


def start_server(db: str, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "EVENTWIRE_TOKEN": ""}
    proc = subprocess.Popen([str(REPO / ".venv/bin/eventwire"), "serve", "--db", db, "--host", "127.0.0.1",
                             "--port", str(port), "--workers", str(workers)], env=env)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/counts", timeout=30).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            sys.exit(f"the server exited with status {proc.returncode}")
        time.sleep(0.2)
    proc.terminate()
    sys.exit("the server did not answer within 300 s")


def endpoints(base: str) -> dict[str, list[str]]:
    """The URLs of each endpoint to hit (rotating through pages and values taken from the data)."""
    dyads = httpx.get(f"{base}/api/dyads?limit=10").json()["items"]
    a, b = (dyads[0]["source"], dyads[0]["target"]) if dyads else ("USA", "RUS")
    types = httpx.get(f"{base}/api/events?limit=200").json()["items"]
    common = max({e["type"] for e in types}, key=[e["type"] for e in types].count) if types else "ACCUSE"
    pages = range(0, 500, 50)
    return {
        "events list": [f"/api/events?limit=50&offset={o}" for o in pages],
        "events filtered": [f"/api/events?actor={a}&type={common}&since=2015-01-01&limit=50&offset={o}"
                            for o in range(0, 100, 50)] +
                           [f"/api/events?actor={b}&q=minister&limit=50"],
        "articles list": [f"/api/articles?limit=50&offset={o}" for o in pages],
        "dyad series": [f"/api/dyads/{x}/{y}" for x, y in ((a, b), (b, a))] +
                       [f"/api/dyads/{d['source']}/{d['target']}?by=week" for d in dyads[1:5]],
        "actors": [f"/api/actors?limit=50&offset={o}" for o in range(0, 200, 50)],
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def hammer(base: str, urls: list[str], clients: int, seconds: float,
                 server_pid: int) -> dict[str, float]:
    """``clients`` concurrent loops requesting ``urls`` in turn for ``seconds``; latency figures
    and the server's CPU time per request (which does not depend on how busy the machine is)."""
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        for url in urls:  # warm up each URL once
            await client.get(url)
        stop = time.perf_counter() + seconds

        async def loop(n: int) -> None:
            nonlocal errors
            i = n
            while time.perf_counter() < stop:
                started = time.perf_counter()
                response = await client.get(urls[i % len(urls)])
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    errors += 1
                i += 1

        began, cpu_before = time.perf_counter(), cpu_seconds(server_pid)
        await asyncio.gather(*(loop(n) for n in range(clients)))
        elapsed, cpu = time.perf_counter() - began, cpu_seconds(server_pid) - cpu_before
    latencies.sort()
    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / elapsed,
            "server_cpu_ms": 1000 * cpu / max(1, len(latencies)),
            "p50_ms": 1000 * statistics.median(latencies),
            "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--db", help="an existing database (file or URL)")
    source.add_argument("--build", metavar="DB", help="ingest the corpus into this database first")
    parser.add_argument("--corpus", type=Path, default=Path(os.environ.get("EVENTWIRE_SHARED", REPO.parent / "shared"))
                        / "corpus" / "allsides_sample_3000.jsonl.gz")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0, help="duration per endpoint")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    db = args.db or args.build
    if args.build:
        build(db, args.corpus)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(db, port, args.workers)
    try:
        counts = httpx.get(f"{base}/api/counts").json()
        print(f"database: {counts['articles']} articles, {counts['events']} events, "
              f"{counts['actors']} actors, {counts['quotes']} quotes")
        print(f"{args.clients} concurrent clients, {args.seconds:g} s per endpoint, "
              f"{args.workers} server worker(s)\n")
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
              f"(EVENTWIRE_WEB_CACHE={os.environ.get('EVENTWIRE_WEB_CACHE', '10')})\n")
        print(f"{'endpoint':<18}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
              f"{'server CPU ms/req':>19}")
        results = {}
        for name, urls in endpoints(base).items():
            r = asyncio.run(hammer(base, urls, args.clients, args.seconds, server.pid))
            results[name] = r
            print(f"{name:<18}{r['requests']:>10}{r['rps']:>9.0f}{r['p50_ms']:>9.1f}{r['p99_ms']:>9.1f}"
                  f"{r['errors']:>8}{r['server_cpu_ms']:>19.2f}", flush=True)
        if args.json:
            args.json.write_text(json.dumps({"counts": counts, "clients": args.clients,
                                             "load_average": os.getloadavg()[0],
                                             "seconds": args.seconds, "workers": args.workers,
                                             "results": results}, indent=2))
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
