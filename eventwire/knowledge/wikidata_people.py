"""Office holders from a Wikidata query result (SPARQL JSON) as an eventwire people file.

    eventwire actors from-wikidata result.json --out my_people.tsv
    python -m eventwire.knowledge.wikidata_people result.json > my_people.tsv

The result is the standard SPARQL 1.1 JSON format that the Wikidata query service returns
(``{"head": {"vars": [...]}, "results": {"bindings": [...]}}``), one row per office held.
Variables read (docs/actors.md has a query that gives them):

- ``person`` (entity URI) and ``personLabel`` (the name): required;
- ``positionLabel``: the office ("President of Kazakhstan"), the role of the line;
- ``countryCode`` (ISO 3166 alpha-3, Wikidata P298) or ``countryLabel`` (a country name
  eventwire knows): the office's country;
- ``start`` / ``end`` (xsd:dateTime, qualifiers P580 / P582): the office period;
- ``altLabels``: other names separated by ``|`` (GROUP_CONCAT of skos:altLabel);
- ``sector``: a PLOVER sector code; without it the sector comes from the office's role noun
  through the actor knowledge ("minister" -> GOV, "general" -> MIL), else GOV.

A row that cannot be read (no name, a date that is not a date, a country eventwire does not
know) is skipped and counted; the others are written.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KnowledgeFileError

HEADER = """# eventwire-knowledge: people
# Office holders converted from a Wikidata query result by eventwire (data from Wikidata,
# CC0). Columns: name  country  sector  role  aliases  start  end (docs/actors.md)
"""


@dataclass
class Report:
    rows: int = 0
    people: int = 0
    periods: int = 0
    skipped: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"{self.people} people, {self.periods} office periods from {self.rows} result rows"
        if self.skipped:
            text += f"; skipped {len(self.skipped)}: " + "; ".join(self.skipped[:5])
        return text


def _value(binding: dict, name: str) -> str:
    cell = binding.get(name)
    return (cell.get("value") or "").strip() if isinstance(cell, dict) else ""


def _day(value: str) -> str | None:
    """``2019-03-20T00:00:00Z`` -> ``2019-03-20``; empty -> None; ValueError otherwise."""
    if not value:
        return None
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        raise ValueError(f"not a date: {value!r}")
    return "-".join(m.groups())


def _clean(text: str) -> str:
    return re.sub(r"[\t\r\n|]+", " ", text).strip()


def convert(data: dict, source: str = "<query result>", settings=None) -> tuple[str, Report]:
    """The people-file text and a report for one parsed SPARQL JSON result."""
    from ..actors import resolve_actor
    from ..actors.knowledge import knowledge_for
    from ..actors.resolver import scan, text_tokens

    try:
        bindings = data["results"]["bindings"]
    except (KeyError, TypeError):
        raise KnowledgeFileError("not a SPARQL JSON result: no results.bindings",
                                 origin=source) from None
    kb = knowledge_for(settings)
    report = Report(rows=len(bindings))
    people: dict[str, dict] = {}
    for k, row in enumerate(bindings, 1):
        where = f"row {k}"
        name = _clean(_value(row, "personLabel"))
        ident = _value(row, "person") or name
        if not name or re.fullmatch(r"Q\d+", name):
            report.skipped.append(f"{where}: no English name")
            continue
        try:
            start, end = _day(_value(row, "start")), _day(_value(row, "end"))
        except ValueError as exc:
            report.skipped.append(f"{where}: {exc}")
            continue
        code = _value(row, "countryCode").upper()
        label = _value(row, "countryLabel")
        if code and code not in kb.countries:
            report.skipped.append(f"{where}: unknown country code {code!r}")
            continue
        if not code and label:
            actor = resolve_actor(label, settings)
            code = actor.country if actor is not None and actor.kind == "country" else ""
            if not code:
                report.skipped.append(f"{where}: unknown country {label!r}")
                continue
        position = _clean(_value(row, "positionLabel"))
        sector = _value(row, "sector").upper() or _sector_of(kb, position, scan, text_tokens)
        if sector not in kb.sectors:
            report.skipped.append(f"{where}: unknown sector {sector!r}")
            continue
        role = _role(position, kb.country_name(code) if code else "", label)
        entry = people.setdefault(ident, {"name": name, "aliases": [], "periods": []})
        for alias in _value(row, "altLabels").split("|"):
            alias = _clean(alias)
            if alias and alias != name and alias not in entry["aliases"]:
                entry["aliases"].append(alias)
        period = (code or "-", sector, role or "-", start or "-", end or "-")
        if period not in entry["periods"]:
            entry["periods"].append(period)
    lines = [HEADER.rstrip("\n")]
    for entry in people.values():
        # two people of one name become one person of the file (lines of a name are one person)
        name = entry["name"]
        periods = sorted(entry["periods"], key=lambda p: (p[3] == "-", p[3]))
        for n, (code, sector, role, start, end) in enumerate(periods):
            aliases = "|".join(entry["aliases"]) if n == 0 and entry["aliases"] else "-"
            lines.append("\t".join((name, code, sector, role, aliases, start, end)))
        report.periods += len(periods)
    report.people = len(people)
    return "\n".join(lines) + "\n", report


def _sector_of(kb, position: str, scan, text_tokens) -> str:
    """The sector of the last role noun in an office's name ("Minister of Defence" -> GOV,
    "Chief of the General Staff" -> MIL); GOV when none is known."""
    toks = text_tokens(position)
    roles = [m for m in scan(kb, toks) if m.kind == "role" and m.entry.sector]
    return roles[0].entry.sector if roles else "GOV"


def _role(position: str, country: str, label: str) -> str:
    """The office without its country: "President of Kazakhstan" -> "president"."""
    role = position
    for name in filter(None, (country, label)):
        role = re.sub(rf"\s+(?:of|for)\s+(?:the\s+)?{re.escape(name)}$", "", role, flags=re.I)
    return role.lower()


def convert_file(path: Path, settings=None) -> tuple[str, Report]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KnowledgeFileError(f"cannot read the query result: {exc}", origin=str(path)) from exc
    return convert(data, str(path), settings)


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print("usage: python -m eventwire.knowledge.wikidata_people RESULT.json > people.tsv",
              file=sys.stderr)
        return 2
    try:
        text, report = convert_file(Path(args[0]))
    except KnowledgeFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(text)
    print(f"eventwire: {report}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
