"""What eventwire reads from the five seed articles: metadata, removed lines, events and quotes.

    .venv/bin/python bench/seeds_report.py [--shared ../shared] [--json out.json]

Prints, per seed, the outlet, date (or why it is missing), reprint flag, title, how many
boilerplate lines were removed, every event (type, source -> target countries, modality) and
every quote speaker; then totals. The figures go into BENCHMARKS.md, "Seeds run".
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter
from pathlib import Path

from eventwire import ingest, pipeline
from eventwire.records import Article, ProcessingError
from eventwire.settings import Settings


def _parties(mentions) -> str:
    return "+".join(sorted({m.country or m.actor_id or m.text for m in mentions})) or "-"


def _modality(event) -> str:
    flags = [k for k, v in event.modality.to_dict().items() if v]
    return ",".join(flags) or "factual"


def describe(name: str, article: Article) -> dict:
    """One seed's figures as a plain dict."""
    return {
        "seed": name,
        "outlet": article.outlet,
        "published": article.published,
        "published_note": article.published_note,
        "reprint": article.reprint,
        "title": article.title,
        "removed_lines": len(article.removed),
        "actors": sorted({a.country for a in article.actors if a.country}),
        "events": [{"type": e.type, "source": _parties(e.source), "target": _parties(e.target),
                    "modality": _modality(e), "date": e.date} for e in article.events],
        "quotes": [{"kind": q.kind, "speaker": (q.speaker.name or q.speaker.text) if q.speaker else None,
                    "country": q.speaker.country if q.speaker else None} for q in article.quotes],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=os.environ.get("EVENTWIRE_SHARED", "../shared"))
    parser.add_argument("--json", dest="json_out")
    args = parser.parse_args()
    seeds = Path(args.shared) / "seeds"
    if not seeds.is_dir():
        raise SystemExit(f"seeds not found at {seeds}: pass --shared or set EVENTWIRE_SHARED")
    settings = Settings()
    paths = sorted(str(p) for p in seeds.glob("*.txt"))
    started = time.perf_counter()
    results = list(pipeline.process_documents(ingest.read_paths(paths, settings), settings))
    seconds = time.perf_counter() - started
    out = []
    for path, result in zip(paths, results):
        name = Path(path).name
        if isinstance(result, ProcessingError):
            print(f"{name}: FAILED {result}")
            continue
        d = describe(name, result)
        out.append(d)
        print(f"\n{name}: outlet={d['outlet']} published={d['published']} reprint={d['reprint']} "
              f"removed={d['removed_lines']} lines")
        if d["published"] is None:
            print(f"  date: {d['published_note']}")
        print(f"  title: {d['title']}")
        print(f"  actor countries: {', '.join(d['actors'])}")
        for e in d["events"]:
            print(f"  event {e['type']:<9} {e['source']:>18} -> {e['target']:<18} {e['modality']:<22}"
                  f" {e['date'] or '-'}")
        for q in d["quotes"]:
            print(f"  quote {q['kind']:<8} {q['speaker'] or '(no speaker)'} ({q['country'] or '-'})")
    events = [e for d in out for e in d["events"]]
    quotes = [q for d in out for q in d["quotes"]]
    modality = Counter(e["modality"] for e in events)
    print(f"\n{len(out)} seeds in {seconds:.1f} s: {len(events)} events "
          f"({modality.get('factual', 0)} factual), {len(quotes)} quotes, "
          f"{sum(1 for q in quotes if q['speaker'])} with a speaker, "
          f"{sum(1 for q in quotes if q['country'])} with a speaker country")
    print("event types: " + ", ".join(f"{t} {n}" for t, n in Counter(e["type"] for e in events).most_common()))
    print("modality: " + ", ".join(f"{m} {n}" for m, n in modality.most_common()))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(out, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
