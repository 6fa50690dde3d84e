"""One database, several processes: a server's writes survive other processes opening the file,
and processes storing and linking the same articles at once converge without errors."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys

from sqlalchemy import func, select, text

from eventwire.records import Modality
from eventwire.store import Store, schema
from eventwire.stories import link_article

from test_store import RUS, TUR, UKR, db_url, make_article  # noqa: F401 (db_url is a fixture)

WRITERS = 3


def many_articles(n: int = 12):
    """Articles on a few happenings, so that linking shares stories and canonical events."""
    background = ("Diplomats in several capitals followed the dispute over grain, gas and shipping "
                  "routes closely through the week, and officials promised further talks soon. ")
    return [make_article(f"Russia imposed sanctions on Ukraine, report {i}. Turkey urged calm "
                         f"in statement {i % 3}. " + background * 2, f"Outlet {i % 4}",
                         f"2022-03-{1 + i % 5:02d}",
                         events=[("SANCTION", [RUS], [UKR], Modality(), "2022-02-28"),
                                 ("REQUEST", [TUR], [RUS, UKR], Modality(), None)],
                         actors=[RUS, UKR, TUR]) for i in range(n)]


def _count_in_new_process(url: str) -> int:
    code = ("import sys; from eventwire.store import Store; "
            "print(Store(sys.argv[1]).counts()['articles'])")
    done = subprocess.run([sys.executable, "-c", code, url], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip())


def test_other_processes_opening_the_file_never_drop_the_servers_writes(tmp_path):
    """A long-running writer (the server) keeps its pooled connection open while other
    processes open, migrate-check, read and close the same SQLite file."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    articles = many_articles(4)
    server = Store(url)
    try:
        for n, article in enumerate(articles, start=1):
            assert server.save(article)
            assert _count_in_new_process(url) == n  # another process sees every committed write
        assert server.counts()["articles"] == len(articles)
    finally:
        server.close()
    with Store(url) as reopened:
        assert reopened.counts()["articles"] == len(articles)
        with reopened.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def _save_and_link(url: str, order: list[int], start, results) -> None:
    articles = many_articles()
    start.wait()
    try:
        with Store(url) as store:
            new = 0
            for i in order:
                new += store.save(articles[i])
                link_article(store, articles[i])
        results.put(("ok", new))
    except Exception as exc:  # reported to the test, which fails on it
        results.put(("error", f"{exc.__class__.__name__}: {exc}"))


def test_processes_storing_the_same_articles_at_once_converge(db_url):
    """Each article stored once and linked once, whatever the interleaving; no UNIQUE errors."""
    n = len(many_articles())
    Store(db_url).close()  # migrated; the writers then race on data, not on the schema
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(WRITERS), context.Queue()
    orders = [list(range(n)), list(range(n)), list(reversed(range(n)))]  # two in step: most races
    workers = [context.Process(target=_save_and_link, args=(db_url, orders[k], start, results))
               for k in range(WRITERS)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=180) for _ in workers]
    for worker in workers:
        worker.join(30)
    assert [kind for kind, _ in outcomes] == ["ok"] * WRITERS, outcomes
    assert sum(new for _, new in outcomes) == n  # every article new to exactly one writer

    with Store(db_url) as store:
        assert store.counts()["articles"] == n
        with store.engine.connect() as conn:
            unlinked = conn.execute(select(func.count()).select_from(schema.articles)
                                    .where(schema.articles.c.story_id.is_(None))).scalar()
            events = conn.execute(select(func.count()).select_from(schema.events)).scalar()
            no_canonical = conn.execute(select(func.count()).select_from(schema.events)
                                        .where(schema.events.c.canonical_id.is_(None))).scalar()
            signatures = conn.execute(select(func.count())
                                      .select_from(schema.article_signatures)).scalar()
            if store.dialect == "sqlite":
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    assert unlinked == 0 and no_canonical == 0
    assert events == 2 * n and signatures == n


def test_a_write_transaction_holds_the_sqlite_write_lock(tmp_path):
    """While one process is inside write_transaction(), another writer waits instead of
    deciding on a state that is about to change."""
    url = f"sqlite:///{tmp_path / 'lock.db'}"
    with Store(url) as store, store.write_transaction() as conn:
        conn.exec_driver_sql("SELECT 1")
        code = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1], timeout=0.2); "
                "c.isolation_level = None\ntry:\n c.execute('BEGIN IMMEDIATE'); print('got it')\n"
                "except sqlite3.OperationalError as e: print('waited:', e)")
        done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "lock.db")],
                              capture_output=True, text=True, timeout=60)
    assert done.stdout.startswith("waited: database is locked"), done.stdout + done.stderr
