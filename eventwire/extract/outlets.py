"""Which outlet published an article: from its URL, agency tags, self-references and footers.

Knowledge is in ``data/outlets.tsv`` (domain -> outlet name, plus the other names the
outlet goes by in text). A site missing from the table is known by the name the page gives
it (metadata, a masthead over the headline, a copyright or support line) when that name
spells its domain ("Northern Ledger" for northernledger.example), else by its domain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import KnowledgeFileError

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "outlets.tsv"
_DOMAIN = re.compile(r"\b((?:[a-z0-9-]+\.)+[a-z]{2,})\b", re.I)
_VALID_DOMAIN = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$")


@dataclass(frozen=True)
class OutletTable:
    """Outlets by domain and by name, with the compiled patterns that find names in text."""

    by_domain: dict[str, str]
    by_name: dict[str, str]  # casefolded name or alias -> outlet
    spellings: dict[str, str]  # name or alias as the table spells it -> outlet
    tag_pattern: re.Pattern  # "/TASS/", "(Reuters)", "(AP)"
    name_pattern: re.Pattern  # names of three letters or more, as words


def load_outlets(paths: tuple[str, ...] = ()) -> OutletTable:
    """Read the outlet table (and any user file); KnowledgeFileError on a bad line."""
    return _load_outlets(tuple([str(DATA_FILE), *paths]))


@lru_cache(maxsize=8)
def _load_outlets(paths: tuple[str, ...]) -> OutletTable:
    by_domain: dict[str, str] = {}
    by_name: dict[str, str] = {}
    spellings: dict[str, str] = {}
    for path in paths:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise KnowledgeFileError(f"cannot read outlet table: {exc}", origin=path) from None
        for number, raw in enumerate(lines, start=1):
            if not raw.strip() or raw.startswith("#"):
                continue
            columns = raw.split("\t")
            where = f"{path}:{number}"
            if len(columns) not in (2, 3):
                raise KnowledgeFileError("expected 3 tab-separated columns (domain, outlet, names), "
                                         f"found {len(columns)}", origin=where)
            domain, outlet = columns[0].strip().lower(), columns[1].strip()
            names = [n.strip() for n in (columns[2] if len(columns) == 3 else "").split("|") if n.strip()]
            if not _VALID_DOMAIN.match(domain):
                raise KnowledgeFileError(f"not a domain name: {domain!r}", origin=where)
            if not outlet:
                raise KnowledgeFileError("empty outlet name", origin=where)
            by_domain[domain.removeprefix("www.")] = outlet
            for name in (outlet, *names):
                by_name.setdefault(name.casefold(), outlet)
                spellings.setdefault(name, outlet)
    names_sorted = sorted(by_name, key=len, reverse=True)
    alternation = "|".join(re.escape(n) for n in names_sorted)
    long_names = "|".join(re.escape(n) for n in names_sorted if len(n) > 2)
    return OutletTable(
        by_domain=by_domain,
        by_name=by_name,
        spellings=spellings,
        tag_pattern=re.compile(rf"(?:/\s*({alternation})\s*/|\(\s*({alternation})\s*\))", re.I),
        name_pattern=re.compile(rf"(?<!\w)({long_names})(?:['’]s)?(?!\w)", re.I),
    )


EMPTY = OutletTable({}, {}, {}, re.compile(r"(?!)"), re.compile(r"(?!)"))  # no outlets: URL -> domain


def outlet_from_url(url: str | None, table: OutletTable) -> str | None:
    """The outlet whose domain (or a parent domain) the URL is on; an unknown site is named
    by its domain, so articles of one site still group together."""
    if not url:
        return None
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower().removeprefix("www.")
    return outlet_from_domain(host, table) or (host if "." in host else None)


def outlet_from_domain(host: str, table: OutletTable) -> str | None:
    host = host.lower().removeprefix("www.")
    parts = host.split(".")
    for start in range(len(parts) - 1):
        outlet = table.by_domain.get(".".join(parts[start:]))
        if outlet:
            return outlet
    return None


def canonical_name(name: str | None, table: OutletTable) -> str | None:
    """A metadata outlet name mapped to the table's spelling when known ('reuters' -> 'Reuters')."""
    if not name or not name.strip():
        return None
    name = name.strip()
    return table.by_name.get(name.casefold()) or outlet_from_domain(name, table) or name


def outlet_from_agency_tag(body: str, table: OutletTable) -> str | None:
    """An agency tag in the opening of the body: 'ANKARA, February 3. /TASS/.', '(Reuters) -'."""
    match = table.tag_pattern.search(body[:300])
    if not match:
        return None
    return table.by_name.get((match.group(1) or match.group(2)).casefold())


def outlet_from_self_reference(lines: list[str], table: OutletTable) -> str | None:
    """A related-link line naming the outlet's own site: 'Also on example.com ...'."""
    for line in lines:
        for domain in _DOMAIN.findall(line[:80]):
            outlet = outlet_from_domain(domain, table)
            if outlet:
                return outlet
    for line in lines:  # an unknown site is named by its domain
        for domain in _DOMAIN.findall(line[:80]):
            return domain.lower().removeprefix("www.")
    return None


def outlet_from_footer(lines: list[str], table: OutletTable) -> str | None:
    """An outlet named in a newsletter or footer line: "<Outlet>'s Daily Newsletter".

    The name must be spelt as the table spells it, and a one-word name (which may be an
    ordinary word: "Time", "Slate") counts only as an owner: "Time's newsletter", "Time
    Daily Newsletter", "© Time"; "unsubscribe at any time" names no outlet.
    """
    for line in lines:
        if len(line) > 120:
            continue
        for match in table.name_pattern.finditer(line):
            found = match.group(1)
            outlet = table.by_name.get(found.casefold())
            if outlet and _named_in_footer(line, match, found, outlet, table):
                return outlet
    return None


def _named_in_footer(line: str, match: re.Match, found: str, outlet: str, table: OutletTable) -> bool:
    spellings = {outlet} | {name for name, target in table.spellings.items() if target == outlet}
    if found not in spellings:
        return False
    if len(found.split()) > 1 or (found.isupper() and len(found) > 2) or any(c.isupper() for c in found[1:]):
        return True
    return match.group(0).endswith(("'s", "’s")) or _OWNED.match(line[match.end():]) is not None or \
        re.search(r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?$", line[:match.start()], re.I) is not None


# after a one-word name in a footer: what it owns ("Example Daily Newsletter")
_OWNED = re.compile(r"\s*(?:(?:daily|weekly|morning|evening)\s+)?(?:newsletter|briefing|digest|bulletin)\b",
                    re.I)


# --- a site missing from the table: the name its own page gives it ------------------

_SQUASH = re.compile(r"[\W_]+")
_NAME_RUN = re.compile(r"^((?:The\s+)?(?:[A-Z][\w&'’.-]*|\d+)(?:\s+(?:[A-Z][\w&'’.-]*|\d+|of|and)){0,4})")
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?", re.I)
_LEAD = re.compile(r"^(?:also on|more from|more on|follow|read more on|sign up to)\s+", re.I)
_COMPANY = re.compile(r"\s+(?:Media|Group|Ltd\.?|Limited|Inc\.?|LLC|GmbH|S\.A\.|plc)\b.*$")


def squash(text: str) -> str:
    """Letters and digits only, lower case, without a leading "the": how a name becomes a domain."""
    text = re.sub(r"^the\s+", "", text.strip(), flags=re.I)
    return _SQUASH.sub("", text).casefold()


def spells_domain(name: str, domain: str) -> bool:
    """Whether a name is the domain's own name: "Northern Ledger" / northernledger.example,
    "Atlantic Wire Service" / atlanticwire.example (the domain may drop a trailing word)."""
    label = squash(domain.lower().removeprefix("www.").split(".")[0])
    key = squash(name)
    return len(label) >= 4 and len(key) >= 4 and (key == label or key.startswith(label)
                                                  or label.startswith(key))


def display_name(name: str) -> str:
    """A masthead in capitals ("CASPIAN TIMES") as a name ("Caspian Times")."""
    name = " ".join(name.split())
    if name.isupper() and len(name) > 4:
        return " ".join(w if len(w) <= 3 and not w.isalpha() else w.capitalize() for w in name.split())
    return name


def names_in_lines(lines: list[str]) -> list[str]:
    """Candidate site names in masthead, copyright and support lines: the first cell of a
    masthead ("Example News | example.org"), the owner of a copyright, a leading name."""
    names: list[str] = []
    for line in lines:
        line = _LEAD.sub("", _COPYRIGHT.sub("", line).strip())
        first = re.split(r"\s[|–—-]\s|\s{2,}", line)[0].strip()
        match = _NAME_RUN.match(first)
        if match:
            names.append(_COMPANY.sub("", match.group(1)).strip())
    return [n for n in names if n]


def domains_in_lines(lines: list[str]) -> list[str]:
    """Domains named in lines (related links, footers), lower case, without "www."."""
    return [d.lower().removeprefix("www.") for line in lines for d in _DOMAIN.findall(line)]


def named_site(names: list[str | None], domains: list[str | None]) -> tuple[str, str] | None:
    """The first (name, domain) pair where the name spells the domain."""
    for domain in filter(None, domains):
        for name in filter(None, names):
            if spells_domain(name, domain):
                return display_name(name), domain
    return None
