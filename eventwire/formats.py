"""Events in the formats of the field: PLOVER JSON and a GDELT-style table.

Each format is a field table: one ``Field`` per output field, with the function that reads it
from an event row (``Store.events``, plus its article's ``url`` and ``language``) and what it
means. A new field of eventwire's events is one more line in a table; docs/export.md shows
both tables, and a test checks that every field in them is documented there.

* ``plover``: one JSON object per line with the field names of the PLOVER manual (Open Event
  Data Alliance, "JSON Data Fields"): ``id``, ``date``, ``event``, ``mode``, ``context``,
  ``source`` and ``recipient`` (lists of actor objects: ``code``, ``sector``, ``actor_text``),
  ``event_loc`` (a geonames-style location object), ``quad_code``, ``event_scale``, ``text``
  (the evidence sentence), ``text_info``, ``cite_info``; eventwire's own fields follow.
* ``gdelt-like``: tab-separated values with the columns of the GDELT 2.0 event table that
  have a counterpart in eventwire (dates, actor codes, CAMEO codes, quad class, Goldstein-style
  score, action location, source URL), then eventwire's PLOVER type and evidence sentence. A
  reciprocal event is two rows, one per direction, as GDELT counts directed events.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from .records import QUAD_CLASS, QUAD_CODE

CODER = "eventwire"
CODEBOOK = "PLOVER (eventwire lexicon, docs/events.md)"


@dataclass(frozen=True)
class Field:
    """One output field: its name, how it is read from an event row, and what it means."""

    name: str
    read: Callable[[dict[str, Any]], Any]
    meaning: str


# --- reading an event row -------------------------------------------------------------------

def day(row: dict[str, Any]) -> str | None:
    """The event's date, else its article's: YYYY-MM-DD, YYYY-MM or YYYY."""
    return row.get("date") or row.get("published")


def full_day(row: dict[str, Any]) -> str | None:
    """The date when it is a whole day (GDELT's dates are days)."""
    value = day(row)
    return value if value and len(value) == 10 else None


def actor_code(mention: dict[str, Any]) -> str:
    """A CAMEO-style actor code: country and sector run together ("TURGOV"), an organisation's
    id ("IGO:NATO" -> "IGONATO"), or "" for an actor without either."""
    if mention.get("country"):
        return mention["country"] + (mention.get("sector") or "")
    actor_id = mention.get("actor_id") or ""
    return actor_id.replace(":", "") if actor_id.startswith(("IGO:", "NGO:")) else ""


def plover_actor(mention: dict[str, Any]) -> dict[str, Any]:
    """A PLOVER actor object."""
    kind = (mention.get("actor_id") or "").split(":")[0]
    return {"code": mention.get("country") or (kind if kind in ("IGO", "NGO") else None),
            "sector": mention.get("sector"), "actor_text": mention.get("text"),
            "identifier_id": mention.get("actor_id"), "identifier_text": mention.get("name")}


def location(row: dict[str, Any]) -> dict[str, Any] | None:
    """A PLOVER (geonames-style) location object; ``cc3`` is the ISO 3166 alpha-3 country."""
    place = row.get("location")
    if not place:
        return None
    return {"name": place.get("name"), "geonameid": place.get("geonameid"),
            "latitude": place.get("latitude"), "longitude": place.get("longitude"),
            "cc3": place.get("country")}


def quad(row: dict[str, Any]) -> int | None:
    return QUAD_CODE.get(QUAD_CLASS.get(row["type"], ""))


def first(mentions: list[dict[str, Any]]) -> dict[str, Any]:
    """The first actor of a side (GDELT has one Actor1 and one Actor2), or an empty one."""
    return mentions[0] if mentions else {}


def modality(row: dict[str, Any]) -> list[str]:
    return [name for name, on in row["modality"].items() if on]


# --- the field tables -----------------------------------------------------------------------

PLOVER_FIELDS: tuple[Field, ...] = (
    Field("id", lambda e: e["id"], "the event's id (article id and event number)"),
    Field("date", day, "the event's date (YYYY-MM-DD, or YYYY-MM / YYYY when only that is "
                       "known), else its article's publication date"),
    Field("event", lambda e: [e["type"]], "the PLOVER event category, as a one-item list"),
    Field("mode", lambda e: e.get("mode"), "the PLOVER mode, or null"),
    Field("context", lambda e: list(e.get("contexts") or []), "PLOVER contexts, a list"),
    Field("source", lambda e: [plover_actor(m) for m in e["source"]],
          "list of actor objects: code (ISO 3166 alpha-3 country, IGO or NGO, else null), "
          "sector (GOV, MIL, ...), actor_text (the words in the sentence), identifier_id and "
          "identifier_text (eventwire's actor id and name)"),
    Field("recipient", lambda e: [plover_actor(m) for m in e["target"]],
          "list of actor objects, as source"),
    Field("event_loc", location, "location object: name, geonameid, latitude, longitude, cc3; "
                                 "null when no place was read"),
    Field("quad_code", quad, "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, "
                             "4 material conflict"),
    Field("event_scale", lambda e: e.get("score"),
          "Goldstein-style weight of the CAMEO root, -10 (conflict) .. +10 (cooperation)"),
    Field("event_text", lambda e: [e["trigger"]] if e.get("trigger") else [],
          "the words that name the event (the trigger)"),
    Field("text", lambda e: e["evidence"]["sentence"], "the evidence sentence the event was read from"),
    Field("text_info", lambda e: {"start": e["evidence"]["start"], "end": e["evidence"]["end"]},
          "character offsets of the sentence in the article's clean text"),
    Field("cite_info", lambda e: {"url": e.get("url"), "title": e.get("title"),
                                  "publication": e.get("outlet"), "language": e.get("language"),
                                  "citation": e.get("article_id"), "coder": CODER,
                                  "codebook": CODEBOOK},
          "the article: url, title, publication (outlet), language, citation (eventwire article "
          "id), coder, codebook"),
    Field("coder", lambda e: CODER, "the coding system"),
    # eventwire's own fields (the manual welcomes named fields beyond its own)
    Field("cameo", lambda e: e.get("cameo"), "eventwire: the CAMEO code of the event"),
    Field("modality", modality, "eventwire: the modality flags that are set (negated, future, "
                                "hypothetical, historical, ...); an empty list for an event "
                                "reported as having happened"),
    Field("date_note", lambda e: e.get("date_note"), "eventwire: how the date was found"),
    Field("date_basis", lambda e: e.get("date_basis"), "eventwire: where the date comes from "
                                                        "(sentence, relative, reporting, publication, none)"),
    Field("tense", lambda e: e.get("tense"), "eventwire: tense of the event's clause"),
    Field("aspect", lambda e: e.get("aspect"), "eventwire: aspect of the event's clause"),
    Field("reciprocal", lambda e: e.get("reciprocal"), "eventwire: an act of both sides towards "
                                                       "each other"),
    Field("confidence", lambda e: e.get("confidence"), "eventwire: probability that this is a real "
                                                       "current act of this type between these actors"),
)

GDELT_FIELDS: tuple[Field, ...] = (
    Field("GLOBALEVENTID", lambda e: e["id"], "the event's id (eventwire's, not a number)"),
    Field("SQLDATE", lambda e: (full_day(e) or "").replace("-", ""),
          "YYYYMMDD of the event (else its article); empty when no whole day is known"),
    Field("MonthYear", lambda e: (day(e) or "")[:7].replace("-", "") if len(day(e) or "") >= 7 else "",
          "YYYYMM"),
    Field("Year", lambda e: (day(e) or "")[:4], "YYYY"),
    Field("Actor1Code", lambda e: actor_code(first(e["source"])), "CAMEO-style code of the first "
                                                                  "source actor (country + sector)"),
    Field("Actor1Name", lambda e: first(e["source"]).get("name") or first(e["source"]).get("text"),
          "its name (or the words in the sentence)"),
    Field("Actor1CountryCode", lambda e: first(e["source"]).get("country"), "ISO 3166 alpha-3"),
    Field("Actor1Type1Code", lambda e: first(e["source"]).get("sector"), "sector (GOV, MIL, ...)"),
    Field("Actor2Code", lambda e: actor_code(first(e["target"])), "as Actor1Code, first target"),
    Field("Actor2Name", lambda e: first(e["target"]).get("name") or first(e["target"]).get("text"),
          "its name"),
    Field("Actor2CountryCode", lambda e: first(e["target"]).get("country"), "ISO 3166 alpha-3"),
    Field("Actor2Type1Code", lambda e: first(e["target"]).get("sector"), "sector"),
    Field("EventCode", lambda e: e.get("cameo"), "CAMEO code"),
    Field("EventBaseCode", lambda e: (e.get("cameo") or "")[:3] or None, "its first three digits"),
    Field("EventRootCode", lambda e: (e.get("cameo") or "")[:2] or None, "its root (two digits)"),
    Field("QuadClass", quad, "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, "
                             "4 material conflict"),
    Field("GoldsteinScale", lambda e: e.get("score"), "Goldstein-style weight, -10 .. +10"),
    Field("ActionGeo_FullName", lambda e: (e.get("location") or {}).get("name"), "place of the event"),
    Field("ActionGeo_CountryCode", lambda e: (e.get("location") or {}).get("country"),
          "its country, ISO 3166 alpha-3 (GDELT uses FIPS 10-4)"),
    Field("ActionGeo_Lat", lambda e: (e.get("location") or {}).get("latitude"), "latitude"),
    Field("ActionGeo_Long", lambda e: (e.get("location") or {}).get("longitude"), "longitude"),
    Field("ActionGeo_FeatureID", lambda e: (e.get("location") or {}).get("geonameid"),
          "GeoNames id (GDELT: a GNS or GNIS feature id)"),
    Field("SOURCEURL", lambda e: e.get("url"), "URL of the article"),
    Field("PloverType", lambda e: e["type"], "eventwire: the PLOVER event type"),
    Field("Modality", lambda e: ";".join(modality(e)), "eventwire: the modality flags that are set "
                                                       "(';'-separated); empty if reported as "
                                                       "having happened"),
    Field("Reciprocal", lambda e: e.get("reciprocal"), "eventwire: an act of both sides towards "
                                                       "each other (True/False)"),
    Field("Confidence", lambda e: e.get("confidence"), "eventwire: probability that this is a real "
                                                       "current act of this type between these actors"),
    Field("Sentence", lambda e: e["evidence"]["sentence"], "eventwire: the evidence sentence"),
)

FORMATS = {"plover": PLOVER_FIELDS, "gdelt-like": GDELT_FIELDS}


def records(rows: Iterable[dict[str, Any]], fields: tuple[Field, ...]) -> Iterator[dict[str, Any]]:
    """Each event row as a record of the format's fields, in table order."""
    for row in rows:
        yield {f.name: f.read(row) for f in fields}


def write_plover(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """PLOVER JSON, one event a line (the manual's suggested JSONL); returns the count."""
    n = 0
    for n, record in enumerate(records(rows, PLOVER_FIELDS), start=1):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return n


def write_gdelt_like(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """GDELT-style tab-separated values with a header line; returns the count."""
    writer = csv.DictWriter(out, fieldnames=[f.name for f in GDELT_FIELDS], delimiter="\t",
                            lineterminator="\n")
    writer.writeheader()
    n = 0
    for n, record in enumerate(records(both_ways(rows), GDELT_FIELDS), start=1):
        writer.writerow({k: "" if v is None else v for k, v in record.items()})
    return n


def both_ways(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Event rows, each reciprocal event twice: as read, and with source and target swapped
    (id suffixed "-r"), as a table of directed events counts a mutual act."""
    for row in rows:
        yield row
        if row.get("reciprocal"):
            yield {**row, "id": f"{row['id']}-r", "source": row["target"], "target": row["source"]}


WRITERS = {"plover": write_plover, "gdelt-like": write_gdelt_like}


def event_rows(store, min_confidence: float | None = None) -> Iterator[dict[str, Any]]:
    """Every stored event at or above ``min_confidence`` (newest first, as ``Store.events``)
    with its article's url and language."""
    articles = {a["id"]: a for a in store.articles(limit=None)}
    for row in store.events(limit=None, min_confidence=min_confidence):
        article = articles.get(row["article_id"], {})
        yield {**row, "url": article.get("url"), "language": article.get("language")}
