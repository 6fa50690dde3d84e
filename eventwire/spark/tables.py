"""The Parquet output of a Spark run: one folder per table, the store's tables and columns.

Each table holds the columns of the store table of the same name (eventwire/store/schema.py),
so the store's own queries run on it through DuckDB and ``eventwire load`` copies it into a
database as it is. Record tables are partitioned by the publication month of their article
(``month=2024-03``, ``month=undated``); JSON columns hold JSON text. Beside them: ``errors``
(one JSON line per document that could not be read or processed) and the tables of the
cross-article step: ``canonical_events`` and ``outlet_aliases`` (store tables), ``reprints``
and ``dyad_series``.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Integer, LargeBinary

from ..store import schema
from ..store.database import RECORD_TABLES

PARTITION = "month"
UNDATED = "undated"
# record tables written per article, and the store tables filled by the cross-article step
TABLES = (*RECORD_TABLES, "canonical_events", "outlet_aliases")
ERRORS = "errors"


def month_of(published: str | None) -> str:
    """The partition of an article: YYYY-MM of its publication date, or "undated"."""
    return published[:7] if published and len(published) >= 7 else UNDATED


def columns(table: str) -> list[str]:
    """The store columns of a table, in schema order."""
    return [c.name for c in schema.metadata.tables[table].columns]


def to_json_columns(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A store row with every store column (missing ones None), JSON columns as JSON text."""
    out = {}
    for column in schema.metadata.tables[table].columns:
        value = row.get(column.name)
        if isinstance(column.type, JSON) and value is not None:
            value = json.dumps(value, ensure_ascii=False)
        out[column.name] = value
    return out


def spark_schema(table: str):
    """The Spark schema of a table: the store columns plus the partition column."""
    from pyspark.sql import types as T

    def spark_type(column):
        kind = column.type
        if isinstance(kind, Boolean):
            return T.BooleanType()
        if isinstance(kind, Integer):
            return T.LongType()
        if isinstance(kind, Float):
            return T.DoubleType()
        if isinstance(kind, LargeBinary):
            return T.BinaryType()
        return T.StringType()

    fields = [T.StructField(c.name, spark_type(c), True) for c in schema.metadata.tables[table].columns]
    return T.StructType(fields + [T.StructField(PARTITION, T.StringType(), False)])
