"""Parsing in worker processes: same records in the same order as in one process, articles
already stored never parsed, memory bounded, a dead worker costs only its own chunk."""

from __future__ import annotations

import dataclasses
import os
import signal
from pathlib import Path

import pytest

from eventwire import pipeline
from eventwire.records import AlreadyStored, Article, ProcessingError, RawDocument
from eventwire.store import Store
from eventwire.store.loader import load
from eventwire.workers import WorkerPool, WorkerReport

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "examples" / "corpus"

TEXTS = [
    "Norvania and Kestria signed a fishing agreement in Port Alden on Monday, officials said.",
    "The foreign minister of Norvania met his Kestrian counterpart in Tallin Bay on Tuesday.",
    "Kestria imposed new sanctions on three Norvanian banks, the finance ministry said.",
    '"We will not accept this," the Norvanian spokesman told reporters on Wednesday.',
    "Turkey sent aid to Syria after the earthquake, the Turkish foreign ministry said.",
    "Russia accused Ukraine of shelling a border village on Thursday, the Kremlin said.",
    "France and Germany agreed to hold talks on energy prices next month in Brussels.",
]


def _raws() -> list[RawDocument]:
    return [RawDocument(origin=f"doc-{i}", text=text, published="2024-05-0" + str(i + 1))
            for i, text in enumerate(TEXTS)]


def _records(results) -> list:
    return [r.to_dict() if isinstance(r, Article) else r for r in results]


@pytest.fixture(scope="module")
def inline(settings):
    return _records(pipeline.process_documents(_raws(), settings))


def test_workers_give_the_records_of_one_process_in_input_order(settings, inline):
    parallel = dataclasses.replace(settings, workers=2, batch_size=2)
    report = WorkerReport()
    results = _records(pipeline.process_documents(_raws(), parallel, report=report))
    assert results == inline
    assert report.workers == 2 and report.started == 2 and report.chunks == 4
    assert 100 < report.peak_mb < report.limit_mb


def test_a_worker_over_its_memory_limit_is_replaced_and_nothing_is_lost(settings, inline):
    tight = dataclasses.replace(settings, workers=2, batch_size=3, worker_memory_mb=1)
    report = WorkerReport()
    results = _records(pipeline.process_documents(_raws(), tight, report=report))
    assert results == inline
    assert report.retired == 3 and report.started == 3  # every chunk ends its worker
    assert "3 retired over the limit" in str(report)


def test_a_dead_worker_turns_only_its_chunk_into_errors(settings):
    # long documents, so that the workers are still busy when the first result is back
    raws = [dataclasses.replace(raw, text=" ".join([raw.text] * 30)) for raw in _raws()]
    pool = WorkerPool(dataclasses.replace(settings, workers=2, batch_size=1))
    results = []
    for result in pool.map(raws):
        results.append(result)
        if len(results) == 1:  # kill both workers, busy or not, while later documents wait
            for worker in pool.running:
                os.kill(worker.process.pid, signal.SIGKILL)
    assert len(results) == len(raws)
    errors = {i for i, r in enumerate(results) if isinstance(r, ProcessingError)}
    # the chunks the dead workers held or were handed next are lost; a busy one may have sent
    # its result just before it died; fresh workers did the rest
    assert errors and 0 not in errors and len(errors) < len(raws) - 1
    for i, result in enumerate(results):
        if i in errors:
            assert (result.origin, result.code) == (f"doc-{i}", "E013")
            assert "worker process died" in result.reason
        else:
            assert isinstance(result, Article) and result.text == raws[i].text
    assert pool.report.died == len(errors) and pool.report.started > 2 and not pool.running


def test_a_model_a_worker_cannot_load_fails_the_run(settings):
    from eventwire.errors import ModelNotFound
    missing = dataclasses.replace(settings, workers=2, model="no_such_pipeline")
    with pytest.raises(ModelNotFound, match="no_such_pipeline"):
        list(pipeline.process_documents(_raws(), missing))


def test_known_articles_are_set_aside_before_parsing(settings, monkeypatch, inline):
    from eventwire import nlp

    def no_parsing(*args, **kwargs):
        raise AssertionError("a known article was parsed")
        yield  # pragma: no cover

    monkeypatch.setattr(nlp, "parse", no_parsing)
    known = {record["article"]["id"] for record in inline}
    results = list(pipeline.process_documents(_raws(), settings, known=known.__contains__))
    assert [r.id for r in results] == [record["article"]["id"] for record in inline]
    assert all(isinstance(r, AlreadyStored) for r in results)
    assert [r.origin for r in results] == [f"doc-{i}" for i in range(len(TEXTS))]


def test_ingest_with_two_workers_stores_what_one_process_stores(settings, tmp_path):
    def content(url: str) -> dict:
        with Store(url) as store:
            with store.engine.connect() as conn:
                return {table: conn.exec_driver_sql(query).all() for table, query in {
                    "articles": "SELECT id, story_id, reprint_of, link_order FROM articles ORDER BY id",
                    "events": "SELECT id, article_id, type, canonical_id FROM events ORDER BY id",
                    "quotes": "SELECT id, speaker_name FROM quotes ORDER BY id",
                    "stories": "SELECT id, article_count FROM stories ORDER BY id",
                }.items()}

    one, two = (f"sqlite:///{tmp_path / name}" for name in ("one.db", "two.db"))
    with Store(one) as store:
        summary = load([str(DEMO)], store, dataclasses.replace(settings, workers=1))
    assert summary.new > 20 and not summary.workers.started
    with Store(two) as store:
        parallel = load([str(DEMO)], store, dataclasses.replace(settings, workers=2, batch_size=4))
    assert (parallel.new, parallel.failed) == (summary.new, summary.failed)
    assert parallel.workers.started == 2 and "peak memory per worker" in str(parallel)
    assert content(one) == content(two)
    # again: every article is recognised after extraction, no worker is even started
    with Store(two) as store:
        again = load([str(DEMO)], store, dataclasses.replace(settings, workers=2, batch_size=4))
    assert (again.new, again.existing, again.workers.started) == (0, summary.new, 0)
    assert content(two) == content(one)
