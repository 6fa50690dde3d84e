"""Cross-article work on Spark: reprints, canonical events and dyad series, with the rules of the
single-machine path (eventwire.stories) so both give the same results on the same input.

* Reprints: Spark ML's MinHashLSH over the articles' 5-word shingles, pairs at Jaccard
  similarity >= stories.reprints.THRESHOLD (texts under MIN_SHINGLES shingles not compared),
  grouped transitively; a group's original is the earliest published, then the first read.
* Canonical events: events keyed by type and actors (stories.merge.event_key) and grouped by
  key on the cluster; within a key the mentions are merged in input order by the same rule
  (stories.merge.choose) that linking applies one article at a time.
* Dyad series: Spark SQL over the written events, event actors and canonical events: per pair
  of actors (country or actor id, either way round), period and PLOVER type, the happenings
  (each canonical event once), their scores summed and counted.
"""

from __future__ import annotations

from collections import defaultdict
from ..stories import merge, reprints as reprint_rules

HASH_TABLES = 20  # a pair at the threshold (Jaccard 0.35) is a candidate with p > 0.999
FEATURES = 1 << 22


def outlet_aliases(aliases) -> dict[str, str]:
    """``{domain: outlet name}``: the name the first article read gave each domain."""
    first: dict[str, tuple[str, str]] = {}
    for row in aliases.collect():
        if row["alias"] not in first or row["order"] < first[row["alias"]][0]:
            first[row["alias"]] = (row["order"], row["outlet"])
    return {alias: name for alias, (_, name) in first.items()}


def reprints(spark, articles) -> dict[str, str]:
    """``{reprint id: original id}`` of an RDD of article dicts (id, order, published, text)."""
    from pyspark.ml.feature import HashingTF, MinHashLSH
    from pyspark.sql import functions as F

    rows = articles.map(lambda a: (a["id"], a["order"], a["published"],
                                   sorted(g.decode() for g in reprint_rules.shingles(a["text"]))))
    frame = spark.createDataFrame(rows, "id string, order string, published string, shingles array<string>")
    frame = frame.filter(F.size("shingles") >= reprint_rules.MIN_SHINGLES)
    features = HashingTF(inputCol="shingles", outputCol="features", binary=True,
                         numFeatures=FEATURES).transform(frame)
    if features.isEmpty():
        return {}
    model = MinHashLSH(inputCol="features", outputCol="hashes", numHashTables=HASH_TABLES,
                       seed=20240601).fit(features)
    pairs = (model.approxSimilarityJoin(features, features, 1 - reprint_rules.THRESHOLD, "distance")
             .where(F.col("datasetA.id") < F.col("datasetB.id"))
             .select(F.col("datasetA.id").alias("a"), F.col("datasetB.id").alias("b"))).collect()
    if not pairs:
        return {}
    members = {r.a for r in pairs} | {r.b for r in pairs}
    keys = {r.id: (r.published or "9999-99-99", r.order, r.id) for r in
            frame.where(F.col("id").isin(list(members))).select("id", "order", "published").collect()}
    parent = {m: m for m in members}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in pairs:
        parent[root(r.a)] = root(r.b)
    groups: dict[str, list[str]] = defaultdict(list)
    for m in members:
        groups[root(m)].append(m)
    out = {}
    for group in groups.values():
        original = min(group, key=keys.__getitem__)
        out.update({m: original for m in group if m != original})
    return out


def canonical_events(mentions, reprint_of: dict[str, str]):
    """Canonical events of an RDD of mergeable event dicts: (RDD of canonical_events rows,
    pair RDD of (event id, canonical id))."""
    merged = (mentions.map(lambda m: ((m["type"], m["source_key"], m["target_key"]), m))
              .groupByKey().flatMap(lambda group: _merge_key(group[0], group[1], reprint_of))
              .cache())
    rows = merged.filter(lambda item: item[0] == "canonical").map(lambda item: item[1])
    assigned = merged.filter(lambda item: item[0] == "event").map(lambda item: item[1])
    return rows, assigned


def _merge_key(key: tuple[str, str, str], mentions, reprint_of: dict[str, str]):
    """Merge the mentions of one key in input order, as linking does article by article."""
    event_type, source_key, target_key = key
    candidates: list[merge.CanonicalEvent] = []
    for m in sorted(mentions, key=lambda m: (m["order"], m["position"])):
        chosen = merge.choose(candidates, m["event_date"], m["published"], m["historical"])
        if chosen is None:
            chosen = merge.CanonicalEvent(merge.canonical_id_for(m["event_id"]), event_type,
                                          m["event_date"], source_key, target_key)
            candidates.append(chosen)
        chosen.mentions.append(merge.Mention(
            m["event_id"], m["article_id"], m["outlet"], m["published"],
            reprint_of.get(m["article_id"]), m["sentence"], m["score"], m["historical"]))
        yield "event", (m["event_id"], chosen.id)
    for c in candidates:
        yield "canonical", {"id": c.id, "type": c.type, "date": c.date, "source_key": c.source_key,
                            "target_key": c.target_key, "article_count": c.article_count,
                            "outlet_count": c.outlet_count, "first_reported": c.first_reported,
                            "last_reported": c.last_reported, "story_id": None}


DYAD_SERIES = """
WITH sides AS (
  SELECT event_id, role, key FROM event_actors
  LATERAL VIEW explode(array(country, actor_id)) keys AS key
  WHERE key IS NOT NULL
), pairs AS (
  SELECT DISTINCT least(s.key, t.key) AS a, greatest(s.key, t.key) AS b, s.event_id
  FROM sides s JOIN sides t
    ON t.event_id = s.event_id AND s.role = 'source' AND t.role = 'target'
), reports AS (
  SELECT p.a, p.b, e.id, e.type, e.score, coalesce(e.canonical_id, e.id) AS happening,
         e.canonical_id, c.date AS canonical_date, coalesce(e.date, a.published) AS own_date,
         struct(coalesce(a.published, '9999-99-99') AS published, e.id AS id) AS rank
  FROM pairs p
  JOIN events e ON e.id = p.event_id
  JOIN articles a ON a.id = e.article_id
  LEFT JOIN canonical_events c ON c.id = e.canonical_id
  WHERE NOT e.negated AND NOT e.future AND NOT e.hypothetical
), happenings AS (
  SELECT a, b, happening, min_by(type, rank) AS type,
         coalesce(first(canonical_date, true), min_by(own_date, rank)) AS date,
         avg(score) AS score
  FROM reports GROUP BY a, b, happening
), placed AS (
  SELECT *, CASE WHEN length(date) >= 10 THEN substr(date, 1, 7)
                 WHEN length(date) = 7 AND substr(date, 5, 1) = '-' THEN date END AS period
  FROM happenings
)
SELECT a, b, period, type, count(*) AS happenings, sum(score) AS score_sum,
       count(score) AS scored
FROM placed WHERE period IS NOT NULL
GROUP BY a, b, period, type
"""


def dyad_series(spark, output: str):
    """The monthly dyad series of every pair of actors in a written output (a DataFrame of
    a, b (a <= b), period, type, happenings, score_sum, scored)."""
    for name in ("events", "event_actors", "articles", "canonical_events"):
        spark.read.parquet(f"{output}/{name}").createOrReplaceTempView(name)
    return spark.sql(DYAD_SERIES)
