"""The Spark job: documents in, the per-article pipeline in ``mapPartitions``, Parquet out.

Input: files or globs of any Hadoop filesystem the cluster reads (local paths in tests),
JSONL, JSONL.gz, WARC (and every other format ``eventwire ingest`` reads), as whole files
(``binaryFiles``), each split into documents by eventwire.ingest. Each partition runs
``pipeline.process_documents``; the spaCy pipeline is loaded once per Python worker process and
kept between tasks (``spark.python.worker.reuse``, Spark's default). Then the cross-article
step (eventwire.spark.cross) on Spark's own tools, and every table written as Parquet (layout:
eventwire.spark.tables).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..records import AlreadyStored, Article, ProcessingError
from ..settings import Settings
from . import tables

ORDER_DIGITS = 9  # documents per file, as digits of the ordering key


@dataclass
class RunSummary:
    """What a Spark run read and wrote."""

    documents: int = 0
    articles: int = 0
    failed: int = 0
    events: int = 0
    quotes: int = 0
    reprints: int = 0
    canonical_events: int = 0
    output: str = ""

    def __str__(self) -> str:
        return (f"{self.documents} documents: {self.articles} articles, {self.failed} failed; "
                f"{self.events} events, {self.quotes} quotes, {self.reprints} reprints, "
                f"{self.canonical_events} canonical events; Parquet in {self.output}")


def session(master: str | None = None, app_name: str = "eventwire"):
    """A Spark session (``master`` e.g. ``local[2]``; None leaves it to spark-submit). Its
    Python workers run this Python unless PYSPARK_PYTHON says otherwise."""
    import os
    import sys

    from pyspark.sql import SparkSession
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = (builder.master(master).config("spark.ui.enabled", "false")
                   .config("spark.sql.shuffle.partitions", "8")
                   .config("spark.driver.memory", "2g"))
    return builder.getOrCreate()


def documents(item: tuple[str, bytes], settings: Settings) -> Iterator[tuple[str, Any]]:
    """The documents of one input file, each with its ordering key (file, then position)."""
    from .. import ingest
    path, data = item
    for number, document in enumerate(ingest.read_blob(data, path, settings)):
        yield f"{path}\x00{number:0{ORDER_DIGITS}d}", document


def process_partition(items: Iterable[tuple[str, Any]], settings: Settings) -> Iterator[tuple[str, dict]]:
    """Run the per-article pipeline over a partition; one (key, rows by table) per document."""
    from .. import pipeline
    keys: list[str] = []

    def raws():
        for key, document in items:
            keys.append(key)
            yield document

    for index, result in enumerate(pipeline.process_documents(raws(), settings)):
        yield keys[index], rows_of(result, keys[index])


def rows_of(result: Article | ProcessingError | AlreadyStored, key: str) -> dict[str, list[dict]]:
    """The rows of one processed document: its tables' rows (with the partition column), the
    inputs of the cross-article step, or its error."""
    from ..store.database import record_rows
    from ..stories import merge
    if isinstance(result, ProcessingError):
        return {tables.ERRORS: [{"origin": result.origin, "code": result.code,
                                 "reason": result.reason, "documents": result.count}]}
    if not isinstance(result, Article):  # AlreadyStored: a run on Spark asks no store
        return {}
    month = tables.month_of(result.published)
    out: dict[str, list[dict]] = {}
    for table, rows in record_rows([result]).items():
        out[table] = [{**tables.to_json_columns(table, row), tables.PARTITION: month} for row in rows]
    out["_article"] = [{"id": result.id, "order": key, "published": result.published,
                        "outlet": result.outlet, "text": result.text}]
    if result.outlet_domain and result.outlet and result.outlet != result.outlet_domain:
        out["_alias"] = [{"alias": result.outlet_domain, "outlet": result.outlet, "order": key}]
    out["_mergeable"] = []
    for position, event in enumerate(result.events):
        if not merge.mergeable(event):
            continue
        event_type, source_key, target_key = merge.event_key(event)
        historical = event.modality.historical
        out["_mergeable"].append({
            "event_id": event.id, "article_id": result.id, "order": key, "position": position,
            "type": event_type, "source_key": source_key, "target_key": target_key,
            "event_date": event.date if (event.date or historical) else result.published,
            "published": result.published, "outlet": result.outlet, "historical": historical,
            "sentence": event.evidence.sentence, "score": event.score})
    return out


def run(inputs: list[str], output: str, settings: Settings | None = None, spark=None,
        master: str | None = None, partitions: int | None = None) -> RunSummary:
    """Process every document of ``inputs`` on Spark and write the Parquet tables to ``output``
    (``partitions``: how many tasks parse, default four per core of the cluster)."""
    from pyspark import StorageLevel

    from . import cross
    settings = dataclasses.replace(settings or Settings(), workers=1)
    spark = spark or session(master)
    sc = spark.sparkContext
    files = sc.binaryFiles(",".join(inputs)).filter(lambda item: _readable(item[0]))
    # one shard can hold thousands of documents: spread them over every core of the cluster
    results = (files.flatMap(lambda item: documents(item, settings))
               .repartition(partitions or 4 * sc.defaultParallelism)
               .mapPartitions(lambda items: process_partition(items, settings))
               .persist(StorageLevel.MEMORY_AND_DISK))

    def table(name: str):
        return results.flatMap(lambda item: item[1].get(name, []))

    # a site's domain names the outlet its first article named it (store.outlet_names)
    aliases = sc.broadcast(cross.outlet_aliases(table("_alias")))
    reprints = sc.broadcast(cross.reprints(spark, table("_article")))  # reprint id -> original
    canonical, assigned = cross.canonical_events(
        table("_mergeable").map(lambda m: {**m, "outlet": aliases.value.get(m["outlet"], m["outlet"])}),
        reprints.value)

    def with_reprint(row: dict) -> dict:
        original = reprints.value.get(row["id"])
        return {**row, "reprint": bool(row["reprint"] or original), "reprint_of": original,
                "outlet": aliases.value.get(row["outlet"], row["outlet"])}

    summary = RunSummary(output=output)
    for name in tables.RECORD_TABLES:
        rows = table(name)
        if name == "articles":  # link_order: the order read, so a load links as ingest does
            ranks = (table("_article").map(lambda a: (a["order"], a["id"])).sortByKey()
                     .zipWithIndex().map(lambda pair: (pair[0][1], pair[1] + 1)))
            rows = (rows.map(with_reprint).map(lambda row: (row["id"], row)).leftOuterJoin(ranks)
                    .map(lambda pair: {**pair[1][0], "link_order": pair[1][1]}))
        if name == "actors":  # one row an actor, under the month it was first seen in
            rows = (rows.map(lambda row: (row["id"], row))
                    .reduceByKey(lambda x, y: min(x, y, key=lambda r: (r[tables.PARTITION], r["name"] or "")))
                    .values())
        if name in ("events", "event_pairs"):
            column = "id" if name == "events" else "event_id"
            rows = (rows.map(lambda row, c=column: (row[c], row)).leftOuterJoin(assigned)
                    .map(lambda pair: {**pair[1][0], "canonical_id": pair[1][1]}))
        _write(spark, name, rows, output)
    _write(spark, "outlet_aliases", sc.parallelize(
        [{"alias": a, "outlet": o, tables.PARTITION: "all"} for a, o in sorted(aliases.value.items())]
        or [], 1), output)
    _write(spark, "canonical_events", canonical.map(
        lambda row: {**row, tables.PARTITION: tables.month_of(row["date"])}), output)
    cross.dyad_series(spark, output).write.mode("overwrite").parquet(f"{output}/dyad_series")
    spark.createDataFrame(sorted(reprints.value.items()), "article_id string, reprint_of string") \
        .coalesce(1).write.mode("overwrite").parquet(f"{output}/reprints")
    errors = table(tables.ERRORS).map(lambda r: json.dumps(r, ensure_ascii=False))
    _remove(spark, f"{output}/{tables.ERRORS}")  # saveAsTextFile does not overwrite
    errors.coalesce(1).saveAsTextFile(f"{output}/{tables.ERRORS}")
    summary.articles = table("_article").count()
    summary.failed = table(tables.ERRORS).map(lambda r: r["documents"]).sum()
    summary.events, summary.quotes = table("events").count(), table("quotes").count()
    summary.documents = summary.articles + summary.failed
    summary.reprints, summary.canonical_events = len(reprints.value), canonical.count()
    results.unpersist()
    return summary


def _write(spark, name: str, rows, output: str) -> None:
    frame = spark.createDataFrame(rows.map(lambda row: _ordered(name, row)), tables.spark_schema(name))
    frame.write.mode("overwrite").partitionBy(tables.PARTITION).parquet(f"{output}/{name}")


def _remove(spark, location: str) -> None:
    """Delete a folder on whatever filesystem holds it (an earlier run's output)."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(location)
    path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).delete(path, True)


def _ordered(table: str, row: dict[str, Any]) -> tuple:
    return tuple(row.get(name) for name in [*tables.columns(table), tables.PARTITION])


def _readable(path: str) -> bool:
    from pathlib import PurePosixPath

    from ..ingest import _is_supported
    name = PurePosixPath(path.split("://", 1)[-1])
    return _is_supported(name) and not name.name.startswith(".")
