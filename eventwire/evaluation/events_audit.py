"""Events audit on labelled real news (docs/annotation.md): are the events eventwire shows real?

Runs the pipeline over the articles of one part of the labelled set (``test`` by default, the
part nothing is fitted or tuned on), matches every candidate to its label by corpus line and
offsets, and reports, for the events shown by the confidence model (at its threshold) and for
the rules alone (the events the rules call factual), in the same run:

- precision: shown events that are real current acts of the right type (labelled ones only;
  ``judged`` says how many shown events carry a label); for the model's shown events the labels
  of an audit of them (``draw`` "shown": every shown candidate of the part that the random
  sample missed) count too, for the other rows only the random sample;
- recall: labelled acts of the random sample (real candidates, and the acts of whole articles
  read end to end) shown with the right type;
- type accuracy, and source and target accuracy (by country or organisation, first actor) of
  shown real events that have that side;
- calibration: mean |confidence - share right| over ten confidence bins (expected calibration
  error), and the table.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..events import confidence, training
from ..settings import Settings
from .report import EvalReport


@dataclass
class Judged:
    """One candidate of the audited part and what its label says."""

    line: int
    event: object
    label: dict | None
    raw_sentence: tuple[int, int] | None


def _codes(values) -> set[str]:
    """Country or organisation of actor codes ("USA-LEG" -> "USA", "IGO:NATO" stays)."""
    out = set()
    for v in values or []:
        v = str(v)
        out.add(v if ":" in v else v.split("-")[0].upper())
    return out


def _side_ok(mentions, wanted) -> bool | None:
    """First actor's country (or id) among the wanted codes; None when the label names none."""
    wanted = _codes(wanted)
    if not wanted:
        return None
    if not mentions:
        return False
    m = mentions[0]
    return bool({m.country, m.actor_id} & wanted)


def _sampled(j: Judged) -> bool:
    """A label of the random sample (not of an audit of one model's shown events)."""
    return j.label is not None and j.label.get("draw") != "shown"


def _metrics(candidates: list[Judged], acts: list[dict], shown, audited: bool = False) -> dict[str, float]:
    """The audit figures for one way of choosing which candidates are shown. ``audited``: the
    labels of an audit of the shown events (draw "shown") count for precision and the sides;
    recall always counts the random sample alone."""
    shown_labelled = [j for j in candidates if shown(j) and j.label is not None and (audited or _sampled(j))]
    shown_all = [j for j in candidates if shown(j)]
    right = [j for j in shown_labelled if j.label.get("real") and j.label.get("type") == j.event.type]
    real = [j for j in shown_labelled if j.label.get("real")]
    sources = [ok for j in real if (ok := _side_ok(j.event.source, j.label.get("source"))) is not None]
    targets = [ok for j in real if (ok := _side_ok(j.event.target, j.label.get("target"))) is not None]
    # recall: real candidates and whole-article acts, shown with the right type
    found = 0
    total = 0
    for j in candidates:
        if _sampled(j) and j.label.get("real"):
            total += 1
            found += shown(j) and j.label.get("type") == j.event.type
    for act in acts:
        total += 1
        found += any(shown(j) and j.raw_sentence and j.event.type == act["type"] and j.line == act["line"]
                     and j.raw_sentence[0] < act["sentence"][1] and act["sentence"][0] < j.raw_sentence[1]
                     for j in candidates)
    return {
        "precision": round(len(right) / len(shown_labelled), 4) if shown_labelled else 0.0,
        "judged_share": round(len(shown_labelled) / len(shown_all), 4) if shown_all else 0.0,
        "shown": len(shown_all),
        "recall": round(found / total, 4) if total else 0.0,
        "type_accuracy": round(sum(j.label.get("type") == j.event.type for j in real) / len(real), 4) if real else 0.0,
        "source_accuracy": round(sum(sources) / len(sources), 4) if sources else 0.0,
        "target_accuracy": round(sum(targets) / len(targets), 4) if targets else 0.0,
    }


def calibration(candidates: list[Judged], bins: int = 10) -> tuple[float, list[dict]]:
    """Expected calibration error and the per-bin table over labelled candidates."""
    pairs = [(j.event.confidence, bool(j.label.get("real")) and j.label.get("type") == j.event.type)
             for j in candidates if j.label is not None and j.event.confidence is not None]
    if not pairs:
        return 0.0, []
    conf = np.array([p for p, _ in pairs])
    right = np.array([r for _, r in pairs], dtype=float)
    table, error = [], 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = (conf >= lo) & ((conf < hi) if b < bins - 1 else (conf <= hi))
        if not inside.any():
            continue
        mean_conf, share = float(conf[inside].mean()), float(right[inside].mean())
        error += inside.sum() / len(conf) * abs(mean_conf - share)
        table.append({"bin": f"{lo:.1f}-{hi:.1f}", "events": int(inside.sum()),
                      "mean_confidence": round(mean_conf, 3), "share_right": round(share, 3)})
    return round(float(error), 4), table


def audit(labels: training.Labels, shared: Path, settings: Settings, part: str = "test") -> tuple[list[Judged], list[dict]]:
    """Every candidate of the part's articles, scored by the shipped model and matched to labels."""
    lines = {line for line, split in labels.splits.items() if split == part}
    acts = [a for a in labels.acts if a.get("split") == part and a.get("kind") == "act"]
    judged = []
    for number, raw, article, coded, doc in training.coded_articles(shared, lines, settings, scored=True):
        for c in coded:
            key = training.raw_key(raw, article, c.event)
            label = labels.candidates.get((number, *key)) if key else None
            sentence = (key[0], key[0] + len(c.event.evidence.sentence)) if key else None
            judged.append(Judged(number, c.event, label, sentence))
    return judged, acts


def shown_wrong(candidates: list[Judged], threshold: float) -> list[tuple[str, int]]:
    """The error classes left among shown labelled events: the label's reason, or "wrong type"
    for a real act coded with another type; most frequent first."""
    from collections import Counter
    counts: Counter[str] = Counter()
    for j in candidates:
        if j.label is None or j.event.confidence is None or j.event.confidence < threshold:
            continue
        if not j.label.get("real"):
            counts[j.label.get("reason") or "not real"] += 1
        elif j.label.get("type") != j.event.type:
            counts["wrong type"] += 1
    return counts.most_common()


def run(data: Path, settings: Settings) -> EvalReport:
    started = time.perf_counter()
    labels = training.load_labels(Path(data))
    candidates, acts = audit(labels, settings.shared_path, settings)
    model = confidence.load()
    threshold = model.threshold if model else confidence.DEFAULT_THRESHOLD
    by_model = _metrics(candidates, acts, lambda j: j.event.confidence is not None and j.event.confidence >= threshold,
                        audited=True)
    by_rules = _metrics(candidates, acts, lambda j: j.event.modality.factual)
    everything = _metrics(candidates, acts, lambda j: True)
    error, table = calibration(candidates)
    by_model["calibration_error"] = error
    wrong = shown_wrong(candidates, threshold)
    per_class = {row["bin"]: {"precision": row["share_right"], "recall": row["mean_confidence"],
                              "f1": 0.0, "support": row["events"]} for row in table}
    return EvalReport(
        task="events-audit", data=str(data), items=len(candidates), metrics=by_model,
        peers={"rules alone (factual events)": by_rules, "every candidate": everything},
        per_class=per_class, seconds=time.perf_counter() - started,
        notes=[
            f"test part of the labelled set (guideline {labels.version}): {len(candidates)} candidates in "
            f"{len({j.line for j in candidates})} articles, {len(acts)} acts of "
            "whole articles read end to end",
            f"eventwire: events at or above the model's threshold ({threshold:.3f}); rules alone: the events "
            "the rules call factual; every candidate: all of them",
            "precision counts labelled shown events (judged_share of the shown events carry a label); "
            "recall counts labelled real candidates and whole-article acts shown with the right type",
            "calibration table (class column = confidence bin): precision = share of real events of the right "
            "type, recall column = mean confidence, support = events in the bin",
            "labelled shown events that are not right, by the label's reason: "
            + (", ".join(f"{reason} {n}" for reason, n in wrong) or "none"),
        ])
