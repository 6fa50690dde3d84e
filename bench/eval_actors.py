"""Actor resolution: accuracy on PLOVER gold, coverage on ConfliBERT actor spans, and speed.

    .venv/bin/python bench/eval_actors.py [--shared ../shared] [--limit 100] [--json out.json]

1. ``eventwire eval actors`` on events/plover_gsr_dev.json (country accuracy of
   ``resolve_actor`` over every source/target actorText), plus the same figure on two halves
   of the records (record number 1 or 3 modulo 4);
2. coverage on events/confli_cameo_ner_train.txt: the share of gold source/target actor spans
   for which ``resolve_actor`` finds an actor, and an actor with a country or an IGO;
3. speed: ``resolve_actor`` calls per second, and the actors stage per article on the first
   ``--limit`` corpus articles against spaCy's own time on the same texts.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

from eventwire import evaluation, nlp
from eventwire.actors import resolve_actor, resolve_actors
from eventwire.records import Article, ParsedArticle
from eventwire.settings import Settings


def confli_spans(path: Path) -> list[tuple[str, str]]:
    """(role, text) of every B-/I- span in the CoNLL file."""
    spans: list[tuple[str, str]] = []
    current: list[str] = []
    role = ""
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        parts = line.rsplit(" ", 1)
        tag = parts[1] if len(parts) == 2 else "O"
        if tag.startswith("I-") and current:
            current.append(parts[0])
            continue
        if current:
            spans.append((role, " ".join(current)))
            current = []
        if tag.startswith("B-"):
            role, current = tag[2:], [parts[0]]
    return spans


def halves(gold: Path, settings: Settings) -> dict[str, float]:
    """Country accuracy on two halves of the records (record number 1 or 3 modulo 4)."""
    records = json.loads(gold.read_text(encoding="utf-8"))
    out = {}
    for name, rest in (("n%4==1", 1), ("n%4==3", 3)):
        part = [r for r in records if isinstance(r, dict) and r.get("event")
                and int(str(r.get("id", "0")).rsplit("-", 1)[-1] or 0) % 4 == rest]
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
            json.dump(part, fh)
        report = evaluation.run("actors", Path(fh.name), settings)
        os.unlink(fh.name)
        out[name] = report.metrics["country_acc"]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=os.environ.get("EVENTWIRE_SHARED", "../shared"))
    parser.add_argument("--limit", type=int, default=100, help="corpus articles for the speed test")
    parser.add_argument("--json", dest="json_out")
    args = parser.parse_args()
    shared = Path(args.shared)
    settings = Settings()
    figures: dict = {}

    gold = shared / "bench" / "events" / "plover_gsr_dev.json"
    report = evaluation.run("actors", gold, settings)
    print(report.render())
    figures["plover"] = report.metrics
    figures["plover_halves_country_acc"] = halves(gold, settings)
    print(f"\ncountry accuracy on record halves: {figures['plover_halves_country_acc']}")

    spans = confli_spans(shared / "bench" / "events" / "confli_cameo_ner_train.txt")
    resolved = [resolve_actor(text) for _, text in spans]
    found = sum(a is not None for a in resolved)
    located = sum(a is not None and (a.country is not None or a.kind == "igo") for a in resolved)
    figures["confli_coverage"] = {"spans": len(spans), "actor": round(found / len(spans), 4),
                                  "country_or_igo": round(located / len(spans), 4)}
    print(f"\nConfliBERT train actor spans: {len(spans)}; with an actor {found / len(spans):.3f}, "
          f"with a country or IGO {located / len(spans):.3f}")

    started = time.perf_counter()
    for _ in range(10):
        for _, text in spans[:500]:
            resolve_actor(text)
    per_second = 5000 / (time.perf_counter() - started)
    figures["resolve_actor_per_s"] = round(per_second)
    print(f"resolve_actor: {per_second:,.0f} phrases/s")

    corpus = shared / "corpus" / "allsides_sample_3000.jsonl.gz"
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["content_original"] for line in islice(fh, args.limit)]
    started = time.perf_counter()
    docs = list(nlp.parse(texts, settings.model, settings.batch_size))
    spacy_s = time.perf_counter() - started
    started = time.perf_counter()
    mentions = 0
    for text, doc in zip(texts, docs):
        parsed = resolve_actors(ParsedArticle(Article(id="b", text=text), doc), settings)
        mentions += len(parsed.mentions)
    stage_s = time.perf_counter() - started
    figures["stage"] = {"articles": len(texts), "spacy_s": round(spacy_s, 2),
                        "actors_s": round(stage_s, 2), "share_of_spacy": round(stage_s / spacy_s, 4),
                        "mentions_per_article": round(mentions / len(texts), 1)}
    print(f"actors stage on {len(texts)} corpus articles: {stage_s:.2f} s "
          f"({stage_s / spacy_s:.1%} of spaCy's {spacy_s:.2f} s), "
          f"{mentions / len(texts):.1f} mentions per article")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
