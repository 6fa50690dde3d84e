"""People in an article: names, the role and country their own words give them, and the
binding of later short mentions ("Tokayev", "Prince Mohammed") to the full name used first.

A known person (people tables) takes the country and office of the period that covers the
article's date. An unknown person takes a country only from their own context: a nationality
or country in their title ("Estonian Foreign Minister X"), an apposition ("X, spokeswoman of
Russia's foreign ministry"), "King X of Morocco", or the country they speak or act for in
their sentence ("X, speaking on behalf of Kenya, said"). Never from the article at large:
when their own words say nothing, the country stays empty.
"""

from __future__ import annotations

from ..limits import checkpoint
from ..records import Actor
from .knowledge import Person, norm, skeleton, slug, tokens
from .resolver import DETERMINERS, Match, Phrase, Tok, person_actor, role_text
from .state import ArticleActors, entity_of

NAME_LABELS = {"PERSON"}
CONTEXT_DEPS = {"compound", "amod", "poss", "case", "det", "nmod", "punct", "nummod", "advmod",
                "npadvmod", "quantmod"}
MAX_CONTEXT = 10
HONORIFIC_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "madam": "f", "sir": "m"}
HONORIFICS = set(HONORIFIC_GENDER) | {"dr", "mr.", "mrs.", "ms.", "dr.", "prof", "lord", "lady",
                                      "dame", "sen", "rep", "gen", "col", "lt", "capt", "maj"}
NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
NAME_PARTICLES = {"al", "bin", "ibn", "von", "van", "de", "der", "la", "le", "da", "el", "du", "di"}
# "X, speaking on behalf of Kenya", "X, who represents Kenya": whom a person speaks for
SPEAKS_FOR_PREPOSITIONS = {"for", "of"}
SPEAKS_FOR_VERBS = {"speak", "represent", "act", "negotiate", "sign"}


def name_key(text: str) -> str:
    """Lower-case name words without generational suffixes ("George Charlet III" -> "george charlet")."""
    words = [norm(t) for t in tokens(text) if t.isalpha()]
    while len(words) > 1 and words[-1] in NAME_SUFFIXES:
        words.pop()
    return " ".join(words)


def find_people(doc, state: ArticleActors) -> None:
    """Person names with the role and country of their noun phrase; remembered by name."""
    spans: list[tuple[int, int, str | None, bool]] = []  # (start, end, known id, by surname)
    used: set[int] = set()
    for m in state.matches:
        if m.kind == "person":
            a, b = state.toks[m.start].index, state.toks[m.end - 1].index + 1
            known: str | None = m.entry.key
            if doc[a].ent_iob_ != "O" and doc[a].ent_type_ == "PERSON":
                # extend to the whole PERSON entity ("President Assad" is still Assad) ...
                e = entity_of(doc, a)
                if e is not None:
                    first = min(a, e.start)
                    while first < a and is_term(state, first):
                        first += 1
                    a, b = first, strip_possessive(doc, first, max(b, e.end))
                    # ... unless it adds a name of someone else ("Jean Dupont" is not "Dupont")
                    if not _fits(state.kb.people[known], doc[a:b]):
                        known = None
            spans.append((a, b, known, m.entry.sub == "surname"))
            used.update(range(a, b))
    for ent in doc.ents:
        checkpoint()  # the document's time budget, per entity
        if ent.label_ in NAME_LABELS and not any(i in used for i in range(ent.start, ent.end)):
            a, b = strip_titles(state, ent.start, ent.end, doc)
            if a < b and plausible_name(doc[a:b]) and doc[a].lower_ not in DETERMINERS \
                    and not (a > 0 and doc[a - 1].lower_ in DETERMINERS):
                spans.append((a, b, None, False))
                used.update(range(a, b))
    # capitalised names right after a person role ("Director Fahrettin Altun") that NER missed
    for m in state.matches:
        if m.kind == "role" and m.entry.sub in ("person", "generic"):
            i = state.toks[m.end - 1].index + 1
            j = i
            while j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper() \
                    and j not in used and not is_term(state, j):
                j += 1
            if j > i and (j - i >= 2 or doc[i].ent_type_ in ("", "PERSON", "GPE", "ORG", "NORP")) \
                    and plausible_name(doc[i:j]) and not doc[i:j].text.isupper():
                spans.append((i, j, None, False))
                used.update(range(i, j))
    spans.sort(key=lambda s: (s[0], s[1]))  # spans start where they start; known ids may be None
    for a, b, known, weak in spans:
        add_person(doc, state, a, b, known, weak)
    # later bare mentions of a remembered name that NER did not label
    for k in state.toks:
        key = norm(k.text)
        if key not in state.persons or k.index in used:
            continue
        token = doc[k.index]
        if token.pos_ != "PROPN" or token.text != k.text:
            continue
        actor = state.bound(key, token.i) or state.bound(key)
        if not (token.i + 1 < len(doc) and doc[token.i + 1].pos_ == "PROPN"
                and norm(doc[token.i + 1].text) not in ("'s",)):
            state.person_units.append((token.i, token.i + 1, token.i, token.i + 1, actor))
            used.add(token.i)
    state.person_units.sort(key=lambda u: u[0])


def _fits(person: Person, span) -> bool:
    """Every name word of the span belongs to the person's names (by spelling skeleton)."""
    known = {skeleton(w) for n in (person.name, *person.aliases) for w in tokens(n) if w.isalpha()}
    for t in span:
        if t.is_alpha and t.text[:1].isupper() and t.lower_ not in HONORIFICS \
                and t.lower_ not in NAME_PARTICLES and skeleton(t.text) not in known:
            return False
    return True


def plausible_name(span) -> bool:
    """Capitalised words, no digits or line breaks: filters NER noise in page boilerplate."""
    words = [t for t in span if t.is_alpha]
    shouting = [t.is_upper and len(t) > 2 for t in words]
    if any(shouting) and not all(shouting):  # "JUST WATCHED Buttu": a caption, not a name
        return False
    if not words or any("\n" in t.text or t.like_num for t in span):
        return False
    return all(t.text[:1].isupper() and (len(t.text) > 1 or t.i + 1 < span.end) for t in words
               if t.lower_ not in NAME_PARTICLES)


def is_term(state: ArticleActors, i: int) -> bool:
    """Token i is part of a title or country term (a people's name like "Karen" is not:
    it is also a first name)."""
    a, b = state.first_sub[i], state.first_sub[i + 1]
    return any(m.start < b and m.end > a and m.kind not in ("person", "ethnic")
               for m in state.matches)


def strip_titles(state: ArticleActors, a: int, b: int, doc=None) -> tuple[int, int]:
    """A PERSON entity without leading role or country words ("Foreign Minister X" -> X)
    and without a trailing possessive ("bin Laden's")."""
    while a < b and is_term(state, a):
        a += 1
    return a, strip_possessive(doc, a, b) if doc is not None else b


def strip_possessive(doc, a: int, b: int) -> int:
    while b > a + 1 and (doc[b - 1].lower_ in ("'s", "'", "’s", "’") or doc[b - 1].is_punct):
        b -= 1
    return b


def context_bounds(doc, a: int, b: int) -> list[tuple[int, int]]:
    """Token ranges that describe the name doc[a:b]: its left modifiers, "of Morocco" after
    it, and appositions with their own "of"/"for" phrase ("X, spokeswoman of Russia's foreign
    ministry"; "a spokeswoman for the ministry, X")."""
    root = doc[b - 1]
    out = []
    left = root.left_edge.i
    if left < a and a - left <= MAX_CONTEXT:
        # stop at a token that is not part of the nominal pre-modification
        start = a
        while start > left and (doc[start - 1].dep_ in CONTEXT_DEPS or doc[start - 1].pos_ in
                                ("PROPN", "NOUN", "ADJ", "PART")) and doc[start - 1].text != ",":
            start -= 1
        if start < a:
            out.append((start, a))
    for child in root.rights:  # "King Hassan of Morocco"
        if child.dep_ == "prep" and child.lower_ in ("of", "from") and child.i == b \
                and child.right_edge.i - b <= 4:
            out.append((child.i, child.right_edge.i + 1))
    if root.dep_ == "appos" and root.head.i < a:
        h = root.head
        if a - h.left_edge.i <= MAX_CONTEXT + 3:
            out.append((h.left_edge.i, _with_own_preposition(h, limit=a)))
    for child in root.children:
        if child.dep_ == "appos" and child.i >= b and child.right_edge.i - b <= MAX_CONTEXT + 6:
            out.append((child.left_edge.i, _with_own_preposition(child)))
    return out


def _with_own_preposition(head, limit: int | None = None) -> int:
    """The end of a role noun's phrase with its "of"/"for"/"at" complement ("spokeswoman of
    Russia's foreign ministry"), else just after the noun."""
    end = head.i + 1
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in ("of", "for", "at", "to", "in") \
                and child.i == end and child.right_edge.i - head.i <= MAX_CONTEXT:
            end = child.right_edge.i + 1
            break
    return min(end, limit) if limit is not None else end


def speaks_for(doc, state: ArticleActors, root) -> str | None:
    """The country a person speaks or acts for in their sentence: "X, speaking on behalf of
    Kenya, said", "X, who represents Kenya, said", "X said on behalf of Kenya"."""
    verb = root.head if root.dep_.startswith("nsubj") else None
    candidates = []
    if verb is not None:
        candidates += [c for c in verb.children if c.dep_ == "prep"]
        candidates += [g for c in verb.children if c.dep_ in ("advcl", "xcomp")
                       and c.lemma_ in SPEAKS_FOR_VERBS for g in c.children]
    for child in root.children:  # "X, who represents Kenya" / "X, speaking for Kenya"
        if child.dep_ in ("relcl", "acl") and child.lemma_ in SPEAKS_FOR_VERBS:
            candidates += list(child.children)
    for c in candidates:
        obj = None
        if c.dep_ == "prep" and c.lower_ == "behalf":  # "on behalf of X" parsed flat
            obj = next((g for g in c.subtree if g.dep_ == "pobj" and g.i > c.i), None)
        elif c.dep_ == "prep" and c.lower_ == "on":
            inner = next((g for g in c.children if g.lower_ == "behalf"), None)
            if inner is not None:
                obj = next((g for g in inner.subtree if g.dep_ == "pobj" and g.i > inner.i), None)
        elif c.dep_ == "prep" and c.lower_ in SPEAKS_FOR_PREPOSITIONS and c.head.lemma_ in \
                SPEAKS_FOR_VERBS:
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
        elif c.dep_ == "dobj" and c.head.lemma_ == "represent":
            obj = c
        if obj is not None:
            ph = state.phrase(obj.left_edge.i, obj.i + 1, as_actor=False)
            code = phrase_country(ph)
            if code:
                return code
    return None


def add_person(doc, state: ArticleActors, a: int, b: int, known: str | None,
               by_surname: bool = False) -> None:
    kb = state.kb
    name = doc[a:b].text
    country = None
    role = None
    sector = None
    unit_start, unit_end = a, b
    for cs, ce in context_bounds(doc, a, b):
        ph = state.phrase(cs, ce, as_actor=False)
        if ph.role and ph.role_form != "relational" or ph.context_country:
            country = country or phrase_country(ph)
            if ph.role and role is None:
                sa, sb = state.sub_range(cs, ce)
                role = role_phrase(state.toks[sa:sb], ph)
                sector = ph.role_sector
                if not ph.context_country and any(x.kind == "igo" for x in ph.actors):
                    sector = "IGO"  # "UN envoy Jane Doe" acts for the organisation
        elif ph.role_form == "relational" and ph.context_country:
            country = country or ph.context_country
        informative = ph.role is not None or ph.context_country is not None or ph.actors
        if informative and ce <= b:
            unit_start = min(unit_start, cs)
    while unit_start < a and not doc[unit_start].is_alpha:  # "— Alan Greenblatt"
        unit_start += 1
    key = name_key(name)
    if known is not None and by_surname:
        # a surname the article already gave to someone of its own ("Mehmet Erdogan ...
        # Erdogan said") is that person, not the best-known bearer of the name
        bearers = state.bearers(key)
        if bearers and known not in bearers:
            known = None
    bound = state.bound(key, a) or (state.first_names.get(key) if " " not in key else None)
    if known is None and key and bound is None:
        similar = kb.similar_person(name)  # "Laurent Gbago" is Laurent Gbagbo
        if similar is None and role:  # "President Bush": the title is the evidence
            similar = kb.titled_person(name, role, sector, state.day)
        known = similar.id if similar is not None else None
    if known is not None:
        actor = person_actor(kb, kb.people[known], country, role, sector, state.day)
    else:
        parts = key.split(" ") if key else [""]
        actor = state.bound(key, a) or state.bound(parts[-1], a) or \
            (state.first_names.get(key) if len(parts) == 1 else None)
        if actor is None:
            country = country or speaks_for(doc, state, doc[b - 1])
            actor = Actor(id=f"PER:{slug(name)}", name=name, kind="person", country=country,
                          sector=sector or ("GOV" if role else None), role=role)
        else:
            actor.country = actor.country or country
            actor.role = actor.role or role
            actor.sector = actor.sector or sector
    if not key:
        return
    if known is None and actor.id not in {u[4].id for u in state.person_units} \
            and len(key.split(" ")) < 2 and not role and not country:
        return  # a lone unknown word NER calls a person ("Sabah") is too weak on its own
    remember(state, key, actor, a)
    words = set(state.person_roles.get(actor.id, ()))
    words.update((role or "").split())
    words.update((actor.role or "").split())
    state.person_roles[actor.id] = tuple(sorted(words))
    state.person_units.append((unit_start, unit_end, a, b, actor))
    title = doc[a - 2].lower_ if a >= 2 and doc[a - 1].text == "." else \
        (doc[a - 1].lower_.rstrip(".") if a >= 1 else "")
    if title in HONORIFIC_GENDER:
        state.genders.setdefault(actor.id, HONORIFIC_GENDER[title])


def remember(state: ArticleActors, key: str, actor: Actor, position: int) -> None:
    """Bind a name to its person for later short mentions: the full name, the surname (the
    last person given a surname takes it from there on), and the first name ("Prince
    Mohammed" after "Mohammed bin Salman") unless two people share it."""
    parts = [p for p in key.split(" ") if p not in NAME_PARTICLES]
    for name in {key, parts[-1]} if len(parts) > 1 else {key}:
        bound = state.persons.setdefault(name, [])
        if not bound or bound[-1][1].id != actor.id:
            bound.append((position, actor))
    if len(parts) > 1:
        first = parts[0]
        if first in state.first_names and state.first_names[first] is not None \
                and state.first_names[first].id != actor.id:
            state.first_names[first] = None  # two people called Mohammed: neither
        else:
            state.first_names.setdefault(first, actor)


def phrase_country(ph: Phrase) -> str | None:
    for actor in ph.actors:
        if actor.country:
            return actor.country
    return ph.context_country


def role_phrase(toks: list[Tok], ph: Phrase) -> str | None:
    """The role words of a context phrase: "Presidential Communications Director"."""
    idx = [i for i, t in enumerate(toks) if t.norm == (ph.role or "").split(" ")[-1]]
    if not idx:
        return ph.role
    end = idx[-1] + 1
    return role_text(toks, Match(0, end, [])) or ph.role
