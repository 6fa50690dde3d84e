"""Merge annotation work files into eventwire's labelled set (docs/annotation.md).

    .venv/bin/python bench/annotation_merge.py --candidates candidates.jsonl \
        --labels 'labels/batch_*.labels.jsonl' --recall 'labels/recall_*.labels.jsonl' \
        [--demo-candidates demo.jsonl --demo-labels labels/demo.labels.jsonl] \
        [--out eventwire/data/labels/events.jsonl]
    .venv/bin/python bench/annotation_merge.py --append --candidates more.jsonl \
        --labels 'labels/more_*.labels.jsonl'

``--append`` adds the labels of a later round (new ids) to the existing file and keeps every
record already there; a round may draw its candidates differently (its ``draw`` field, e.g.
among the candidates the shipped model scores at 0.1 or more) as long as it only labels
``train`` articles: the tune and test parts stay random samples.

``--audit`` adds labels of **test** articles drawn as every unlabelled candidate a shipped model
shows (``draw`` "shown"): they only widen the audit's measure of precision (and of the
calibration of the shown range); recall counts the random sample alone, and no model is fitted
or tuned on the test part.

    .venv/bin/python bench/annotation_merge.py --audit --candidates shown.jsonl \
        --labels 'labels/shown_*.labels.jsonl'

Each candidate label is joined to its candidate (corpus line and offsets, what eventwire
proposed); recall files list the real acts of whole articles. Every record gets the guideline
version and the split of its article (train 60 %, tune 20 %, test 20 %, by corpus line with a
fixed seed). Text is never copied: labels are keyed by offsets into the corpus.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
from pathlib import Path

GUIDELINE = "1.1"
SEED = "eventwire-labels-1"
LABEL_FIELDS = ("real", "reason", "type_ok", "type", "source_ok", "source", "target_ok", "target",
                "date_ok", "date")


def split_of(line: int | str) -> str:
    """train / tune / test for a corpus line (or a demo document), fixed by the seed."""
    value = int.from_bytes(hashlib.sha256(f"{SEED}\x00{line}".encode()).digest()[:8], "big") / 2**64
    return "train" if value < 0.6 else "tune" if value < 0.8 else "test"


def read_jsonl(pattern: str) -> list[dict]:
    records = []
    for path in sorted(glob.glob(pattern)):
        for raw in Path(path).read_text(encoding="utf-8").splitlines():
            if raw.strip():
                records.append(json.loads(raw))
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", required=True)
    parser.add_argument("--labels", required=True)
    parser.add_argument("--recall", help="acts of articles read whole (required without --append)")
    parser.add_argument("--append", action="store_true", help="add new labelled candidates to --out")
    parser.add_argument("--audit", action="store_true",
                        help="add labels of the test part's shown candidates to --out (precision only)")
    parser.add_argument("--demo-candidates", help="candidates of the demo corpus (annotation_demo_candidates.py)")
    parser.add_argument("--demo-labels", help="their labels")
    parser.add_argument("--out", default="eventwire/data/labels/events.jsonl")
    args = parser.parse_args(argv)
    candidates = {c["id"]: c for c in read_jsonl(args.candidates)}
    labels: dict[str, dict] = {}
    for record in read_jsonl(args.labels):
        labels[record["id"]] = record  # a later line for the same id wins
    if args.append or args.audit:
        return append(candidates, labels, Path(args.out), part="test" if args.audit else "train")
    if not args.recall:
        parser.error("--recall is required without --append")
    out = []
    for cid, label in sorted(labels.items()):
        candidate = candidates[cid]
        out.append({"id": cid, "guideline": GUIDELINE, "corpus": "allsides_sample_3000", "kind": "candidate",
                    "line": candidate["line"], "sentence": candidate["sentence"],
                    "trigger": candidate["trigger"], "sentence_sha1": candidate["sentence_sha1"],
                    "proposed": candidate["proposed"], **{k: label.get(k) for k in LABEL_FIELDS},
                    "split": split_of(candidate["line"])})
    for n, act in enumerate(read_jsonl(args.recall), start=1):
        base = {"id": f"a{n:04d}", "guideline": GUIDELINE, "corpus": "allsides_sample_3000",
                "line": act["line"], "split": split_of(act["line"])}
        if act.get("no_acts"):
            out.append({**base, "kind": "no_acts"})
        else:
            out.append({**base, "kind": "act", "sentence": act["sentence"], "trigger_word": act["trigger"],
                        "type": act["type"], "source": act["source"], "target": act["target"],
                        "date": act.get("date")})
    if args.demo_candidates and args.demo_labels:
        demo = {c["id"]: c for c in read_jsonl(args.demo_candidates)}
        demo_labels = {r["id"]: r for r in read_jsonl(args.demo_labels)}
        for cid, label in sorted(demo_labels.items()):
            candidate = demo[cid]
            out.append({"id": cid, "guideline": GUIDELINE, "corpus": "demo", "kind": "candidate",
                        "document": candidate["document"], "sentence": candidate["sentence"],
                        "trigger": candidate["trigger"], "proposed": candidate["proposed"],
                        **{k: label.get(k) for k in LABEL_FIELDS}, "split": split_of(candidate["document"])})
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as handle:
        for record in out:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    kinds = {}
    for r in out:
        kinds[(r["kind"], r["split"])] = kinds.get((r["kind"], r["split"]), 0) + 1
    print(f"wrote {len(out)} records to {args.out}: " + ", ".join(f"{k[0]}/{k[1]} {v}" for k, v in sorted(kinds.items())))
    return 0


def append(candidates: dict[str, dict], labels: dict[str, dict], out: Path, part: str = "train") -> int:
    """Add the labels of a later round to the labelled set: training articles, or for an
    audit the test part's shown candidates (draw "shown")."""
    existing = read_jsonl(str(out))
    ids = {r["id"] for r in existing}
    added = []
    for cid, label in sorted(labels.items()):
        candidate = candidates[cid]
        if cid in ids:
            raise SystemExit(f"{cid}: id already in {out}")
        if split_of(candidate["line"]) != part:
            raise SystemExit(f"{cid}: line {candidate['line']} is not a {part} article")
        if part == "test" and candidate.get("draw") != "shown":
            raise SystemExit(f"{cid}: an audit labels only shown candidates (draw 'shown')")
        added.append({"id": cid, "guideline": GUIDELINE, "corpus": "allsides_sample_3000", "kind": "candidate",
                      "line": candidate["line"], "sentence": candidate["sentence"],
                      "trigger": candidate["trigger"], "sentence_sha1": candidate["sentence_sha1"],
                      "proposed": candidate["proposed"], **{k: label.get(k) for k in LABEL_FIELDS},
                      "split": part, "draw": candidate.get("draw", "random")})
    with open(out, "a", encoding="utf-8") as handle:
        for record in added:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"added {len(added)} labelled candidates to {out} ({len(existing) + len(added)} records)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
