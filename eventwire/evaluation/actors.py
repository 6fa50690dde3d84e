"""Actor resolution against gold: does ``resolve_actor`` give the right country and sector?

Two kinds of gold, chosen by the file:

- a PLOVER gold file (JSON): every ``source`` and ``target`` entry (``actorText`` with its gold
  ``code`` and ``sector``) is resolved as free-standing text, without the sentence. Country
  codes (ISO 3166 alpha-3; the CAMEO-era codes JAP, ITL, ROM, ZAR, TMP, YUG mapped to ISO) are
  scored by exact match (``country_acc``); non-country codes (IGO, NGO, IMG, ISM, "---",
  empty) are right when eventwire returns an organisation or its official with no country
  (``org_acc``); ``accuracy`` is over both; ``sector_acc`` compares the sector with the gold
  sector's first three letters where that is a PLOVER code (CIV read as CVL); ``context_acc``
  is ``accuracy`` with each text read inside its gold sentence through the pipeline's
  ``mention_for_span`` (what the events stage sees);
- an actor case file (TSV: ``text date country sector``, bench/actor_cases.tsv): each text is
  resolved as of its date and scored by country and by sector.

Both are split by a fixed seed (``SPLIT_SEED``: a hash of the record id, or of the case's
text and date) into a tuning part and a held-out part that is never tuned on: every figure
is reported for both, and the errors, per-class figures and confusions are listed for the
tuning part only.
"""

from __future__ import annotations

import hashlib
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
SPLIT_SEED = "eventwire-actors-split-1"
PARTS = ("tune", "held")
GOLD_SECTORS = {"CIV": "CVL"}  # CAMEO spellings of PLOVER sectors in gold files


def split_part(key: str) -> str:
    """``tune`` or ``held`` for a record id or case key, fixed by ``SPLIT_SEED``."""
    digest = hashlib.sha256(f"{SPLIT_SEED}:{key}".encode("utf-8")).digest()
    return PARTS[digest[0] % 2]


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


# The PLOVER gold (CAMEO-coded) writes a historical state as its successor; eventwire keeps
# historical states distinct, so its codes are read as the gold's before they are compared.
SUCCESSORS = {"SUN": "RUS", "YUG": "SRB", "SCG": "SRB", "CSK": "CZE", "DDR": "DEU"}


def predicted_label(actor: Actor | None) -> str | None:
    if actor is None:
        return None
    if actor.country:
        return SUCCESSORS.get(actor.country, actor.country)
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


def _accuracy(gold: list, predicted: list, which=lambda g: True) -> float:
    pairs = [(g, p) for g, p in zip(gold, predicted) if which(g)]
    return round(sum(g == p for g, p in pairs) / len(pairs), 4) if pairs else 0.0


def gold_sector(value: str | None, sectors: dict[str, str]) -> str | None:
    """The PLOVER sector of a gold sector field ("GOV", "CVLalb" -> CVL), or None."""
    code = (value or "")[:3].upper()
    code = GOLD_SECTORS.get(code, code)
    return code if code in sectors else None


def _parts(keys: list[str]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {"all": list(range(len(keys)))}
    for part in PARTS:
        out[part] = [k for k, key in enumerate(keys) if split_part(key) == part]
    return out


def _by_part(parts: dict[str, list[int]], score) -> dict[str, float]:
    """``score(indices)`` for all items ("country_acc") and for each part ("country@tune",
    "country@held")."""
    out: dict[str, float] = {}
    for part, idx in parts.items():
        for name, value in score(idx).items():
            out[name if part == "all" else f"{name.removesuffix('_acc')}@{part}"] = value
    return out


def run(data: Path, settings: Settings) -> EvalReport:
    """Score actor resolution on a PLOVER gold file (JSON) or an actor case file (TSV)."""
    if Path(data).suffix.lower() in (".tsv", ".txt"):
        return run_cases(Path(data), settings)
    return run_plover(Path(data), settings)


def run_plover(data: Path, settings: Settings) -> EvalReport:
    """Score country and sector resolution of every gold actor text."""
    started = time.perf_counter()
    kb = knowledge_for(settings)
    items, skipped = gold_items(data)
    gold = [gold_label(i["code"], kb.countries) for i in items]
    actors = [resolve_actor(i["text"], settings) for i in items]
    predicted = [predicted_label(a) for a in actors]
    names = _baseline_names()
    baseline = [_baseline(i["text"], names) for i in items]
    sectors = [gold_sector(i["sector"], kb.sectors) for i in items]
    in_context = [predicted_label(a) for a in _in_context(data, items, settings)]
    parts = _parts([str(i["id"]) for i in items])

    def metrics(pred: list[str | None], full: bool = True):
        def score(idx: list[int]) -> dict[str, float]:
            g = [gold[k] for k in idx]
            p = [pred[k] for k in idx]
            out = {
                "accuracy": _accuracy(g, p),
                "country_acc": _accuracy(g, p, lambda x: x != NONCOUNTRY),
                "org_acc": _accuracy(g, p, lambda x: x == NONCOUNTRY),
                "coverage": round(sum(x is not None for x in p) / len(p), 4) if p else 0.0,
            }
            if full:
                out["context_acc"] = _accuracy(g, [in_context[k] for k in idx])
                pairs = [(sectors[k], actors[k].sector if actors[k] else None) for k in idx
                         if sectors[k]]
                out["sector_acc"] = round(sum(x == y for x, y in pairs) / len(pairs), 4) \
                    if pairs else 0.0
            return out
        return score

    ours = _by_part(parts, metrics(predicted))
    tuning = parts["tune"]
    errors = [{"text": items[k]["text"], "gold": gold[k], "predicted": predicted[k] or "(none)",
               "id": items[k]["id"], "actor": actors[k].id if actors[k] else None}
              for k in tuning if gold[k] != predicted[k]]
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
    n_country = sum(g != NONCOUNTRY for g in gold)
    notes = [
        f"{len(items)} actor texts: {n_country} with a country code, "
        f"{len(items) - n_country} with a non-country code (IGO/NGO/IMG/ISM/empty); "
        f"{skipped} source/target fields that are not actor lists were skipped",
        f"split by record id with seed {SPLIT_SEED!r}: {len(parts['tune'])} texts to tune on "
        f"(*@tune), {len(parts['held'])} held out and never tuned on (*@held); errors, "
        "per-class figures and confusions below are of the tuning part only",
        "gold codes JAP/ITL/ROM/ZAR/TMP/YUG are read as JPN/ITA/ROU/COD/TLS/SRB; eventwire's "
        "historical states as the gold's successors (SUN/YUG/SCG/CSK/DDR as RUS/SRB/SRB/CZE/DEU)",
        "each actor text is resolved alone, without its sentence (resolve_actor); "
        "context_acc reads it inside its gold sentence",
        "sector_acc: texts whose gold sector starts with a PLOVER code (CIV read as CVL)",
        "peer 'pycountry-names': the first pycountry country name found in the text",
    ] + [f"errors (tuning part): {count} x {label}" for label, count in classes.most_common()]
    country_only = [(gold[k], predicted[k]) for k in tuning if gold[k] != NONCOUNTRY]
    per_class = per_class_prf([g for g, _ in country_only], [p for _, p in country_only])
    per_class = {c: v for c, v in per_class.items() if v.get("support") and v["f1"] < 1.0}
    return EvalReport(
        task="actors", data=str(data), items=len(items), metrics=ours,
        peers={"pycountry-names": _by_part(parts, metrics(baseline, full=False))},
        per_class=per_class,
        confusions=top_confusions([gold[k] for k in tuning], [predicted[k] for k in tuning], 15),
        errors=errors, notes=notes, seconds=round(time.perf_counter() - started, 2))


CASE_COLUMNS = ("text", "date", "country", "sector")
# A case file whose header has a line starting with this is for evaluation only: its figures
# are reported, its errors never listed (bench/actor_cases_3.tsv).
HELD_OUT_MARK = "# held out:"


def held_out_file(path: Path) -> bool:
    """True for a case file marked as evaluation only (``HELD_OUT_MARK`` in its header)."""
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                return False
            if line.lower().startswith(HELD_OUT_MARK):
                return True
    return False


def read_cases(path: Path) -> list[dict[str, str | None]]:
    """The cases of an actor case file (bench/actor_cases.tsv): text, date, country, sector."""
    from ..knowledge import read_table

    cases = []
    for row in read_table(path, CASE_COLUMNS):
        cases.append({"text": row["text"], "date": row.get("date") or None,
                      "country": row.get("country") or None, "sector": row.get("sector") or None,
                      "origin": row.origin})
    return cases


def run_cases(data: Path, settings: Settings) -> EvalReport:
    """Country and sector accuracy of ``resolve_actor`` on an actor case file."""
    started = time.perf_counter()
    cases = read_cases(data)
    actors = [resolve_actor(c["text"], settings, c["date"]) for c in cases]
    countries = [a.country if a else None for a in actors]
    sectors = [a.sector if a else None for a in actors]
    names = _baseline_names()
    baseline = [_baseline(c["text"], names) for c in cases]
    parts = _parts([f"{c['text']}|{c['date'] or ''}" for c in cases])

    def metrics(pred_country, pred_sector=None):
        def score(idx: list[int]) -> dict[str, float]:
            out = {"country_acc": _accuracy([cases[k]["country"] for k in idx],
                                            [pred_country[k] for k in idx])}
            if pred_sector is not None:
                out["sector_acc"] = _accuracy([cases[k]["sector"] for k in idx],
                                              [pred_sector[k] for k in idx])
                out["both_acc"] = _accuracy(
                    [(cases[k]["country"], cases[k]["sector"]) for k in idx],
                    [(pred_country[k], pred_sector[k]) for k in idx])
            return out
        return score

    held_out = held_out_file(data)
    errors = [] if held_out else [{"text": cases[k]["text"], "date": cases[k]["date"],
               "gold": f"{cases[k]['country'] or '-'}/{cases[k]['sector'] or '-'}",
               "predicted": f"{countries[k] or '-'}/{sectors[k] or '-'}",
               "actor": actors[k].id if actors[k] else None, "origin": cases[k]["origin"]}
              for k in parts["tune"]
              if (countries[k], sectors[k]) != (cases[k]["country"], cases[k]["sector"])]
    notes = [f"{len(cases)} cases, each resolved alone as of its date (resolve_actor)",
             f"split by text and date with seed {SPLIT_SEED!r}: {len(parts['tune'])} to tune "
             f"on (*@tune), {len(parts['held'])} held out (*@held); the errors below are "
             "of the tuning part only",
             "a case's country '-' expects no country (IGOs, transnational groups); sector '-' "
             "expects none (a country as a whole)",
             "peer 'pycountry-names': the first pycountry country name found in the text"]
    if held_out:
        notes.append("an evaluation-only file (its header says 'held out'): figures only, "
                     "no error is listed")
    notes += [f"error: {e['text']!r} ({e['date'] or 'no date'}): gold {e['gold']}, "
              f"got {e['predicted']} [{e['actor']}]" for e in errors]
    return EvalReport(
        task="actors", data=str(data), items=len(cases),
        metrics=_by_part(parts, metrics(countries, sectors)),
        peers={"pycountry-names": _by_part(parts, metrics(baseline))},
        errors=errors, notes=notes, seconds=round(time.perf_counter() - started, 2))
