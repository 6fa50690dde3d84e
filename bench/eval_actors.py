"""Actor resolution: accuracy on actor cases and PLOVER gold (tuning / held-out), and speed.

    .venv/bin/python bench/eval_actors.py [--shared ../shared] [--limit 60] [--json out.json]

1. ``eventwire eval actors`` on bench/actor_cases.tsv (actors as news names them, with the
   article's date: country and sector accuracy) and on events/plover_gsr_dev.json (every
   source/target actorText), each split by a fixed seed into a tuning and a held-out part;
   the figures alone (no errors) of the evaluation-only case files actor_cases_2.tsv and
   actor_cases_3.tsv;
2. coverage on events/confli_cameo_ner_train.txt: the share of gold source/target actor spans
   for which ``resolve_actor`` finds an actor, and an actor with a country or an IGO;
3. speed: loading the knowledge in a fresh process (compiled from the files, and from the
   on-disk cache), resolving 10,000 mentions with ``resolve_actor``, and the actors stage on
   the first ``--limit`` corpus articles against the whole processing time (spaCy, actors,
   events, quotes), with the converted dictionaries and without them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path

from eventwire import evaluation, events, nlp, quotes
from eventwire.actors import resolve_actor, resolve_actors
from eventwire.actors.knowledge import load_knowledge
from eventwire.actors.memory import analyse
from eventwire.evaluation.actors import gold_items
from eventwire.records import Article, ParsedArticle
from eventwire.settings import Settings

REPO = Path(__file__).resolve().parent.parent
LOAD = ("import time; t = time.perf_counter(); "
        "from eventwire.actors.knowledge import load_knowledge; t1 = time.perf_counter(); "
        "kb = load_knowledge(()); print(round(time.perf_counter() - t1, 3), len(kb.people))")


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


def load_seconds(cache: str) -> float:
    """Seconds to load the knowledge in a fresh process (import time excluded)."""
    env = dict(os.environ, EVENTWIRE_CACHE=cache)
    out = subprocess.run([sys.executable, "-c", LOAD], capture_output=True, text=True, env=env,
                         cwd=REPO, check=True)
    return float(out.stdout.split()[0])


def stage_timing(texts: list[str], settings: Settings) -> dict:
    """Per-article seconds of spaCy, the actors stage (with and without the converted
    dictionaries), events and quotes, on the same parses."""
    started = time.perf_counter()
    docs = list(nlp.parse(texts, settings.model, settings.batch_size))
    spacy_s = time.perf_counter() - started
    full, hand = load_knowledge(()), load_knowledge((), dictionaries=False)
    timings = {"actors_hand_only": 0.0, "actors": 0.0, "events": 0.0, "quotes": 0.0}
    mentions = 0
    for n, (text, doc) in enumerate(zip(texts, docs)):
        analyse(doc, hand)  # warm up the doc's own lazily computed attributes first
        # both knowledge sets on the same parse, in alternating order
        for which in (("hand", "full") if n % 2 else ("full", "hand")):
            doc.user_data.clear()
            t = time.perf_counter()
            if which == "hand":
                analyse(doc, hand)
                timings["actors_hand_only"] += time.perf_counter() - t
            else:
                parsed = resolve_actors(ParsedArticle(Article(id="b", text=text), doc), settings)
                timings["actors"] += time.perf_counter() - t
        doc.user_data.clear()
        parsed = resolve_actors(ParsedArticle(Article(id="b", text=text), doc), settings)
        assert parsed.doc.user_data["eventwire.actors"].kb is full
        mentions += len(parsed.mentions)
        t = time.perf_counter()
        events.code_events(parsed, settings)
        timings["events"] += time.perf_counter() - t
        t = time.perf_counter()
        quotes.find_quotes(parsed, settings)
        timings["quotes"] += time.perf_counter() - t
    total = spacy_s + timings["actors"] + timings["events"] + timings["quotes"]
    added = timings["actors"] - timings["actors_hand_only"]
    n = len(texts)
    return {"articles": n, "ms_per_article": {k: round(1000 * v / n, 1) for k, v in
                                              {"spacy": spacy_s, **timings}.items()},
            "actors_share_of_processing": round(timings["actors"] / total, 4),
            "dictionaries_add_to_processing": round(added / (total - added), 4),
            "mentions_per_article": round(mentions / n, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=os.environ.get("EVENTWIRE_SHARED", "../shared"))
    parser.add_argument("--limit", type=int, default=60, help="corpus articles for the speed test")
    parser.add_argument("--json", dest="json_out")
    args = parser.parse_args()
    shared = Path(args.shared)
    settings = Settings()
    figures: dict = {}

    cases = REPO / "bench" / "actor_cases.tsv"
    report = evaluation.run("actors", cases, settings)
    print(report.render().split("\nnote: error")[0])
    figures["cases"] = report.metrics
    # the later case files are evaluation files only: their figures, never their errors
    for name in ("actor_cases_2.tsv", "actor_cases_3.tsv"):
        report = evaluation.run("actors", REPO / "bench" / name, settings)
        figures[name.removesuffix(".tsv")] = report.metrics
        print(f"\n{name}: {report.items} cases; " + ", ".join(
            f"{k} {v:.4f}" for k, v in report.metrics.items()))
    gold = shared / "bench" / "events" / "plover_gsr_dev.json"
    report = evaluation.run("actors", gold, settings)
    print("\n" + report.render())
    figures["plover"] = report.metrics

    spans = confli_spans(shared / "bench" / "events" / "confli_cameo_ner_train.txt")
    resolved = [resolve_actor(text) for _, text in spans]
    found = sum(a is not None for a in resolved)
    located = sum(a is not None and (a.country is not None or a.kind == "igo") for a in resolved)
    figures["confli_coverage"] = {"spans": len(spans), "actor": round(found / len(spans), 4),
                                  "country_or_igo": round(located / len(spans), 4)}
    print(f"\nConfliBERT train actor spans: {len(spans)}; with an actor {found / len(spans):.3f}, "
          f"with a country or IGO {located / len(spans):.3f}")

    with tempfile.TemporaryDirectory() as cache:
        cold = load_seconds("off")
        load_seconds(cache)  # builds the cache
        warm = min(load_seconds(cache) for _ in range(3))
    figures["load_seconds"] = {"compiled_from_files": cold, "from_cache": warm}
    print(f"knowledge load in a fresh process: {cold:.2f} s compiled from the files, "
          f"{warm:.2f} s from the cache")

    items, _ = gold_items(gold)
    texts = [t for _, t in spans] + [i["text"] for i in items]
    mentions = list(islice(cycle(texts), 10_000))
    started = time.perf_counter()
    for text in mentions:
        resolve_actor(text)
    seconds = time.perf_counter() - started
    figures["resolve_10000_seconds"] = round(seconds, 2)
    print(f"resolve_actor on 10,000 mentions: {seconds:.2f} s ({10_000 / seconds:,.0f} per second)")

    corpus = shared / "corpus" / "allsides_sample_3000.jsonl.gz"
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["content_original"] for line in islice(fh, args.limit)]
    figures["stage"] = stage_timing(texts, settings)
    s = figures["stage"]
    print(f"on {s['articles']} corpus articles, ms per article: {s['ms_per_article']}; "
          f"actors stage {s['actors_share_of_processing']:.1%} of processing; the converted "
          f"dictionaries add {s['dictionaries_add_to_processing']:.1%} to processing time; "
          f"{s['mentions_per_article']} mentions per article")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
