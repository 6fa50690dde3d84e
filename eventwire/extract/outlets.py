"""Which outlet published an article: from its URL, agency tags, self-references and footers.

Knowledge is in ``data/outlets.tsv`` (domain -> outlet name, plus the other names the
outlet goes by in text).
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
    tag_pattern: re.Pattern  # "/TASS/", "(Reuters)", "(AP)"
    name_pattern: re.Pattern  # names of three letters or more, as words


def load_outlets(paths: tuple[str, ...] = ()) -> OutletTable:
    """Read the outlet table (and any user file); KnowledgeFileError on a bad line."""
    return _load_outlets(tuple([str(DATA_FILE), *paths]))


@lru_cache(maxsize=8)
def _load_outlets(paths: tuple[str, ...]) -> OutletTable:
    by_domain: dict[str, str] = {}
    by_name: dict[str, str] = {}
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
    names_sorted = sorted(by_name, key=len, reverse=True)
    alternation = "|".join(re.escape(n) for n in names_sorted)
    long_names = "|".join(re.escape(n) for n in names_sorted if len(n) > 2)
    return OutletTable(
        by_domain=by_domain,
        by_name=by_name,
        tag_pattern=re.compile(rf"(?:/\s*({alternation})\s*/|\(\s*({alternation})\s*\))", re.I),
        name_pattern=re.compile(rf"(?<!\w)({long_names})(?:['’]s)?(?!\w)", re.I),
    )


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
    """An outlet named in a newsletter or footer line: "<Outlet>'s Daily Newsletter"."""
    for line in lines:
        if len(line) > 120:
            continue
        match = table.name_pattern.search(line)
        if match:
            return table.by_name.get(match.group(1).casefold())
    return None
