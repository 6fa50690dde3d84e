"""Phrase resolution: from the terms matched in a noun phrase to the actor(s) it names.

Works on a list of tokens (from a free-standing string or from a spaCy span), so that
``resolve_actor`` needs no parser and the pipeline reuses the parse it already has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..records import Actor
from .knowledge import Entry, Knowledge, Person, fold, name_words, naming, skeleton, slug, tokens

# Closed-class words that end the head of a noun phrase ("forces in Guinea", "King Hassan of
# Morocco"): what follows only locates or qualifies the head.
BOUNDARY = {"in", "of", "from", "at", "near", "on", "loyal", "based", "who", "which", "that", "to",
            "for", "with", "against", "by", "over", "after", "during", "under", "inside",
            "across", "within", "around", "outside", "along", "fleeing", "operating", "living",
            ",", "(", ";", ":", "and/or"}
# A country joined to these by a hyphen backs the actor instead of being it ("pro-Russian
# separatists", "Russian-backed rebels").
AFFILIATION_PREFIXES = {"pro", "anti"}
AFFILIATION_SUFFIXES = {"backed", "sponsored", "supported", "funded", "armed", "trained",
                        "allied", "aligned", "installed", "appointed", "occupied", "controlled",
                        "held"}
DETERMINERS = {"the", "this", "that", "these", "those"}
NUMBERS = {"two": 2, "both": 2, "three": 3, "four": 4, "duo": 2, "pair": 2}
COMPOUND_JOINERS = {"and", ",", "&", "or"}
# Organisations that work in other countries without becoming theirs: a locative ("in Iraq")
# does not give them a country; a qualifier before the name still does ("the Kenyan Red Cross").
NONSTATE_ABROAD = {"NGO", "IGO", "MED", "JRN", "BUS", "HRI", "REL"}
# Sectors an IGO takes from the role noun after its name ("NATO forces", "a UN tribunal").
IGO_FUNCTIONS = {"MIL", "JUD", "COP", "SPY", "LEG", "MED", "REF"}
# A demonym after these names an ethnic group, not a state ("ethnic Albanians").
ETHNIC_MARKERS = {"ethnic"}


@dataclass
class Tok:
    """One token of a phrase: folded text, lower-case form and character offsets."""

    text: str
    norm: str
    start: int = 0
    end: int = 0
    index: int = -1  # index of the spaCy token it comes from, -1 for free text


@dataclass
class Match:
    """A knowledge term found over toks[start:end]."""

    start: int
    end: int
    entries: list[Entry]

    @property
    def entry(self) -> Entry:
        return self.entries[0]

    @property
    def kind(self) -> str:
        return self.entry.kind


@dataclass
class Phrase:
    """What a noun phrase names: its actors (primary first) and its head role."""

    actors: list[Actor] = field(default_factory=list)
    role: str | None = None  # head role term ("minister")
    role_form: str | None = None  # person | generic | body | group | relational
    role_sector: str | None = None
    modifiers: list[str] = field(default_factory=list)  # non-role words before the head role
    context_country: str | None = None  # country named around a role with no actor of its own
    definite: bool = False
    count: int | None = None  # "the two leaders" -> 2
    pronoun: str | None = None
    named: bool = False  # a person or organisation is named in the phrase

    @property
    def actor(self) -> Actor | None:
        return self.actors[0] if self.actors else None


def text_tokens(text: str) -> list[Tok]:
    """Tokens of a free-standing string, with character offsets into its folded form."""
    out: list[Tok] = []
    folded = fold(text)
    pos = 0
    for t in tokens(text):
        start = folded.find(t, pos)
        start = pos if start < 0 else start
        pos = start + len(t)
        out.append(Tok(t, t.lower(), start, pos))
    return out


def scan(kb: Knowledge, toks: list[Tok]) -> list[Match]:
    """All knowledge terms in toks, longest match first, left to right, not overlapping. A
    capitalised name is also looked up by its spelling skeleton ("Kassym-Jomart Tokayev"
    finds "Kasymzhomart Tokayev"); an initial before a known surname must fit the person."""
    folded = [t.text for t in toks]
    normed = [t.norm for t in toks]
    joined = [toks[k].end == toks[k + 1].start for k in range(len(toks) - 1)] + [False]
    matches: list[Match] = []
    i = 0
    while i < len(toks):
        end, entries = kb.match_at(folded, normed, i)
        if folded[i][:1].isupper():
            name_end, named = kb.match_name_at(folded, i, joined)
            if name_end > end:
                end, entries = name_end, named
        if entries and entries[0].kind == "person":
            start, entries = _initials(kb, toks, i, entries, matches)
            entries = _given_name_fits(kb, toks, start, end, entries, matches)
            if entries:
                matches.append(Match(start, end, entries))
                i = end
                continue
            entries = []
        if entries:
            matches.append(Match(i, end, entries))
            i = end
        else:
            i += 1
    return matches


def _initials(kb: Knowledge, toks: list[Tok], i: int, entries: list[Entry],
              matches: list[Match]) -> tuple[int, list[Entry]]:
    """A person match preceded by an initial ("V. Putin", "V.V. Putin"): the match takes the
    initial in when it fits the person's first name, and the person is dropped when it does
    not ("J. Putin" is someone else)."""
    k = i
    if k >= 2 and toks[k - 1].text == "." and len(toks[k - 2].text) == 1 and toks[k - 2].text.isupper():
        initial, k = toks[k - 2].text, k - 2
    elif k >= 1 and re.fullmatch(r"(?:[A-Z]\.)+", toks[k - 1].text):
        initial, k = toks[k - 1].text[0], k - 1
    else:
        return i, entries
    if matches and matches[-1].end > k:
        return i, entries
    fitting = [e for e in entries if e.kind != "person"
               or fold(kb.people[e.key].name)[:1].upper() == initial]
    return (k if fitting else i), fitting


def _given_name_fits(kb: Knowledge, toks: list[Tok], start: int, end: int,
                     entries: list[Entry], matches: list[Match]) -> list[Entry]:
    """A surname alone right after another capitalised name word ("Jana Kovac" when only
    Michal Kovac is known) is someone else: the people whose names lack that word are
    dropped (lower-case particles in between are skipped: "Piet de Graaf")."""
    k = start - 1
    while k >= 0 and toks[k].norm in naming()["particle"] and not toks[k].text[:1].isupper():
        k -= 1
    if k < 0 or not toks[k].text[:1].isupper() or not toks[k].norm.isalpha() \
            or matches and matches[-1].end > k:
        return entries
    word = skeleton(toks[k].text)
    return [e for e in entries if e.kind != "person" or e.sub != "surname" or word in {
        skeleton(w) for n in (kb.people[e.key].name, *kb.people[e.key].aliases)
        for w in name_words(tokens(n))}]


def head_cut(toks: list[Tok], matches: list[Match]) -> int:
    """Index where the head region of the phrase ends (first boundary word after content)."""
    inside = set()
    for m in matches:
        inside.update(range(m.start + 1, m.end))  # boundary words inside a term do not cut
    seen_content = False
    for i, t in enumerate(toks):
        if t.norm in BOUNDARY and seen_content and i not in inside:
            return i
        if t.norm not in DETERMINERS and t.norm.isalnum():
            seen_content = True
    return len(toks)


def _affiliated(toks: list[Tok], m: Match) -> bool:
    """True for "pro-Russian", "anti-American", "Russian-backed": the country is not the actor."""
    before = [t.norm for t in toks[max(0, m.start - 2):m.start]]
    after = [t.norm for t in toks[m.end:m.end + 2]]
    if len(before) == 2 and before[1] == "-" and before[0] in AFFILIATION_PREFIXES:
        return True
    if len(after) == 2 and after[0] == "-" and after[1] in AFFILIATION_SUFFIXES:
        return True
    return False


def _locative(toks: list[Tok], m: Match) -> bool:
    """A tail term counts only close after its preposition ("in southern Lebanon", "of the
    PKK"), not further down a clause ("in two regions bordering Russia")."""
    k = m.start - 1
    between = 0
    while k >= 0 and toks[k].norm not in BOUNDARY:
        if toks[k].norm.isalpha():
            between += 1
        k -= 1
    return k >= 0 and between <= 2


def _possessor(toks: list[Tok], m: Match) -> bool:
    """True when the term is followed by a possessive ("Russia's", "Workers'")."""
    return m.end < len(toks) and toks[m.end].norm in ("'s", "'")


def country_actor(kb: Knowledge, code: str, sector: str | None = None,
                  role: str | None = None) -> Actor:
    name = kb.country_name(code)
    if sector:
        label = kb.sector_label(sector)  # "Government (Turkey)", as event datasets name them
        return Actor(id=f"{code}-{sector}", name=f"{label[:1].upper()}{label[1:]} ({name})",
                     kind="institution", country=code, sector=sector, role=role)
    return Actor(id=code, name=name, kind="country", country=code, sector=None, role=role)


def org_actor(kb: Knowledge, entry: Entry, country: str | None = None,
              sector: str | None = None) -> Actor:
    if entry.kind == "igo":
        org = kb.igos[entry.key]
        return Actor(id=org.id, name=org.name, kind="igo", country=None,
                     sector=sector or org.sector or "IGO")
    org = kb.groups[entry.key]
    return Actor(id=org.id, name=org.name, kind="group", country=country or org.country,
                 sector=sector or org.sector)


def person_actor(kb: Knowledge, person: Person, country: str | None = None,
                 role: str | None = None, sector: str | None = None,
                 day: str | None = None) -> Actor:
    """A known person as they were on ``day`` (the article's date; None: their latest known
    period). ``role`` and ``sector`` come from the title the text gives them ("General X"),
    which also prefers a period of that sector; ``country`` from the phrase, used only when
    the knowledge gives none."""
    period, basis = person.at(day, sector)
    if period is None:
        return Actor(id=person.id, name=person.name, kind="person", country=country,
                     sector=sector, role=role, basis=basis)
    own_sector = period.sector if period.sector not in (None, "ELI") or not sector else sector
    home = None if period.igo else (period.country or country)
    return Actor(id=person.id, name=person.name, kind="person", country=home,
                 sector=own_sector or sector, role=role or period.role,
                 period=period.text(), basis=basis if day is None else f"{basis} {day}")


def seat_igo(kb: Knowledge, toks: list[Tok], matches: list[Match]) -> Entry | None:
    """The IGO a lone seat city stands for ("Brussels" -> EU) when the phrase is only that city."""
    content = [t for t in toks if t.norm not in DETERMINERS]
    if len(matches) != 1 or not content:
        return None
    m = matches[0]
    if m.end - m.start != len(content):
        return None
    key = " ".join(t.norm for t in toks[m.start:m.end])
    igo = kb.seats.get(key)
    return Entry("igo", igo) if igo else None


def compose(kb: Knowledge, toks: list[Tok], matches: list[Match], as_actor: bool = True,
            day: str | None = None) -> Phrase:
    """Resolve one noun phrase from its tokens and matched terms.

    The head region (before the first preposition or comma) decides: a named person or
    organisation there is the actor; else the countries there, each with the sector of the
    head role ("Senior Hungarian and Romanian officials" -> HUN/GOV, ROU/GOV); else a country
    in the trailing locative ("police in Kabul" -> AFG/COP).
    """
    phrase = Phrase()
    if not toks:
        return phrase
    if day and kb.successions:
        matches = [_place_as_of(kb, m, day) for m in matches]
    matches = _titled_names(matches)
    phrase.definite = toks[0].norm in DETERMINERS
    for t in toks:
        if t.norm in NUMBERS:
            phrase.count = NUMBERS[t.norm]
    if as_actor:
        seat = seat_igo(kb, toks, matches)
        if seat is not None:
            phrase.actors.append(org_actor(kb, seat))
            phrase.named = True
            return phrase
    cut = head_cut(toks, matches)
    head = [m for m in matches if m.end <= cut]
    tail = [m for m in matches if m.start >= cut]
    roles = [m for m in head if m.kind == "role"] or [m for m in tail if m.kind == "role"][:1]
    head_role = roles[-1] if roles else None
    if head_role is not None and head_role.end <= cut:
        # "the official line", "military centre": a role word modifying a common noun is not the head
        starts = {m.start for m in matches}
        follow = [t for i, t in enumerate(toks[head_role.end:cut], head_role.end)
                  if t.norm.isalpha() and i not in starts]
        if follow and follow[0].text[:1].islower() and not (
                follow[0].norm in naming()["particle"] and len(follow) > 1
                and follow[1].text[:1].isupper()):
            head_role = None
    if head_role is not None:
        phrase.role = head_role.entry.key
        phrase.role_form = head_role.entry.sub
        phrase.role_sector = _modified_sector(roles, head_role)
        role_sector = None if phrase.role_form == "relational" else phrase.role_sector
        matched = {i for m in matches for i in range(m.start, m.end)}
        phrase.modifiers = [t.norm for i, t in enumerate(toks[:head_role.start])
                            if i not in matched and t.norm.isalpha() and t.norm not in DETERMINERS
                            and t.norm not in NUMBERS]
    else:
        role_sector = None

    relational_head = phrase.role_form == "relational"

    def usable(m: Match) -> bool:
        if _affiliated(toks, m):
            return False
        # "Kiev's backers in Washington": the possessor of a relational head is someone else
        return not (relational_head and _possessor(toks, m) and m.start < head_role.start)

    # "Osama bin Laden's al-Qaeda": a possessor gives context, the possessed thing is the actor
    later_named = [m for m in head if m.kind in ("person", "igo", "group")]
    # "Zoran Djindjic's opposition coalition": the same for a possessed role noun
    possessors = [m for m in head if m.kind == "person" and _possessor(toks, m)
                  and (any(o.start > m.start for o in later_named)
                       or (head_role is not None and head_role.start > m.start))]
    people = [m for m in head if m.kind == "person" and m not in possessors]
    orgs = [m for m in head if m.kind in ("igo", "group")]
    places = [m for m in head if m.kind in ("country", "place") and usable(m)
              and not (m.entry.sub == "demonym" and m.start > 0
                       and toks[m.start - 1].norm in ETHNIC_MARKERS)]
    tail_places = [m for m in tail if m.kind in ("country", "place", "igo", "group") and usable(m)
                   and _locative(toks, m)]
    tail_countries = [m for m in tail_places if m.kind in ("country", "place")]
    # "Albanians of southern Serbia": a people noun heading the phrase is located by the tail
    if (places and tail_countries and head_role is None and len(places) == 1
            and places[0].entry.sub == "demonym" and places[0].end == cut):
        places = []
    context = places or tail_countries
    context_code = context[0].entry.key if context else None
    # "Karen guerrillas", "Tamil refugees": a people living in one state names that state for
    # the role it qualifies, when the phrase names no state itself
    ethnic = [m for m in head if m.kind == "ethnic" and not (
        m.start > 0 and toks[m.start - 1].norm in ETHNIC_MARKERS)]
    if context_code is None and ethnic and head_role is not None and head_role.start >= ethnic[0].end \
            and phrase.role_form not in ("relational", "state"):
        context_code = ethnic[0].entry.key
        if not people and not orgs:
            phrase.context_country = context_code
            phrase.actors.append(country_actor(kb, context_code, role_sector, phrase.role))
            return phrase
    if context_code is None and possessors:
        context_code = person_actor(kb, kb.people[possessors[0].entry.key], day=day).country
        if context_code and not people and not orgs and head_role is not None:
            phrase.context_country = context_code
            phrase.actors.append(country_actor(kb, context_code, role_sector, phrase.role))
            return phrase
    # "the interim cabinet of President Ana Ruiz": a known person after "of" gives
    # an institution heading the phrase the person's country (as of the date)
    if context_code is None and not people and not orgs and head_role is not None \
            and phrase.role_form in ("body", "group", "generic"):
        owner = [m for m in tail if m.kind == "person" and _locative(toks, m)]
        if owner:
            context_code = person_actor(kb, kb.people[owner[0].entry.key], day=day).country
            if context_code:
                phrase.context_country = context_code
                phrase.actors.append(country_actor(kb, context_code, role_sector, phrase.role))
                return phrase
    phrase.context_country = context_code

    if not people and head_role is not None and phrase.role_form in ("person", "generic"):
        name = unnamed_person(toks, head_role, cut, matches)
        known = kb.similar_person(name) if name else None
        if known is None and name:
            known = kb.titled_person(name, role_text(toks, head_role, matches), role_sector, day)
        if known is not None:
            phrase.named = True
            phrase.actors.append(person_actor(kb, known, context_code,
                                              role_text(toks, head_role, matches), role_sector, day))
            return phrase
        if name:
            phrase.named = True
            # an official named with an organisation and no country acts for it ("UN envoy X")
            for_igo = context_code is None and any(m.kind == "igo" for m in orgs if m.end <= cut)
            phrase.actors.append(Actor(id=f"PER:{slug(name)}", name=name, kind="person",
                                       country=context_code, sector="IGO" if for_igo else role_sector,
                                       role=role_text(toks, head_role)))
            return phrase
    if people:
        phrase.named = True
        title = role_text(toks, head_role, matches) if head_role is not None and \
            head_role.end <= people[0].start else None
        for m in people:
            person = kb.people[m.entry.key]
            if title and m.entry.sub == "surname":
                # "Premier Li": the title picks among every bearer of the surname, not only
                # the one the surname alone would name
                name = " ".join(t.text for t in toks[m.start:m.end])
                person = kb.titled_person(name, title, role_sector, day) or person
            actor = person_actor(kb, person, context_code, title, role_sector if title else None,
                                 day)
            qualifiers = {p.entry.key for p in places if p.end <= m.start}
            if m.entry.sub == "surname" and qualifiers and actor.country not in qualifiers:
                # "Estonian Foreign Minister Kovac" is not the Slovak Kovac: the text's own
                # country wins over a bearer of the surname elsewhere
                name = " ".join(t.text for t in toks[m.start:m.end])
                actor = Actor(id=f"PER:{slug(name)}", name=name, kind="person",
                              country=context_code, sector=role_sector if title else None,
                              role=title)
            phrase.actors.append(actor)
        return phrase
    if orgs and (not places or orgs[0].start < places[0].start or orgs[0].entry.kind == "group"):
        phrase.named = True
        # a group's own country yields only to a country qualifying it: "Syrian Kurdish YPG",
        # "PKK militants in Iraq"; not to one it is merely named with ("the Hamas-Israel truce")
        before = [m for m in places if m.end <= orgs[0].start]
        qualifier = (before or tail_countries or [None])[0]
        if orgs[0].entry.sector in NONSTATE_ABROAD and not before:
            qualifier = None  # "the Red Cross operating in Iraq" is not Iraqi
        for m in orgs:
            country = qualifier.entry.key if m.kind == "group" and qualifier else None
            # "a Hamas official" is of Hamas's sector; "Hamas fighters" says its own; an IGO
            # takes only the sector of a state function ("NATO forces", "a UN tribunal"), not
            # that of its staff's trade ("UN aid workers", "World Bank economists")
            own = role_sector if role_sector != "GOV" and (
                m.kind != "igo" or role_sector in IGO_FUNCTIONS) else None
            phrase.actors.append(org_actor(kb, m.entry, country, own))
        for m in places:
            if m is not qualifier:
                actor = country_actor(kb, m.entry.key)
                if actor.id not in {a.id for a in phrase.actors}:
                    phrase.actors.append(actor)
        return phrase
    if places:
        # one actor per country: "Russia's Pacific Fleet" is the Russian military, not Russia
        # and its fleet; the term with a sector of its own speaks for the country's words
        by_code: dict[str, Match] = {}
        for m in places:
            kept = by_code.get(m.entry.key)
            if kept is None or _own_sector(kept) is None and _own_sector(m) is not None:
                by_code[m.entry.key] = m
        for m in places:
            if by_code.get(m.entry.key) is not m:
                continue
            own = _own_sector(m)
            # "CIA officials": generic government words keep the institution's own sector
            sector = own if own and role_sector in (None, "GOV") else (role_sector or own)
            if sector is None and head_role is None and _people_noun(toks, m, cut):
                sector = "CVL"  # "Algerians blocked roads": the people, not the state
            actor = country_actor(kb, m.entry.key, sector, phrase.role)
            if actor.id not in {a.id for a in phrase.actors}:
                phrase.actors.append(actor)
        return phrase
    if not tail_places and head_role is not None and phrase.role_form == "body":
        name = proper_name(toks[:head_role.end])
        if name:  # an organisation the files do not know: "Ceasefire Violations Committee"
            phrase.named = True
            phrase.actors.append(Actor(id=f"ORG:{slug(name)}", name=name, kind="group",
                                       country=None, sector=role_sector))
            return phrase
    if tail_places:
        m = tail_places[0]
        if m.kind in ("igo", "group"):
            phrase.actors.append(org_actor(kb, m.entry, None, role_sector))
        else:
            phrase.actors.append(country_actor(kb, m.entry.key, role_sector, phrase.role))
    return phrase


def _titled_names(matches: list[Match]) -> list[Match]:
    """A word that is a place and a person's surname is the person right after a person's
    title ("President Sandu" is not the town of Sandu)."""
    out = list(matches)
    for k in range(1, len(out)):
        m, before = out[k], out[k - 1]
        if m.kind == "place" and before.end == m.start and before.kind == "role" \
                and before.entry.sub in ("person", "generic") \
                and any(e.kind == "person" for e in m.entries):
            people = [e for e in m.entries if e.kind == "person"]
            out[k] = Match(m.start, m.end, people + [e for e in m.entries if e.kind != "person"])
    return out


def _place_as_of(kb: Knowledge, m: Match, day: str) -> Match:
    """A capital or place of a state that did not exist yet on ``day`` is a place of the
    state it belonged to ("Juba" in 1995 is in Sudan, not a seat of government); a capital
    or institution that was the earlier state's seat speaks for it ("the Kremlin" in 1988)."""
    e = m.entry
    if e.sub not in ("capital", "place", "town", "metonym") or e.kind not in ("country", "place"):
        return m
    code, seat = kb.state_of_place(e.key, day)
    if code == e.key or e.sub == "metonym" and not seat:
        return m
    if e.sub in ("capital", "metonym") and seat:  # "Belgrade", "the Kremlin" in 1988
        moved = Entry(e.kind, code, e.sector, e.sub, e.exact, e.capitalised, e.origin)
    else:
        moved = Entry("place", code, None, "town" if e.sub == "town" else "place", e.exact,
                      e.capitalised, e.origin)
    return Match(m.start, m.end, [moved] + m.entries[1:])


def _modified_sector(roles: list[Match], head_role: Match) -> str | None:
    """The sector of a government-sector person noun takes the sector of the body right
    before it: "army spokesman" is military, "rebel commander" a rebel, "police official" the
    police; "foreign ministry spokesman" stays government."""
    sector = head_role.entry.sector
    if sector != "GOV" or head_role.entry.sub not in ("person", "generic"):
        return sector
    before = [m for m in roles if m.end == head_role.start]
    if before and before[0].entry.sector not in (None, "GOV") and before[0].entry.sub in (
            "body", "group", "person", "generic"):
        return before[0].entry.sector
    return sector


def _people_noun(toks: list[Tok], m: Match, cut: int) -> bool:
    """A plural demonym heading the phrase on its own ("Algerians", "the Liberians")."""
    last = toks[m.end - 1].norm
    return m.entry.sub == "demonym" and m.end == cut and last.endswith("s") \
        and not last.endswith("ss") and all(t.norm in DETERMINERS or not t.norm.isalpha()
                                            for t in toks[:m.start])


def _own_sector(m: Match) -> str | None:
    """The sector a capital or an institution's name implies ("the Kremlin": GOV)."""
    return m.entry.sector if m.entry.sub in ("capital", "metonym") else None


def unnamed_person(toks: list[Tok], head_role: Match, cut: int, matches: list[Match]) -> str | None:
    """A capitalised name right after a person role ("Defence Secretary Tom King") not in the
    knowledge files."""
    starts = {m.start for m in matches}
    particles = naming()["particle"]
    name: list[Tok] = []
    for i in range(head_role.end, cut):
        t = toks[i]
        # a lower-case particle followed by the rest of the name: "al-Jubeir", "de Villepin"
        particle = t.norm in particles and i + 1 < cut and (
            toks[i + 1].norm == "-" or toks[i + 1].text[:1].isupper())
        if i in starts or not (t.text[:1].isupper() or particle or name and t.norm == "-") \
                or not (t.norm.isalpha() or "." in t.norm or t.norm == "-"):
            break
        name.append(t)
    if not name or not name[-1].norm.isalpha():
        return None
    return " ".join(t.text for t in name).replace(" - ", "-")


NAME_PARTICLES = {"of", "the", "for", "and", "on", "in", "de", "&", "'", "'s", "-"}


def proper_name(toks: list[Tok]) -> str | None:
    """The text of a capitalised multi-word name ("Third World Water Forum"), else None."""
    words = [t for t in toks if t.norm not in DETERMINERS or t.text[:1].isupper()]
    while words and words[0].norm in DETERMINERS:
        words = words[1:]
    capitalised = [t for t in words if t.text[:1].isupper()]
    if len(capitalised) < 2 or any(not t.text[:1].isupper() and t.norm not in NAME_PARTICLES
                                   for t in words):
        return None
    return " ".join(t.text for t in words).replace(" 's", "'s").replace(" - ", "-")


def role_text(toks: list[Tok], head_role: Match, matches: list[Match] | None = None) -> str:
    """The role words up to and including the head role, without determiners and without
    the words of other terms (countries, organisations) when ``matches`` are given."""
    skip = {i for m in matches or () if m.kind != "role" for i in range(m.start, m.end)}
    words = [t.norm for i, t in enumerate(toks[:head_role.end])
             if t.norm.isalpha() and t.norm not in DETERMINERS and i not in skip]
    return " ".join(words[-4:])


def resolve_text(kb: Knowledge, text: str, as_actor: bool = True, day: str | None = None) -> Phrase:
    """Resolve a free-standing phrase without a parser; ``day`` (YYYY-MM-DD) picks people's
    offices by date."""
    toks = text_tokens(text)
    matches = contextual_readings(kb, scan(kb, toks), day)
    matches = sorted(matches + misspelled(kb, toks, matches), key=lambda m: m.start)
    return compose(kb, toks, matches, as_actor, day)


def person_country(kb: Knowledge, key: str, day: str | None) -> str | None:
    person = kb.people.get(key)
    return person_actor(kb, person, day=day).country if person is not None else None


def contextual_readings(kb: Knowledge, matches: list[Match], day: str | None) -> list[Match]:
    """Keep the readings of a word several parties go by ("Republicans", "Labour") whose
    country the article names (by a country, a place or a known person), the most named first;
    drop the word when the article names none of them."""
    if not any(e.contextual for m in matches for e in m.entries):
        return matches
    tally: dict[str, int] = {}
    for m in matches:
        e = m.entry
        code = e.key if e.kind in ("country", "place") and e.sub != "ethnic" else \
            person_country(kb, e.key, day) if e.kind == "person" else None
        if code:
            tally[code] = tally.get(code, 0) + 1
    kept = []
    for m in matches:
        if not any(e.contextual for e in m.entries):
            kept.append(m)
            continue
        fitting = [e for e in m.entries if not e.contextual or tally.get(kb.groups[e.key].country, 0)]
        if fitting:
            m.entries = sorted(fitting, key=lambda e: -tally.get(kb.groups[e.key].country, 0)
                               if e.contextual else 0)
            kept.append(m)
    return kept


def misspelled(kb: Knowledge, toks: list[Tok], matches: list[Match]) -> list[Match]:
    """Country words misspelled in a free-standing actor text that names no actor otherwise
    ("Afganistan", "Kenian police"). Such a text is known to name an actor, so a
    capitalised word that no term covers and that is one letter from a country word is that
    word; it must stand apart from other capitalised words (not part of a name: "Marian
    Kovac"). Article text is not read this way: there any capitalised word may be a name."""
    if any(m.kind in ("country", "place", "igo", "group", "person") for m in matches):
        return []  # the text names its actor already
    covered = {i for m in matches for i in range(m.start, m.end)}
    found = []
    for i, t in enumerate(toks):
        if i in covered or not t.text[:1].isupper() or not t.norm.isalpha():
            continue
        neighbours = [toks[k] for k in (i - 1, i + 1) if 0 <= k < len(toks) and k not in covered]
        if any(n.text[:1].isupper() and n.norm.isalpha() for n in neighbours):
            continue
        entry = kb.near_country_word(t.text)
        if entry is not None:
            found.append(Match(i, i + 1, [entry]))
    return found

