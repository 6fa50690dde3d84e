"""In-article resolution: names, noun phrases, role descriptions and pronouns over one parse.

One left-to-right pass over the spaCy ``Doc`` finds person names (with the role and country
their noun phrase gives them) and the noun phrases headed by a known term or a role noun. Each
resolved mention joins a salience memory (most recent first) that later definite descriptions
("the Turkish minister", "the ministry", "the two leaders") and pronouns ("he", "it", "they")
are resolved against. The state is kept in ``doc.user_data`` so that the events and quotes
stages ask about any span without parsing again.
"""

from __future__ import annotations

from dataclasses import replace

from ..limits import checkpoint
from ..records import Actor
from .knowledge import Knowledge
from .people import CONTEXT_DEPS, MAX_CONTEXT, NAME_LABELS, find_people
from .resolver import Match, Phrase, Tok, contextual_readings, country_actor, scan
from .scene import scene_country, takes_scene
from .state import STATE_KEY, ArticleActors, Mention, build_tokens, entity_of
PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
THING_PRONOUNS = {"it", "its", "itself"}
PLURAL_PRONOUNS = {"they", "them", "their", "theirs", "themselves"}
POSSESSIVE_PRONOUNS = {"his", "her", "its", "their"}
# Verbs whose "it" subject is usually expletive ("it is possible", "it seems").
EXPLETIVE_HEADS = {"be", "seem", "appear", "take", "remain", "become", "matter", "mean", "make"}
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m",
                  "she": "f", "her": "f", "hers": "f", "herself": "f"}
# Entities whose own name may contain a country word without standing for it
# ("The Washington Post", "the Iraq Speech").
TITLE_LABELS = {"ORG", "WORK_OF_ART", "FAC", "PRODUCT", "EVENT", "LAW"}
LOCATIVE_PREPOSITIONS = {"in", "at", "near", "inside", "outside", "across", "around", "throughout"}


def analyse(doc, kb: Knowledge, day: str | None = None) -> ArticleActors:
    """Resolve every actor mention of a parsed article, in text order; ``day`` is the
    article's date (YYYY-MM-DD), which picks the offices people held then."""
    toks, first_sub = build_tokens(doc)
    found = scan(kb, toks)
    matches = _disambiguate([m for k, m in enumerate(found) if _keep_match(doc, toks, m, found, k)])
    matches = contextual_readings(kb, matches, day)
    state = ArticleActors(kb, toks, first_sub, matches, day)
    find_people(doc, state)
    candidates = _phrase_heads(doc, state)
    covered = set()
    for u in state.person_units:
        covered.update(range(u[0], u[1]))
    events: list[tuple[int, str, object]] = [(u[0], "person", u) for u in state.person_units]
    events += [(h.left_edge.i if h.left_edge.i >= h.sent.start else h.i, "head", h)
               for h in candidates if h.i not in covered]
    pronouns = PERSON_PRONOUNS | THING_PRONOUNS | PLURAL_PRONOUNS
    events += [(t.i, "pronoun", t) for t in (doc[k.index] for k in toks if k.norm in pronouns)
               if t.pos_ == "PRON" and t.i not in covered]
    events.sort(key=lambda e: (e[0], e[1] != "person"))
    taken: set[int] = set(covered)
    for _, kind, item in events:
        checkpoint()  # the document's time budget, per candidate mention
        if kind == "person":
            us, ue, ns, ne, actor = item
            head = doc[ne - 1]
            state.mentions.append(Mention(us, ue, actor, "person",
                                          role_words=state.person_roles.get(actor.id, ()),
                                          subject=head.dep_.startswith("nsubj")))
        elif kind == "head":
            h = item
            if h.i in taken:
                continue
            start, end = unit_bounds(h)
            if any(i in taken for i in range(start, end)) and start < h.i:
                start = h.i
                while start > 0 and doc[start - 1].i not in taken and doc[start - 1].head == h \
                        and doc[start - 1].dep_ in CONTEXT_DEPS:
                    start -= 1
            if any(i in taken for i in range(start, end)):
                continue
            if _only_location(state, doc, start, end, h):
                continue
            found = resolve_span(state, doc, start, end, h)
            if not found:
                continue
            taken.update(range(start, end))
            ph = state.phrase(start, end)
            phrase_plural = len(found) > 1 or ph.role_form == "group" or _plural_people(h)
            for actor in found:
                state.mentions.append(Mention(start, end, actor, "phrase", plural=phrase_plural,
                                              role_words=_role_words(state, start, end),
                                              subject=h.dep_.startswith("nsubj")))
        else:
            t = item
            if t.lower_ in POSSESSIVE_PRONOUNS - {"her"} and t.dep_ == "poss":
                continue  # possessives are resolved as part of their noun phrase
            if t.lower_ == "it" and _expletive(t):
                continue
            found = resolve_pronoun(state, t)
            for actor in found:
                state.mentions.append(Mention(t.i, t.i + 1, actor, "pronoun",
                                              plural=len(found) > 1 or t.lower_ in PLURAL_PRONOUNS,
                                              subject=t.dep_.startswith("nsubj")))
    state.mentions.sort(key=lambda m: (m.start, m.end))
    return state


def _plural_people(head) -> bool:
    """A plural noun that is not itself a place name ("Bosnian Serbs", "the Kurds", but not
    "the United States" or "the Philippines") is a plural antecedent for "they"/"their"."""
    if head.ent_type_ in ("GPE", "LOC", "FAC", "ORG"):
        return False
    # the tagger often reads a plural people noun after a demonym as a singular name ("Croats")
    return head.tag_ in ("NNS", "NNPS") or \
        head.tag_ == "NNP" and head.text.endswith("s") and not head.text.endswith("ss")


def _coordinations(doc, mentions: list[Mention]) -> list[Mention]:
    """Actors named in one coordination ("Kalin and Sherman", "Turkey and Russia") as plural
    mentions over the whole coordination, for a later "they"."""
    by_token: dict[int, Mention] = {}
    for m in mentions:
        if m.how != "pronoun" and not m.plural:
            for i in range(m.start, m.end):
                by_token.setdefault(i, m)
    out: list[Mention] = []
    for m in mentions:
        if m.how == "pronoun" or m.plural:
            continue
        head = doc[m.end - 1]
        conj = [by_token[c.i] for c in head.children if c.dep_ == "conj" and c.i in by_token]
        if head.dep_ == "conj" or not conj:
            continue
        # follow the chain: "Turkey, Russia and Iran"
        members = [m]
        while conj:
            nxt = conj[0]
            members.append(nxt)
            h = doc[nxt.end - 1]
            conj = [by_token[c.i] for c in h.children if c.dep_ == "conj" and c.i in by_token]
        end = max(x.end for x in members)
        for x in members:
            out.append(Mention(m.start, end, x.actor, "coordination", plural=True,
                               subject=head.dep_.startswith("nsubj")))
    return out


def _keep_match(doc, toks: list[Tok], m: Match, matches: list[Match], k: int) -> bool:
    """Drop country words inside a person's name ("Chad Smith") or inside a title that goes on
    with words of its own ("The Washington Post"), but keep "the Turkish Foreign Ministry"."""
    if m.kind not in ("country", "place", "ethnic"):
        return True
    token = doc[toks[m.start].index]
    if token.ent_type_ in NAME_LABELS:
        return False
    # inside an organisation's name only a capital is just a place ("The Moscow Times");
    # "Kenya Airways" is still Kenyan
    if token.ent_type_ in TITLE_LABELS and (token.ent_type_ in ("WORK_OF_ART", "PRODUCT")
                                            or m.entry.sub == "capital"):
        ent = entity_of(doc, token.i)
        last = toks[m.end - 1].index
        if ent is not None and ent.end > last + 1:
            later = [o for o in matches[k + 1:k + 4]
                     if o.kind in ("role", "igo", "group") and toks[o.start].index < ent.end]
            return bool(later)
    return True


def _disambiguate(matches: list[Match]) -> list[Match]:
    """Order the readings of an ambiguous place name by the article's other countries
    ("Georgia" is the US state in an article about Florida and Ohio)."""
    tally: dict[str, int] = {}
    for m in matches:
        codes = {e.key for e in m.entries if e.kind in ("country", "place")}
        if len(codes) == 1:
            code = codes.pop()
            tally[code] = tally.get(code, 0) + 1
    for m in matches:
        codes = [e.key for e in m.entries if e.kind in ("country", "place")]
        if len(set(codes)) > 1:
            best = max(codes, key=lambda c: (tally.get(c, 0), -codes.index(c)))
            m.entries = sorted(m.entries, key=lambda e: e.key != best)
    return matches


# --- noun phrases ----------------------------------------------------------------------------

def _phrase_heads(doc, state: ArticleActors) -> list:
    """Tokens heading a noun phrase that contains a known term or is a role noun."""
    heads = {}
    for m in state.matches:
        if m.kind == "person":
            continue
        t = doc[state.toks[m.end - 1].index]
        h = t
        while h.dep_ in ("compound", "amod", "poss", "nmod", "case") and h.head.i > h.i \
                and h.head.i - t.i <= 6 and h.head.pos_ in ("NOUN", "PROPN", "NUM", "ADJ"):
            h = h.head
        if h.dep_ == "case" or h.pos_ in ("NOUN", "PROPN", "PRON", "NUM", "ADJ", "X"):
            heads[h.i] = h
        else:
            heads[t.i] = t
    return [heads[i] for i in sorted(heads)]


def unit_bounds(h) -> tuple[int, int]:
    """The tokens of the noun phrase headed by ``h``: left modifiers, plus a locative "in X"."""
    start = h.i
    while start > h.sent.start and start - 1 >= h.left_edge.i and h.i - start < MAX_CONTEXT:
        prev = h.doc[start - 1]
        if prev.text in (",", "(", ";", ":") or prev.pos_ in ("VERB", "AUX", "ADP", "SCONJ", "SPACE") \
                or "\n" in prev.whitespace_ or "\n" in prev.text \
                or (prev.pos_ == "CCONJ" and prev.head.i > h.i):
            break
        start -= 1
    end = h.i + 1
    for child in h.rights:
        if child.dep_ == "prep" and child.lower_ in ("in", "of", "from", "at") \
                and child.right_edge.i - h.i <= MAX_CONTEXT:
            end = max(end, child.right_edge.i + 1)
            break
        if child.dep_ not in ("prep",) or child.i > h.i + 1:
            break
    return start, end


def _only_location(state: ArticleActors, doc, start: int, end: int, h) -> bool:
    """A place that is only where something happens ("talks in Ankara", "in Crimea")."""
    matches = state.matches_in(start, end)
    if any(m.kind in ("role", "person", "igo", "group") for m in matches):
        return False
    if matches and all(m.kind == "place" for m in matches):
        return True
    return h.dep_ == "pobj" and h.head.lower_ in LOCATIVE_PREPOSITIONS


def _role_words(state: ArticleActors, start: int, end: int) -> tuple[str, ...]:
    ph = state.phrase(start, end)
    words = list(ph.modifiers)
    if ph.role:
        words += ph.role.split()
    return tuple(words)


def resolve_span(state: ArticleActors, doc, start: int, end: int, head=None) -> list[Actor]:
    """Actors of the noun phrase doc[start:end], using the memory for descriptions."""
    matches = state.matches_in(start, end)
    if matches and all(m.entry.sub == "town" for m in matches):
        return []  # a town of the gazetteers alone is where something happened ("shelled Mopti")
    ph = state.phrase(start, end)
    first = doc[start]
    owner: list[Actor] = []
    if first.lower_ in POSSESSIVE_PRONOUNS and ph.role:
        owner = resolve_pronoun(state, first)
    if ph.named or (ph.actors and not _is_description(ph)):
        if ph.actors and ph.role_form == "relational" and owner and not ph.context_country:
            return []
        if len(ph.actors) == 1 and ph.actors[0].id.startswith("ORG:") and not ph.actors[0].country \
                and takes_scene(ph):  # "the Supreme Court", an institution no file knows
            code = scene_country(state, doc, start)
            if code:
                return [replace(ph.actors[0], country=code)]
        return ph.actors
    plural_people = ph.role_form == "group" and ph.count and ph.role_sector
    if ph.role and (ph.role_form in ("person", "generic", "body", "state") or plural_people) \
            and (ph.definite or owner or ph.count):
        found = recall(state, start, ph, owner)
        if found:
            return found
    if ph.actors:
        return ph.actors
    if owner and ph.role and ph.role_form != "relational":
        code = next((a.country for a in owner if a.country), None)
        if code:
            return [country_actor(state.kb, code, ph.role_sector, ph.role)]
    if not owner and takes_scene(ph):  # "police", "the jury": the country where they act
        code = scene_country(state, doc, start)
        if code:
            return [country_actor(state.kb, code, ph.role_sector, ph.role)]
    return []


def _is_description(ph: Phrase) -> bool:
    """"the Turkish minister": a definite role phrase whose only country is a modifier."""
    return ph.definite and ph.role_form in ("person", "generic") and all(
        a.kind in ("institution", "country") for a in ph.actors)


def recall(state: ArticleActors, position: int, ph: Phrase, owner: list[Actor]) -> list[Actor]:
    """Earlier actors a definite description fits, most recent first."""
    country = next((a.country for a in ph.actors if a.country), None) or ph.context_country
    if owner and not country:
        country = next((a.country for a in owner if a.country), None)
    role_words = set((ph.role or "").split())
    modifiers = set(ph.modifiers)
    want = ph.count or 1
    found: list[Actor] = []
    for m in state.before(position):
        a = m.actor
        if any(a.id == f.id for f in found):
            continue
        if country and a.country and a.country != country:
            continue
        if ph.role_form == "state":  # "the two countries", "both sides"
            if not a.country or a.kind == "person" or any(f.country == a.country for f in found):
                continue
            found.append(country_actor(state.kb, a.country))
            if len(found) >= want:
                break
            continue
        if ph.role_form == "group":  # "the two leaders": people of the sector
            if a.kind != "person" or m.how == "pronoun" or (a.sector and a.sector != ph.role_sector):
                continue
        elif ph.role_form in ("person", "generic"):
            if a.kind != "person" or m.how == "pronoun":
                continue
            words = set(state.person_roles.get(a.id, ())) | set(m.role_words)
            if ph.role_form == "person" and not (role_words <= words):
                # "leader"/"official" fit anyone of the sector; a named office must match
                if not (ph.count and ph.role in ("leaders", "officials")):
                    continue
            if ph.role_form == "generic" and ph.role_sector and a.sector and a.sector != ph.role_sector:
                continue
            if modifiers - words - {"senior", "top", "former", "new", "then"} and \
                    not (modifiers & words):
                continue
        else:  # a body: "the ministry" -> the last institution named with that role
            if a.kind not in ("institution", "igo", "group") or not (role_words & set(m.role_words)):
                continue
        found.append(a)
        if len(found) >= want:
            break
    if ph.count and len(found) < want:
        return []
    return found


# --- pronouns --------------------------------------------------------------------------------

def _expletive(t) -> bool:
    head = t.head
    if head.lemma_ in EXPLETIVE_HEADS:
        return True
    return any(c.dep_ in ("acomp", "ccomp", "xcomp") and c.i > head.i for c in head.children) \
        and head.lemma_ in EXPLETIVE_HEADS


def resolve_pronoun(state: ArticleActors, t) -> list[Actor]:
    """The actor(s) a pronoun refers to: the last compatible mention before it."""
    word = t.lower_
    horizon = t.sent.start
    # search this sentence and the three before it
    for _ in range(3):
        prev = t.doc[horizon - 1].sent.start if horizon > 0 else 0
        horizon = prev
    candidates = [m for m in state.before(t.i) if m.start >= horizon]
    if word in PERSON_PRONOUNS:
        gender = PRONOUN_GENDER.get(word)
        persons = [m for m in candidates if m.actor.kind == "person"
                   and state.genders.get(m.actor.id, gender) == gender]
        if not persons:
            return []
        # the subject of this or the previous sentence is the likelier antecedent
        recent = _prev_sentence_start(t)
        subjects = [m for m in persons if m.subject and m.start >= recent]
        actor = (subjects or persons)[0].actor
        if gender:  # "she" once, "she" throughout: a later "he" looks for someone else
            state.genders.setdefault(actor.id, gender)
        return [actor]
    recent = _prev_sentence_start(t)
    reporter = _reporting_subject(t)
    if reporter is not None and (word in THING_PRONOUNS and reporter.tag_ in ("NN", "NNP")
                                 or word in PLURAL_PRONOUNS and reporter.tag_ in ("NNS", "NNPS")):
        # "the Umma party said it would ...": the pronoun is the reporting subject, even when
        # that subject is unknown to the actor lists (then the pronoun stays unresolved)
        own = [m for m in candidates if m.start <= reporter.i < m.end]
        return list({m.actor.id: m.actor for m in own}.values()) if own else []
    if word in THING_PRONOUNS:
        things = [m for m in candidates if m.actor.kind != "person" and not m.plural]
        subjects = [m for m in things if m.subject and m.start >= recent]
        return [(subjects or things)[0].actor] if things else []
    if word in PLURAL_PRONOUNS:
        earlier = [m for m in state.mentions if horizon <= m.start and m.end <= t.i]
        plurals = [m for m in candidates if m.plural] + _coordinations(t.doc, earlier)
        plurals.sort(key=lambda m: -m.start)
        subjects = [m for m in plurals if m.subject and m.start >= recent]
        for m in subjects[:1] or plurals:
            if m.plural:
                same = [x.actor for x in candidates + plurals
                        if x.start == m.start and x.end == m.end and x.plural]
                return list({a.id: a for a in reversed(same)}.values())[::-1] or [m.actor]
        return []
    return []


def _reporting_subject(t):
    """The noun subject of the verb whose clausal complement has ``t`` as its subject
    ("[the party] said [it] would ..."), or None."""
    if not t.dep_.startswith("nsubj") or t.head.dep_ != "ccomp":
        return None
    subjects = [c for c in t.head.head.children if c.dep_ == "nsubj" and c.i < t.i]
    if not subjects or subjects[0].pos_ not in ("NOUN", "PROPN"):
        return None
    return subjects[0]


def _prev_sentence_start(t) -> int:
    s = t.sent.start
    return t.doc[s - 1].sent.start if s > 0 else 0


def get_state(doc, kb: Knowledge, day: str | None = None) -> ArticleActors:
    """The article's actor state, computed once per doc (and date)."""
    state = doc.user_data.get(STATE_KEY)
    if state is None or state.kb is not kb or state.day != day:
        state = analyse(doc, kb, day)
        doc.user_data[STATE_KEY] = state
    return state

