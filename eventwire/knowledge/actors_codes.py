"""CAMEO actor codes read as eventwire actors: country (ISO 3166), organisation and sector.

A CAMEO code is a chain of three-letter parts (``TURGOV``, ``IGOUNOKID``, ``NGOUSAHRI``,
``MNCCHNHKG``). ``CodeBook.read`` turns one into a :class:`Reading`, using ISO 3166 (pycountry)
for the country parts and ``eventwire/data/actors/cameo_codes.tsv`` for everything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .reader import read_table

CODES_FILE = Path(__file__).resolve().parent.parent / "data" / "actors" / "cameo_codes.tsv"
KINDS = ("country", "region", "skip", "nonstate", "sector", "igo")
# the kind of actor a leading non-state part names (the note column starts with it)
NONSTATE_KINDS = ("igo", "ngo", "company", "armed", "media", "elite", "religion")


@dataclass(frozen=True)
class Reading:
    """What a CAMEO code says: the kind of actor, its country, IGO id and sector."""

    kind: str  # state | igo | ngo | company | armed | media | elite | religion | region | skip
    country: str | None = None  # ISO 3166 alpha-3 (or a withdrawn code for a historical state)
    igo: str | None = None  # IGO id in igos.tsv, when the code chain is a listed organisation
    sector: str | None = None  # PLOVER sector code
    parts: tuple[str, ...] = ()  # the three-letter parts after the leading one

    @property
    def country_level(self) -> bool:
        """A bare country code ("AFG", "USAASM"): the country itself, not one of its sectors."""
        return self.kind == "state" and self.sector is None


class CodeBook:
    """The CAMEO code table plus ISO 3166, ready to read codes."""

    def __init__(self, path: Path = CODES_FILE):
        import pycountry

        self.iso = {c.alpha_3 for c in pycountry.countries}
        self.countries: dict[str, str] = {}
        self.regions: set[str] = set()
        self.skip: set[str] = set()
        self.nonstate: dict[str, tuple[str, str]] = {}  # part -> (kind, sector)
        self.sectors: dict[str, str | None] = {}
        self.igos: dict[str, str] = {}
        self.igo_names: dict[str, str] = {}  # IGO id -> name, from the note column
        for row in read_table(path, ("code", "kind", "value", "note"), kind="cameo-codes"):
            code, kind, value = row["code"], row["kind"], row.get("value") or None
            if kind not in KINDS:
                raise row.error(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
            if kind == "country":
                self.countries[code] = value
            elif kind == "region":
                self.regions.add(code)
            elif kind == "skip":
                self.skip.add(code)
            elif kind == "nonstate":
                what = row["note"].split(":", 1)[0].strip()
                if what not in NONSTATE_KINDS:
                    raise row.error(f"a nonstate note starts with one of {', '.join(NONSTATE_KINDS)}")
                self.nonstate[code] = (what, value)
            elif kind == "sector":
                self.sectors[code] = value
            else:
                self.igos[code] = value
                self.igo_names.setdefault(value, row["note"].split("(")[0].strip())
        self.historical = {c for c in self.countries.values() if c and c not in self.iso}

    def country(self, part: str) -> str | None:
        """The ISO code of a country part, or None when the part is not a country."""
        if part in self.countries:
            return self.countries[part]
        return part if part in self.iso else None

    def sector(self, parts: tuple[str, ...]) -> str | None:
        """The first part that names a sector."""
        for part in parts:
            if self.sectors.get(part):
                return self.sectors[part]
        return None

    def read(self, code: str) -> Reading:
        code = code.strip().lstrip("~")
        parts = tuple(p for p in re.findall(r"[A-Z]{3}", code))
        if not parts or code.startswith("-"):
            return Reading("skip")
        first, rest = parts[0], parts[1:]
        if first in self.skip:
            return Reading("skip")
        if first in self.nonstate:
            kind, own_sector = self.nonstate[first]
            if kind == "igo":
                return Reading("igo", None, self._igo(parts), "IGO", rest)
            country = next((self.country(p) for p in rest[:2] if self.country(p)
                            and p not in self.sectors), None)
            sector = own_sector
            if kind == "company" and "MED" in rest:
                sector = "JRN"  # a media company
            if kind == "religion":
                sector = self.sector(rest) or own_sector
            return Reading(kind, country, None, sector, rest)
        if first in self.regions:
            return Reading("region", None, None, self.sector(rest), rest)
        country = self.country(first)
        if country is None:
            return Reading("skip", parts=rest)
        # a territory written after its state (USAASM: American Samoa); a republic inside a
        # historical state (USRARM: the Armenian SSR) belongs to that state
        if rest and rest[0] not in self.sectors and rest[0] in self.iso \
                and country not in self.historical:
            country, rest = rest[0], rest[1:]
        return Reading("state", country, None, self.sector(rest), rest)

    def _igo(self, parts: tuple[str, ...]) -> str | None:
        for n in range(len(parts), 1, -1):
            found = self.igos.get("".join(parts[:n]))
            if found:
                return found
        return None


@lru_cache(maxsize=2)
def codebook(path: str | None = None) -> CodeBook:
    """The code table at ``path`` (default: the package's), read once."""
    return CodeBook(Path(path) if path else CODES_FILE)
