"""Draw the event candidates of real news to annotate (docs/annotation.md).

    .venv/bin/python bench/annotation_candidates.py [--shared ../shared] [--lines 1-1500]
        [--sample 2400] [--seed 9] --out candidates.jsonl

Runs the pipeline over the given lines of corpus/allsides_sample_3000.jsonl.gz (1-based, the
annotation uses lines 1-1500 only, so the rest stays unseen), collects every event candidate
(factual or not), and writes a random sample with a fixed seed: corpus line, the candidate's
sentence and trigger as offsets into the line's ``content_original`` (the raw text, so the keys
survive changes to extraction), and what eventwire proposed. No article text is written.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import sys
from pathlib import Path

from eventwire import pipeline
from eventwire.records import RawDocument
from eventwire.settings import Settings


def raw_offsets(raw: str, text: str, start: int, end: int) -> tuple[int, int] | None:
    """Offsets of text[start:end] in the raw article, found by the exact string."""
    piece = text[start:end]
    at = raw.find(piece)
    return (at, at + len(piece)) if at >= 0 else None


def candidate_record(line: int, raw: str, article, event) -> dict | None:
    sentence = raw_offsets(raw, article.text, event.evidence.start, event.evidence.end)
    if sentence is None:
        return None
    words = (event.trigger or "").split()
    trigger_at = event.evidence.sentence.find(words[0]) if words else -1
    trigger = (sentence[0] + trigger_at, sentence[0] + trigger_at + len(words[0])) if trigger_at >= 0 else None
    return {
        "line": line, "sentence": list(sentence), "trigger": list(trigger) if trigger else None,
        "sentence_sha1": hashlib.sha1(event.evidence.sentence.encode("utf-8")).hexdigest()[:12],
        "proposed": {
            "type": event.type, "cameo": event.cameo, "trigger": event.trigger,
            "source": [m.country or m.actor_id or m.text for m in event.source],
            "target": [m.country or m.actor_id or m.text for m in event.target],
            "date": event.date, "date_basis": event.date_basis, "reciprocal": event.reciprocal,
            "modality": [k for k, v in event.modality.to_dict().items() if v],
        },
        "published": article.published,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--lines", default="1-1500")
    parser.add_argument("--sample", type=int, default=2400)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    first, last = (int(x) for x in args.lines.split("-"))
    corpus = Path(args.shared) / "corpus" / "allsides_sample_3000.jsonl.gz"
    raws, docs = {}, []
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if number < first:
                continue
            if number > last:
                break
            item = json.loads(line)
            raws[number] = item.get("content_original") or ""
            docs.append(RawDocument(origin=f"{corpus}:{number}", text=raws[number], url=item.get("url"),
                                    title=item.get("title"), published=item.get("date") or None,
                                    outlet=item.get("source")))
    settings = Settings()
    candidates = []
    for number, result in zip(range(first, last + 1), pipeline.process_documents(docs, settings)):
        if not hasattr(result, "events"):
            continue
        for event in result.events:
            record = candidate_record(number, raws[number], result, event)
            if record is not None:
                candidates.append(record)
    print(f"{len(candidates)} candidates in lines {first}-{last}", file=sys.stderr)
    chosen = random.Random(args.seed).sample(candidates, min(args.sample, len(candidates)))
    chosen.sort(key=lambda r: (r["line"], r["sentence"][0]))
    with open(args.out, "w", encoding="utf-8") as out:
        for n, record in enumerate(chosen, start=1):
            out.write(json.dumps({"id": f"c{n:04d}", **record}, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
