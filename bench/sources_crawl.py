"""Crawl benchmark of ``eventwire watch``: pages/s fetched from 20 local hosts under the
politeness limits, and end to end through the pipeline into the store.

Twenty HTTP servers (one per address 127.0.0.1 ... 127.0.0.20, in a separate process, so they
do not share the crawler's interpreter) each serve a robots.txt, an RSS feed of their pages
and the pages (test articles of tests/sources_server.py). The crawler is the real one: a
Watcher over a SQLite store, fetching every feed, queuing the links, fetching the pages and
keeping each body in the store. Politeness stays on: robots.txt, one request per --delay per
host, --per-host in flight per host, --concurrency in all.

    .venv/bin/python bench/sources_crawl.py                     # 2,000 pages at 1 s, 0.1 s and 0 s delay
    .venv/bin/python bench/sources_crawl.py --delays 1 --pages 2000
    .venv/bin/python bench/sources_crawl.py --process 200       # also 200 pages end to end

The crawl-only runs leave each page as a fetched body (the pipeline is measured by
bench/throughput.py); --process N runs N pages through the whole of ``watch``. The smallest
gap between two requests to one host is reported as sent by the crawler and as arrived at
the servers (which also shows the servers' own scheduling delays on a busy machine).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from sources_server import LocalServer, Route, article_html, rss  # noqa: E402


def serve(hosts: int, pages_per_host: int) -> None:
    """Server process: start the hosts, print their ports, serve until stdin closes, then
    print each host's request times (for the politeness check)."""
    servers = []
    for h in range(hosts):
        server = LocalServer(f"127.0.0.{h + 1}")
        server.routes["/robots.txt"] = Route("User-agent: *\nDisallow: /private/\n",
                                             content_type="text/plain")
        items = []
        for n in range(pages_per_host):
            server.routes[f"/news/{n}"] = Route(article_html(h * pages_per_host + n))
            items.append((server.url(f"/news/{n}"), f"Report {n}", None))
        server.routes["/feed.xml"] = Route(rss(items), content_type="application/rss+xml")
        servers.append(server)
    print(json.dumps([[s.host, s.port] for s in servers]), flush=True)
    sys.stdin.read()
    report = {}
    for s in servers:
        pages = sorted(r.at for r in s.log if r.path.startswith("/news/"))
        report[s.host] = {"requests": len(s.log), "times": pages, "max_in_flight": s.max_in_flight}
        s.close()
    print(json.dumps(report), flush=True)


def crawl_only(store, settings, policy):
    """The Watcher with its processing step left out: bodies stay in the store as fetched."""
    from eventwire.sources import Watcher

    class Watching(Watcher):
        def process_pages(self, page_ids, summary):
            pass
    return Watching(store, settings, policy)


def record_sends() -> dict[str, list[float]]:
    """Times at which the crawler wrote each page request's headers, by host (httpcore's
    trace hook, measured on our side of the wire)."""
    from eventwire.sources import fetching

    sends: dict[str, list[float]] = {}
    setup = fetching.Fetcher.__init__

    async def hook(request) -> None:
        if request.url.path.startswith("/news/"):
            host, inner = request.url.host, request.extensions.get("trace")

            async def traced(name: str, info: dict) -> None:
                if name == "http11.send_request_headers.complete":
                    sends.setdefault(host, []).append(time.monotonic())
                if inner:
                    await inner(name, info)
            request.extensions["trace"] = traced

    def instrumented(fetcher, *args, **kwargs) -> None:
        setup(fetcher, *args, **kwargs)
        fetcher.client.event_hooks["request"].append(hook)
    fetching.Fetcher.__init__ = instrumented
    return sends


def smallest_gap(times_by_host) -> float | None:
    gaps = [b - a for times in times_by_host for a, b in zip(sorted(times), sorted(times)[1:])]
    return min(gaps) if gaps else None


def run(delay: float, hosts: int, pages: int, per_host: int, concurrency: int,
        process: bool) -> dict:
    from eventwire import sources
    from eventwire.settings import Settings
    from eventwire.store import Store

    per = pages // hosts
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(hosts), str(per)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    addresses = json.loads(server.stdout.readline())
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{folder}/crawl.db")
        for host, port in addresses:
            sources.add_source(store, f"http://{host}:{port}/feed.xml")
        policy = sources.CrawlPolicy(delay=delay, per_host=per_host, concurrency=concurrency,
                                     allow_private=True)
        settings = Settings()
        watcher = (sources.Watcher(store, settings, policy) if process
                   else crawl_only(store, settings, policy))
        sends = record_sends()
        if process:  # the spaCy pipeline is loaded before the clock starts
            from eventwire import nlp
            nlp.load(settings.model)
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        summary = watcher.run(once=True)
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        counts = sources.status(store)
        stored = store.count_articles()
        store.close()
    server.stdin.close()
    report = json.loads(server.stdout.readline())
    server.wait(30)
    fetched = sum(r["fetched"] + r["done"] for r in counts)
    return {"delay": delay, "hosts": hosts, "pages": fetched, "seconds": elapsed,
            "pages_per_s": fetched / elapsed, "bound": hosts / delay if delay else None,
            "cpu_s": (after.ru_utime + after.ru_stime) - (cpu.ru_utime + cpu.ru_stime),
            "requests": sum(r["requests"] for r in report.values()),
            "sent_gap": smallest_gap(sends.values()),
            "arrival_gap": smallest_gap(r["times"] for r in report.values()),
            "max_in_flight": max(r["max_in_flight"] for r in report.values()),
            "stored": stored, "summary": str(summary)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve", nargs=2, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--delays", default="1,0.1,0", help="per-host delays to run, in seconds")
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--process", type=int, default=0, metavar="N",
                        help="also run N pages through the whole pipeline (delay 0)")
    args = parser.parse_args()
    if args.serve:
        serve(*args.serve)
        return
    runs = [run(float(d), args.hosts, args.pages, args.per_host, args.concurrency, False)
            for d in args.delays.split(",")]
    if args.process:
        runs.append(run(0.0, args.hosts, args.process, args.per_host, args.concurrency, True))
    print(f"{'run':<22} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'bound':>7} {'CPU s':>6} "
          f"{'min gap sent':>12} {'min gap arrived':>15} {'max in flight/host':>18}")
    for r in runs:
        name = (f"end to end, delay {r['delay']:g} s" if r["stored"] else f"crawl, delay {r['delay']:g} s")
        bound = f"{r['bound']:.0f}" if r["bound"] else "-"
        sent, arrived = (f"{r[k]:.3f} s" if r[k] is not None else "-"
                         for k in ("sent_gap", "arrival_gap"))
        print(f"{name:<22} {r['pages']:>6} {r['seconds']:>8.1f} {r['pages_per_s']:>8.1f} {bound:>7} "
              f"{r['cpu_s']:>6.1f} {sent:>12} {arrived:>15} {r['max_in_flight']:>18}")
    for r in runs:
        print(f"  delay {r['delay']:g} s: {r['summary']}; {r['requests']} requests in all")
    print(json.dumps({"median_pages_per_s": statistics.median(r["pages_per_s"] for r in runs)}))


if __name__ == "__main__":
    asyncio.set_event_loop_policy(None)
    main()
