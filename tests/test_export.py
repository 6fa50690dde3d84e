"""Export: flat CSV and Parquet tables and JSON Lines article records read back intact."""

from __future__ import annotations

import csv
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from eventwire import export
from eventwire.records import Article
from eventwire.store import Store

from test_store import sample_articles


@pytest.fixture
def store(tmp_path):
    with Store(str(tmp_path / "export.db")) as s:
        s.save_all(sample_articles())
        yield s


def test_jsonl_round_trip_gives_back_every_record(store):
    buffer = io.StringIO()
    assert export.write_jsonl(store, buffer) == 3
    records = [json.loads(line) for line in buffer.getvalue().splitlines()]
    # oldest publication first
    assert [r["article"]["published"] for r in records] == ["2021-12-05", "2022-03-01", "2022-04-10"]
    originals = {a.id: a for a in sample_articles()}
    for record in records:
        article = Article.from_dict(record)
        assert article.to_dict() == originals[article.id].to_dict()


def test_csv_events_are_flat_with_joined_lists(store):
    buffer = io.StringIO()
    assert export.write_csv(store, "events", buffer) == 4
    reader = csv.DictReader(io.StringIO(buffer.getvalue()))
    assert tuple(reader.fieldnames) == export.COLUMNS["events"]
    rows = {r["type"]: r for r in reader}
    assert rows["REQUEST"]["target_actor_ids"] == "RUS;UKR"
    assert rows["REQUEST"]["source_countries"] == "TUR"
    assert rows["SANCTION"]["location_name"] == "Ankara" and rows["SANCTION"]["factual"] == "True"
    assert rows["ASSAULT"]["negated"] == "True" and rows["ASSAULT"]["factual"] == "False"
    assert rows["SANCTION"]["contexts"] == "military"


@pytest.mark.parametrize("table", export.TABLES)
def test_csv_and_parquet_agree_on_every_table(store, tmp_path, table):
    buffer = io.StringIO()
    n = export.write_csv(store, table, buffer)
    csv_rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    path = tmp_path / f"{table}.parquet"
    assert export.write_parquet(store, table, path) == n == len(csv_rows) > 0
    parquet = pq.read_table(path)
    assert tuple(parquet.column_names) == export.COLUMNS[table]
    assert [str(r["id"]) for r in parquet.to_pylist()] == [r["id"] for r in csv_rows]


def test_parquet_columns_are_typed(store, tmp_path):
    path = tmp_path / "events.parquet"
    export.write_parquet(store, "events", path)
    schema = pq.read_schema(path)
    assert schema.field("start").type == pa.int64()
    assert schema.field("score").type == pa.float64()
    assert schema.field("negated").type == pa.bool_()
    assert schema.field("type").type == pa.string()


def test_empty_database_gives_a_header_only(tmp_path):
    with Store(str(tmp_path / "empty.db")) as empty:
        buffer = io.StringIO()
        assert export.write_csv(empty, "quotes", buffer) == 0
        assert buffer.getvalue().strip() == ",".join(export.COLUMNS["quotes"])
        assert export.write_parquet(empty, "quotes", tmp_path / "q.parquet") == 0


def test_unknown_table_or_format_is_refused(store, tmp_path):
    with pytest.raises(ValueError, match="unknown table"):
        export.export(store, "csv", "stories", tmp_path / "x.csv")
    with pytest.raises(ValueError, match="unknown format"):
        export.export(store, "xlsx", "events", tmp_path / "x.xlsx")
    with pytest.raises(ValueError, match="--out"):
        export.export(store, "parquet", "events", None)


def test_records_doc_describes_every_field(store):
    """docs/records.md has a table row for every field of the exported JSON record."""
    import re
    from pathlib import Path

    docs = (Path(__file__).resolve().parent.parent / "docs" / "records.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)`", docs, flags=re.M))
    documented |= {f for pair in re.findall(r"^\| `([a-z_]+)`, `([a-z_]+)`", docs, flags=re.M)
                   for f in pair}
    record = store.get_article(sample_articles()[1].id).to_dict(include_removed=True)
    fields = set(record["article"]) | set(record["actors"][0]) | set(record["mentions"][0])
    fields |= set(record["events"][0]) | set(record["quotes"][0])
    assert fields - documented == set()


# --- formats of the field ---

def _events(store) -> dict[str, dict]:
    return {e["id"]: e for e in store.events(limit=None)}


def test_plover_json_reads_back_with_pandas(store, tmp_path):
    import pandas as pd

    from eventwire.formats import PLOVER_FIELDS
    out = tmp_path / "events.plover.jsonl"
    assert export.export(store, "plover", out=out) == len(_events(store)) > 0
    frame = pd.read_json(out, lines=True, dtype=False)
    assert list(frame.columns) == [f.name for f in PLOVER_FIELDS]
    assert {"id", "date", "event", "mode", "context", "source", "recipient", "event_loc", "text",
            "text_info", "quad_code", "event_scale"} <= set(frame.columns)
    events = _events(store)
    for record in frame.to_dict("records"):
        event = events[record["id"]]
        assert record["event"] == [event["type"]]
        assert record["text"] == event["evidence"]["sentence"]
        assert record["date"] == (event["date"] or event["published"])
        assert [a["code"] for a in record["source"]] == [m["country"] for m in event["source"]]
        assert [a["sector"] for a in record["recipient"]] == [m["sector"] for m in event["target"]]
        assert record["cite_info"]["publication"] == event["outlet"]
        assert record["quad_code"] in (1, 2, 3, 4)
        if event["location"]:
            assert record["event_loc"]["geonameid"] == event["location"]["geonameid"]


def test_gdelt_like_tsv_reads_back_with_pandas(store, tmp_path):
    import pandas as pd

    from eventwire.formats import GDELT_FIELDS
    out = tmp_path / "events.tsv"
    assert export.export(store, "gdelt-like", out=out) == len(_events(store))
    frame = pd.read_csv(out, sep="\t", dtype=str, keep_default_na=False)
    assert list(frame.columns) == [f.name for f in GDELT_FIELDS]
    events = _events(store)
    assert set(frame["GLOBALEVENTID"]) == set(events)
    for row in frame.to_dict("records"):
        event = events[row["GLOBALEVENTID"]]
        day = event["date"] or event["published"]
        assert row["SQLDATE"] == (day.replace("-", "") if len(day) == 10 else "")
        assert row["EventRootCode"] == event["cameo"][:2] and row["EventCode"] == event["cameo"]
        assert float(row["GoldsteinScale"]) == event["score"]
        source = event["source"][0] if event["source"] else {}
        assert row["Actor1CountryCode"] == (source.get("country") or "")
        assert row["Actor1Code"].startswith(source.get("country") or "")
        assert row["Sentence"] == event["evidence"]["sentence"]
        assert row["PloverType"] == event["type"]


def test_event_formats_refuse_another_table(store, tmp_path):
    with pytest.raises(ValueError, match="events"):
        export.export(store, "plover", "quotes", out=tmp_path / "x")


def test_export_doc_describes_every_field_of_both_formats():
    from pathlib import Path

    from eventwire.formats import GDELT_FIELDS, PLOVER_FIELDS
    doc = (Path(__file__).resolve().parent.parent / "docs" / "export.md").read_text(encoding="utf-8")
    for field in (*PLOVER_FIELDS, *GDELT_FIELDS):
        assert f"| `{field.name}` | {field.meaning} |" in doc, field.name
