"""Write every event candidate of the demo corpus (examples/corpus, written for eventwire) for
annotation, with its sentence: the demo texts are the project's own, so they may be shown.

    .venv/bin/python bench/annotation_demo_candidates.py --out demo_candidates.jsonl

Candidates are keyed by the document (its origin, "file" or "file:line" for JSON lines) and
offsets into eventwire's clean text of it (the demo corpus does not change).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from eventwire import ingest, pipeline
from eventwire.records import ProcessingError
from eventwire.settings import Settings

DEMO = Path(__file__).resolve().parent.parent / "examples" / "corpus"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    settings = Settings()
    n = 0
    with open(args.out, "w", encoding="utf-8") as out:
        for result in pipeline.process_documents(ingest.read_paths([str(DEMO)], settings), settings):
            if isinstance(result, ProcessingError):
                continue
            origin = Path(result.source_path or "").name
            for event in result.events:
                n += 1
                words = (event.trigger or "").split()
                at = event.evidence.sentence.find(words[0]) if words else -1
                out.write(json.dumps({
                    "id": f"d{n:04d}", "document": origin, "article_id": result.id,
                    "sentence": [event.evidence.start, event.evidence.end],
                    "trigger": [event.evidence.start + at, event.evidence.start + at + len(words[0])] if at >= 0 else None,
                    "text": event.evidence.sentence, "published": result.published,
                    "proposed": {"type": event.type, "cameo": event.cameo, "trigger": event.trigger,
                                 "source": [m.country or m.actor_id or m.text for m in event.source],
                                 "target": [m.country or m.actor_id or m.text for m in event.target],
                                 "date": event.date, "date_basis": event.date_basis,
                                 "reciprocal": event.reciprocal,
                                 "modality": [k for k, v in event.modality.to_dict().items() if v]},
                }, ensure_ascii=False) + "\n")
    print(f"{n} demo candidates")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
