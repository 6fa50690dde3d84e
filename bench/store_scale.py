"""Queries at scale: a store of 1,000,000 synthetic events, and how fast it answers.

    .venv/bin/python bench/store_scale.py --db /tmp/scale.db [--events 1000000] [--api]
    .venv/bin/python bench/store_scale.py --db postgresql+psycopg://user@host/db --api

Builds the store through the normal schema (Article records with events, actors and quotes,
written by ``Store.save_many``; made up, ten events to an article over 2015-2024, countries
drawn with a long tail, a tenth of the events reciprocal), unless it holds enough events
already. Then times, each as the median and worst of several runs:

* the dyad series of the most frequent pair by month (``stories.store_series``) at the
  events shown by default (the confidence model's threshold) and for every candidate, read
  from dyad_happenings, and the exact query over event_pairs for reference;
* the event list filtered by actor, type and a date range: first page, a page further on
  by keyset (``after``), and its count; the same filtered by the actor alone;
* the overview counts (``Store.counts``).

Target: each under 200 ms. ``--api`` also serves the store (response cache off) and reports
p50/p99 at 20 concurrent clients and the server's CPU time per request for the same
endpoints (target p99 < 100 ms). ``--reuse`` never builds: it times a store built before
(migrating it first if its schema is older, and saying how long that took).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eventwire.events import confidence  # noqa: E402
from eventwire.records import (Actor, ActorMention, Article, Event, Evidence, Modality,  # noqa: E402
                               PLOVER_TYPES, Quote)
from eventwire.settings import Settings  # noqa: E402
from eventwire.store import Store  # noqa: E402
from eventwire.store.database import event_cursor  # noqa: E402
from eventwire.stories import store_series  # noqa: E402

COUNTRIES = ["USA", "RUS", "CHN", "UKR", "TUR", "IRN", "ISR", "GBR", "FRA", "DEU", "IND", "PAK",
             "SYR", "IRQ", "SAU", "PRK", "KOR", "JPN", "EGY", "AFG", "VEN", "BRA", "MEX", "CAN",
             "POL", "ITA", "ESP", "NGA", "ETH", "SDN", "LBY", "YEM", "QAT", "ARE", "AZE", "ARM",
             "GEO", "BLR", "KAZ", "SRB", "GRC", "CYP", "LBN", "JOR", "PSE", "AUS", "NZL", "ZAF",
             "KEN", "SOM", "MLI", "NER", "TWN", "PHL", "VNM", "IDN", "MYS", "THA", "MMR", "CUB"]
SECTORS = ["GOV", "MIL", "COP", "JUD", "LEG"]
EVENTS_PER_ARTICLE = 10
OUTLETS = [f"Outlet {i:03d}" for i in range(120)]
START = 16436  # 2015-01-01 as days since 1970-01-01
DAYS = 3653


def _day(offset: int) -> str:
    import datetime as dt
    return (dt.date(1970, 1, 1) + dt.timedelta(days=START + offset)).isoformat()


def synthetic_articles(n_events: int, seed: int = 7):
    """Made-up processed articles, EVENTS_PER_ARTICLE events each, deterministic by seed."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(COUNTRIES))]  # a long tail, as in the news
    people = [Actor(f"PER:person-{c.lower()}-{k}", f"Person {k} of {c}", "person", c, "GOV",
                    "minister") for c in COUNTRIES for k in range(20)]

    def actor() -> Actor:
        country = rng.choices(COUNTRIES, weights)[0]
        roll = rng.random()
        if roll < 0.7:
            return Actor(country, f"Country {country}", "country", country)
        if roll < 0.9:
            sector = rng.choice(SECTORS)
            return Actor(f"{country}-{sector}", f"{sector} ({country})", "institution", country, sector)
        return rng.choice([p for p in people if p.country == country])

    for number in range(n_events // EVENTS_PER_ARTICLE):
        day = rng.randrange(DAYS)
        text = f"Synthetic article {number}. " + "An event happened. " * EVENTS_PER_ARTICLE
        article = Article(id=f"{number:016x}", text=text, outlet=rng.choice(OUTLETS),
                          published=_day(day), title=f"Synthetic article {number}", language="en",
                          source_path=f"synthetic:{number}")
        actors: dict[str, Actor] = {}
        for i in range(EVENTS_PER_ARTICLE):
            source, target = actor(), actor()
            while target.country == source.country:
                target = actor()
            actors.update({source.id: source, target.id: target})
            start = 25 + 19 * i
            event_type = rng.choice(PLOVER_TYPES)
            roll = rng.random()
            event = Event(
                id=f"{article.id}-e{i}", type=event_type, mode=None, contexts=[],
                source=[ActorMention.from_actor(source.name, source, start, start + 2)],
                target=[ActorMention.from_actor(target.name, target, start + 3, start + 5)],
                date=_day(max(0, day - rng.randrange(3))) if rng.random() < 0.6 else None,
                location=None,
                modality=Modality(negated=roll < 0.05, future=0.05 <= roll < 0.12,
                                  hypothetical=0.12 <= roll < 0.15),
                evidence=Evidence("An event happened.", start, start + 18),
                cameo="040", score=round(rng.uniform(-10, 10), 1), trigger="happened")
            event.reciprocal = rng.random() < 0.1
            event.confidence = round(rng.random(), 3)
            article.events.append(event)
        article.actors = list(actors.values())
        article.mentions = [m for e in article.events for m in e.source + e.target]
        speaker = article.events[0].source[0]
        article.quotes = [Quote(id=f"{article.id}-q0", text="We will talk.", kind="direct",
                                speaker=speaker, cue="said", start=0, end=13)]
        yield article


def build(store: Store, n_events: int) -> None:
    have = store.counts()["events"]
    if have >= n_events:
        print(f"store holds {have:,} events already: not rebuilt")
        return
    started = time.perf_counter()
    total = 0
    batch = []
    for article in synthetic_articles(n_events):
        batch.append(article)
        if len(batch) == 5000:
            total += store.save_many(batch, chunk=5000)[0]
            batch = []
            print(f"  {total * EVENTS_PER_ARTICLE:,} events, {time.perf_counter() - started:.0f} s",
                  end="\r", flush=True)
    total += store.save_many(batch, chunk=5000)[0]
    if store.dialect == "postgresql":
        with store.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    else:
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    print(f"built {total:,} articles, {store.counts()['events']:,} events in "
          f"{time.perf_counter() - started:.0f} s")


def timed(call, cpu, runs: int = 7) -> tuple[float, float, float, object]:
    """Median and worst wall time and median CPU time (``cpu()``: seconds used so far by this
    process and the database) in ms over ``runs`` calls, after one warm-up call. The CPU time
    does not grow when other jobs share the cores; the wall time does."""
    result = call()
    times, cpus = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), cpu()
        call()
        times.append(1000 * (time.perf_counter() - started))
        cpus.append(1000 * (cpu() - cpu_started))
    return statistics.median(times), max(times), statistics.median(cpus), result


def server_processes_cpu(url: str):
    """A function giving the CPU seconds used so far by the PostgreSQL server on this machine
    (every process of its cluster, ended ones included: use a cluster that serves nothing
    else), or 0 for SQLite, which runs inside the eventwire processes."""
    if not url.startswith("postgresql"):
        return lambda: 0.0
    from sqlalchemy import create_engine
    engine = create_engine(url)
    with engine.connect() as conn:
        backend = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    engine.dispose()
    postmaster = int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])
    return lambda: tree_cpu_seconds(postmaster, reaped=True)


def cpu_clock(store: Store):
    """A function giving the CPU seconds used so far by this process (SQLite runs in it) and,
    on PostgreSQL, by the server processes of this database (on this machine)."""
    if store.dialect != "postgresql":
        return time.process_time
    with store.engine.connect() as conn:
        database = conn.exec_driver_sql("SELECT current_database()").scalar()

    def backends() -> float:
        with store.engine.connect() as conn:
            pids = [p for (p,) in conn.exec_driver_sql(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", (database,))]
        return sum(tree_cpu_seconds(p) for p in pids)
    return lambda: time.process_time() + backends()


def queries(store: Store) -> dict[str, object]:
    top = store.dyads(limit=1) if store.counts()["events"] <= 200_000 else []
    a, b = (top[0]["source"], top[0]["target"]) if top else ("USA", "RUS")
    shown = confidence.threshold()  # what the API and the CLI show by default
    filters = {"actor": "TUR", "type": "ACCUSE", "since": "2019-01-01", "until": "2020-12-31",
               "min_confidence": shown}
    first = store.events(**filters, limit=50)
    cursor = event_cursor(first[-1]) if first else None
    actor = {"actor": "TUR", "min_confidence": shown}
    deeper = store.events(**actor, limit=50, offset=450)
    actor_cursor = event_cursor(deeper[-1]) if deeper else None

    def series(min_confidence, exact=False):
        return lambda: store_series(store, a, b, "month", False, min_confidence, True, exact)[0]
    return {
        f"dyad series {a}-{b} by month, shown": series(shown),
        "same, every candidate": series(None),
        "same, exact query (reference)": series(shown, exact=True),
        "events by actor, type, dates: page 1": lambda: store.events(**filters, limit=50),
        "same, next page by keyset": lambda: store.events(**filters, limit=50, after=cursor),
        "same, count": lambda: store.count_events(**filters),
        "events by actor only (TUR): page 1": lambda: store.events(**actor, limit=50),
        "same, page 11 by keyset": lambda: store.events(**actor, limit=50, after=actor_cursor),
        "actor only, count": lambda: store.count_events(**actor),
        "overview counts": store.counts,
    }, (a, b, filters)


def api(url: str, pair: tuple[str, str], filters: dict, clients: int, seconds: float,
        workers: int) -> None:
    """p50/p99 of the three endpoints under ``clients`` connections of wrk (a C load generator,
    so the client costs little of the cores), the response cache off."""
    import re
    import shutil
    import subprocess
    import urllib.parse

    import httpx
    import web_load  # bench/web_load.py: the server start

    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    os.environ["EVENTWIRE_WEB_CACHE"] = "0"
    port = web_load.free_port()
    base = f"http://127.0.0.1:{port}"
    server = web_load.start_server(url, port, workers=workers)
    database_cpu = server_processes_cpu(url)
    query = urllib.parse.urlencode({k: v for k, v in filters.items() if k != "min_confidence"})
    try:
        endpoints = {"dyad series": f"/api/dyads/{pair[0]}/{pair[1]}?by=month",
                     "events filtered": f"/api/events?{query}&limit=50",
                     "events by actor only": "/api/events?actor=TUR&limit=50",
                     "overview counts": "/api/counts"}
        print(f"\nAPI: wrk, {clients} connections, {seconds:g} s per endpoint, response cache off, "
              f"{workers} server processes; load average {os.getloadavg()[0]:.1f}")
        print("| endpoint | requests | req/s | p50 ms | p99 ms | non-2xx | time-outs (10 s) | "
              "server CPU ms/request (eventwire + database) |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for name, path in endpoints.items():
            httpx.get(base + path, timeout=60)  # warm up
            cpu_before = tree_cpu_seconds(server.pid) + database_cpu()
            out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{int(seconds)}s", "--latency",
                                  "--timeout", "10s", base + path],
                                 capture_output=True, text=True).stdout
            cpu = tree_cpu_seconds(server.pid) + database_cpu() - cpu_before

            def ms(label: str) -> float:
                value = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
                number, unit = float(value.group(1)), value.group(2)
                return number / 1000 if unit == "us" else number * 1000 if unit == "s" else number
            requests = re.search(r"(\d+) requests in", out).group(1)
            rate = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
            bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            late = re.search(r"timeout (\d+)", out)
            print(f"| {name} | {requests} | {float(rate):.0f} | {ms('50%'):.1f} | {ms('99%'):.1f} | "
                  f"{bad.group(1) if bad else 0} | {late.group(1) if late else 0} | "
                  f"{1000 * cpu / max(1, int(requests)):.1f} |", flush=True)
    finally:
        server.terminate()
        server.wait(60)


def tree_cpu_seconds(pid: int, reaped: bool = False) -> float:
    """User + system CPU time used so far by a process and all its descendants (Linux /proc):
    the server and its worker processes; ``reaped`` adds the children that have ended and been
    waited for by ``pid``."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0.0, [pid]
    if reaped:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        todo += children.get(current, [])
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="SQLite file or PostgreSQL URL (built if short)")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--api", action="store_true", help="also load the API with --clients")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--workers", type=int, default=2, help="server processes for --api")
    parser.add_argument("--reuse", action="store_true",
                        help="time the store as it is: never build (migrate it if older)")
    args = parser.parse_args()
    url = Settings.normalise_db(args.db)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    started = time.perf_counter()
    with Store(url) as store:
        print(f"opened (and migrated if needed) in {time.perf_counter() - started:.1f} s")
        if not args.reuse:
            build(store, args.events)
        counts = store.counts()
        print(f"{store.dialect}: {counts['articles']:,} articles, {counts['events']:,} events, "
              f"{counts['actors']:,} actors")
        calls, (a, b, filters) = queries(store)
        cpu = cpu_clock(store)
        print(f"\n{'query':<42}{'median ms':>10}{'worst ms':>10}{'CPU ms':>8}  result")
        for name, call in calls.items():
            median, worst, used, result = timed(call, cpu)
            size = len(result) if isinstance(result, (list, dict)) else result
            print(f"{name:<42}{median:>10.1f}{worst:>10.1f}{used:>8.1f}  {size}"
                  f"{'' if median < 200 else '  (over 200 ms)'}", flush=True)
    if args.api:
        api(url, (a, b), filters, args.clients, args.seconds, args.workers)


if __name__ == "__main__":
    main()
