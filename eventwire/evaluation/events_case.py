"""Events evaluation on CASE 2021 Task 2 (fine-grained event types; TSV: id, EventSnippet, SubType).

Each snippet is processed as one article (no publication date); eventwire's primary event
type is compared with the PLOVER type(s) its CASE type maps to (docs/case_mapping.md).
Types without a PLOVER equivalent map to "no event": the right answer there is to code
nothing. We report accuracy with and without those items.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from pathlib import Path

from ..errors import InputError
from ..settings import Settings
from .events import predict
from .report import EvalReport, macro_f1, per_class_prf, top_confusions
from .splits import PARTS, TUNE, part_of

NO_EVENT = "(none)"
# CASE fine type -> acceptable PLOVER types; the first is the label used for per-class figures.
# An empty tuple: no PLOVER equivalent, the correct answer is no event. See docs/case_mapping.md.
CASE_TO_PLOVER: dict[str, tuple[str, ...]] = {
    "ABDUCT_DISSAP": ("ASSAULT",),
    "AGREEMENT": ("AGREE",),
    "AIR_STRIKE": ("ASSAULT",),
    "ARMED_CLASH": ("ASSAULT",),
    "ARREST": ("COERCE",),
    "ART_MISS_ATTACK": ("ASSAULT",),
    "ATTACK": ("ASSAULT",),
    "CHANGE_TO_GROUP_ACT": (),
    "CHEM_WEAP": ("ASSAULT",),
    "DISR_WEAP": ("COERCE",),
    "FORCE_AGAINST_PROTEST": ("COERCE", "ASSAULT"),
    "GOV_REGAINS_TERIT": ("ASSAULT", "COERCE"),
    "GRENADE": ("ASSAULT",),
    "HQ_ESTABLISHED": ("MOBILIZE",),
    "MOB_VIOL": ("ASSAULT", "PROTEST"),
    "NON_STATE_ACTOR_OVERTAKES_TER": ("ASSAULT", "COERCE"),
    "NON_VIOL_TERRIT_TRANSFER": ("RETREAT", "COERCE"),
    "OTHER": (),
    "PEACE_PROTEST": ("PROTEST",),
    "PROPERTY_DISTRUCT": ("COERCE", "ASSAULT"),
    "PROTEST_WITH_INTER": ("PROTEST", "COERCE"),
    "REM_EXPLOS": ("ASSAULT",),
    "SEX_VIOL": ("ASSAULT",),
    "SUIC_BOMB": ("ASSAULT",),
    "VIOL_DEMONSTR": ("PROTEST",),
    "ORG_CRIME": (),
    "NATURAL_DISASTER": (),
    "MAN_MADE_DISASTER": (),
    "DIPLO": ("CONSULT", "AGREE", "SUPPORT", "COOPERATE", "REQUEST", "ACCUSE", "REJECT", "THREATEN",
              "SANCTION", "CONCEDE"),
    "ATTRIB": (),
}
EXAMPLES = 3
SHARED_TASK_CONTEXT = ("context: the CASE 2021 Task 2 best weighted F1 is 83.9 on its own 25 types "
                       "(shared-task paper); not comparable with this PLOVER mapping")


def load_gold(path: Path) -> list[tuple[str, str, str]]:
    """(id, snippet, CASE type) rows; an unknown type or a short row is an error naming the line."""
    rows = []
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader, None)
            if header != ["id", "EventSnippet", "SubType"]:
                raise InputError(f"expected header id/EventSnippet/SubType, found {header}", origin=f"{path}:1")
            for number, row in enumerate(reader, start=2):
                if not row:
                    continue
                if len(row) != 3:
                    raise InputError(f"expected 3 tab-separated fields, found {len(row)}", origin=f"{path}:{number}")
                if row[2] not in CASE_TO_PLOVER:
                    raise InputError(f"unknown CASE type {row[2]!r}", origin=f"{path}:{number}")
                rows.append((row[0], row[1], row[2]))
    except OSError as exc:
        raise InputError(f"cannot read CASE data: {exc}", origin=str(path)) from exc
    return rows


def score(rows: list[tuple[str, str, str]], predicted: list[str | None]) -> tuple[dict, dict, list, list]:
    """Accuracy with and without the no-equivalent types, per-class figures and error classes."""
    gold_labels, pred_labels = [], []
    hits_all = hits_mapped = mapped = 0
    errors: dict[str, list] = {}
    by_case: dict[str, list[int]] = {}
    for (item_id, _text, case_type), pred in zip(rows, predicted):
        accepted = CASE_TO_PLOVER[case_type]
        ok = (pred in accepted) if accepted else pred is None
        hits_all += ok
        if accepted:
            mapped += 1
            hits_mapped += ok
        by_case.setdefault(case_type, [0, 0])
        by_case[case_type][0] += ok
        by_case[case_type][1] += 1
        gold_label = accepted[0] if accepted else NO_EVENT
        gold_labels.append(gold_label)
        pred_labels.append((gold_label if ok else pred) or NO_EVENT)
        if not ok:
            kind = ("no event found" if pred is None else
                    "event where CASE has no PLOVER equivalent" if not accepted else "wrong type")
            errors.setdefault(kind, []).append({"id": item_id, "case": case_type, "predicted": pred})
    per_class = per_class_prf(gold_labels, pred_labels)
    metrics = {
        "accuracy_all": round(hits_all / len(rows), 4) if rows else 0.0,
        "accuracy_mapped": round(hits_mapped / mapped, 4) if mapped else 0.0,
        "macro_f1_mapped": macro_f1({k: v for k, v in per_class.items() if k != NO_EVENT}),
        "no_event_accuracy": round((hits_all - hits_mapped) / (len(rows) - mapped), 4) if len(rows) > mapped else 0.0,
    }
    error_list = [{"class": kind, "count": len(ex), "examples": ex[:EXAMPLES]}
                  for kind, ex in sorted(errors.items(), key=lambda kv: -len(kv[1]))]
    error_list.append({"class": "accuracy by CASE type",
                       "by_type": {t: round(h / n, 3) for t, (h, n) in sorted(by_case.items())}})
    return metrics, per_class, top_confusions(gold_labels, pred_labels), error_list


def run(data: Path, settings: Settings) -> EvalReport:
    started = time.perf_counter()
    rows = load_gold(Path(data))
    events = predict([text for _id, text, _type in rows], settings, published=None)
    predicted = [e.type if e else None for e in events]
    metrics = score(rows, predicted)[0]
    parts = {}
    for name in PARTS:
        chosen = [(r, p) for r, p in zip(rows, predicted) if part_of(r[0]) == name]
        part_metrics, part_classes, part_confusions, part_errors = score([r for r, _ in chosen],
                                                                          [p for _, p in chosen])
        parts[name] = part_metrics
        if name == TUNE:  # examples only from the part we tune on
            per_class, confusions, errors = part_classes, part_confusions, part_errors
        else:
            parts[name].update({f"errors: {e['class']}": e["count"] for e in part_errors if "count" in e})
    counts = Counter(t for _i, _x, t in rows)
    unmapped = sum(n for t, n in counts.items() if not CASE_TO_PLOVER[t])
    return EvalReport(
        task="events-case", data=str(data), items=len(rows), metrics=metrics, per_class=per_class,
        confusions=confusions, errors=errors, seconds=time.perf_counter() - started,
        parts={"eventwire": parts},
        notes=[
            "split by item id with the fixed seed (eventwire.evaluation.splits); per-class figures, "
            "confusions and error examples come from the tune part alone",
            "CASE fine types mapped to PLOVER as in docs/case_mapping.md; an item is right when "
            "eventwire's primary event type is one of the mapped types",
            f"accuracy_all: all {len(rows)} items, where {unmapped} items of types without a PLOVER "
            "equivalent are right only when eventwire codes no event; accuracy_mapped: the "
            f"{len(rows) - unmapped} items with a PLOVER equivalent",
            SHARED_TASK_CONTEXT,
            "no peer system runs here (none installed); figures are eventwire's alone",
        ])
