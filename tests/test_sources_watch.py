"""``eventwire watch`` end to end on a local server: sources -> links -> pages -> the pipeline ->
the store; idempotence, versions, errors, retries, the CLI, and a kill -9 in the middle."""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire import sources
from eventwire.cli import main
from eventwire.sources import state
from eventwire.store import Store

from sources_server import (LocalServer, Route, article_html, atom, news_sitemap, rss,
                            sitemap_index)
from test_sources_fetching import policy
from test_store import db_url  # noqa: F401  (fixture: SQLite, and PostgreSQL when configured)

REPO = Path(__file__).resolve().parent.parent
RFC822 = "Tue, 18 Nov 2026 09:00:00 GMT"


@pytest.fixture
def server():
    srv = LocalServer("127.0.0.1")
    srv.routes["/robots.txt"] = Route("User-agent: *\nDisallow: /blocked/\n", content_type="text/plain")
    yield srv
    srv.close()


@pytest.fixture
def store(tmp_path):
    with Store(f"sqlite:///{tmp_path / 'watch.db'}") as st:
        yield st


@pytest.fixture
def any_store(db_url):  # noqa: F811
    with Store(db_url) as st:
        yield st


def watch_once(store, settings, **changes):
    return sources.Watcher(store, settings, policy(**changes)).run(once=True)


def page_hits(server) -> int:
    return sum(1 for r in server.log if r.path.startswith(("/rss/", "/atom/", "/sm/", "/page/")))


def test_feeds_sitemaps_and_pages_flow_into_the_store_once(server, any_store, settings):
    s, store = server, any_store
    for n, path in enumerate(["/rss/0", "/rss/1", "/atom/2", "/sm/3", "/page/4"]):
        s.routes[path] = Route(article_html(n), etag=f'"{path}"')
    s.routes["/rss.xml"] = Route(rss([(s.url("/rss/0"), "Zero", RFC822), ("/rss/1", "One", RFC822),
                                      ("/rss/missing", "Gone", RFC822),
                                      ("/blocked/9", "Not for crawlers", RFC822)]),
                                 content_type="application/rss+xml", etag='"feed-1"')
    s.routes["/atom.xml"] = Route(atom([(s.url("/atom/2"), "Two", "2026-11-19T08:00:00Z")]),
                                  content_type="application/atom+xml")
    s.routes["/news-index.xml"] = Route(sitemap_index([(s.url("/news-1.xml.gz"), "2026-11-20")]),
                                        content_type="application/xml")
    s.routes["/news-1.xml.gz"] = Route(gzip.compress(news_sitemap(
        [(s.url("/sm/3"), "Three", "2026-11-20T07:00:00Z")], publication="Harbor Daily").encode()),
        content_type="application/x-gzip")
    sources.add_source(store, s.url("/rss.xml"), name="Wire RSS")
    sources.add_source(store, s.url("/atom.xml"), name="Wire Atom", kind="feed")
    sources.add_source(store, s.url("/news-index.xml"), name="Harbor sitemap")
    sources.add_source(store, s.url("/page/4"), name="One page", outlet="Courier")

    summary = watch_once(store, settings)
    assert (summary.sources, summary.source_errors, summary.new, summary.failed,
            summary.skipped) == (4, 0, 5, 1, 1)
    articles = {a["url"]: a for a in store.articles(limit=None)}
    assert set(articles) == {s.url(p) for p in ("/rss/0", "/rss/1", "/atom/2", "/sm/3", "/page/4")}
    assert articles[s.url("/rss/0")]["published"] == "2026-11-18"  # from the feed
    assert articles[s.url("/sm/3")]["outlet"] == "Harbor Daily"  # news:publication
    assert articles[s.url("/page/4")]["outlet"] == "Courier"  # sources add --outlet
    assert store.count_events() > 0
    assert s.hits("/blocked/9") == 0
    rows = {r["name"]: r for r in sources.status(store)}
    assert rows["Wire RSS"]["kind"] == "feed" and rows["Wire RSS"]["last_status"] == 200
    assert (rows["Wire RSS"]["last_links"], rows["Wire RSS"]["new_articles"],
            rows["Wire RSS"]["failed"], rows["Wire RSS"]["skipped"]) == (4, 2, 1, 1)
    assert rows["Harbor sitemap"]["kind"] == "sitemap" and rows["Harbor sitemap"]["articles"] == 1
    assert rows["One page"]["kind"] == "page" and rows["One page"]["articles"] == 1

    # a second pass: feeds unchanged (304 or same body), no page fetched again, nothing stored
    hits = page_hits(s)
    again = watch_once(store, settings)
    assert (again.new, again.existing, again.fetched, again.links) == (0, 0, 0, 0)
    assert page_hits(s) == hits + 1  # only the page source itself, answered 304
    assert [r for r in s.log if r.path == "/page/4"][-1].headers["if-none-match"] == '"/page/4"'
    assert store.count_articles() == 5


def test_changed_article_is_stored_as_a_new_version_linked_to_the_old(server, any_store, settings):
    s, store = server, any_store
    s.routes["/atom/7"] = Route(article_html(7))
    s.routes["/atom.xml"] = Route(atom([(s.url("/atom/7"), "Seven", "2026-11-19T08:00:00Z")]))
    s.routes["/page/8"] = Route(article_html(8))
    sources.add_source(store, s.url("/atom.xml"))
    sources.add_source(store, s.url("/page/8"))
    assert watch_once(store, settings).new == 2
    first = {a["url"]: a["id"] for a in store.articles()}

    # same stamp, changed page: not fetched again (the feed says nothing changed)
    s.routes["/atom/7"] = Route(article_html(7, revision=1))
    s.routes["/page/8"] = Route(article_html(8, revision=1))
    summary = watch_once(store, settings)
    assert s.hits("/atom/7") == 1
    assert summary.new == 1 and summary.versions == 1  # the page source changed

    # the entry's <updated> moves on: fetched again, stored as version 2
    s.routes["/atom.xml"] = Route(atom([(s.url("/atom/7"), "Seven", "2026-11-19T12:00:00Z")]))
    summary = watch_once(store, settings)
    assert (summary.new, summary.versions) == (1, 1) and s.hits("/atom/7") == 2
    now = {a["url"]: a["id"] for a in store.articles()}
    assert store.count_articles() == 4  # old versions stay
    for path in ("/atom/7", "/page/8"):
        old, new = first[s.url(path)], now[s.url(path)]
        assert old != new and store.get_article(old) is not None
        chain = sources.versions(store, new)
        assert [(v["version"], v["article_id"], v["previous_id"]) for v in chain] == [
            (1, old, None), (2, new, old)]
    assert "Update 1" in store.get_article(now[s.url("/atom/7")]).text

    # updated stamp, same text: fetched, but no new version
    s.routes["/atom.xml"] = Route(atom([(s.url("/atom/7"), "Seven", "2026-11-19T15:00:00Z")]))
    summary = watch_once(store, settings)
    assert (summary.new, summary.versions, summary.unchanged) == (0, 0, 1)


def test_huge_feed_queues_the_newest_links_up_to_the_limit(server, store, settings):
    stamp = lambda i: time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(1_790_000_000 + 60 * i))
    s = server
    s.routes["/huge.xml"] = Route(rss([(s.url(f"/blocked/{i}"), f"Item {i}", stamp(i))
                                       for i in range(3000)]), content_type="application/rss+xml",
                                  etag='"huge"')
    sources.add_source(store, s.url("/huge.xml"), name="Huge")
    summary = watch_once(store, settings, max_new_links=40)
    assert summary.links == 40 and summary.skipped == 40  # robots.txt disallows /blocked/
    queued = {p["url"] for p in sources.recent_pages(store, limit=100)}
    assert queued == {s.url(f"/blocked/{i}") for i in range(2960, 3000)}
    summary = watch_once(store, settings, max_new_links=40)  # the rest comes in later passes
    assert summary.links == 40
    assert not any("if-none-match" in r.headers for r in s.log if r.path == "/huge.xml")


def test_feed_problems_are_recorded(server, store, settings):
    s = server
    s.routes["/garbage.xml"] = Route(b"\x00\x01 not a feed", content_type="application/rss+xml")
    s.routes["/big.xml"] = Route(rss([(f"/x/{i}", "x" * 200, None) for i in range(200)]))
    s.routes["/loose.xml"] = Route(b'<?xml version="1.0"?><rss version="2.0"><channel><title>A & B'
                                   b"</title><item><link>" + s.url("/blocked/1").encode()
                                   + b"</link></item></channel></rss>")
    s.routes["/gone.xml"] = Route("no", status=410, content_type="text/plain")
    for name in ("garbage", "big", "loose", "gone"):
        sources.add_source(store, s.url(f"/{name}.xml"), name=name)
    summary = watch_once(store, settings, max_feed_bytes=20_000, interval=600)
    assert summary.source_errors == 3
    rows = {r["name"]: r for r in sources.status(store)}
    assert "not a readable RSS or Atom feed" in rows["garbage"]["last_error"]
    assert "over the limit of 20000" in rows["big"]["last_error"]
    assert rows["gone"]["last_status"] == 410 and "HTTP 410" in rows["gone"]["last_error"]
    assert rows["loose"]["errors"] == 0 and rows["loose"]["last_links"] == 1
    assert rows["loose"]["last_error"]  # the XML problem, noted
    watch_once(store, settings, max_feed_bytes=20_000, interval=600)
    rows = {r["name"]: r for r in sources.status(store)}
    assert rows["garbage"]["errors"] == 2
    wait = (state.dt.datetime.fromisoformat(rows["garbage"]["next_fetch_at"])
            - state.dt.datetime.fromisoformat(rows["garbage"]["last_fetch_at"])).total_seconds()
    assert 1190 <= wait <= 1210  # two failures in a row: twice the interval


def test_transient_page_failures_are_retried_in_later_passes(server, store, settings):
    s, other = server, LocalServer("127.0.0.2")  # the host that asks for an hour's rest
    try:
        s.routes["/rss/busy"] = Route("busy", status=503)
        s.routes["/rss/pdf"] = Route(b"%PDF-1.7", content_type="application/pdf")
        other.routes["/rss/later"] = Route("later", status=429, headers={"Retry-After": "3600"})
        other.routes["/rss/after"] = Route(article_html(9))
        links = [s.url("/rss/busy"), s.url("/rss/pdf"), other.url("/rss/later"),
                 other.url("/rss/after")]
        s.routes["/feed.xml"] = Route(rss([(url, url, None) for url in links]))
        sources.add_source(store, s.url("/feed.xml"))
        summary = watch_once(store, settings, attempts=1, page_attempts=2, per_host=1)
        assert (summary.deferred, summary.failed, summary.new) == (3, 1, 0)
        pages = {url: state.page_row(store, url) for url in links}
        assert pages[s.url("/rss/pdf")]["state"] == "failed"
        assert "not a web page: Content-Type application/pdf" in pages[s.url("/rss/pdf")]["error"]
        for url in links[2:]:  # the whole host waits, in the queue, not in this pass
            assert pages[url]["state"] == "pending" and pages[url]["due_at"] > state.now(3000)
        assert other.hits("/rss/after") == 0
        summary = watch_once(store, settings, attempts=1, page_attempts=2)
        assert other.hits("/rss/later") == 1 and other.hits("/rss/after") == 0
        assert s.hits("/rss/busy") == 2 and summary.failed == 1
        assert state.page_row(store, s.url("/rss/busy"))["state"] == "failed"
    finally:
        other.close()


def test_a_body_kept_before_a_crash_is_processed_without_fetching_it_again(server, store, settings):
    s = server
    s.routes["/rss/5"] = Route(article_html(5))
    s.routes["/feed.xml"] = Route(rss([(s.url("/rss/5"), "Five", None)]))
    source = sources.add_source(store, s.url("/feed.xml"))
    state.enqueue_links(store, source, [sources.links.Link(s.url("/rss/5"))], 10)
    page = state.page_row(store, s.url("/rss/5"))
    state.page_fetched(store, page["id"], body=article_html(5).encode(), final_url=s.url("/rss/5"),
                       status=200, content_type="text/html", etag=None, last_modified=None)
    summary = watch_once(store, settings)
    assert summary.new == 1 and s.hits("/rss/5") == 0
    assert state.page_row(store, s.url("/rss/5"))["body"] is None  # dropped once stored


# --- the command line ---

def test_sources_commands(tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "cli.db")
    url = "https://reader:s3cret@wire.example/feed.xml?token=T0K"
    added = runner.invoke(main, ["sources", "add", url, "--name", "Wire", "--outlet", "Wire",
                                 "--db", db])
    assert added.exit_code == 0, added.output
    duplicate = runner.invoke(main, ["sources", "add", url, "--db", db])
    assert duplicate.exit_code == 1 and "already a source (id 1)" in duplicate.output
    refused = runner.invoke(main, ["sources", "add", "ftp://wire.example/feed", "--db", db])
    assert refused.exit_code == 1 and "E021" in refused.output and "only http and https" in refused.output
    listed = runner.invoke(main, ["sources", "list", "--format", "json", "--db", db])
    [row] = json.loads(listed.output)
    assert row["name"] == "Wire" and row["kind"] == "auto"
    status = runner.invoke(main, ["sources", "status", "--db", db])
    assert status.exit_code == 0 and "Wire" in status.output and "never" in status.output
    everything = added.output + listed.output + status.output
    assert "s3cret" not in everything and "T0K" not in everything
    assert runner.invoke(main, ["sources", "remove", "Wire", "--db", db]).exit_code == 0
    assert json.loads(runner.invoke(main, ["sources", "list", "--format", "json",
                                           "--db", db]).output) == []
    missing = runner.invoke(main, ["sources", "remove", "7", "--db", db])
    assert missing.exit_code == 1 and "no source '7'" in missing.output
    empty = runner.invoke(main, ["watch", "--once", "--db", db])
    assert empty.exit_code == 1 and "no sources" in empty.output
    bad = runner.invoke(main, ["watch", "--once", "--interval", "soon", "--db", db])
    assert bad.exit_code == 2 and "not a duration" in bad.output


def test_watch_command_stores_articles_and_hides_credentials(server, tmp_path):
    s = server
    s.routes["/rss/6"] = Route(article_html(6))
    s.routes["/feed.xml"] = Route(rss([(s.url("/rss/6"), "Six", None),
                                       (s.url("/rss/404"), "Missing", None)]))
    db = str(tmp_path / "cli-watch.db")
    runner = CliRunner()
    feed = f"http://reader:s3cret@127.0.0.1:{s.port}/feed.xml?api_key=K3Y"
    assert runner.invoke(main, ["sources", "add", feed, "--db", db]).exit_code == 0
    refused = runner.invoke(main, ["watch", "--once", "--db", db])
    assert "127.0.0.1 is a loopback address" in refused.output
    result = runner.invoke(main, ["watch", "--once", "--delay", "0s",
                                  "--allow-network", "127.0.0.1", "--db", db])
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output and "HTTP 404" in result.output
    assert s.log[-1].headers.get("user-agent", "").startswith("eventwire/")
    status = runner.invoke(main, ["sources", "status", "--format", "json", "--db", db])
    [row] = json.loads(status.output)
    assert (row["articles"], row["failed"], row["last_status"]) == (1, 1, 200)
    shown = refused.output + result.output + status.output
    assert "s3cret" not in shown and "K3Y" not in shown


def test_kill_9_during_watch_then_restart_loses_and_refetches_nothing(server, tmp_path):
    """A real `eventwire watch` process killed with SIGKILL in the middle, then run again."""
    s = server
    count, held = 8, threading.Event()  # pages 4.. are answered only after the kill

    def slow(n):
        def answer(request):
            if n >= 4:
                held.wait(60)
            return Route(article_html(20 + n))
        return Route(handler=answer)
    for n in range(count):
        s.routes[f"/rss/{n}"] = slow(n)
    s.routes["/feed.xml"] = Route(rss([(s.url(f"/rss/{n}"), f"N{n}", None) for n in range(count)]))
    db = tmp_path / "killed.db"
    with Store(str(db)) as st:
        sources.add_source(st, s.url("/feed.xml"))
    command = [sys.executable, "-m", "eventwire.cli", "watch", "--once", "--delay", "0s",
               "--per-host", "1", "--allow-network", "127.0.0.1", "--db", str(db)]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    first = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and first.poll() is None:
            with closing(sqlite3.connect(db)) as conn:
                if conn.execute("SELECT count(*) FROM articles").fetchone()[0] >= 2:
                    break
            time.sleep(0.05)
        assert first.poll() is None, first.stderr.read().decode()
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        held.set()
        output = first.stderr.read().decode(errors="replace")
        first.stderr.close()
    with closing(sqlite3.connect(db)) as conn:
        at_kill = dict(conn.execute("SELECT url, state FROM source_pages WHERE kind='article'"))
        stored_at_kill = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 2 <= stored_at_kill <= 4 and list(at_kill.values()).count("pending") >= 4, output
    kept = [u for u, st in at_kill.items() if st in ("fetched", "done")]

    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    with closing(sqlite3.connect(db)) as conn:
        states = dict(conn.execute("SELECT url, state FROM source_pages WHERE kind='article'"))
        urls = [u for (u,) in conn.execute("SELECT url FROM articles")]
        versions = conn.execute("SELECT count(*) FROM article_versions").fetchone()[0]
    assert set(states.values()) == {"done"}
    assert sorted(urls) == sorted(s.url(f"/rss/{n}") for n in range(count))  # nothing lost, no twin
    assert versions == count
    for url in kept:  # a body already kept or stored is never fetched again
        assert s.hits(url.split(str(s.port), 1)[1]) == 1, url
    assert all(s.hits(f"/rss/{n}") <= 2 for n in range(count))


def test_migration_creates_the_sources_tables_as_the_schema_describes(any_store):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from eventwire.store import schema
    with any_store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    ours = ("sources", "source_pages", "article_versions")
    assert [d for d in differences if any(f"'{name}'" in repr(d) for name in ours)] == []
    from sqlalchemy import inspect
    assert set(ours) <= set(inspect(any_store.engine).get_table_names())


WRITER = """
import sys, time
from eventwire import sources
from eventwire.store import Store
store = Store(sys.argv[1])
for n in range(400):
    sources.add_source(store, f"https://wire{n}.example/feed.xml")
    print(n + 1, flush=True)
    time.sleep(0.02)
"""


def test_readers_in_other_processes_see_the_writes_and_a_kill_loses_none(tmp_path):
    """While `watch` writes, other processes read the same SQLite file (the dashboard,
    `sources status`); each of them closing its connection must leave the writer's WAL in
    place, or the writes would be hidden from readers and lost when the writer is killed."""
    db = tmp_path / "shared.db"
    Store(str(db)).close()
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE,
                              text=True, env=dict(os.environ, PYTHONPATH=str(REPO)))
    seen, reported = [], 0
    while reported < 40:
        reported = int(writer.stdout.readline())
        with closing(sqlite3.connect(db)) as conn:  # a reader that comes and goes
            seen.append(conn.execute("SELECT count(*) FROM sources").fetchone()[0])
    writer.send_signal(signal.SIGKILL)
    writer.wait(10)
    writer.stdout.close()
    assert seen[-1] >= seen[0] + 30  # the reader saw the writes as they came
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT count(*) FROM sources").fetchone()[0] >= reported
