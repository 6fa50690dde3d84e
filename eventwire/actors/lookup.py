"""What a name resolves to and why: the terms matched (with the file and line they come from),
the title taken as evidence, and for a known person every office period and the one chosen
for the date. Behind ``eventwire actors lookup NAME [--date YYYY-MM-DD]``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..records import Actor
from ..settings import Settings
from .knowledge import Knowledge, Person, knowledge_for
from .resolver import resolve_text, scan, text_tokens


@dataclass
class Lookup:
    """The resolution of one name, with its evidence."""

    text: str
    date: str | None
    actor: Actor | None
    evidence: list[str] = field(default_factory=list)
    periods: list[dict[str, Any]] = field(default_factory=list)  # a known person's offices

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["actor"] = self.actor.to_dict() if self.actor else None
        return out

    def render(self) -> str:
        lines = [f"{self.text!r}" + (f" on {self.date}" if self.date else " (no date)")]
        a = self.actor
        if a is None:
            lines.append("  resolves to nothing")
        else:
            lines.append(f"  -> {a.name} [{a.id}] kind {a.kind}, country {a.country or '-'}, "
                         f"sector {a.sector or '-'}" + (f", role {a.role}" if a.role else ""))
            if a.period or a.basis:
                lines.append(f"     period {a.period or '-'}: {a.basis or ''}")
        for line in self.evidence:
            lines.append(f"  - {line}")
        if self.periods:
            lines.append("  offices:")
            for p in self.periods:
                mark = "*" if p["chosen"] else " "
                lines.append(f"   {mark} {p['period']:<24} {p['where'] or '-':<10} {p['sector'] or '-':<4} "
                             f"{p['role'] or '-'}  ({p['origin']})")
        return "\n".join(lines)


def _where(kb: Knowledge, entry) -> str:
    if entry.kind == "person":
        return f"person {kb.people[entry.key].name} [{entry.key}]" + \
            (" by surname" if entry.sub == "surname" else "")
    if entry.kind == "igo":
        return f"IGO {kb.igos[entry.key].name} [IGO:{entry.key}]"
    if entry.kind == "group":
        org = kb.groups[entry.key]
        return f"group {org.name} [GRP:{entry.key}] country {org.country or '-'}"
    if entry.kind == "role":
        return f"role noun '{entry.key}' ({entry.sub})"
    return f"{entry.sub or entry.kind} of {kb.country_name(entry.key)} [{entry.key}]"


def explain(text: str, settings: Settings | None = None, date: str | None = None) -> Lookup:
    """Resolve ``text`` as of ``date`` and say why."""
    kb = knowledge_for(settings)
    phrase = resolve_text(kb, text, day=date)
    found = Lookup(text, date, phrase.actor)
    toks = text_tokens(text)
    for m in scan(kb, toks):
        words = " ".join(t.text for t in toks[m.start:m.end])
        e = m.entry
        sector = f", sector {e.sector}" if e.sector else ""
        found.evidence.append(f"'{words}': {_where(kb, e)}{sector} ({_short(e.origin)})")
    if phrase.role:
        found.evidence.append(f"title/role '{phrase.role}' -> sector {phrase.role_sector or '-'}")
    if phrase.context_country and phrase.actor and phrase.actor.kind == "person" \
            and phrase.actor.id not in kb.people:
        found.evidence.append(f"country from the phrase's own words: {phrase.context_country}")
    actor = phrase.actor
    if actor is not None and actor.id in kb.people:
        person: Person = kb.people[actor.id]
        chosen, _ = person.at(date, phrase.role_sector)
        for p in person.periods:
            found.periods.append({
                "period": p.text(), "where": f"IGO:{p.igo}" if p.igo else p.country,
                "sector": p.sector, "role": p.role, "origin": _short(p.origin),
                "chosen": p is chosen})
        if person.aliases:
            found.evidence.append("also written: " + ", ".join(person.aliases[:8]))
    return found


def _short(origin: str) -> str:
    """``.../eventwire/data/actors/people.tsv:12`` -> ``people.tsv:12``."""
    return origin.rsplit("/", 1)[-1] if "/data/actors/" in origin else origin
