"""What each stage takes from each spaCy component, and what each component costs.

    .venv/bin/python bench/components.py [--limit 40]

Runs the pipeline over the first N articles of corpus/allsides_sample_3000.jsonl.gz once with
every component and once with each optional component left out (``OPTIONAL``), and prints per component: its CPU time per article and
share of the parse, and how many actor mentions, events and quotes change without it (records
compared by offsets, type and actors). A component no stage uses changes nothing and can be
disabled; one that changes records cannot be, whatever it costs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import time
from itertools import islice
from pathlib import Path

from eventwire import nlp, pipeline
from eventwire.records import Article, RawDocument
from eventwire.settings import Settings

# Left out one at a time. Not the parser: the actors, events and quotes stages walk its tree
# (heads, children, dependency labels) in every sentence, and spaCy 3.7 crashes (a segmentation
# fault in Token.children) on a Doc whose sentences came from the senter without a parse.
OPTIONAL = ("tagger", "attribute_ruler", "lemmatizer", "ner")


def corpus(path: Path, limit: int) -> list[RawDocument]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        records = (json.loads(line) for line in lines if line.strip())
        return [RawDocument(origin=f"{path}:{n}", text=r.get("content_original") or "",
                            published=(r.get("date") or None), title=r.get("title"))
                for n, r in enumerate(islice(records, limit), start=1)]


def outputs(articles: list[Article]) -> dict[str, set]:
    """The records of a run, as comparable keys per stage."""
    return {
        "actors": {(a.id, m.start, m.end, m.actor_id) for a in articles for m in a.mentions},
        "events": {(a.id, e.evidence.start, e.type, tuple(m.actor_id for m in e.source),
                    tuple(m.actor_id for m in e.target), e.date) for a in articles for e in a.events},
        "quotes": {(a.id, q.start, q.end, q.speaker.actor_id if q.speaker else None)
                   for a in articles for q in a.quotes},
    }


def component_seconds(model, texts: list[str]) -> dict[str, float]:
    """CPU seconds of each component over the texts (each run on the output of the ones before)."""
    docs = [model.make_doc(t) for t in texts]
    spent = {}
    for name, component in model.pipeline:
        started = time.process_time()
        docs = list(component.pipe(docs, batch_size=32)) if hasattr(component, "pipe") \
            else [component(d) for d in docs]
        spent[name] = time.process_time() - started
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("EVENTWIRE_SHARED", "../shared")))
    args = parser.parse_args()
    settings = Settings()
    raws = corpus(args.shared / "corpus" / "allsides_sample_3000.jsonl.gz", args.limit)
    model = nlp.load(settings.model)
    full = [a for a in pipeline.process_documents(raws, settings) if isinstance(a, Article)]
    reference = outputs(full)
    spent = component_seconds(model, [a.text for a in full])
    total = sum(spent.values())
    print(f"{len(full)} articles; load average {os.getloadavg()[0]:.1f}; pipeline {model.pipe_names}")
    print(f"records with every component: {', '.join(f'{len(v)} {k}' for k, v in reference.items())}\n")
    print("| component | CPU ms/article | share of the parse | actor mentions changed | "
          "events changed | quotes changed |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in [n for n, _ in model.pipeline]:
        row = f"| {name} | {1000 * spent[name] / len(full):.1f} | {100 * spent[name] / total:.1f} % |"
        if name not in OPTIONAL:
            why = "the stages read its tree" if name == "parser" else "needed by the others"
            print(row + f" ({why}) | | |")
            continue
        enable = ["senter"] if name == "parser" and "senter" in model.disabled else []
        for other in enable:
            model.enable_pipe(other)
        try:
            with model.select_pipes(disable=[name]):
                without = outputs([a for a in pipeline.process_documents(raws, settings)
                                   if isinstance(a, Article)])
        finally:
            for other in enable:
                model.disable_pipe(other)
        changed = {k: len(reference[k] ^ without[k]) for k in reference}
        print(row + "".join(f" {changed[k]} of {len(reference[k])} |" for k in reference), flush=True)


if __name__ == "__main__":
    main()
