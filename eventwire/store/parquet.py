"""A Spark output (Parquet tables, eventwire.spark.tables) as a store: read in place through
DuckDB, or copied into a database by ``eventwire load``.

:func:`open_parquet` gives a read-only :class:`Store` whose tables are DuckDB views over the
Parquet folders, so every query of the store (events, quotes, actors, dyads, counts) runs on
the files without loading them. :func:`load_parquet` bulk-inserts the tables into SQLite or
PostgreSQL, skipping articles the database holds already.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Integer, LargeBinary, create_engine, select
from sqlalchemy.pool import StaticPool

from ..errors import StoreError
from . import happenings, schema, totals
from .database import RECORD_TABLES, Store

PARTITION = "month"


def is_parquet_output(path: str) -> bool:
    """Whether ``path`` is a folder holding a Spark output (its ``events`` and ``articles``)."""
    folder = Path(path)
    return folder.is_dir() and (folder / "articles").is_dir() and (folder / "events").is_dir()


def _files(folder: Path, table: str) -> str | None:
    """The glob of a table's Parquet files, or None when the output has no such table."""
    if not (folder / table).is_dir() or not any((folder / table).rglob("*.parquet")):
        return None
    return str(folder / table / "**" / "*.parquet")


def _duck_type(column) -> str:
    kind = column.type
    if isinstance(kind, Boolean):
        return "BOOLEAN"
    if isinstance(kind, Integer):
        return "BIGINT"
    if isinstance(kind, Float):
        return "DOUBLE"
    if isinstance(kind, LargeBinary):
        return "BLOB"
    return "VARCHAR"


def open_parquet(path: str) -> Store:
    """A read-only Store over the Parquet tables of a Spark output, through DuckDB."""
    folder = Path(path).resolve()
    if not is_parquet_output(str(folder)):
        raise StoreError("not a Spark output of eventwire (no articles/ and events/ folders)",
                         origin=str(folder))
    engine = create_engine("duckdb:///:memory:", poolclass=StaticPool)
    with engine.begin() as conn:
        for table in schema.metadata.sorted_tables:
            files = _files(folder, table.name)
            if files:
                source = (f"read_parquet('{_quoted(files)}', hive_partitioning = true, "
                          "union_by_name = true)")
                values = ", ".join(f'CAST("{c.name}" AS {_duck_type(c)}) AS "{c.name}"'
                                   for c in table.columns)
                conn.exec_driver_sql(f'CREATE VIEW "{table.name}" AS SELECT {values} FROM {source}')
            else:  # a table the output does not have (stories, sources): empty
                values = ", ".join(f'CAST(NULL AS {_duck_type(c)}) AS "{c.name}"'
                                   for c in table.columns)
                conn.exec_driver_sql(f'CREATE VIEW "{table.name}" AS SELECT {values} WHERE false')
    return Store(f"duckdb:///{folder}", migrate=False, engine=engine)


def _quoted(text: str) -> str:
    return text.replace("'", "''")


@dataclass
class ParquetLoad:
    """What one ``eventwire load`` copied."""

    articles: int = 0
    existing: int = 0
    rows: int = 0
    linked: int = 0
    new_ids: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (f"loaded {self.articles} articles ({self.rows} rows in all), "
                f"{self.existing} already stored" + (f", {self.linked} linked to stories"
                                                     if self.linked else ""))


def load_parquet(path: str, store: Store, link: bool = True, chunk: int = 500) -> ParquetLoad:
    """Copy a Spark output into ``store``, a publication month at a time (every record table
    is partitioned by its article's month), ``chunk`` articles to a transaction.

    Articles the store holds already are skipped with their rows. With ``link`` the new
    articles are then linked to their stories, originals and canonical events in the order the
    Spark run read them, as ``eventwire ingest`` does; without it the run's reprints and
    canonical events are kept as they are and no stories are made (the fast path for millions
    of articles).
    """
    import pyarrow.dataset as ds

    folder = Path(path).resolve()
    if not is_parquet_output(str(folder)):
        raise StoreError("not a Spark output of eventwire (no articles/ and events/ folders)",
                         origin=str(folder))
    summary = ParquetLoad()
    actors = {r["id"]: _store_row("actors", r) for r in ds.dataset(
        str(folder / "actors"), format="parquet", partitioning="hive").to_table().to_pylist()} \
        if (folder / "actors").is_dir() else {}
    months = sorted(p.name for p in (folder / "articles").iterdir() if p.name.startswith(PARTITION + "="))
    for month in months:
        def read(table: str, month: str = month) -> list[dict[str, Any]]:
            part = folder / table / month
            if not part.is_dir():
                return []
            return [_store_row(table, row)
                    for row in ds.dataset(str(part), format="parquet").to_table().to_pylist()]

        tables = {table: read(table) for table in RECORD_TABLES if table != "actors"}
        by_article = {table: _group(rows, "article_id") for table, rows in tables.items()
                      if table in ("article_actors", "events", "quotes")}
        events_of = {a: {e["id"] for e in events} for a, events in by_article["events"].items()}
        by_event = {table: _group(tables[table], "event_id")
                    for table in ("event_actors", "event_keys", "event_pairs")}
        articles = tables["articles"]
        for start in range(0, len(articles), chunk):
            batch = articles[start:start + chunk]
            with store.engine.begin() as conn:
                stored = {i for (i,) in conn.execute(select(schema.articles.c.id).where(
                    schema.articles.c.id.in_([r["id"] for r in batch])))}
                fresh = [r for r in batch if r["id"] not in stored]
                summary.existing += len(batch) - len(fresh)
                if not fresh:
                    continue
                if link:  # linking finds originals and canonical events itself
                    fresh = [{**r, "reprint": False, "reprint_of": None} for r in fresh]
                rows = {name: [row for a in fresh for row in by_article[name].get(a["id"], [])]
                        for name in ("article_actors", "events", "quotes")}
                for name in ("event_actors", "event_keys", "event_pairs"):
                    rows[name] = [row for a in fresh for event_id in events_of.get(a["id"], ())
                                  for row in by_event[name].get(event_id, [])]
                # the events' confidence on their keys (an output written before the keys had it)
                scores = {e["id"]: e["confidence"] for e in rows["events"]}
                rows["event_keys"] = [{**k, "confidence": scores.get(k["event_id"])}
                                      for k in rows["event_keys"]]
                if link:
                    for name in ("events", "event_pairs"):
                        rows[name] = [{**e, "canonical_id": None} for e in rows[name]]
                used = {r["actor_id"] for r in rows["article_actors"]}
                if used:
                    conn.execute(store._insert_ignore(schema.actors, ["id"]),
                                 [actors[i] for i in sorted(used) if i in actors])
                conn.execute(schema.articles.insert(), fresh)
                for name in ("article_actors", "events", "event_actors", "event_keys",
                             "event_pairs", "quotes"):
                    if rows[name]:
                        conn.execute(schema.metadata.tables[name].insert(), rows[name])
                happenings.refresh(conn, [e["id"] for e in rows["events"]])
                totals.add(conn, len(fresh), rows["events"], len(rows["quotes"]))
                summary.articles += len(fresh)
                summary.rows += len(fresh) + sum(len(r) for r in rows.values())
                summary.new_ids += [a["id"] for a in fresh]
    aliases = folder / "outlet_aliases"
    if aliases.is_dir() and any(aliases.rglob("*.parquet")):
        with store.engine.begin() as conn:
            rows = ds.dataset(str(aliases), format="parquet", partitioning="hive").to_table().to_pylist()
            conn.execute(store._insert_ignore(schema.outlet_aliases, ["alias"]),
                         [_store_row("outlet_aliases", r) for r in rows])
    if link:
        _link(store, summary)
    elif summary.new_ids and (folder / "canonical_events").is_dir():
        canonical = ds.dataset(str(folder / "canonical_events"), format="parquet",
                               partitioning="hive").to_table().to_pylist()
        with store.engine.begin() as conn:
            for start in range(0, len(canonical), 5000):
                conn.execute(store._insert_ignore(schema.canonical_events, ["id"]),
                             [_store_row("canonical_events", r) for r in canonical[start:start + 5000]])
            # the dates and report counts of the canonical events the loaded events joined
            happenings.refresh(conn, [r["id"] for r in canonical])
    return summary


def _link(store: Store, summary: ParquetLoad) -> None:
    """Link the loaded articles in the order the Spark run read them (its link_order)."""
    from ..stories import link_article
    A = schema.articles
    order: dict[str, int] = {}
    with store.engine.connect() as conn:
        for start in range(0, len(summary.new_ids), 500):
            part = summary.new_ids[start:start + 500]
            order.update(conn.execute(select(A.c.id, A.c.link_order).where(A.c.id.in_(part))).all())
        conn.rollback()
    for article_id in sorted(summary.new_ids, key=lambda i: (order.get(i) is None, order.get(i) or 0, i)):
        link_article(store, store.get_article(article_id))
        summary.linked += 1


def _group(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row[key], []).append(row)
    return out


def _store_row(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A Parquet row as a row of the store table: JSON text parsed, the partition dropped."""
    out = {}
    for column in schema.metadata.tables[table].columns:
        value = row.get(column.name)
        if isinstance(column.type, JSON) and isinstance(value, str):
            value = json.loads(value)
        out[column.name] = value
    return out
