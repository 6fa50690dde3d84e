"""Events evaluation on the PLOVER gold-standard records (JSON array, PLOVER 0.5b1 names).

Each record's ``text`` is processed as an article published 2000-01-01 (spaCy parse, actors,
events); eventwire's primary event (``events.primary_event``: first sentence, trigger
highest in the parse tree) is compared with the record's event. Rules in docs/events.md.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import pycountry

from .. import actors, nlp
from ..errors import InputError
from ..events import primary_event
from ..records import PLOVER_TYPES, Article, Event, ParsedArticle
from ..settings import Settings
from .report import EvalReport, macro_f1, per_class_prf, top_confusions
from .splits import PARTS, TUNE, part_of

# PLOVER 0.5b1 names that no longer exist, and their current type (bench/README.md)
OLD_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
# two actor codes in the gold records are misspelt ISO codes
CODE_TYPOS = {"JAP": "JPN", "ITL": "ITA"}
PUBLISHED = "2000-01-01"
EXAMPLES = 3


@dataclass
class GoldEvent:
    """One gold record: id, text, current PLOVER type and the actors' country codes."""

    id: str
    text: str
    type: str
    source_countries: list[str]
    target_countries: list[str]


def _countries(actors_field) -> list[str]:
    """ISO alpha-3 country codes of a gold actor list, in order (IGO/NGO codes dropped)."""
    if isinstance(actors_field, dict):
        actors_field = [actors_field]
    if not isinstance(actors_field, list):
        return []  # a few records carry a stray string here
    out = []
    for actor in actors_field:
        code = (actor.get("code") or "").strip().upper() if isinstance(actor, dict) else ""
        code = CODE_TYPOS.get(code, code)
        if len(code) == 3 and pycountry.countries.get(alpha_3=code) and code not in out:
            out.append(code)
    return out


def load_gold(path: Path) -> list[GoldEvent]:
    """The event records of a PLOVER GSR JSON file, with types mapped to the current 16."""
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read PLOVER gold records: {exc}", origin=str(path)) from exc
    if not isinstance(records, list):
        raise InputError("expected a JSON array of PLOVER records", origin=str(path))
    gold = []
    for n, r in enumerate(records):
        if not isinstance(r, dict) or "event" not in r:
            raise InputError(f"record {n} has no 'event' field", origin=str(path))
        event = OLD_NAMES.get(r["event"], r["event"])
        if event == "DOCUMENT":
            continue
        if event not in PLOVER_TYPES:
            raise InputError(f"record {r.get('id', n)}: unknown event type {r['event']!r}", origin=str(path))
        if not r.get("text"):
            raise InputError(f"record {r.get('id', n)} has no text", origin=str(path))
        gold.append(GoldEvent(r.get("id", str(n)), r["text"], event,
                              _countries(r.get("source")), _countries(r.get("target"))))
    return gold


def predict(texts: list[str], settings: Settings, published: str | None = PUBLISHED) -> list[Event | None]:
    """eventwire's primary event for each text, each processed as one article."""
    out = []
    for n, (doc, text) in enumerate(zip(nlp.parse(texts, settings.model, settings.batch_size), texts)):
        article = Article(id=f"eval-{n}", text=text, published=published)
        parsed = actors.resolve_actors(ParsedArticle(article, doc), settings)
        out.append(primary_event(parsed, settings))
    return out


def _first_country(mentions) -> str | None:
    return next((m.country for m in mentions if m.country), None)


def _example(g: GoldEvent, e: Event | None, **extra) -> dict:
    return {"id": g.id, "gold": g.type, "predicted": e.type if e else None,
            "trigger": e.trigger if e else None, **extra}


def score(gold: list[GoldEvent], predicted: list[Event | None]) -> tuple[dict, dict, list, list]:
    """Metrics, per-class figures, confusions and counted error classes with examples."""
    gold_types = [g.type for g in gold]
    pred_types = [e.type if e else None for e in predicted]
    per_class = per_class_prf(gold_types, pred_types)
    for t in PLOVER_TYPES:  # report all 16, also those never seen nor predicted
        per_class.setdefault(t, {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0})
    correct = sum(g == p for g, p in zip(gold_types, pred_types))
    errors: dict[str, list] = {}

    def note(kind: str, example: dict) -> None:
        errors.setdefault(kind, []).append(example)

    role_scores = {}
    for role in ("source", "target"):
        items = [(g, e) for g, e in zip(gold, predicted) if getattr(g, f"{role}_countries")]
        hits = exact = 0
        for g, e in items:
            wanted = getattr(g, f"{role}_countries")
            mentions = getattr(e, role) if e else []
            first = _first_country(mentions)
            ours = [m.country for m in mentions if m.country]
            if first in wanted:
                hits += 1
            elif e is None:
                pass  # counted under "no event found"
            elif first is None:
                note(f"{role} country missing", _example(g, e, gold_countries=wanted,
                                                         ours=[m.text for m in mentions]))
            else:
                note(f"{role} country wrong", _example(g, e, gold_countries=wanted, ours=ours))
            if set(ours) == set(wanted):
                exact += 1
        role_scores[role] = (hits / len(items) if items else 0.0, exact / len(items) if items else 0.0,
                             len(items))
    for g, e in zip(gold, predicted):
        if e is None:
            note("no event found", _example(g, e))
        elif e.type != g.type:
            kind = "wrong type (announced act recoded)" if e.modality.future and e.type in (
                "AGREE", "THREATEN", "REJECT") else "wrong type"
            note(kind, _example(g, e))
    metrics = {
        "type_accuracy": round(correct / len(gold), 4) if gold else 0.0,
        "type_macro_f1": macro_f1(per_class),
        "source_country_accuracy": round(role_scores["source"][0], 4),
        "target_country_accuracy": round(role_scores["target"][0], 4),
        "source_country_set_match": round(role_scores["source"][1], 4),
        "target_country_set_match": round(role_scores["target"][1], 4),
        "coverage": round(sum(e is not None for e in predicted) / len(gold), 4) if gold else 0.0,
    }
    counts = {"source_items": role_scores["source"][2], "target_items": role_scores["target"][2]}
    error_list = [{"class": kind, "count": len(examples), "examples": examples[:EXAMPLES]}
                  for kind, examples in sorted(errors.items(), key=lambda kv: -len(kv[1]))]
    return metrics, per_class, top_confusions(gold_types, pred_types), error_list + [counts]


def by_part(gold: list, predicted: list) -> dict[str, tuple[list, list]]:
    """Gold items and predictions grouped by split part (keyed by record id)."""
    out: dict[str, tuple[list, list]] = {p: ([], []) for p in PARTS}
    for g, e in zip(gold, predicted):
        part = out[part_of(g.id)]
        part[0].append(g)
        part[1].append(e)
    return out


def run(data: Path, settings: Settings) -> EvalReport:
    started = time.perf_counter()
    gold = load_gold(Path(data))
    predicted = predict([g.text for g in gold], settings)
    metrics, _per_class, _confusions, errors = score(gold, predicted)
    counts = errors.pop()
    parts, tune_errors = {}, []
    for name, (g, e) in by_part(gold, predicted).items():
        part_metrics, part_classes, part_confusions, part_errors = score(g, e)
        part_errors.pop()
        parts[name] = part_metrics
        if name == TUNE:  # examples and confusions only from the part we tune on
            per_class, confusions, tune_errors = part_classes, part_confusions, part_errors
        else:
            parts[name].update({f"errors: {x['class']}": x["count"] for x in part_errors})
    seconds = time.perf_counter() - started
    return EvalReport(
        task="events", data=str(data), items=len(gold), metrics=metrics, per_class=per_class,
        confusions=confusions, errors=tune_errors, seconds=seconds, parts={"eventwire": parts},
        notes=[
            "split by record id (eventwire.evaluation.splits, fixed seed): 'tune' is the part rules "
            "may be developed on; 'report' is only counted; per-class figures, confusions and error "
            "examples come from the tune part alone",
            "gold 0.5b1 names mapped: DEMAND->REQUEST, DISAPPROVE->ACCUSE, INVESTIGATE->ACCUSE, "
            "FIGHT->ASSAULT; the DOCUMENT record is skipped",
            "primary event: first sentence with a non-negated event, trigger highest in the parse "
            "tree, then earliest; records without an event count as misses",
            f"country accuracy: eventwire's first resolved {{source,target}} country is among the gold "
            f"actors' ISO codes ({counts['source_items']} / {counts['target_items']} records have a gold "
            "source / target country); *_set_match: the sets are equal",
            "macro-F1: mean F1 over the PLOVER types present in the gold data",
            "no peer system runs here (none installed); figures are eventwire's alone",
        ])
