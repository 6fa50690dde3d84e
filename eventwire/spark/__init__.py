"""eventwire on Spark: the per-article pipeline over many machines, Parquet out.

:func:`run` processes JSONL, JSONL.gz or WARC shards (a path, a glob, any Hadoop filesystem
URL) and writes the Parquet tables of eventwire.spark.tables; ``eventwire spark run`` and
``spark-submit eventwire/spark/submit.py`` call it. ``eventwire load`` copies an output into
a database; the query commands read it directly through DuckDB (eventwire.store.parquet).
Needs pyspark (``pip install eventwire[spark]``) and a Java runtime.
"""

from .job import RunSummary, run, session

__all__ = ["RunSummary", "run", "session"]
