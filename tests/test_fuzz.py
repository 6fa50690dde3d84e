"""Fuzzing `process`, `ingest` and POST /api/articles: property-based inputs (hypothesis) and a
generator of hostile files (tests/hostile_inputs.py). No traceback, every good document in the
same batch still comes out, time and memory per document within the limits.

Bounded for CI: a few hundred generated examples and one hostile file of each kind, with a
2-second time budget; bench/fuzz.py runs thousands of hostile inputs with the default limits.
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from eventwire import ingest, pipeline
from eventwire.records import Article, ProcessingError, RawDocument
from eventwire.store import Store
from eventwire.web import create_app

from hostile_inputs import KINDS, good_text, hostile_inputs

BUDGET = 2.0  # CPU seconds per document in these tests
FAST = hypothesis_settings(deadline=None, database=None, derandomize=True,
                           suppress_health_check=[HealthCheck.too_slow])
ERROR_LINE = re.compile(r"^error: .+: E0\d\d \S")
SUFFIXES = [".txt", ".html", ".json", ".jsonl", ".warc", ".txt.gz", ".jsonl.gz", ".bin"]
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def quick(settings):
    return dataclasses.replace(settings, time_budget_seconds=BUDGET)


def peak_rss_reset() -> None:
    """Start a new peak-memory measurement of this process (Linux)."""
    Path("/proc/self/clear_refs").write_text("5")


def peak_rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc/self/status")


# --- hypothesis: reading never raises -------------------------------------------------

@hypothesis_settings(FAST, max_examples=200)
@given(data=st.binary(max_size=4000), suffix=st.sampled_from(SUFFIXES), packed=st.booleans())
def test_reading_any_bytes_gives_documents_or_errors(data, suffix, packed, settings):
    content = gzip.compress(data) if packed else data
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(content)
        results = list(ingest.read_file(path, settings))
    results += list(ingest.read_stdin(settings, io.BytesIO(content)))
    assert results and all(isinstance(r, (RawDocument, ProcessingError)) for r in results)
    for r in results:
        if isinstance(r, ProcessingError):
            assert r.origin and r.code.startswith("E0") and r.reason


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
                    lambda children: st.lists(children, max_size=4)
                    | st.dictionaries(st.sampled_from(["text", "html", "url", "title", "published",
                                                       "outlet", "source", "x"]) | st.text(max_size=5),
                                      children, max_size=5), max_leaves=20)


@hypothesis_settings(FAST, max_examples=150)
@given(values=st.lists(JSON, min_size=1, max_size=5), lines=st.booleans())
def test_any_json_shape_gives_documents_or_errors(values, lines, settings):
    text = "\n".join(json.dumps(v) for v in values) if lines else json.dumps(values)
    results = list(ingest.read_stdin(settings, io.BytesIO(text.encode("utf-8", "surrogatepass"))))
    assert results and all(isinstance(r, (RawDocument, ProcessingError)) for r in results)


# --- hypothesis: one document never fails its neighbours ------------------------------

TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=300)


@hypothesis_settings(FAST, max_examples=25)
@given(body=TEXT | st.sampled_from(["Hello", "<p>" * 300, "\u200b" * 40, "x" * 3000]),
       as_html=st.booleans(), url=st.none() | st.text(max_size=40) | st.sampled_from(
           ["http://[::1", "javascript:alert(1)", "http://a:99999/", "//"]),
       title=st.none() | TEXT, published=st.none() | st.text(max_size=30))
def test_a_hostile_document_never_fails_its_neighbours(body, as_html, url, title, published, quick):
    hostile = RawDocument(origin="hostile", text=None if as_html else body,
                          html=body if as_html else None, url=url, title=title, published=published)
    raws = [RawDocument(origin="good-0", text=good_text(0)), hostile,
            RawDocument(origin="good-1", text=good_text(1))]
    results = list(pipeline.process_documents(raws, quick))
    assert len(results) == 3
    assert [type(results[0]), type(results[2])] == [Article, Article]
    assert results[0].text == good_text(0).strip() and results[2].text == good_text(1).strip()
    middle = results[1]
    assert isinstance(middle, (Article, ProcessingError))
    if isinstance(middle, Article):
        json.dumps(middle.to_dict(), ensure_ascii=False).encode("utf-8")  # printable and storable


# --- hypothesis: POST /api/articles never answers 500 ---------------------------------

@pytest.fixture(scope="module")
def writer(tmp_path_factory, quick):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'post.db'}")
    app = create_app(quick, token="t", store=store)
    yield TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False,
                     headers={"Authorization": "Bearer t"})
    store.close()


@hypothesis_settings(FAST, max_examples=40)
@given(body=st.binary(max_size=2000) | JSON.map(lambda v: json.dumps(v).encode())
       | st.fixed_dictionaries({"text": TEXT}, optional={"url": st.text(max_size=30),
                                                         "published": st.text(max_size=12),
                                                         "html": TEXT}).map(
           lambda v: json.dumps(v).encode("utf-8", "surrogatepass")),
       kind=st.sampled_from(["application/json", "text/plain", "text/html",
                             "application/json; charset=latin-1", "image/png", ""]))
def test_posting_any_body_is_never_a_server_error(body, kind, writer):
    response = writer.post("/api/articles", content=body, headers={"Content-Type": kind})
    assert response.status_code in (200, 201, 413, 415, 422), (response.status_code, response.text)
    assert response.json()["message" if response.status_code >= 400 else "id"]


# --- the hostile file generator over process, ingest and POST ---------------------------

@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory):
    """A hostile file of each kind, a good file after each; the good texts by file."""
    folder = tmp_path_factory.mktemp("hostile")
    good: dict[str, str] = {}
    for n, (_kind, name, content) in enumerate(hostile_inputs(seed=10, count=len(KINDS))):
        with open(os.path.join(os.fsencode(folder), b"%03d-" % n + name), "wb") as stream:
            stream.write(content)
        good_name = f"{n:03d}-good.txt"
        (folder / good_name).write_text(good_text(n), encoding="utf-8")
        good[good_name] = good_text(n).strip()
    return folder, good


def run_cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "EVENTWIRE_TIME_BUDGET": str(BUDGET)}
    return subprocess.run([sys.executable, "-m", "eventwire.cli", *args], capture_output=True,
                          text=True, timeout=timeout, env=env, cwd=REPO)


def assert_clean_stderr(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr[-3000:]
    for line in stderr.splitlines():
        if line.startswith("error:"):
            assert ERROR_LINE.match(line), line


def test_process_keeps_every_good_document_among_hostile_files(hostile_folder):
    folder, good = hostile_folder
    done = run_cli("process", str(folder), "--format", "jsonl")
    assert done.returncode == 1, done.stderr[-2000:]
    assert_clean_stderr(done.stderr)
    records = [json.loads(line) for line in done.stdout.splitlines()]
    texts = {Path(r["article"]["source_path"]).name: r["article"]["text"] for r in records}
    assert {name: texts.get(name) for name in good} == good


def test_ingest_stores_every_good_document_among_hostile_files(hostile_folder, tmp_path):
    folder, good = hostile_folder
    db = tmp_path / "hostile.db"
    done = run_cli("ingest", str(folder), "--db", str(db))
    assert done.returncode == 1, done.stderr[-2000:]
    assert_clean_stderr(done.stderr)
    with Store(str(db)) as store:
        stored = {Path(a["source_path"]).name for a in store.articles(limit=None)}
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    assert set(good) <= stored


def test_posting_hostile_files_is_never_a_server_error(hostile_folder, writer):
    folder, _ = hostile_folder
    for n, path in enumerate(sorted(p for p in folder.iterdir() if "good" not in p.name)):
        content = path.read_bytes()[:6 * 1024 * 1024]
        for kind in ("text/plain" if n % 2 else "text/html", "application/json"):
            response = writer.post("/api/articles", content=content, headers={"Content-Type": kind})
            assert response.status_code in (200, 201, 413, 415, 422), (path.name, kind, response.text)
    assert writer.post("/api/articles", json={"text": good_text(999)}).status_code in (200, 201)


def test_each_hostile_document_within_time_and_memory_limits(hostile_folder, quick):
    """Each hostile file read and processed beside one good document: within the budget in CPU
    seconds (plus the longest step between two checks) and under 1 GB of extra memory."""
    folder, _ = hostile_folder
    pipeline.process(good_text(5), settings=quick)  # the model and knowledge loaded first
    for path in sorted(p for p in folder.iterdir() if "good" not in p.name):
        peak_rss_reset()
        base = peak_rss_bytes()
        started = time.thread_time()  # CPU, as the budget counts: a loaded machine is no failure
        raws = [*ingest.read_file(path, quick), RawDocument(origin="good", text=good_text(7))]
        results = list(pipeline.process_documents(raws, quick))
        seconds = time.thread_time() - started
        assert isinstance(results[-1], Article) and results[-1].text == good_text(7).strip()
        documents = max(1, sum(r.count if isinstance(r, ProcessingError) else 1
                               for r in results[:-1]))
        assert seconds / documents < BUDGET + 4, (path.name, seconds)  # + one step past it
        assert peak_rss_bytes() - base < 1024 ** 3, path.name
