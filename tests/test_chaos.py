"""Chaos: `serve` on SQLite and on PostgreSQL while two ingests, a stream of POSTs and CLI
queries share the database, one ingest killed with SIGKILL midway (tests/chaos.py). Nothing
acknowledged is lost, nothing is stored twice, the database is whole, the server answers.
bench/chaos.py runs 20 such rounds."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from chaos import run_round

# bounded for CI: the killed ingest holds 40 articles, the other 20 (10 of them the same)
SMALL = {"killed": range(0, 40), "other": range(30, 50), "posts": range(1000, 1012), "reads": 1}


def check(result) -> None:
    assert result.killed_at >= 5 and result.killed_status == -9, result
    assert result.ingest_status == [0, 0], result
    assert not result.post_failures and not result.read_failures, result
    assert len(result.acknowledged) >= 12
    assert result.lost == 0, (result.missing_ids, result.expected_texts - set(result.stored_texts))
    assert len(result.stored_texts) == len(set(result.stored_texts)) == len(result.expected_texts)
    assert result.duplicate_rows == 0 and result.unlinked == 0
    assert result.integrity == "ok"
    assert result.server_counts["articles"] == len(result.stored_texts)
    assert result.ok


def test_chaos_on_sqlite(tmp_path):
    check(run_round(str(tmp_path / "chaos.db"), tmp_path / "work", **SMALL))


@pytest.mark.postgres
def test_chaos_on_postgresql(tmp_path):
    base = os.environ.get("EVENTWIRE_TEST_PG_URL")
    if not base:
        pytest.skip("EVENTWIRE_TEST_PG_URL is not set (scripts/test.sh starts a PostgreSQL for it)")
    schema = f"chaos_{uuid.uuid4().hex[:8]}"
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
        check(run_round(url, tmp_path / "work", **SMALL))
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
