"""Actor resolution against PLOVER gold records: does ``resolve_actor`` give the gold country?

Every ``source`` and ``target`` entry of the gold file (``actorText`` with its gold ``code``)
is resolved as free-standing text, without the sentence. Gold codes fall in two groups:

- country codes (ISO 3166 alpha-3; the CAMEO-era codes JAP, ITL, ROM, ZAR, TMP, YUG are
  mapped to their ISO equivalents) are scored by exact country match: ``country_acc``;
- non-country codes (IGO, NGO, IMG, ISM, "---", empty) are scored as correct when eventwire
  returns an organisation or its official with no country: ``org_acc``.

``accuracy`` is over both; ``sector_acc`` compares sectors where the gold one is a plain
code of sectors.tsv. ``context_acc`` is ``accuracy`` again with each text read inside its
gold sentence through the pipeline's ``mention_for_span`` (what the events stage sees). Records whose source/target is not a list (empty or free text in
the gold file) are skipped and counted in the notes.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

from ..actors import resolve_actor
from ..actors.knowledge import knowledge_for
from ..records import Actor
from ..settings import Settings
from .report import EvalReport, per_class_prf, top_confusions

CAMEO_TO_ISO = {"JAP": "JPN", "ITL": "ITA", "ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "YUG": "SRB"}
NONCOUNTRY = "(org)"  # the label of a correct non-country prediction


def gold_items(data: Path) -> tuple[list[dict[str, Any]], int]:
    """(actor items, number of source/target fields skipped) from a PLOVER gold JSON file."""
    records = json.loads(Path(data).read_text(encoding="utf-8"))
    items: list[dict[str, Any]] = []
    skipped = 0
    for record in records:
        if not isinstance(record, dict) or not record.get("event"):
            continue
        for role in ("source", "target"):
            value = record.get(role)
            if value is None:
                continue
            if not isinstance(value, list):
                skipped += 1
                continue
            for actor in value:
                if isinstance(actor, dict) and (actor.get("actorText") or "").strip():
                    items.append({"id": record.get("id"), "role": role,
                                  "text": actor["actorText"].strip(),
                                  "code": (actor.get("code") or "").strip(),
                                  "sector": actor.get("sector")})
    return items, skipped


def gold_label(code: str, countries: dict[str, str]) -> str:
    """The gold country code, or NONCOUNTRY for IGO/NGO/group codes and empty ones."""
    code = CAMEO_TO_ISO.get(code, code)
    return code if code in countries else NONCOUNTRY


def predicted_label(actor: Actor | None) -> str | None:
    if actor is None:
        return None
    if actor.country:
        return actor.country
    if actor.kind in ("igo", "group") or actor.sector in ("IGO", "NGO"):
        return NONCOUNTRY
    return None


def _baseline(text: str, names: list[tuple[re.Pattern, str]]) -> str | None:
    """Peer: the first pycountry country name (short, official or common) found in the text."""
    for pattern, code in names:
        if pattern.search(text):
            return code
    return None


def _baseline_names() -> list[tuple[re.Pattern, str]]:
    import pycountry
    out = []
    for c in pycountry.countries:
        for name in {c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)}:
            if name:
                out.append((re.compile(rf"\b{re.escape(name)}\b", re.I), c.alpha_3))
    out.sort(key=lambda p: -len(p[0].pattern))
    return out


def _in_context(data: Path, items: list[dict[str, Any]], settings: Settings) -> list[Actor | None]:
    """The actor of each gold text read inside its sentence: the sentence is parsed, the text
    found in it, and ``mention_for_span`` asked, as the events stage does. Texts not found
    verbatim (gold texts with "...") fall back to ``resolve_actor``."""
    from .. import nlp
    from ..actors import mention_for_span, resolve_actors
    from ..records import Article, ParsedArticle

    records = {r.get("id"): r for r in json.loads(Path(data).read_text(encoding="utf-8"))
               if isinstance(r, dict)}
    texts = sorted({records[i["id"]]["text"] for i in items if records.get(i["id"], {}).get("text")})
    parsed = {}
    for text, doc in zip(texts, nlp.parse(texts, settings.model, settings.batch_size)):
        parsed[text] = resolve_actors(ParsedArticle(Article(id="gold", text=text), doc), settings)
    out: list[Actor | None] = []
    kb = knowledge_for(settings)
    for item in items:
        record = records.get(item["id"], {})
        text = record.get("text") or ""
        p = parsed.get(text)
        start = _tagged_start(record, item) if p is not None else -1
        span = p.doc.char_span(start, start + len(item["text"]), alignment_mode="expand") \
            if start >= 0 else None
        if span is None:
            out.append(resolve_actor(item["text"], settings))
            continue
        mention = mention_for_span(p, span)
        out.append(None if mention is None else Actor(
            id=mention.actor_id or "", name=mention.name or "", country=mention.country,
            sector=mention.sector, kind=_kind_of(mention.actor_id, kb)))
    return out


_MARKUP = re.compile(r"\((SRC/TAR|SRC|TAR|EVT|LOC): ([^()]*)\)")


def _tagged_start(record: dict[str, Any], item: dict[str, Any]) -> int:
    """Offset of the item's text in the sentence, from the SRC/TAR markup when it can be
    aligned (the same words can occur twice), else the first occurrence."""
    text = record.get("text") or ""
    markup = (record.get("textInfo") or {}).get("markup") or ""
    tag = "SRC" if item["role"] == "source" else "TAR"
    plain, pos, spans = [], 0, []
    for m in _MARKUP.finditer(markup):
        plain.append(markup[pos:m.start()])
        offset = sum(len(x) for x in plain)
        spans.append((m.group(1), m.group(2), offset))
        plain.append(m.group(2))
        pos = m.end()
    plain.append(markup[pos:])
    if "".join(plain) == text:
        for kind, words, offset in spans:
            if tag in kind.split("/") and words.strip() == item["text"]:
                return offset + (len(words) - len(words.lstrip()))
    return text.find(item["text"])


def _kind_of(actor_id: str | None, kb) -> str:
    if not actor_id:
        return "unknown"
    if actor_id.startswith("IGO:"):
        return "igo"
    if actor_id.startswith(("GRP:", "ORG:")):
        return "group"
    if actor_id.startswith("PER:"):
        return "person"
    return "country" if actor_id in kb.countries else "institution"


def _accuracy(gold: list[str], predicted: list[str | None], which) -> float:
    pairs = [(g, p) for g, p in zip(gold, predicted) if which(g)]
    return round(sum(g == p for g, p in pairs) / len(pairs), 4) if pairs else 0.0


def run(data: Path, settings: Settings) -> EvalReport:
    """Score country resolution of every gold actor text."""
    started = time.perf_counter()
    kb = knowledge_for(settings)
    items, skipped = gold_items(data)
    gold = [gold_label(i["code"], kb.countries) for i in items]
    actors = [resolve_actor(i["text"], settings) for i in items]
    predicted = [predicted_label(a) for a in actors]
    names = _baseline_names()
    baseline = [_baseline(i["text"], names) for i in items]

    def metrics(pred: list[str | None]) -> dict[str, float]:
        return {
            "accuracy": _accuracy(gold, pred, lambda g: True),
            "country_acc": _accuracy(gold, pred, lambda g: g != NONCOUNTRY),
            "org_acc": _accuracy(gold, pred, lambda g: g == NONCOUNTRY),
            "coverage": round(sum(p is not None for p in pred) / len(pred), 4) if pred else 0.0,
        }

    ours = metrics(predicted)
    in_context = _in_context(data, items, settings)
    ours["context_acc"] = _accuracy(gold, [predicted_label(a) for a in in_context], lambda g: True)
    sector_pairs = [(i["sector"], a.sector) for i, a in zip(items, actors)
                    if a is not None and i["sector"] in kb.sectors]
    if sector_pairs:
        ours["sector_acc"] = round(sum(g == p for g, p in sector_pairs) / len(sector_pairs), 4)

    errors = [{"text": i["text"], "gold": g, "predicted": p or "(none)", "id": i["id"],
               "actor": a.id if a else None}
              for i, g, p, a in zip(items, gold, predicted, actors) if g != p]
    n_country = sum(g != NONCOUNTRY for g in gold)
    classes = Counter()
    for e in errors:
        if e["predicted"] == "(none)":
            classes["no actor found (unknown name without context, ethnic or religious group)"] += 1
        elif e["gold"] == NONCOUNTRY:
            classes["a country given where the gold has an organisation"] += 1
        elif e["predicted"] == NONCOUNTRY:
            classes["an organisation given where the gold has a country"] += 1
        else:
            classes["a different country (context outside the phrase, ambiguous names)"] += 1
    notes = [
        f"{len(items)} actor texts: {n_country} with a country code, "
        f"{len(items) - n_country} with a non-country code (IGO/NGO/IMG/ISM/empty); "
        f"{skipped} source/target fields that are not actor lists were skipped",
        "gold codes JAP/ITL/ROM/ZAR/TMP/YUG are read as JPN/ITA/ROU/COD/TLS/SRB",
        "each actor text is resolved alone, without its sentence (resolve_actor)",
        "peer 'pycountry-names': the first pycountry country name found in the text",
    ] + [f"errors: {count} x {label}" for label, count in classes.most_common()]
    country_only = [(g, p) for g, p in zip(gold, predicted) if g != NONCOUNTRY]
    per_class = per_class_prf([g for g, _ in country_only], [p for _, p in country_only])
    per_class = {c: v for c, v in per_class.items() if v.get("support") and v["f1"] < 1.0}
    return EvalReport(
        task="actors", data=str(data), items=len(items), metrics=ours,
        peers={"pycountry-names": metrics(baseline)},
        per_class=per_class, confusions=top_confusions(gold, predicted, 15),
        errors=errors, notes=notes, seconds=round(time.perf_counter() - started, 2))
