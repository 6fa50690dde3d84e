"""Story clustering on BASIL (three outlets per story): B-cubed precision, recall and F1.

The articles go through the real pipeline, then through the online clusterer in date order,
as a news stream would deliver them. The gold cluster of an article is its ``triplet-uuid``.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

from ..records import Article, ProcessingError, RawDocument
from ..settings import Settings
from .report import EvalReport


def bcubed(gold: Mapping[str, str], predicted: Mapping[str, str]) -> dict[str, float]:
    """B-cubed precision, recall and F1 of a clustering (item -> cluster label) against gold.

    Precision of an item: the share of its predicted cluster that is in its gold cluster;
    recall: the share of its gold cluster that is in its predicted cluster; both averaged
    over the gold items. An item missing from ``predicted`` is a cluster of its own.
    """
    if not gold:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    predicted = {item: predicted.get(item, ("__alone__", item)) for item in gold}
    gold_members: dict[str, set[str]] = defaultdict(set)
    pred_members: dict[object, set[str]] = defaultdict(set)
    for item in gold:
        gold_members[gold[item]].add(item)
        pred_members[predicted[item]].add(item)
    precision = recall = 0.0
    for item in gold:
        g, p = gold_members[gold[item]], pred_members[predicted[item]]
        shared = len(g & p)
        precision += shared / len(p)
        recall += shared / len(g)
    p, r = precision / len(gold), recall / len(gold)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def read_basil(data: Path) -> list[tuple[RawDocument, str]]:
    """BASIL article files as raw documents with their gold story id, in date order."""
    root = data / "articles" if (data / "articles").is_dir() else data
    items = []
    for path in sorted(root.rglob("*.json")):
        if path.name.endswith("_ann.json"):
            continue
        record = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = record.get("body-paragraphs") or []
        text = "\n\n".join(" ".join(sentences) for sentences in paragraphs)
        raw = RawDocument(origin=str(path), text=text, title=record.get("title"), url=record.get("url"),
                          published=record.get("date"), outlet=(record.get("source") or "").lower(),
                          source_path=str(path))
        items.append((raw, record["triplet-uuid"]))
    items.sort(key=lambda x: (x[0].published or "", x[0].origin))
    return items


def processed_basil(data: Path, settings: Settings) -> tuple[list[Article], dict[str, str], list[str]]:
    """BASIL through the pipeline: articles in date order, gold story per article id, failures."""
    from .. import pipeline
    items = read_basil(data)
    articles, gold, failed = [], {}, []
    for (raw, story), result in zip(items, pipeline.process_documents([r for r, _ in items], settings)):
        if isinstance(result, ProcessingError):
            failed.append(str(result))
            continue
        articles.append(result)
        gold[result.id] = story
    return articles, gold, failed


def run(data: Path, settings: Settings) -> EvalReport:
    from ..stories import clusters
    started = time.perf_counter()
    articles, gold, failed = processed_basil(data, settings)
    predicted = clusters.cluster_articles(articles, "tfidf")
    no_window = clusters.cluster_articles(articles, "tfidf", window_days=100_000)
    metrics = {**bcubed(gold, predicted), "stories": len(set(predicted.values()))}
    report = EvalReport(
        task="stories", data=str(data), items=len(articles), metrics=metrics,
        peers={"tfidf, no time window": {**bcubed(gold, no_window),
                                         "stories": len(set(no_window.values()))}},
        seconds=time.perf_counter() - started)
    report.notes.append(f"gold stories: {len(set(gold.values()))}; B-cubed over articles")
    by_story = defaultdict(list)
    for article in articles:
        by_story[predicted[article.id]].append(article)
    for members in by_story.values():
        stories_in = {gold[a.id] for a in members}
        if len(stories_in) > 1:
            report.errors.append({"kind": "merged", "titles": [a.title for a in members]})
    for story in set(gold.values()):
        parts = {predicted[a.id] for a in articles if gold[a.id] == story}
        if len(parts) > 1:
            report.errors.append({"kind": "split", "titles": [a.title for a in articles
                                                              if gold[a.id] == story]})
    report.notes.extend(f"failed: {f}" for f in failed)
    return report
