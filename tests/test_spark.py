"""eventwire on Spark (local[2]): the same records, reprints, canonical events and dyad series as
the single-machine path on the demo corpus; Parquet by month with an errors file; the loader
and the DuckDB reader over the output."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="pyspark is installed by scripts/setup.sh --test")

from eventwire.store import Store  # noqa: E402
from eventwire.store.loader import load  # noqa: E402
from eventwire.store.parquet import load_parquet, open_parquet  # noqa: E402
from eventwire.stories import dyad_events, series  # noqa: E402
from test_store_happenings import kept_rows, rebuilt_rows  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "examples" / "corpus"
BAD_SHARD = [
    {"title": "Talks in Port Alden", "published": "2024-05-02",
     "text": "Norvania and Kestria agreed on Monday to resume talks on fishing rights in Port "
             "Alden, the foreign ministry of Norvania said in a statement."},
    "{not json",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The demo corpus plus a shard with one good and one broken line."""
    folder = tmp_path_factory.mktemp("corpus")
    for item in DEMO.iterdir():
        shutil.copy(item, folder / item.name)
    (folder / "zz-shard.jsonl").write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line) for line in BAD_SHARD) + "\n",
        encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def single(corpus, settings, tmp_path_factory) -> Store:
    """The single-machine path: ``eventwire ingest`` of the same files into SQLite."""
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('single') / 'single.db'}")
    summary = load([str(corpus)], store, dataclasses.replace(settings, workers=1))
    assert summary.failed == 1 and summary.new == summary.processed - 1
    return store


@pytest.fixture(scope="module")
def output(corpus, settings, tmp_path_factory) -> tuple[Path, object]:
    from eventwire import spark
    out = tmp_path_factory.mktemp("spark") / "out"
    summary = spark.run([f"{corpus}/*"], str(out), settings, master="local[2]", partitions=4)
    return out, summary


def _parquet(out: Path, table: str) -> list[dict]:
    import pyarrow.dataset as ds
    return ds.dataset(str(out / table), format="parquet", partitioning="hive").to_table().to_pylist()


def _rows(store: Store, query: str) -> list[tuple]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(query)]


def test_spark_reads_processes_and_partitions_by_month(output, single):
    out, summary = output
    assert (summary.articles, summary.failed) == (single.counts()["articles"], 1)
    months = {p.name for p in (out / "articles").iterdir() if p.is_dir()}
    assert {"month=2024-03", "month=2024-05", "month=undated"} <= months
    for row in _parquet(out, "events"):
        article = next(a for a in _parquet(out, "articles") if a["id"] == row["article_id"])
        assert row["month"] == (article["published"] or "undated")[:7]
    errors = [json.loads(line) for part in (out / "errors").glob("part-*")
              for line in part.read_text(encoding="utf-8").splitlines()]
    assert len(errors) == 1 and errors[0]["origin"].endswith("zz-shard.jsonl:2")
    assert errors[0]["code"] == "E001" and "invalid JSON" in errors[0]["reason"]
    assert errors[0]["documents"] == 1


def test_spark_records_are_those_of_the_single_machine_path(output, single):
    out, _ = output
    for table, columns in {"articles": "id, title, published, outlet",
                           "events": "id, article_id, type, date, sentence",
                           "quotes": "id, article_id, text", "event_keys": "event_id, role, key"}.items():
        names = [c.strip() for c in columns.split(",")]
        spark_rows = sorted(tuple(r[n] for n in names) for r in _parquet(out, table))
        assert spark_rows == sorted(_rows(single, f"SELECT {columns} FROM {table}")), table


def test_reprints_and_canonical_events_match(output, single):
    out, _ = output
    reprints = {r["article_id"]: r["reprint_of"] for r in _parquet(out, "reprints")}
    assert reprints and reprints == dict(_rows(
        single, "SELECT id, reprint_of FROM articles WHERE reprint_of IS NOT NULL"))
    assigned = {r["id"]: r["canonical_id"] for r in _parquet(out, "events")}
    assert assigned == dict(_rows(single, "SELECT id, canonical_id FROM events"))
    columns = ("id", "type", "date", "source_key", "target_key", "article_count", "outlet_count",
               "first_reported", "last_reported")
    spark_rows = sorted(tuple(r[c] for c in columns) for r in _parquet(out, "canonical_events"))
    assert len(spark_rows) > 100
    assert spark_rows == sorted(_rows(single, f"SELECT {', '.join(columns)} FROM canonical_events"))


def test_dyad_series_match_for_every_pair(output, single):
    out, _ = output
    spark_series: dict[tuple[str, str], dict] = defaultdict(dict)
    for r in _parquet(out, "dyad_series"):
        spark_series[(r["a"], r["b"])][(r["period"], r["type"])] = (
            r["happenings"], round(r["score_sum"] or 0.0, 3), r["scored"])
    assert len(spark_series) > 20
    for (a, b), cells in spark_series.items():
        rows = series(dyad_events(single, a, b), "month", fill=False)
        expected = {}
        for row in rows:  # the single path gives per period counts by type, scores per period
            for event_type, n in row["counts"].items():
                if n:
                    expected[(row["period"], event_type)] = n
        assert {k: v[0] for k, v in cells.items()} == expected, (a, b)
        for row in rows:
            in_period = [v for (period, _), v in cells.items() if period == row["period"]]
            assert round(sum(v[1] for v in in_period), 3) == pytest.approx(row["score_sum"], abs=1e-6)
            assert sum(v[2] for v in in_period) == row["scored"]


def test_load_gives_the_store_ingest_gives(output, single, tmp_path):
    out, _ = output
    with Store(f"sqlite:///{tmp_path / 'loaded.db'}") as loaded:
        summary = load_parquet(str(out), loaded)
        assert summary.articles == single.counts()["articles"] and summary.linked == summary.articles
        for query in ("SELECT id, story_id, reprint_of, reprint FROM articles ORDER BY id",
                      "SELECT id, canonical_id FROM events ORDER BY id",
                      "SELECT id, article_count, outlet_count, first_date FROM stories ORDER BY id",
                      "SELECT event_id, role, key, sort_date FROM event_keys ORDER BY 1, 2, 3"):
            assert _rows(loaded, query) == _rows(single, query), query
        again = load_parquet(str(out), loaded)
        assert (again.articles, again.existing) == (0, summary.articles)
        assert loaded.counts() == single.counts()  # the running totals added up by the loader
        assert kept_rows(loaded) == kept_rows(single) == rebuilt_rows(loaded)


def test_load_without_linking_keeps_dyad_happenings(output, tmp_path):
    """--no-link: the run's canonical events arrive after their events; the happenings the
    loader keeps are those recomputed from the loaded rows."""
    out, _ = output
    with Store(f"sqlite:///{tmp_path / 'unlinked.db'}") as loaded:
        load_parquet(str(out), loaded, link=False)
        rows = kept_rows(loaded)
        assert rows and rows == rebuilt_rows(loaded)


def test_query_commands_read_the_parquet_output_in_place(output, single):
    out, _ = output
    parquet = open_parquet(str(out))
    counts = parquet.counts()
    assert {k: v for k, v in counts.items() if k != "stories"} == \
        {k: v for k, v in single.counts().items() if k != "stories"}
    for filters in ({"actor": "TUR"}, {"source": "RUS", "type": "SANCTION"}, {"q": "grain"}):
        assert parquet.events(**filters, limit=None) == single.events(**filters, limit=None)
    assert parquet.quotes(limit=None) == single.quotes(limit=None)
    assert [(e.id, e.date) for e in dyad_events(parquet, "RUS", "UKR")] == \
        [(e.id, e.date) for e in dyad_events(single, "RUS", "UKR")]
