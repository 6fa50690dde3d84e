"""Export a database: flat tables as CSV or Parquet, one JSON article record per line, or the
events in the formats of the field (PLOVER JSON, GDELT-style TSV: eventwire.formats)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from .store import Store

FORMATS = ("csv", "jsonl", "parquet", "plover", "gdelt-like")
EVENT_FORMATS = ("plover", "gdelt-like")  # events only, whatever the table
TABLES = ("events", "quotes", "articles", "actors")
LIST_SEPARATOR = ";"  # joins list fields (contexts, several sources) in a flat cell

COLUMNS: dict[str, tuple[str, ...]] = {
    "events": ("id", "article_id", "outlet", "published", "title", "type", "mode", "contexts",
               "date", "date_note", "source_actor_ids", "source_countries", "source_texts",
               "target_actor_ids", "target_countries", "target_texts", "location_name",
               "location_country", "location_geonameid", "latitude", "longitude", "negated",
               "future", "hypothetical", "historical", "factual", "sentence", "start", "end",
               "cameo", "score", "trigger"),
    "quotes": ("id", "article_id", "outlet", "published", "title", "kind", "text", "cue", "start",
               "end", "speaker_text", "speaker_name", "speaker_country", "speaker_sector",
               "speaker_actor_id"),
    "articles": ("id", "source_path", "url", "outlet", "reprint", "reprint_of", "title",
                 "published", "published_note", "language", "story_id", "ingested_at",
                 "event_count", "quote_count"),
    "actors": ("id", "name", "kind", "country", "sector", "role", "event_count", "quote_count",
               "article_count"),
}

# Parquet column types other than string.
_INT = ("start", "end", "event_count", "quote_count", "article_count", "location_geonameid")
_FLOAT = ("score", "latitude", "longitude")
_BOOL = ("negated", "future", "hypothetical", "historical", "factual", "reprint")


def flat_rows(store: Store, table: str, min_confidence: float | None = None) -> Iterator[dict[str, Any]]:
    """Rows of one flat table (``COLUMNS[table]``), one dict per event, quote, article or actor;
    events scored below ``min_confidence`` are left out."""
    if table == "events":
        for e in store.events(limit=None, min_confidence=min_confidence):
            yield _flat_event(e)
    elif table == "quotes":
        for q in store.quotes(limit=None):
            speaker = q["speaker"] or {}
            yield {**{k: q[k] for k in COLUMNS["quotes"] if k in q},
                   **{f"speaker_{k}": speaker.get(k) for k in ("text", "name", "country", "sector")},
                   "speaker_actor_id": speaker.get("actor_id")}
    elif table == "articles":
        for a in store.articles(limit=None):
            yield {k: a.get(k) for k in COLUMNS["articles"]}
    elif table == "actors":
        for a in store.actors(limit=None):
            yield {k: a.get(k) for k in COLUMNS["actors"]}
    else:
        raise ValueError(f"unknown table {table!r}: choose one of {', '.join(TABLES)}")


def _flat_event(e: dict[str, Any]) -> dict[str, Any]:
    location = e.get("location") or {}
    row = {k: e.get(k) for k in ("id", "article_id", "outlet", "published", "title", "type", "mode",
                                 "date", "date_note", "cameo", "score", "trigger")}
    row["contexts"] = LIST_SEPARATOR.join(e.get("contexts") or [])
    for side in ("source", "target"):
        mentions = e[side]
        row[f"{side}_actor_ids"] = LIST_SEPARATOR.join(m.get("actor_id") or "" for m in mentions)
        row[f"{side}_countries"] = LIST_SEPARATOR.join(m.get("country") or "" for m in mentions)
        row[f"{side}_texts"] = LIST_SEPARATOR.join(m.get("text") or "" for m in mentions)
    row.update(location_name=location.get("name"), location_country=location.get("country"),
               location_geonameid=location.get("geonameid"), latitude=location.get("latitude"),
               longitude=location.get("longitude"))
    row.update(e["modality"])
    row["factual"] = not any(e["modality"].values())
    row.update(sentence=e["evidence"]["sentence"], start=e["evidence"]["start"],
               end=e["evidence"]["end"])
    return row


def write_csv(store: Store, table: str, out: TextIO, min_confidence: float | None = None) -> int:
    """Write one flat table as CSV with a header row; return the number of rows."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS[table] if table in COLUMNS else (),
                            extrasaction="ignore")
    writer.writeheader()
    n = 0
    for n, row in enumerate(flat_rows(store, table, min_confidence), start=1):
        writer.writerow(row)
    return n


def write_parquet(store: Store, table: str, path: Path, min_confidence: float | None = None) -> int:
    """Write one flat table as a Parquet file (pyarrow); return the number of rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(name, _arrow_type(pa, name)) for name in COLUMNS[table]])
    rows = list(flat_rows(store, table, min_confidence))
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
    return len(rows)


def _arrow_type(pa, name: str):
    if name in _INT:
        return pa.int64()
    if name in _FLOAT:
        return pa.float64()
    if name in _BOOL:
        return pa.bool_()
    return pa.string()


def write_jsonl(store: Store, out: TextIO) -> int:
    """Write every article as its full JSON record (docs/records.md), one per line."""
    n = 0
    for article_id in store.article_ids():
        article = store.get_article(article_id)
        if article is not None:
            out.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
            n += 1
    return n


def export(store: Store, fmt: str, table: str = "events", out: Path | None = None,
           stdout: TextIO | None = None, min_confidence: float | None = None) -> int:
    """Export in ``fmt`` (csv, jsonl, parquet, plover, gdelt-like) to ``out``, or to ``stdout``
    for the text formats; event rows scored below ``min_confidence`` are left out (the article
    records of jsonl keep every candidate)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}: choose one of {', '.join(TABLES)}")
    if fmt in EVENT_FORMATS and table != "events":
        raise ValueError(f"{fmt} holds events: leave --table at events")
    if fmt == "parquet":
        if out is None:
            raise ValueError("Parquet is binary: give a file with --out")
        return write_parquet(store, table, out, min_confidence)
    if out is None:
        if stdout is None:
            raise ValueError("give a file to write to, or a stream")
        return _write_text(store, fmt, table, stdout, min_confidence)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        return _write_text(store, fmt, table, handle, min_confidence)


def _write_text(store: Store, fmt: str, table: str, handle: TextIO, min_confidence: float | None) -> int:
    if fmt in EVENT_FORMATS:
        from . import formats
        return formats.WRITERS[fmt](formats.event_rows(store, min_confidence), handle)
    return write_csv(store, table, handle, min_confidence) if fmt == "csv" else write_jsonl(store, handle)
